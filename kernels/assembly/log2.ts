// log2 of two f64 lanes without a table: x = 2^e · m with m in [√½, √2), log2 m = (2/ln 2)·atanh(z),
// z = (m - 1)/(m + 1) ∈ [-0.1716, 0.1716], atanh by its odd series through z^7. The dropped tail is below
// |z|^9 / 9 / (1 - z²) · 2/ln 2 < 4.4e-8, so |log2_approx(x) - log2(x)| ≤ 4.4e-8 for normal x > 0 (plus a few ulps
// of rounding); the KL kernel uses it (JS has its own f32 logs, divergence.ts). Exactly, log2_approx(2x) =
// 1 + log2_approx(x). Zero gives -1023 (so x·log2 x is 0 at 0); subnormals, negatives, Inf and NaN are outside the
// contract.

/** Exponent e (as f64) and reduced mantissa m ∈ [√½, √2) of two non-negative f64 lanes, x = 2^e · m. */
// @ts-ignore: decorator
@inline function split(x: v128): v128 {
  // Exponent as f64 without an i64 → f64 conversion: e | 0x4330… read as f64 is 2^52 + e.
  return f64x2.sub(v128.or(i64x2.shr_u(x, 52), i64x2.splat(0x4330000000000000)), f64x2.splat(4503599627371519.0)); // 2^52 + 1023
}

/** (2/ln 2)·atanh(z) through z^7. */
// @ts-ignore: decorator
@inline function series(z: v128): v128 {
  const z2 = f64x2.mul(z, z);
  let s = f64x2.add(f64x2.mul(z2, f64x2.splat(2.885390081777927 / 7.0)), f64x2.splat(2.885390081777927 / 5.0));
  s = f64x2.add(f64x2.mul(s, z2), f64x2.splat(2.885390081777927 / 3.0));
  s = f64x2.add(f64x2.mul(s, z2), f64x2.splat(2.885390081777927));
  return f64x2.mul(z, s);
}

/** Mantissa in [1, 2) of non-negative lanes. */
// @ts-ignore: decorator
@inline function mantissa(x: v128): v128 {
  return v128.or(v128.and(x, i64x2.splat(0x000fffffffffffff)), i64x2.splat(0x3ff0000000000000));
}

/** log2 of two f64 lanes (see the file comment). */
// @ts-ignore: decorator
@inline export function log2x2(x: v128): v128 {
  const one = f64x2.splat(1.0);
  let e = split(x);
  let m = mantissa(x);
  const big = f64x2.gt(m, f64x2.splat(1.4142135623730951));
  m = v128.bitselect(f64x2.mul(m, f64x2.splat(0.5)), m, big);
  e = f64x2.add(e, v128.and(big, one));
  return f64x2.add(e, series(f64x2.div(f64x2.sub(m, one), f64x2.add(m, one))));
}

/** dst[i] = log2_approx(src[i]) for n f64 (the SIMD approximation above; exact Math.log2 in the scalar build). */
export function log2_f64(src: usize, n: i32, dst: usize): void {
  let i = 0;
  if (ASC_FEATURE_SIMD) {
    for (; i + 2 <= n; i += 2) {
      const o = (<usize>i) << 3;
      v128.store(dst + o, log2x2(v128.load(src + o)));
    }
    if (i < n) {
      const o = (<usize>i) << 3;
      store<f64>(dst + o, f64x2.extract_lane(log2x2(f64x2.splat(load<f64>(src + o))), 0));
    }
    return;
  }
  for (; i < n; i++) {
    const o = (<usize>i) << 3;
    store<f64>(dst + o, Math.log2(load<f64>(src + o)));
  }
}
