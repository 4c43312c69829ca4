// node scripts/check-log2f.mjs — measures the two f32 logarithms of the JS divergence kernel
// (kernels/assembly/divergence.ts) over every f32 input, with f32 rounding after each operation as the plain SIMD
// build does, and with fused multiply-adds as the relaxed build may (a·b + c rounded once; the f32 product is exact in
// f64). Prints ε_s (log2 of the mantissa m ∈ [√½, √2), before the exponent is added) and ε_l (log2(1 - s) from
// w = s/(s - 2), s ∈ [2⁻¹², ½] every f32, below that every 97th). The kernel's error bound uses ε_s ≤ 1.2e-7 and
// ε_l ≤ 2.4e-7; this script is how those figures were obtained (the coefficients are Lawson minimax fits).
const f = Math.fround;
const S = [2.8853912353515625, 0.9614707827568054, 0.5989739298820496].map(f);
const L = [2.885387897491455, 0.9620559811592102, 0.5689141750335693, 0.5052953958511353].map(f);
const bits = new Float32Array(1);
const ints = new Int32Array(bits.buffer);
const asFloat = (i) => {
  ints[0] = i;
  return bits[0];
};
const asInt = (x) => {
  bits[0] = x;
  return ints[0];
};
const madd = (fused) => (fused ? (a, b, c) => f(a * b + c) : (a, b, c) => f(f(a * b) + c));

function odd(coefficients, z, add) {
  const z2 = f(z * z);
  let s = coefficients[coefficients.length - 1];
  for (let k = coefficients.length - 2; k >= 0; k--) s = add(s, z2, coefficients[k]);
  return f(s * z);
}

for (const fused of [false, true]) {
  const add = madd(fused);
  let worstS = 0;
  for (let i = asInt(Math.SQRT1_2); i <= asInt(Math.SQRT2); i++) {
    const m = asFloat(i);
    const z = f(f(m - 1) / f(m + 1));
    worstS = Math.max(worstS, Math.abs(odd(S, z, add) - Math.log2(m)));
  }
  let worstL = 0;
  const from = asInt(2 ** -40);
  const dense = asInt(2 ** -12);
  for (let i = from; i <= asInt(0.5); i += i < dense ? 97 : 1) {
    const s = asFloat(i);
    const w = f(s / f(s - 2));
    worstL = Math.max(worstL, Math.abs(odd(L, w, add) - Math.log2(1 - s)));
  }
  console.log(`${fused ? "fused" : "plain"}: ε_s = ${worstS.toExponential(3)}, ε_l = ${worstL.toExponential(3)}`);
}
