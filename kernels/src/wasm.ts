/**
 * The TypeScript face of the WASM kernels. It owns the module's linear memory: arrays live in regions allocated once
 * (a bump arena after the module's static data), and callers read and write them through typed-array views, so the
 * hot path copies and allocates nothing. Views are rebuilt only when memory grows (growth detaches old buffers).
 *
 * Works wherever a compiled `WebAssembly.Module` is at hand: in a Worker (`import mod from "…/compass.simd.wasm"`,
 * instantiated synchronously, as Workers require) and in Node (`new WebAssembly.Module(bytes)`).
 */
import { type Metric, type Nearest, quantizeRowsI8 } from "./reference";

interface KernelExports {
  memory: WebAssembly.Memory;
  heap_base(): number;
  dot_f32_rowmajor(query: number, centroids: number, k: number, d: number, out: number): void;
  l2sq_f32_rowmajor(query: number, centroids: number, k: number, d: number, out: number): void;
  cosine_f32_rowmajor(query: number, centroids: number, k: number, d: number, out: number): void;
  dot_batch_f32_rowmajor(queries: number, n: number, centroids: number, k: number, d: number, out: number): void;
  nearest_f32_rowmajor(query: number, centroids: number, k: number, d: number, metric: number, result: number): number;
  l2_normalize_f32(v: number, d: number): void;
  js_divergence_f64(p: number, q: number, n: number): number;
  kl_divergence_f64(p: number, q: number, n: number): number;
  hist_add_f64(counts: number, index: number, weight: number): void;
  hist_add_batch_f64(counts: number, indices: number, m: number, weight: number): void;
  hist_merge_f64(dst: number, src: number, n: number): void;
  sketch_project_f32(hashes: number, n: number, d: number, projections: number, out: number): void;
  sketch_embed_utf8(
    bytes: number,
    length: number,
    minOrder: number,
    maxOrder: number,
    seed: number,
    d: number,
    projections: number,
    starts: number,
    out: number,
  ): number;
  quantize_query_i16(src: number, d: number, dst: number): number;
  nearest_i8_rowmajor(
    query: number,
    queryScale: number,
    table: number,
    scales: number,
    k: number,
    d: number,
    result: number,
  ): number;
  log2_f64(src: number, n: number, dst: number): void;
}

type TypedArrayOf<T> = T extends Float32ArrayConstructor
  ? Float32Array
  : T extends Float64ArrayConstructor
    ? Float64Array
    : T extends Int32ArrayConstructor
      ? Int32Array
      : T extends Int16ArrayConstructor
        ? Int16Array
        : T extends Int8ArrayConstructor
          ? Int8Array
          : T extends Uint8ArrayConstructor
            ? Uint8Array
            : Uint32Array;
type ArrayKind =
  | Float32ArrayConstructor
  | Float64ArrayConstructor
  | Int32ArrayConstructor
  | Uint32ArrayConstructor
  | Int16ArrayConstructor
  | Int8ArrayConstructor
  | Uint8ArrayConstructor;

/** A fixed array in the module's memory: `ptr` for kernels, `view` for JavaScript. */
export class Region<K extends ArrayKind> {
  private cached: TypedArrayOf<K>;

  constructor(
    private readonly memory: WebAssembly.Memory,
    private readonly kind: K,
    readonly ptr: number,
    readonly length: number,
  ) {
    this.cached = new kind(memory.buffer, ptr, length) as TypedArrayOf<K>;
  }

  /** The live view; rebuilt only after memory has grown. */
  get view(): TypedArrayOf<K> {
    if (this.cached.buffer !== this.memory.buffer) {
      this.cached = new this.kind(this.memory.buffer, this.ptr, this.length) as TypedArrayOf<K>;
    }
    return this.cached;
  }
}

/** K centroids of dimension d, row-major, resident in the module's memory. */
export interface CentroidTable {
  readonly data: Region<Float32ArrayConstructor>;
  readonly k: number;
  readonly d: number;
}

/**
 * K centroids quantised to int8 (one f32 scale per row), for nearest-centroid search at a quarter of the f32 table's
 * memory traffic. `query` is the scratch the f32 query is quantised into (i16) on each search.
 */
export interface QuantizedCentroidTable {
  readonly data: Region<Int8ArrayConstructor>;
  readonly scales: Region<Float32ArrayConstructor>;
  readonly query: Region<Int16ArrayConstructor>;
  readonly k: number;
  readonly d: number;
}

const PAGE = 65536;

export class WasmKernels {
  private readonly exports: KernelExports;
  private top: number;
  /** Two f32 written by nearest_f32_rowmajor: [best, second]. */
  private readonly nearestResult: Region<Float32ArrayConstructor>;

  constructor(module: WebAssembly.Module) {
    const instance = new WebAssembly.Instance(module, {
      env: {
        abort() {
          throw new Error("compass kernels: abort");
        },
      },
    });
    this.exports = instance.exports as unknown as KernelExports;
    this.top = align(this.exports.heap_base(), 16);
    this.nearestResult = this.alloc(Float32Array, 2);
  }

  /** Reserve an array of `length` elements (16-byte aligned), growing memory as needed. Regions live as long as this. */
  alloc<K extends ArrayKind>(kind: K, length: number): Region<K> {
    const bytes = length * kind.BYTES_PER_ELEMENT;
    const ptr = this.top;
    const end = align(ptr + bytes, 16);
    const memory = this.exports.memory;
    if (end > memory.buffer.byteLength) memory.grow(Math.ceil((end - memory.buffer.byteLength) / PAGE));
    this.top = end;
    return new Region(memory, kind, ptr, length);
  }

  /** Copy centroids (K×d row-major) into the module once; later calls only pass the pointer. */
  loadCentroids(data: Float32Array, k: number, d: number): CentroidTable {
    if (data.length !== k * d)
      throw new RangeError(`centroids: expected ${k}×${d} = ${k * d} floats, got ${data.length}`);
    const region = this.alloc(Float32Array, k * d);
    region.view.set(data);
    return { data: region, k, d };
  }

  /**
   * Quantise centroids (K×d row-major f32) to an int8 table with per-row scales ({@link quantizeRowsI8}; the overflow
   * bound is in kernels/assembly/quantized.ts). Only {@link nearestI8} with the cosine metric reads it.
   */
  loadCentroidsI8(data: Float32Array, k: number, d: number): QuantizedCentroidTable {
    if (data.length !== k * d)
      throw new RangeError(`centroids: expected ${k}×${d} = ${k * d} floats, got ${data.length}`);
    const table = {
      data: this.alloc(Int8Array, k * d),
      scales: this.alloc(Float32Array, k),
      query: this.alloc(Int16Array, d),
      k,
      d,
    };
    quantizeRowsI8(data, k, d, table.data.view, table.scales.view);
    return table;
  }

  /**
   * Nearest centroid by cosine distance (normalised vectors) on an int8 table: the query is quantised to i16 and
   * dist = 1 - scale_q·scale_r·dot. Distances differ from the f32 search by the table's rounding (≤ ½ of a row's
   * step max|c|/127 per coordinate); `npm run bench:kernels` reports the effect on the chosen index.
   */
  nearestI8(
    query: Region<Float32ArrayConstructor>,
    table: QuantizedCentroidTable,
    into: Nearest = { index: -1, best: 0, second: 0 },
  ): Nearest {
    const scale = this.exports.quantize_query_i16(query.ptr, table.d, table.query.ptr);
    into.index = this.exports.nearest_i8_rowmajor(
      table.query.ptr,
      scale,
      table.data.ptr,
      table.scales.ptr,
      table.k,
      table.d,
      this.nearestResult.ptr,
    );
    const result = this.nearestResult.view;
    into.best = result[0] as number;
    into.second = result[1] as number;
    return into;
  }

  /**
   * dst[i] = log2(src[i]). The SIMD builds use the KL kernel's approximation (|error| ≤ 4.4e-8 for normal
   * positive inputs; 0 gives -1023); the scalar build is exact. Exposed so tests can hold the bound.
   */
  log2(src: Region<Float64ArrayConstructor>, dst: Region<Float64ArrayConstructor>): void {
    this.exports.log2_f64(src.ptr, Math.min(src.length, dst.length), dst.ptr);
  }

  /**
   * The whole sketch of a text whose padded UTF-8 (" " + normalised text + " ") is in `bytes[0..length)`: n-gram
   * hashing and projection in one kernel. `starts` must hold length + 1 entries. Returns the n-gram count.
   */
  sketchEmbedUtf8(
    bytes: Region<Uint8ArrayConstructor>,
    length: number,
    orders: { min: number; max: number },
    seed: number,
    projections: number,
    starts: Region<Uint32ArrayConstructor>,
    out: Region<Float32ArrayConstructor>,
  ): number {
    return this.exports.sketch_embed_utf8(
      bytes.ptr,
      length,
      orders.min,
      orders.max,
      seed,
      out.length,
      projections,
      starts.ptr,
      out.ptr,
    );
  }

  /** out[k] = dot(query, centroid k). */
  dot(query: Region<Float32ArrayConstructor>, table: CentroidTable, out: Region<Float32ArrayConstructor>): void {
    this.exports.dot_f32_rowmajor(query.ptr, table.data.ptr, table.k, table.d, out.ptr);
  }

  /** out[k] = squared L2 distance to centroid k. */
  l2sq(query: Region<Float32ArrayConstructor>, table: CentroidTable, out: Region<Float32ArrayConstructor>): void {
    this.exports.l2sq_f32_rowmajor(query.ptr, table.data.ptr, table.k, table.d, out.ptr);
  }

  /** out[k] = cosine similarity to centroid k (0 for zero vectors). */
  cosine(query: Region<Float32ArrayConstructor>, table: CentroidTable, out: Region<Float32ArrayConstructor>): void {
    this.exports.cosine_f32_rowmajor(query.ptr, table.data.ptr, table.k, table.d, out.ptr);
  }

  /** out[n][k] = dot(queries[n], centroid k); queries N×d. */
  dotBatch(
    queries: Region<Float32ArrayConstructor>,
    n: number,
    table: CentroidTable,
    out: Region<Float32ArrayConstructor>,
  ): void {
    this.exports.dot_batch_f32_rowmajor(queries.ptr, n, table.data.ptr, table.k, table.d, out.ptr);
  }

  /** Nearest centroid with best and runner-up distance. Pass `into` to reuse a result object. */
  nearest(
    query: Region<Float32ArrayConstructor>,
    table: CentroidTable,
    metric: Metric,
    into: Nearest = { index: -1, best: 0, second: 0 },
  ): Nearest {
    into.index = this.exports.nearest_f32_rowmajor(
      query.ptr,
      table.data.ptr,
      table.k,
      table.d,
      metric,
      this.nearestResult.ptr,
    );
    const result = this.nearestResult.view;
    into.best = result[0] as number;
    into.second = result[1] as number;
    return into;
  }

  l2Normalize(v: Region<Float32ArrayConstructor>): void {
    this.exports.l2_normalize_f32(v.ptr, v.length);
  }

  /**
   * JS divergence (log base 2) of two count vectors of equal length. The SIMD builds compute it in f32 within 7.1e-7
   * of the exact value (bound in kernels/assembly/divergence.ts); the scalar build is exact.
   */
  jsDivergence(p: Region<Float64ArrayConstructor>, q: Region<Float64ArrayConstructor>): number {
    return this.exports.js_divergence_f64(p.ptr, q.ptr, p.length);
  }

  klDivergence(p: Region<Float64ArrayConstructor>, q: Region<Float64ArrayConstructor>): number {
    return this.exports.kl_divergence_f64(p.ptr, q.ptr, p.length);
  }

  histAdd(counts: Region<Float64ArrayConstructor>, index: number, weight = 1): void {
    this.exports.hist_add_f64(counts.ptr, index, weight);
  }

  histAddBatch(
    counts: Region<Float64ArrayConstructor>,
    indices: Region<Int32ArrayConstructor>,
    m: number,
    weight = 1,
  ): void {
    this.exports.hist_add_batch_f64(counts.ptr, indices.ptr, m, weight);
  }

  histMerge(dst: Region<Float64ArrayConstructor>, src: Region<Float64ArrayConstructor>): void {
    this.exports.hist_merge_f64(dst.ptr, src.ptr, dst.length);
  }

  /** The sketch encoder's projection of `n` hashes into `out` (d = out.length), normalised. */
  sketchProject(
    hashes: Region<Uint32ArrayConstructor>,
    n: number,
    projections: number,
    out: Region<Float32ArrayConstructor>,
  ): void {
    this.exports.sketch_project_f32(hashes.ptr, n, out.length, projections, out.ptr);
  }
}

/**
 * A minimal module whose one function uses `f32x4.relaxed_madd`: validating it tells whether this runtime accepts
 * the relaxed-SIMD build (validation compiles nothing, so it is allowed where compiling from bytes is not).
 */
const RELAXED_SIMD_PROBE = (() => {
  const zero = [0xfd, 0x0c, ...new Array<number>(16).fill(0)]; // v128.const 0
  const body = [0x00, ...zero, ...zero, ...zero, 0xfd, 0x85, 0x02, 0x0b]; // f32x4.relaxed_madd; end
  const header = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00];
  const types = [0x01, 0x05, 0x01, 0x60, 0x00, 0x01, 0x7b]; // () -> v128
  const functions = [0x03, 0x02, 0x01, 0x00];
  return new Uint8Array([...header, ...types, ...functions, 0x0a, body.length + 2, 0x01, body.length, ...body]);
})();

/** Whether this runtime validates relaxed-SIMD instructions (Node 20 needs --experimental-wasm-relaxed-simd). */
export function relaxedSimdSupported(): boolean {
  return WebAssembly.validate(RELAXED_SIMD_PROBE);
}

function align(n: number, to: number): number {
  return Math.ceil(n / to) * to;
}
