// Four centroid rows per pass: each query vector is loaded once and multiplied into four rows, with two accumulators
// per row (eight independent add chains keep the FP pipes busy). The relaxed-SIMD build fuses multiply and add
// (`f32x4.relaxed_madd`; the engine may or may not fuse, so the last bits can differ from the plain build).
// Preconditions: rows `row`, `row + stride`, `row + 2·stride`, `row + 3·stride` hold d floats each; SIMD builds only.

/** a·b + c, fused in the relaxed-SIMD build. */
// @ts-ignore: decorator
@inline export function madd(a: v128, b: v128, c: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return f32x4.relaxed_madd(a, b, c);
  return f32x4.add(f32x4.mul(a, b), c);
}

/** Horizontal sums of four f32x4 accumulators: lane r of the result is the sum of the lanes of `r`. */
// @ts-ignore: decorator
@inline export function hsum4(r0: v128, r1: v128, r2: v128, r3: v128): v128 {
  const a = f32x4.add(v128.shuffle<f32>(r0, r1, 0, 1, 4, 5), v128.shuffle<f32>(r0, r1, 2, 3, 6, 7));
  const b = f32x4.add(v128.shuffle<f32>(r2, r3, 0, 1, 4, 5), v128.shuffle<f32>(r2, r3, 2, 3, 6, 7));
  return f32x4.add(v128.shuffle<f32>(a, b, 0, 2, 4, 6), v128.shuffle<f32>(a, b, 1, 3, 5, 7));
}

/** [dot(q, row0), dot(q, row1), dot(q, row2), dot(q, row3)] as one f32x4. */
// @ts-ignore: decorator
@inline export function dot4Rows(q: usize, row: usize, stride: usize, d: i32): v128 {
  const r1 = row + stride;
  const r2 = r1 + stride;
  const r3 = r2 + stride;
  let a0 = f32x4.splat(0);
  let a1 = f32x4.splat(0);
  let a2 = f32x4.splat(0);
  let a3 = f32x4.splat(0);
  let b0 = f32x4.splat(0);
  let b1 = f32x4.splat(0);
  let b2 = f32x4.splat(0);
  let b3 = f32x4.splat(0);
  let i = 0;
  for (; i + 8 <= d; i += 8) {
    const o = (<usize>i) << 2;
    const x = v128.load(q + o);
    const y = v128.load(q + o, 16);
    a0 = madd(x, v128.load(row + o), a0);
    a1 = madd(x, v128.load(r1 + o), a1);
    a2 = madd(x, v128.load(r2 + o), a2);
    a3 = madd(x, v128.load(r3 + o), a3);
    b0 = madd(y, v128.load(row + o, 16), b0);
    b1 = madd(y, v128.load(r1 + o, 16), b1);
    b2 = madd(y, v128.load(r2 + o, 16), b2);
    b3 = madd(y, v128.load(r3 + o, 16), b3);
  }
  if (i + 4 <= d) {
    const o = (<usize>i) << 2;
    const x = v128.load(q + o);
    a0 = madd(x, v128.load(row + o), a0);
    a1 = madd(x, v128.load(r1 + o), a1);
    a2 = madd(x, v128.load(r2 + o), a2);
    a3 = madd(x, v128.load(r3 + o), a3);
    i += 4;
  }
  let sums = hsum4(f32x4.add(a0, b0), f32x4.add(a1, b1), f32x4.add(a2, b2), f32x4.add(a3, b3));
  if (i < d) {
    let t0: f32 = 0;
    let t1: f32 = 0;
    let t2: f32 = 0;
    let t3: f32 = 0;
    for (; i < d; i++) {
      const o = (<usize>i) << 2;
      const x = load<f32>(q + o);
      t0 += x * load<f32>(row + o);
      t1 += x * load<f32>(r1 + o);
      t2 += x * load<f32>(r2 + o);
      t3 += x * load<f32>(r3 + o);
    }
    sums = f32x4.add(sums, f32x4(t0, t1, t2, t3));
  }
  return sums;
}

/** [Σ(q - row_r)²] for the four rows, as one f32x4 (accumulated like {@link dot4Rows}). */
// @ts-ignore: decorator
@inline export function l2sq4Rows(q: usize, row: usize, stride: usize, d: i32): v128 {
  const r1 = row + stride;
  const r2 = r1 + stride;
  const r3 = r2 + stride;
  let a0 = f32x4.splat(0);
  let a1 = f32x4.splat(0);
  let a2 = f32x4.splat(0);
  let a3 = f32x4.splat(0);
  let i = 0;
  for (; i + 4 <= d; i += 4) {
    const o = (<usize>i) << 2;
    const x = v128.load(q + o);
    const e0 = f32x4.sub(x, v128.load(row + o));
    const e1 = f32x4.sub(x, v128.load(r1 + o));
    const e2 = f32x4.sub(x, v128.load(r2 + o));
    const e3 = f32x4.sub(x, v128.load(r3 + o));
    a0 = madd(e0, e0, a0);
    a1 = madd(e1, e1, a1);
    a2 = madd(e2, e2, a2);
    a3 = madd(e3, e3, a3);
  }
  let sums = hsum4(a0, a1, a2, a3);
  if (i < d) {
    let t0: f32 = 0;
    let t1: f32 = 0;
    let t2: f32 = 0;
    let t3: f32 = 0;
    for (; i < d; i++) {
      const o = (<usize>i) << 2;
      const x = load<f32>(q + o);
      const e0 = x - load<f32>(row + o);
      const e1 = x - load<f32>(r1 + o);
      const e2 = x - load<f32>(r2 + o);
      const e3 = x - load<f32>(r3 + o);
      t0 += e0 * e0;
      t1 += e1 * e1;
      t2 += e2 * e2;
      t3 += e3 * e3;
    }
    sums = f32x4.add(sums, f32x4(t0, t1, t2, t3));
  }
  return sums;
}
