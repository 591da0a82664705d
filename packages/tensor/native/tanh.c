/*
 * tanh and its gradient for tfjs-backend-wasm, four lanes at a time. The stock
 * wasm Tanh calls the C library's tanh per element, and its gradient is three
 * more passes (square, subtract, multiply) with two temporaries; on Small CNN
 * Zoo nets a tanh epoch took 1.8× a ReLU one (bench/kernels.mjs, "tanh").
 *
 * tanh x = sign(x)·t(|x|):
 *  - |x| < 0.5: the Maclaurin series of tanh through x^15 (coefficients are the
 *    tangent numbers: 1, -1/3, 2/15, -17/315, 62/2835, -1382/155925,
 *    21844/6081075, -929569/638512875), in Horner form on x². The first term
 *    left out is below 3e-8 relative at 0.5.
 *  - 0.5 ≤ |x| < 9: 1 - 2/(e^{2|x|} + 1), no cancellation since t ≥ 0.46.
 *    e^z = 2^n·e^r with n = round(z/ln 2), r = z - n·ln 2 (ln 2 split in a
 *    high part exact in float32 and a low part), |r| ≤ ln2/2, and e^r by its
 *    Taylor series through r^7 (relative error below 1e-8).
 *  - |x| ≥ 9: 1 (tanh 9 is 1 - 3e-8, which rounds to 1 in float32).
 * NaN stays NaN (every comparison with it is false, so it takes the series
 * branch, which propagates it).
 */
#include <wasm_simd128.h>

#define EXPORT(name) __attribute__((export_name(#name)))
#define INLINE static inline __attribute__((always_inline))

INLINE v128_t splat(float v) { return wasm_f32x4_splat(v); }
INLINE v128_t mul(v128_t a, v128_t b) { return wasm_f32x4_mul(a, b); }
INLINE v128_t add(v128_t a, v128_t b) { return wasm_f32x4_add(a, b); }

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
  const v128_t z = mul(splat(2.0f), wasm_f32x4_min(a, splat(9.0f)));
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
  /* 2^n by the exponent bits; n ≤ 26 here, so the exponent stays normal. */
  const v128_t pow2 = wasm_i32x4_shl(wasm_i32x4_add(wasm_i32x4_trunc_sat_f32x4(n), wasm_i32x4_splat(127)), 23);
  e = mul(e, pow2);
  const v128_t large = wasm_f32x4_sub(splat(1.0f), wasm_f32x4_div(splat(2.0f), add(e, splat(1.0f))));
  const v128_t t = wasm_v128_bitselect(large, small, wasm_f32x4_ge(a, splat(0.5f)));
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
