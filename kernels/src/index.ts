export * as reference from "./reference";
export { METRIC_COSINE_NORMALISED, METRIC_L2SQ, type Metric, type Nearest } from "./reference";
export * from "./sketch";
export { type CentroidTable, type QuantizedCentroidTable, Region, relaxedSimdSupported, WasmKernels } from "./wasm";
