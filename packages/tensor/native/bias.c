/*
 * The backward pass of relu(z + bias) over an R×C tensor (a conv layer's output,
 * NHWC, C channels), for tfjs-backend-wasm: dz = dy where y > 0 (else 0) and
 * dbias = Σ_rows dz in one pass. tfjs runs this as three kernels (Step, Mul for
 * the ReLU mask, Sum for the bias), each a pass over the activations; on
 * small-cnn's 16-channel layers their per-call overhead outweighs the work.
 *
 * Column sums go per block of BIAS_ROWS rows into a float32 partial, then into
 * the total, as batchnorm.c does: a fixed order, so the same input gives the
 * same bits. Same heap rules as kernels.c (scratch from the caller).
 */
#include <wasm_simd128.h>

typedef __SIZE_TYPE__ size_t;

#define EXPORT(name) __attribute__((export_name(#name)))
#define BIAS_ROWS 256

/* dz[r][c] = y[r][c] > 0 ? dy[r][c] : 0; db[c] = Σ_r dz[r][c]. part: C floats of scratch. */
EXPORT(bias_relu_backward)
void bias_relu_backward(const float *dy, const float *y, float *dz, float *db, float *part, int R, int C) {
  v128_t zero = wasm_f32x4_splat(0.0f);
  for (int c = 0; c < C; c++) db[c] = 0.0f;
  for (int r0 = 0; r0 < R; r0 += BIAS_ROWS) {
    int r1 = R - r0 < BIAS_ROWS ? R : r0 + BIAS_ROWS;
    for (int c = 0; c < C; c++) part[c] = 0.0f;
    for (int r = r0; r < r1; r++) {
      const float *g = dy + (size_t)r * C, *yr = y + (size_t)r * C;
      float *d = dz + (size_t)r * C;
      int c = 0;
      for (; c + 4 <= C; c += 4) {
        v128_t v = wasm_v128_and(wasm_v128_load(g + c), wasm_f32x4_gt(wasm_v128_load(yr + c), zero));
        wasm_v128_store(d + c, v);
        wasm_v128_store(part + c, wasm_f32x4_add(wasm_v128_load(part + c), v));
      }
      for (; c < C; c++) {
        float v = yr[c] > 0.0f ? g[c] : 0.0f;
        d[c] = v;
        part[c] += v;
      }
    }
    for (int c = 0; c < C; c++) db[c] += part[c];
  }
}
