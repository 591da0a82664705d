/*
 * Batch normalisation in training mode for tfjs-backend-wasm, NHWC: statistics
 * over every axis but the channels, one kernel for the forward pass and one for
 * the backward pass (the tfjs-op version is about 12 elementwise and reduction
 * kernels forward and 20 backward, each a pass over the activations).
 *
 * x is R×C (R = N·H·W rows). Channel sums are taken per block of BN_ROWS rows
 * into a float32 partial, then added into the total, so rounding grows with
 * R/BN_ROWS + BN_ROWS rather than R. The order is fixed: the same input gives
 * the same bits. The caller hands in scratch memory (no static data, no stack).
 */
#include <wasm_simd128.h>

typedef __SIZE_TYPE__ size_t;

#define EXPORT(name) __attribute__((export_name(#name)))
#define BN_ROWS 256

/* total[c] = Σ_r f(r, c), where f is x (mode 0), (x − mean)² (mode 1) or dy·(x − mean) (mode 2). part: C floats. */
static void channel_sums(const float *x, const float *dy, const float *mean, float *total, float *part, int R, int C, int mode) {
  for (int c = 0; c < C; c++) total[c] = 0.0f;
  for (int r0 = 0; r0 < R; r0 += BN_ROWS) {
    int r1 = R - r0 < BN_ROWS ? R : r0 + BN_ROWS;
    for (int c = 0; c < C; c++) part[c] = 0.0f;
    for (int r = r0; r < r1; r++) {
      const float *xr = x + (size_t)r * C;
      const float *dr = dy ? dy + (size_t)r * C : 0;
      int c = 0;
      for (; c + 4 <= C; c += 4) {
        v128_t v = wasm_v128_load(xr + c);
        if (mode != 0) v = wasm_f32x4_sub(v, wasm_v128_load(mean + c));
        if (mode == 1) v = wasm_f32x4_mul(v, v);
        if (mode == 2) v = wasm_f32x4_mul(v, wasm_v128_load(dr + c));
        wasm_v128_store(part + c, wasm_f32x4_add(wasm_v128_load(part + c), v));
      }
      for (; c < C; c++) {
        float v = xr[c];
        if (mode != 0) v -= mean[c];
        if (mode == 1) v *= v;
        if (mode == 2) v *= dr[c];
        part[c] += v;
      }
    }
    for (int c = 0; c < C; c++) total[c] += part[c];
  }
}

/* y[r][c] = x[r][c]·a[c] + b[c] + (dy ? dy[r][c]·d[c] : 0). */
static void affine(const float *x, const float *dy, const float *a, const float *b, const float *d, float *y, int R, int C) {
  for (int r = 0; r < R; r++) {
    const float *xr = x + (size_t)r * C;
    const float *dr = dy ? dy + (size_t)r * C : 0;
    float *yr = y + (size_t)r * C;
    int c = 0;
    for (; c + 4 <= C; c += 4) {
      v128_t v = wasm_f32x4_add(wasm_f32x4_mul(wasm_v128_load(xr + c), wasm_v128_load(a + c)), wasm_v128_load(b + c));
      if (dr) v = wasm_f32x4_add(v, wasm_f32x4_mul(wasm_v128_load(dr + c), wasm_v128_load(d + c)));
      wasm_v128_store(yr + c, v);
    }
    for (; c < C; c++) yr[c] = xr[c] * a[c] + b[c] + (dr ? dr[c] * d[c] : 0.0f);
  }
}

/*
 * mean, var (biased), rstd = 1/√(var + eps), and y = (x − mean)·rstd·gamma + beta,
 * computed as x·s + t with s = rstd·gamma, t = beta − mean·s. scratch: 3·C floats.
 */
EXPORT(batchnorm_forward)
void batchnorm_forward(const float *x, const float *gamma, const float *beta, float *y, float *mean, float *var, float *rstd,
                       float *scratch, int R, int C, float eps) {
  float *part = scratch, *s = scratch + C, *t = scratch + 2 * C;
  float inv = 1.0f / (float)R;
  channel_sums(x, 0, 0, mean, part, R, C, 0);
  for (int c = 0; c < C; c++) mean[c] *= inv;
  channel_sums(x, 0, mean, var, part, R, C, 1);
  for (int c = 0; c < C; c++) {
    var[c] *= inv;
    rstd[c] = 1.0f / __builtin_sqrtf(var[c] + eps);
    s[c] = rstd[c] * gamma[c];
    t[c] = beta[c] - mean[c] * s[c];
  }
  affine(x, 0, s, t, 0, y, R, C);
}

/*
 * Gradients of batchnorm_forward's outputs y, mean and var (dmean, dvar may be
 * null: zero): dbeta = Σ dy, dgamma = Σ dy·x̂ with x̂ = (x − mean)·rstd, and
 * dx = a·(dy − dbeta/R − x̂·dgamma/R) + dmean/R + 2·dvar·(x − mean)/R, computed
 * as a·dy + b·x + d with per-channel a, b, d. scratch: 4·C floats.
 */
EXPORT(batchnorm_backward)
void batchnorm_backward(const float *dy, const float *x, const float *gamma, const float *mean, const float *rstd,
                        const float *dmean, const float *dvar, float *dx, float *dgamma, float *dbeta, float *scratch, int R,
                        int C) {
  float *part = scratch, *a = scratch + C, *b = scratch + 2 * C, *d = scratch + 3 * C;
  float inv = 1.0f / (float)R;
  channel_sums(dy, 0, 0, dbeta, part, R, C, 0);
  channel_sums(x, dy, mean, dgamma, part, R, C, 2);
  for (int c = 0; c < C; c++) {
    dgamma[c] *= rstd[c]; /* Σ dy·(x − mean)·rstd */
    float ac = gamma[c] * rstd[c];
    float dv = dvar ? 2.0f * dvar[c] * inv : 0.0f;
    float bc = -ac * rstd[c] * dgamma[c] * inv + dv;
    a[c] = ac;
    b[c] = bc;
    d[c] = -ac * dbeta[c] * inv - bc * mean[c] + (dmean ? dmean[c] * inv : 0.0f);
  }
  affine(x, dy, b, d, a, dx, R, C);
}
