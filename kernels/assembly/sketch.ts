import { normalizeExactF64 } from "./normalize";

// The sketch encoder (docs/sketch-encoder.md): its n-gram hashing (murmur3 x86 32-bit over the UTF-8 bytes of each
// code-point n-gram) and its projection, in which each hash is spread over `projections` coordinates of a
// d-dimensional vector with a seeded sign, then the vector is L2-normalised.
// Bit-exact across implementations: accumulation adds ±1 in f32 (exact for integers < 2^24), the norm is taken in f64
// (exact sum of integer squares, correctly rounded sqrt), and each coordinate is f32(f64(v) / norm).

/** murmur3's 32-bit finaliser: a bijective avalanche mix. */
// @ts-ignore: decorator
@inline function fmix32(h: u32): u32 {
  h ^= h >>> 16;
  h *= 0x85ebca6b;
  h ^= h >>> 13;
  h *= 0xc2b2ae35;
  h ^= h >>> 16;
  return h;
}

/** Add the signed projections of one hash to `out` (d f32). */
// @ts-ignore: decorator
@inline function project(h: u32, d: i32, projections: i32, out: usize): void {
  for (let j = 0; j < projections; j++) {
    const x = fmix32(h ^ (<u32>(j + 1) * 0x9e3779b9));
    const index = <usize>(((<u64>x) * (<u64>d)) >>> 32);
    const p = out + (index << 2);
    store<f32>(p, load<f32>(p) + ((x & 1) != 0 ? <f32>-1 : <f32>1));
  }
}

/**
 * out ← normalise(Σ_n Σ_j sign_j(h_n) · e[index_j(h_n)]) where x = fmix32(h ^ (j+1)·0x9E3779B9),
 * index = (x·d) >> 32 (high half of the 64-bit product), sign = -1 if x is odd else +1.
 * Shapes: hashes n u32; out d f32. A text with no n-grams gives the zero vector.
 */
export function sketch_project_f32(hashes: usize, n: i32, d: i32, projections: i32, out: usize): void {
  memory.fill(out, 0, (<usize>d) << 2);
  for (let i = 0; i < n; i++) project(load<u32>(hashes + ((<usize>i) << 2)), d, projections, out);
  normalizeExactF64(out, d);
}

/** murmur3 x86 32-bit of `length` bytes at `p` with `seed`. */
// @ts-ignore: decorator
@inline function murmur3(p: usize, length: i32, seed: u32): u32 {
  let h = seed;
  const blocks = length & ~3;
  for (let i = 0; i < blocks; i += 4) {
    let k = load<u32>(p + <usize>i); // little-endian, as the spec reads blocks
    k *= 0xcc9e2d51;
    k = rotl<u32>(k, 15);
    k *= 0x1b873593;
    h ^= k;
    h = rotl<u32>(h, 13);
    h = h * 5 + 0xe6546b64;
  }
  const tail = length & 3;
  if (tail != 0) {
    let k: u32 = 0;
    const t = p + <usize>blocks;
    if (tail == 3) k ^= (<u32>load<u8>(t, 2)) << 16;
    if (tail >= 2) k ^= (<u32>load<u8>(t, 1)) << 8;
    k ^= <u32>load<u8>(t);
    k *= 0xcc9e2d51;
    k = rotl<u32>(k, 15);
    k *= 0x1b873593;
    h ^= k;
  }
  return fmix32(h ^ <u32>length);
}

/**
 * The whole sketch of one normalised text: `bytes` holds the UTF-8 of " " + text + " " (`length` bytes, valid UTF-8,
 * at least two code points); every n-gram of orders minOrder..maxOrder over its code points is hashed with murmur3
 * (`seed`) and projected into `out` (d f32), which is then normalised. `starts` is scratch for the code points'
 * byte offsets (length + 1 u32). Returns the number of n-grams.
 */
export function sketch_embed_utf8(
  bytes: usize,
  length: i32,
  minOrder: i32,
  maxOrder: i32,
  seed: u32,
  d: i32,
  projections: i32,
  starts: usize,
  out: usize,
): i32 {
  let points = 0;
  for (let i = 0; i < length; i++) {
    // A code point starts at every byte that is not a continuation byte (10xxxxxx).
    if ((load<u8>(bytes + <usize>i) & 0xc0) != 0x80) {
      store<u32>(starts + ((<usize>points) << 2), i);
      points++;
    }
  }
  store<u32>(starts + ((<usize>points) << 2), length);
  memory.fill(out, 0, (<usize>d) << 2);
  let n = 0;
  for (let order = minOrder; order <= maxOrder; order++) {
    for (let i = 0; i + order <= points; i++) {
      const from = load<u32>(starts + ((<usize>i) << 2));
      const to = load<u32>(starts + ((<usize>(i + order)) << 2));
      project(murmur3(bytes + <usize>from, <i32>(to - from), seed), d, projections, out);
      n++;
    }
  }
  normalizeExactF64(out, d);
  return n;
}
