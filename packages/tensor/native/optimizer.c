/*
 * Optimizer updates for tfjs-backend-wasm: Adam and SGD over one parameter
 * tensor per call, every step of the formula in one pass (the tfjs-op version
 * runs 10–14 kernels per tensor, each a pass over memory).
 *
 * Each operation is one IEEE float32 operation in the order the tfjs-op version
 * (nets' optimizer.ts) applies them, and wasm has no fused multiply-add, so the
 * results equal that version's bit for bit. Scalars arrive already rounded to
 * float32, as tfjs rounds scalar operands.
 */
#include <wasm_simd128.h>

#define EXPORT(name) __attribute__((export_name(#name)))

/*
 * g' = (g + p·wd)·mask; m' = m·b1 + g'·c1; v' = v·b2 + g'²·c2;
 * p' = p − (m' / (√v' / sbc2 + eps))·step·mask. wd 0: no decay; mask 0 (null): none.
 */
EXPORT(adam_update)
void adam_update(const float *p, const float *g, const float *m, const float *v, const float *mask, float *po, float *mo,
                 float *vo, int n, float b1, float c1, float b2, float c2, float wd, float sbc2, float eps, float step) {
  int i = 0;
  v128_t B1 = wasm_f32x4_splat(b1), C1 = wasm_f32x4_splat(c1), B2 = wasm_f32x4_splat(b2), C2 = wasm_f32x4_splat(c2);
  v128_t WD = wasm_f32x4_splat(wd), S = wasm_f32x4_splat(sbc2), E = wasm_f32x4_splat(eps), ST = wasm_f32x4_splat(step);
  for (; i + 4 <= n; i += 4) {
    v128_t pi = wasm_v128_load(p + i), gi = wasm_v128_load(g + i);
    if (wd != 0.0f) gi = wasm_f32x4_add(gi, wasm_f32x4_mul(pi, WD));
    if (mask) gi = wasm_f32x4_mul(gi, wasm_v128_load(mask + i));
    v128_t mi = wasm_f32x4_add(wasm_f32x4_mul(wasm_v128_load(m + i), B1), wasm_f32x4_mul(gi, C1));
    v128_t vi = wasm_f32x4_add(wasm_f32x4_mul(wasm_v128_load(v + i), B2), wasm_f32x4_mul(wasm_f32x4_mul(gi, gi), C2));
    v128_t denom = wasm_f32x4_add(wasm_f32x4_div(wasm_f32x4_sqrt(vi), S), E);
    v128_t u = wasm_f32x4_mul(wasm_f32x4_div(mi, denom), ST);
    if (mask) u = wasm_f32x4_mul(u, wasm_v128_load(mask + i));
    wasm_v128_store(po + i, wasm_f32x4_sub(pi, u));
    wasm_v128_store(mo + i, mi);
    wasm_v128_store(vo + i, vi);
  }
  for (; i < n; i++) {
    float pi = p[i], gi = g[i];
    if (wd != 0.0f) gi = gi + pi * wd;
    if (mask) gi = gi * mask[i];
    float mi = m[i] * b1 + gi * c1;
    float vi = v[i] * b2 + (gi * gi) * c2;
    float u = (mi / (__builtin_sqrtf(vi) / sbc2 + eps)) * step;
    if (mask) u = u * mask[i];
    po[i] = pi - u;
    mo[i] = mi;
    vo[i] = vi;
  }
}

/*
 * g' = (g + p·wd)·mask; with momentum (buf not null): b' = first ? g' : buf·mom + g',
 * written to bo; p' = p − b'·lr (or p − g'·lr without momentum).
 */
EXPORT(sgd_update)
void sgd_update(const float *p, const float *g, const float *buf, const float *mask, float *po, float *bo, int n,
                int first, float mom, float wd, float lr) {
  for (int i = 0; i < n; i++) {
    float pi = p[i], gi = g[i];
    if (wd != 0.0f) gi = gi + pi * wd;
    if (mask) gi = gi * mask[i];
    if (bo) {
      float b = first ? gi : buf[i] * mom + gi;
      bo[i] = b;
      gi = b;
    }
    po[i] = pi - gi * lr;
  }
}
