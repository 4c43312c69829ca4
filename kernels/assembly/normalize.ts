// L2 normalisation in place.
import { dotRow } from "./distance";

/**
 * v ← v / |v| for d floats at `v`. A zero vector stays zero; NaN makes the result NaN. The fast path sums squares
 * in f32 (SIMD); when that sum underflows (subnormal inputs) or overflows (|x| ≳ 1e19) it is redone in f64, so tiny
 * and huge vectors still come out unit length.
 */
export function l2_normalize_f32(v: usize, d: i32): void {
  const sumsq = dotRow(v, v, d);
  if (sumsq >= <f32>1e-30 && sumsq < Infinity) {
    const inv: f32 = 1 / Mathf.sqrt(sumsq);
    let i = 0;
    if (ASC_FEATURE_SIMD) {
      const s = f32x4.splat(inv);
      for (; i + 4 <= d; i += 4) {
        const p = v + ((<usize>i) << 2);
        v128.store(p, f32x4.mul(v128.load(p), s));
      }
    }
    for (; i < d; i++) {
      const p = v + ((<usize>i) << 2);
      store<f32>(p, load<f32>(p) * inv);
    }
    return;
  }
  normalizeExactF64(v, d);
}

/**
 * v ← f32(f64(v) / |v|) with the norm summed in f64: exact for integer-valued vectors (the sketch's), and safe from
 * f32 under/overflow. A zero vector stays zero.
 */
export function normalizeExactF64(v: usize, d: i32): void {
  let s: f64 = 0;
  for (let i = 0; i < d; i++) {
    const x = <f64>load<f32>(v + ((<usize>i) << 2));
    s += x * x;
  }
  if (s == 0) return;
  const norm = Math.sqrt(s);
  for (let i = 0; i < d; i++) {
    const p = v + ((<usize>i) << 2);
    store<f32>(p, <f32>(<f64>load<f32>(p) / norm));
  }
}
