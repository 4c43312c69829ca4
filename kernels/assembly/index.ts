// compass kernels: the module's entry. One kernel family per file; memory is owned by the TypeScript wrapper
// (kernels/src/wasm.ts), which places arrays after heap_base() and grows memory itself.
export { cosine_f32_rowmajor, dot_batch_f32_rowmajor, dot_f32_rowmajor, l2sq_f32_rowmajor } from "./distance";
export { nearest_f32_rowmajor } from "./nearest";
export { nearest_i8_rowmajor, quantize_query_i16 } from "./quantized";
export { l2_normalize_f32 } from "./normalize";
export { js_divergence_f64, kl_divergence_f64 } from "./divergence";
export { log2_f64 } from "./log2";
export { hist_add_batch_f64, hist_add_f64, hist_merge_f64 } from "./histogram";
export { sketch_embed_utf8, sketch_project_f32 } from "./sketch";

/** First free byte after static data: the wrapper's arena starts here (16-byte aligned by the wrapper). */
export function heap_base(): usize {
  return __heap_base;
}
