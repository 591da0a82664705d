/*
 * Average pooling without padding for tfjs-backend-wasm, NHWC, and its
 * gradient: one pass each, vectorised over channels. tfjs-wasm's stock
 * AvgPoolGrad is a scalar loop (about 25 ms at 64×14×14×64, more than the
 * forward conv of the layer before it). Same heap rules as kernels.c.
 */
#include <wasm_simd128.h>

typedef __SIZE_TYPE__ size_t;

#define EXPORT(name) __attribute__((export_name(#name)))

/* y[b, oy, ox, c] = mean of x over the window at (oy·sh, ox·sw) of FH×FW. */
EXPORT(avgpool_forward)
void avgpool_forward(const float *x, float *y, int N, int H, int W, int C, int OH, int OW, int FH, int FW, int sh, int sw) {
  float inv = 1.0f / (float)(FH * FW);
  v128_t vinv = wasm_f32x4_splat(inv);
  for (int b = 0; b < N; b++)
    for (int oy = 0; oy < OH; oy++)
      for (int ox = 0; ox < OW; ox++) {
        float *out = y + (((size_t)b * OH + oy) * OW + ox) * C;
        const float *base = x + (((size_t)b * H + oy * sh) * W + ox * sw) * C;
        int c = 0;
        for (; c + 4 <= C; c += 4) {
          v128_t acc = wasm_f32x4_splat(0.0f);
          for (int kh = 0; kh < FH; kh++)
            for (int kw = 0; kw < FW; kw++) acc = wasm_f32x4_add(acc, wasm_v128_load(base + ((size_t)kh * W + kw) * C + c));
          wasm_v128_store(out + c, wasm_f32x4_mul(acc, vinv));
        }
        for (; c < C; c++) {
          float acc = 0.0f;
          for (int kh = 0; kh < FH; kh++)
            for (int kw = 0; kw < FW; kw++) acc += base[((size_t)kh * W + kw) * C + c];
          out[c] = acc * inv;
        }
      }
}

/* dx = the adjoint of avgpool_forward applied to dy (windows may overlap: contributions add in output order). */
EXPORT(avgpool_backward)
void avgpool_backward(const float *dy, float *dx, int N, int H, int W, int C, int OH, int OW, int FH, int FW, int sh, int sw) {
  float inv = 1.0f / (float)(FH * FW);
  v128_t vinv = wasm_f32x4_splat(inv);
  size_t total = (size_t)N * H * W * C;
  for (size_t i = 0; i < total; i++) dx[i] = 0.0f;
  for (int b = 0; b < N; b++)
    for (int oy = 0; oy < OH; oy++)
      for (int ox = 0; ox < OW; ox++) {
        const float *g = dy + (((size_t)b * OH + oy) * OW + ox) * C;
        float *base = dx + (((size_t)b * H + oy * sh) * W + ox * sw) * C;
        for (int kh = 0; kh < FH; kh++)
          for (int kw = 0; kw < FW; kw++) {
            float *d = base + ((size_t)kh * W + kw) * C;
            int c = 0;
            for (; c + 4 <= C; c += 4) wasm_v128_store(d + c, wasm_f32x4_add(wasm_v128_load(d + c), wasm_f32x4_mul(wasm_v128_load(g + c), vinv)));
            for (; c < C; c++) d[c] += g[c] * inv;
          }
      }
}
