/**
 * The sketch encoder (docs/sketch-encoder.md): a text's hashed character n-grams projected into d dimensions with
 * seeded signs, L2-normalised. The trainer's Python implementation reproduces it bit for bit; both assert
 * test/vectors/sketch.json.
 */
import { fmix32, sketchProject } from "./reference";
import type { Region, WasmKernels } from "./wasm";

export const SKETCH_VERSION = "compass-sketch-v1";
export const SKETCH_DIM = 256;
export const SKETCH_ORDERS: readonly number[] = [2, 3, 4];
export const SKETCH_PROJECTIONS = 2;
export const SKETCH_SEED = 0x9747b28c;
/** Normalised texts are cut to this many code points: the sketch needs the gist, and the edge a bounded cost. */
export const SKETCH_MAX_CODEPOINTS = 4096;

/** Unicode White_Space, spelled out: JavaScript's \s and Python's \s disagree on a few code points. */
const WHITESPACE = /[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+/gu;

/** NFKC, lower-case (Unicode default mapping), whitespace runs to one space, trimmed, cut to 4096 code points. */
export function normalizeForSketch(text: string): string {
  const normalized = text.normalize("NFKC").toLowerCase().replace(WHITESPACE, " ").replace(/^ | $/g, "");
  if (normalized.length <= SKETCH_MAX_CODEPOINTS) return normalized;
  let cut = 0;
  let points = 0;
  for (const ch of normalized) {
    if (points++ === SKETCH_MAX_CODEPOINTS) break;
    cut += ch.length;
  }
  return normalized.slice(0, cut);
}

/** murmur3 x86 32-bit of `bytes[0..length)` with `seed`. */
export function murmur3(bytes: Uint8Array, length: number, seed: number): number {
  let h = seed >>> 0;
  const blocks = length & ~3;
  for (let i = 0; i < blocks; i += 4) {
    let k =
      (bytes[i] as number) |
      ((bytes[i + 1] as number) << 8) |
      ((bytes[i + 2] as number) << 16) |
      ((bytes[i + 3] as number) << 24);
    k = Math.imul(k, 0xcc9e2d51);
    k = (k << 15) | (k >>> 17);
    k = Math.imul(k, 0x1b873593);
    h ^= k;
    h = (h << 13) | (h >>> 19);
    h = (Math.imul(h, 5) + 0xe6546b64) | 0;
  }
  let k = 0;
  switch (length & 3) {
    // biome-ignore lint/suspicious/noFallthroughSwitchClause: murmur3's tail deliberately falls through
    case 3:
      k ^= (bytes[blocks + 2] as number) << 16;
    // biome-ignore lint/suspicious/noFallthroughSwitchClause: as above
    case 2:
      k ^= (bytes[blocks + 1] as number) << 8;
    case 1:
      k ^= bytes[blocks] as number;
      k = Math.imul(k, 0xcc9e2d51);
      k = (k << 15) | (k >>> 17);
      k = Math.imul(k, 0x1b873593);
      h ^= k;
  }
  return fmix32(h ^ length);
}

const encoder = new TextEncoder();

/**
 * Hashes of every n-gram (orders 2, 3, 4 over code points of " " + normalised text + " "), written into `out`
 * starting at 0; returns how many. `out` must hold at least {@link maxNgrams}(text) entries.
 */
export function ngramHashes(normalized: string, out: Uint32Array): number {
  if (normalized.length === 0) return 0;
  const padded = ` ${normalized} `;
  // UTF-8 of the padded text plus each code point's byte offset: an n-gram is a byte slice, hashed without copying.
  const bytes = encoder.encode(padded);
  const starts: number[] = [];
  let offset = 0;
  for (const ch of padded) {
    starts.push(offset);
    const cp = ch.codePointAt(0) as number;
    offset += cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
  }
  starts.push(offset);
  const points = starts.length - 1;
  let n = 0;
  for (const order of SKETCH_ORDERS) {
    for (let i = 0; i + order <= points; i++) {
      const from = starts[i] as number;
      out[n++] = murmur3(bytes.subarray(from), (starts[i + order] as number) - from, SKETCH_SEED);
    }
  }
  return n;
}

/** Upper bound on the n-gram count of a normalised text (code points ≤ UTF-16 units). */
export function maxNgrams(normalized: string): number {
  return normalized.length === 0 ? 0 : SKETCH_ORDERS.length * (normalized.length + 2);
}

/** The most n-grams any text yields after normalisation. */
export const SKETCH_MAX_NGRAMS = SKETCH_ORDERS.length * (SKETCH_MAX_CODEPOINTS + 2);

/** Reference sketch embedding (plain TypeScript). */
export function sketchEmbedReference(text: string, dim = SKETCH_DIM): Float32Array {
  const normalized = normalizeForSketch(text);
  const hashes = new Uint32Array(maxNgrams(normalized));
  const n = ngramHashes(normalized, hashes);
  const out = new Float32Array(dim);
  sketchProject(hashes.subarray(0, n), dim, SKETCH_PROJECTIONS, out);
  return out;
}

/** UTF-8 bytes of the longest padded text: 4096 code points of at most 4 bytes, plus the two pad spaces. */
const SKETCH_MAX_PADDED_BYTES = 4 * SKETCH_MAX_CODEPOINTS + 2;
const ORDERS = { min: SKETCH_ORDERS[0] as number, max: SKETCH_ORDERS[SKETCH_ORDERS.length - 1] as number };

/**
 * Sketch encoder on the WASM kernels: the normalised text's UTF-8 is written straight into the module's memory and
 * one kernel hashes every n-gram and projects it, so the embedding can go to `nearest` without a copy. Only
 * normalisation (NFKC, lower-casing, whitespace) stays in JavaScript.
 */
export class WasmSketchEncoder {
  readonly embedding: Region<Float32ArrayConstructor>;
  private readonly bytes: Region<Uint8ArrayConstructor>;
  private readonly starts: Region<Uint32ArrayConstructor>;
  private text: Uint8Array;

  constructor(
    private readonly kernels: WasmKernels,
    readonly dim = SKETCH_DIM,
  ) {
    this.embedding = kernels.alloc(Float32Array, dim);
    this.bytes = kernels.alloc(Uint8Array, SKETCH_MAX_PADDED_BYTES);
    this.starts = kernels.alloc(Uint32Array, SKETCH_MAX_PADDED_BYTES + 1);
    this.text = this.bytes.view.subarray(1);
  }

  /** Embed `text` into {@link embedding} (and return its view). */
  embed(text: string): Float32Array {
    const normalized = normalizeForSketch(text);
    if (normalized.length === 0) {
      this.embedding.view.fill(0);
      return this.embedding.view;
    }
    const bytes = this.bytes.view;
    // The subarray view after the leading pad byte is kept; it is rebuilt only when memory growth detached it.
    if (this.text.buffer !== bytes.buffer) this.text = bytes.subarray(1);
    // The strings here are valid UTF-16 apart from lone surrogates, which encodeInto writes as U+FFFD like encode().
    const { written } = encoder.encodeInto(normalized, this.text);
    bytes[0] = 0x20;
    bytes[written + 1] = 0x20;
    this.kernels.sketchEmbedUtf8(
      this.bytes,
      written + 2,
      ORDERS,
      SKETCH_SEED,
      SKETCH_PROJECTIONS,
      this.starts,
      this.embedding,
    );
    return this.embedding.view;
  }
}
