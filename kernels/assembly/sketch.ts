import { normalizeExactF64 } from "./normalize";

// The sketch encoder's inner loop (docs/sketch-encoder.md): each n-gram hash is spread over `projections`
// coordinates of a d-dimensional vector with a seeded, signed projection, then the vector is L2-normalised.
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

/**
 * out ← normalise(Σ_n Σ_j sign_j(h_n) · e[index_j(h_n)]) where x = fmix32(h ^ (j+1)·0x9E3779B9),
 * index = (x·d) >> 32 (high half of the 64-bit product), sign = -1 if x is odd else +1.
 * Shapes: hashes n u32; out d f32. A text with no n-grams gives the zero vector.
 */
export function sketch_project_f32(hashes: usize, n: i32, d: i32, projections: i32, out: usize): void {
  memory.fill(out, 0, (<usize>d) << 2);
  for (let i = 0; i < n; i++) {
    const h = load<u32>(hashes + ((<usize>i) << 2));
    for (let j = 0; j < projections; j++) {
      const x = fmix32(h ^ (<u32>(j + 1) * 0x9e3779b9));
      const index = <usize>(((<u64>x) * (<u64>d)) >>> 32);
      const p = out + (index << 2);
      store<f32>(p, load<f32>(p) + ((x & 1) != 0 ? <f32>-1 : <f32>1));
    }
  }
  normalizeExactF64(out, d);
}
