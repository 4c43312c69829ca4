/**
 * The WASM kernels, instantiated once per isolate at global scope (Workers refuse to compile WASM from bytes at run
 * time; the bundled module is instantiated synchronously here).
 */
import simdModule from "../kernels/build/compass.simd.wasm";
import { WasmKernels, WasmSketchEncoder } from "../kernels/src";

export const kernels = new WasmKernels(simdModule);
export const sketchEncoder = new WasmSketchEncoder(kernels);
