// Wrangler (and the Workers vitest pool) bundle `.wasm` imports as compiled WebAssembly.Module objects.
declare module "*.wasm" {
  const module: WebAssembly.Module;
  export default module;
}

// The edge model's ONNX files load as bytes (wrangler.toml's Data rule).
declare module "*.onnx" {
  const bytes: ArrayBuffer;
  export default bytes;
}
