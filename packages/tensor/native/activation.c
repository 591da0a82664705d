/*
 * Activations and their gradients for tfjs-backend-wasm, four lanes at a time:
 * tanh and GELU.
 *
 * tanh. The stock
 * wasm Tanh calls the C library's tanh per element, and its gradient is three
 * more passes (square, subtract, multiply) with two temporaries; on Small CNN
 * Zoo nets a tanh epoch took 1.8× a ReLU one (bench/kernels.mjs, "tanh").
 *
 * tanh x = sign(x)·t(|x|):
 *  - |x| < 0.5: the Maclaurin series of tanh through x^15 (coefficients are the
 *    tangent numbers: 1, -1/3, 2/15, -17/315, 62/2835, -1382/155925,
 *    21844/6081075, -929569/638512875), in Horner form on x². The first term
 *    left out is below 3e-8 relative at 0.5.
 *  - 0.5 ≤ |x| < 9: 1 - 2/(e^{2|x|} + 1) (exp4 below), no cancellation since
 *    t ≥ 0.46.
 *  - |x| ≥ 9: exactly 1 (tanh 9 is 1 - 3.05e-8; float32 rounds it to 1).
 * NaN stays NaN (every comparison with it is false, so it takes the series
 * branch, which propagates it).
 */
#include <wasm_simd128.h>

#define EXPORT(name) __attribute__((export_name(#name)))
#define INLINE static inline __attribute__((always_inline))

INLINE v128_t splat(float v) { return wasm_f32x4_splat(v); }
INLINE v128_t mul(v128_t a, v128_t b) { return wasm_f32x4_mul(a, b); }
INLINE v128_t add(v128_t a, v128_t b) { return wasm_f32x4_add(a, b); }

/*
 * e^z for z in [-87, 87]: 2^n·e^r with n = round(z/ln 2), r = z - n·ln 2 (ln 2
 * split in a high part exact in float32 and a low part), |r| ≤ ln2/2, and e^r
 * by its Taylor series through r^7 (relative error below 1e-8); 2^n by the
 * exponent bits, normal for |n| ≤ 126.
 */
INLINE v128_t exp4(v128_t z) {
  const v128_t n = wasm_f32x4_nearest(mul(z, splat(1.44269504088896341f)));
  v128_t r = wasm_f32x4_sub(z, mul(n, splat(0.693359375f)));
  r = wasm_f32x4_sub(r, mul(n, splat(-2.12194440e-4f)));
  v128_t e = splat(1.0f / 5040.0f);
  e = add(mul(e, r), splat(1.0f / 720.0f));
  e = add(mul(e, r), splat(1.0f / 120.0f));
  e = add(mul(e, r), splat(1.0f / 24.0f));
  e = add(mul(e, r), splat(1.0f / 6.0f));
  e = add(mul(e, r), splat(0.5f));
  e = add(mul(e, r), splat(1.0f));
  e = add(mul(e, r), splat(1.0f));
  const v128_t pow2 = wasm_i32x4_shl(wasm_i32x4_add(wasm_i32x4_trunc_sat_f32x4(n), wasm_i32x4_splat(127)), 23);
  return mul(e, pow2);
}

INLINE v128_t tanh4(v128_t x) {
  const v128_t sign = wasm_v128_and(x, wasm_i32x4_splat((int)0x80000000u));
  const v128_t a = wasm_f32x4_abs(x);
  /* Series branch. */
  const v128_t x2 = mul(a, a);
  v128_t p = splat(-929569.0f / 638512875.0f);
  p = add(mul(p, x2), splat(21844.0f / 6081075.0f));
  p = add(mul(p, x2), splat(-1382.0f / 155925.0f));
  p = add(mul(p, x2), splat(62.0f / 2835.0f));
  p = add(mul(p, x2), splat(-17.0f / 315.0f));
  p = add(mul(p, x2), splat(2.0f / 15.0f));
  p = add(mul(p, x2), splat(-1.0f / 3.0f));
  const v128_t small = add(a, mul(mul(a, x2), p));
  /* Exponential branch, on z = 2·min(|x|, 9). */
  const v128_t e = exp4(mul(splat(2.0f), wasm_f32x4_min(a, splat(9.0f))));
  const v128_t large = wasm_f32x4_sub(splat(1.0f), wasm_f32x4_div(splat(2.0f), add(e, splat(1.0f))));
  v128_t t = wasm_v128_bitselect(large, small, wasm_f32x4_ge(a, splat(0.5f)));
  /* Exactly 1 from 9 on: 1 - tanh 9 is 3.05e-8, just above half an ulp below 1, so the formula gives 0.99999994. */
  t = wasm_v128_bitselect(splat(1.0f), t, wasm_f32x4_ge(a, splat(9.0f)));
  return wasm_v128_or(t, sign);
}

/* y = tanh(x) for n elements. */
EXPORT(tanh_forward)
void tanh_forward(const float *x, float *y, int n) {
  int i = 0;
  for (; i + 4 <= n; i += 4) wasm_v128_store(y + i, tanh4(wasm_v128_load(x + i)));
  for (; i < n; i++) y[i] = wasm_f32x4_extract_lane(tanh4(wasm_f32x4_splat(x[i])), 0);
}

/* dx = dy·(1 - y²), from the forward's output y. */
EXPORT(tanh_grad)
void tanh_grad(const float *y, const float *dy, float *dx, int n) {
  int i = 0;
  for (; i + 4 <= n; i += 4) {
    const v128_t v = wasm_v128_load(y + i);
    wasm_v128_store(dx + i, mul(wasm_v128_load(dy + i), wasm_f32x4_sub(splat(1.0f), mul(v, v))));
  }
  for (; i < n; i++) dx[i] = dy[i] * (1.0f - y[i] * y[i]);
}

/*
 * GELU, exact form x·Φ(x) with Φ(x) = (1 + erf(x/√2))/2, as torch.nn.GELU() and
 * tf.erf compute it: erf by Abramowitz & Stegun 7.1.26 (absolute error below
 * 1.5e-7), the approximation tf.erf uses. With u = |x|/√2, t = 1/(1 + p·u) and
 * q = t·(a1 + t·(a2 + t·(a3 + t·(a4 + t·a5))))·e^{-u²}, erf(u) = 1 - q, so
 * Φ(x) = 1 - q/2 for x ≥ 0 and q/2 for x < 0 (no cancellation in the tail).
 * The stock path takes seven elementwise ops each way; this is one pass.
 */
INLINE v128_t phi4(v128_t x, v128_t *expU2) {
  const v128_t u = mul(wasm_f32x4_abs(x), splat(0.70710678118654752f));
  const v128_t t = wasm_f32x4_div(splat(1.0f), add(splat(1.0f), mul(splat(0.3275911f), u)));
  v128_t p = splat(1.061405429f);
  p = add(mul(p, t), splat(-1.453152027f));
  p = add(mul(p, t), splat(1.421413741f));
  p = add(mul(p, t), splat(-0.284496736f));
  p = add(mul(p, t), splat(0.254829592f));
  const v128_t u2 = mul(u, u);
  /* e^{-u²}, and 0 past u² = 87 (e^{-87} is the smallest normal exp4 gives), so Φ saturates and x·φ(x) vanishes. */
  const v128_t e = wasm_v128_and(exp4(wasm_f32x4_neg(wasm_f32x4_min(u2, splat(87.0f)))), wasm_f32x4_lt(u2, splat(87.0f)));
  *expU2 = e;
  const v128_t half_q = mul(splat(0.5f), mul(mul(t, p), e));
  return wasm_v128_bitselect(wasm_f32x4_sub(splat(1.0f), half_q), half_q, wasm_f32x4_ge(x, splat(0.0f)));
}

/* y = x·Φ(x) for n elements. */
EXPORT(gelu_forward)
void gelu_forward(const float *x, float *y, int n) {
  v128_t e;
  int i = 0;
  for (; i + 4 <= n; i += 4) {
    const v128_t v = wasm_v128_load(x + i);
    wasm_v128_store(y + i, mul(v, phi4(v, &e)));
  }
  for (; i < n; i++) {
    const v128_t v = wasm_f32x4_splat(x[i]);
    y[i] = wasm_f32x4_extract_lane(mul(v, phi4(v, &e)), 0);
  }
}

/* dx = dy·(Φ(x) + x·φ(x)), φ(x) = e^{-x²/2}/√(2π), from the forward's input x. */
EXPORT(gelu_grad)
void gelu_grad(const float *x, const float *dy, float *dx, int n) {
  v128_t e;
  int i = 0;
  for (; i + 4 <= n; i += 4) {
    const v128_t v = wasm_v128_load(x + i);
    const v128_t phi = phi4(v, &e);
    wasm_v128_store(dx + i, mul(wasm_v128_load(dy + i), add(phi, mul(v, mul(e, splat(0.39894228040143268f))))));
  }
  for (; i < n; i++) {
    const v128_t v = wasm_f32x4_splat(x[i]);
    const v128_t phi = phi4(v, &e);
    dx[i] = dy[i] * wasm_f32x4_extract_lane(add(phi, mul(v, mul(e, splat(0.39894228040143268f)))), 0);
  }
}
