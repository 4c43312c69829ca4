/**
 * Plain TypeScript reference of every kernel in kernels/assembly, with the same shapes, layouts and edge-case
 * behaviour. Parity tests hold the WASM builds to these; they are also the fallback where WASM is unavailable.
 * Float sums are taken in f64 and rounded to f32 once, so they are at least as accurate as the kernels.
 */

export const METRIC_COSINE_NORMALISED = 0;
export const METRIC_L2SQ = 1;
export type Metric = typeof METRIC_COSINE_NORMALISED | typeof METRIC_L2SQ;

export interface Nearest {
  /** Index of the nearest centroid, -1 when no distance is comparable (all NaN). */
  index: number;
  best: number;
  /** Runner-up distance; +Inf when K = 1. */
  second: number;
}

function dotAt(a: Float32Array, ao: number, b: Float32Array, bo: number, d: number): number {
  let s = 0;
  for (let i = 0; i < d; i++) s += (a[ao + i] as number) * (b[bo + i] as number);
  return s;
}

function l2sqAt(a: Float32Array, ao: number, b: Float32Array, bo: number, d: number): number {
  let s = 0;
  for (let i = 0; i < d; i++) {
    const x = (a[ao + i] as number) - (b[bo + i] as number);
    s += x * x;
  }
  return s;
}

/** out[k] = dot(query, centroids[k]); centroids K×d row-major. */
export function dot(query: Float32Array, centroids: Float32Array, k: number, d: number, out: Float32Array): void {
  for (let r = 0; r < k; r++) out[r] = dotAt(query, 0, centroids, r * d, d);
}

/** out[k] = Σ (query - centroids[k])². */
export function l2sq(query: Float32Array, centroids: Float32Array, k: number, d: number, out: Float32Array): void {
  for (let r = 0; r < k; r++) out[r] = l2sqAt(query, 0, centroids, r * d, d);
}

/** out[k] = cos(query, centroids[k]); 0 when either vector is zero. */
export function cosine(query: Float32Array, centroids: Float32Array, k: number, d: number, out: Float32Array): void {
  const qn = Math.sqrt(dotAt(query, 0, query, 0, d));
  for (let r = 0; r < k; r++) {
    const denom = qn * Math.sqrt(dotAt(centroids, r * d, centroids, r * d, d));
    out[r] = denom > 0 ? dotAt(query, 0, centroids, r * d, d) / denom : 0;
  }
}

/** out[n][k] = dot(queries[n], centroids[k]); queries N×d, out N×K. */
export function dotBatch(
  queries: Float32Array,
  n: number,
  centroids: Float32Array,
  k: number,
  d: number,
  out: Float32Array,
): void {
  for (let q = 0; q < n; q++) for (let r = 0; r < k; r++) out[q * k + r] = dotAt(queries, q * d, centroids, r * d, d);
}

/** Nearest centroid with best and runner-up distance; NaN never wins, ties keep the lower index. */
export function nearest(query: Float32Array, centroids: Float32Array, k: number, d: number, metric: Metric): Nearest {
  return pickNearest(k, (r) =>
    Math.fround(
      metric === METRIC_L2SQ ? l2sqAt(query, 0, centroids, r * d, d) : 1 - dotAt(query, 0, centroids, r * d, d),
    ),
  );
}

/** The smallest of `distance(0..k-1)` and the runner-up; NaN never wins, ties keep the lower index. */
function pickNearest(k: number, distance: (r: number) => number): Nearest {
  let best = Number.POSITIVE_INFINITY;
  let second = Number.POSITIVE_INFINITY;
  let index = -1;
  for (let r = 0; r < k; r++) {
    const dist = distance(r);
    if (dist < best || (index < 0 && dist === best)) {
      second = best;
      best = dist;
      index = r;
    } else if (dist < second) {
      second = dist;
    }
  }
  return { index, best, second };
}

/** Round half to even (WebAssembly's `f32.nearest`), so quantisation agrees bit for bit with the kernels. */
function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return r - x === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/**
 * Quantise K×d rows to int8: row r becomes round(c·127/max|c|) (half to even, in f32 arithmetic) with scale
 * max|c|/127. A zero row quantises to zeros with scale 0.
 */
export function quantizeRowsI8(data: Float32Array, k: number, d: number, out: Int8Array, scales: Float32Array): void {
  for (let r = 0; r < k; r++) {
    let max = 0;
    for (let i = 0; i < d; i++) max = Math.max(max, Math.abs(data[r * d + i] as number));
    const inv = max > 0 ? Math.fround(127 / max) : 0;
    for (let i = 0; i < d; i++) out[r * d + i] = roundHalfEven(Math.fround((data[r * d + i] as number) * inv));
    scales[r] = Math.fround(max / 127);
  }
}

/** The i16 range S of a quantised query: S·127·d < 2^31, so a row's i32 dot cannot overflow. */
export function queryRangeI16(d: number): number {
  return Math.min(32767, Math.floor(2147483647 / (127 * d)));
}

/** Quantise a query to i16 (`out`) and return its scale max|q|/S (0 for a zero query). */
export function quantizeQueryI16(query: Float32Array, out: Int16Array): number {
  let max = 0;
  for (const x of query) max = Math.max(max, Math.abs(x));
  const range = queryRangeI16(query.length);
  const inv = max > 0 ? Math.fround(range / max) : 0;
  for (let i = 0; i < query.length; i++) out[i] = roundHalfEven(Math.fround((query[i] as number) * inv));
  return Math.fround(max / range);
}

/** Nearest centroid by cosine distance on an int8 table (see quantizeRowsI8 / quantizeQueryI16). */
export function nearestI8(query: Float32Array, table: Int8Array, scales: Float32Array, k: number, d: number): Nearest {
  const q = new Int16Array(d);
  const queryScale = quantizeQueryI16(query, q);
  return pickNearest(k, (r) => {
    let dot = 0;
    for (let i = 0; i < d; i++) dot += (q[i] as number) * (table[r * d + i] as number);
    return Math.fround(1 - Math.fround(Math.fround(queryScale * (scales[r] as number)) * Math.fround(dot)));
  });
}

/** v ← v / |v| in place; a zero vector stays zero. */
export function l2Normalize(v: Float32Array): void {
  const norm = Math.sqrt(dotAt(v, 0, v, 0, v.length));
  if (norm === 0) return;
  for (let i = 0; i < v.length; i++) v[i] = (v[i] as number) / norm;
}

function total(p: Float64Array): number {
  let s = 0;
  for (const x of p) {
    if (!(x >= 0)) return Number.NaN;
    s += x;
  }
  return s;
}

/** JS(P‖Q), log base 2, counts normalised inside. NaN for an all-zero or negative/NaN input. */
export function jsDivergence(p: Float64Array, q: Float64Array): number {
  const sp = total(p);
  const sq = total(q);
  if (!(sp > 0) || !(sq > 0)) return Number.NaN;
  let js = 0;
  for (let i = 0; i < p.length; i++) {
    const pi = (p[i] as number) / sp;
    const qi = (q[i] as number) / sq;
    const m = 0.5 * (pi + qi);
    if (pi > 0) js += pi * Math.log2(pi / m);
    if (qi > 0) js += qi * Math.log2(qi / m);
  }
  js *= 0.5;
  return Math.min(1, Math.max(0, js));
}

/** KL(P‖Q), log base 2; +Inf where P has mass and Q none; NaN for empty input. */
export function klDivergence(p: Float64Array, q: Float64Array): number {
  const sp = total(p);
  const sq = total(q);
  if (!(sp > 0) || !(sq > 0)) return Number.NaN;
  let kl = 0;
  for (let i = 0; i < p.length; i++) {
    const pi = (p[i] as number) / sp;
    if (pi === 0) continue;
    const qi = (q[i] as number) / sq;
    if (qi === 0) return Number.POSITIVE_INFINITY;
    kl += pi * Math.log2(pi / qi);
  }
  return Math.max(0, kl);
}

/** counts[index] += weight. */
export function histAdd(counts: Float64Array, index: number, weight: number): void {
  counts[index] = (counts[index] as number) + weight;
}

/** counts[indices[j]] += weight; negative indices are skipped. */
export function histAddBatch(counts: Float64Array, indices: Int32Array, weight: number): void {
  for (const index of indices) if (index >= 0) counts[index] = (counts[index] as number) + weight;
}

/** dst += src. */
export function histMerge(dst: Float64Array, src: Float64Array): void {
  for (let i = 0; i < dst.length; i++) dst[i] = (dst[i] as number) + (src[i] as number);
}

/** murmur3's 32-bit finaliser (an avalanche bijection); shared by the hash and the sketch projection. */
export function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** The sketch projection (docs/sketch-encoder.md): out ← normalise(Σ signed projections of each hash). Bit-exact. */
export function sketchProject(hashes: Uint32Array, d: number, projections: number, out: Float32Array): void {
  out.fill(0);
  for (const h of hashes) {
    for (let j = 0; j < projections; j++) {
      const x = fmix32((h ^ Math.imul(j + 1, 0x9e3779b9)) >>> 0);
      // (x·d) >> 32 exactly: x < 2^32 and d < 2^21 keep the product below 2^53.
      const index = Math.floor((x * d) / 4294967296);
      out[index] = (out[index] as number) + ((x & 1) !== 0 ? -1 : 1);
    }
  }
  let sumsq = 0;
  for (const v of out) sumsq += v * v;
  if (sumsq === 0) return;
  const norm = Math.sqrt(sumsq);
  for (let i = 0; i < d; i++) out[i] = (out[i] as number) / norm;
}
