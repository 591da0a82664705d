/*
 * 2-D convolution, NHWC, for tfjs-backend-wasm: the forward pass and both
 * gradients as products on kernels.c's micro-kernel (mm_block), through an
 * im2col of a block of output pixels. Same heap rules as kernels.c: no static
 * data, no stack frames; the caller hands in every scratch buffer.
 *
 * Why not XNNPACK's convolution and tfjs's gradients: tfjs-wasm has no compiled
 * Conv2DBackpropFilter, and its Conv2DBackpropInput is a scalar loop (≈ 8× the
 * forward conv on a 3×3, 32→64 layer). The forward conv goes through here too
 * so that bias and ReLU fuse into the product's epilogue.
 *
 * Geometry (one struct would need stack memory, so it travels as scalars):
 * x is N×H×W×CI, the filter FH×FW×CI×CO, y N×OH×OW×CO; output pixel (oy, ox)
 * reads input (oy·sh − top + kh·dh, ox·sw − left + kw·dw). The im2col row of a
 * pixel is K = FH·FW·CI long, in the filter's own (kh, kw, ci) order, so the
 * filter is already the K×CO right operand. Sums run in a fixed order
 * (deterministic for a given shape).
 */
#include <wasm_simd128.h>

typedef __SIZE_TYPE__ size_t;

#define EXPORT(name) __attribute__((export_name(#name)))

/* kernels.c: C[m×n] (row stride ldc) += A·B over kc steps, A(i, k) = a[i*sai + k*sak], B row k at b + k*ldb. */
void mm_block(const float *a, int sai, int sak, const float *b, int ldb, float *c, int ldc, int m, int n, int kc);

/*
 * Filter rows (forward) or columns of fᵀ (input gradient) per block of the
 * product: a KC_CONV×CO panel stays in L1 while a block of pixels sweeps it.
 * Without it the 64→64 input gradient ran at a third of the forward's speed.
 */
#define KC_CONV 128

#define GEOMETRY int H, int W, int CI, int OH, int OW, int CO, int FH, int FW, int sh, int sw, int dh, int dw, int top, int left
#define GEOMETRY_ARGS H, W, CI, OH, OW, CO, FH, FW, sh, sw, dh, dw, top, left

static void copy_floats(float *dst, const float *src, int n) {
  int i = 0;
  for (; i + 4 <= n; i += 4) wasm_v128_store(dst + i, wasm_v128_load(src + i));
  for (; i < n; i++) dst[i] = src[i];
}

static void zero_floats(float *dst, size_t n) {
  size_t i = 0;
  v128_t z = wasm_f32x4_splat(0.0f);
  for (; i + 4 <= n; i += 4) wasm_v128_store(dst + i, z);
  for (; i < n; i++) dst[i] = 0.0f;
}

static void add_floats(float *dst, const float *src, int n) {
  int i = 0;
  for (; i + 4 <= n; i += 4) wasm_v128_store(dst + i, wasm_f32x4_add(wasm_v128_load(dst + i), wasm_v128_load(src + i)));
  for (; i < n; i++) dst[i] += src[i];
}

/*
 * col[r][·] = the im2col row of output pixel p0 + r, for r < rows (pixels counted
 * over the whole batch). Where a filter row lies inside the image (dw = 1), its
 * FW·CI values are one contiguous run of x and move in one copy: on small-cnn's
 * 16-channel layers the per-(kh, kw) copies spent more time on bookkeeping than
 * on moving data.
 */
static void im2col(const float *x, float *col, int p0, int rows, GEOMETRY) {
  int K = FH * FW * CI, run = FW * CI;
  int ox = p0 % OW, t = p0 / OW;
  int oy = t % OH, b = t / OH;
  for (int r = 0; r < rows; r++) {
    float *dst = col + (size_t)r * K;
    int ix0 = ox * sw - left;
    int row_inside = dw == 1 && ix0 >= 0 && ix0 + FW <= W;
    for (int kh = 0; kh < FH; kh++, dst += run) {
      int iy = oy * sh - top + kh * dh;
      if (iy < 0 || iy >= H) {
        zero_floats(dst, run);
        continue;
      }
      const float *xrow = x + ((size_t)b * H + iy) * W * CI;
      if (row_inside) {
        copy_floats(dst, xrow + (size_t)ix0 * CI, run);
        continue;
      }
      for (int kw = 0; kw < FW; kw++) {
        int ix = ix0 + kw * dw;
        float *d = dst + kw * CI;
        int inside = ix >= 0 && ix < W;
        /* One channel (a first layer on grey images): a plain store beats the copy loops. */
        if (CI == 1) *d = inside ? xrow[ix] : 0.0f;
        else if (inside) copy_floats(d, xrow + (size_t)ix * CI, CI);
        else zero_floats(d, CI);
      }
    }
    if (++ox == OW) {
      ox = 0;
      if (++oy == OH) oy = 0, b++;
    }
  }
}

/* dx[pixel's window] += dcol[r][·]: the adjoint of im2col, with the same contiguous runs. */
static void col2im_add(float *dx, const float *dcol, int p0, int rows, GEOMETRY) {
  int K = FH * FW * CI, run = FW * CI;
  int ox = p0 % OW, t = p0 / OW;
  int oy = t % OH, b = t / OH;
  for (int r = 0; r < rows; r++) {
    const float *src = dcol + (size_t)r * K;
    int ix0 = ox * sw - left;
    int row_inside = dw == 1 && ix0 >= 0 && ix0 + FW <= W;
    for (int kh = 0; kh < FH; kh++, src += run) {
      int iy = oy * sh - top + kh * dh;
      if (iy < 0 || iy >= H) continue;
      float *dxrow = dx + ((size_t)b * H + iy) * W * CI;
      if (row_inside) {
        add_floats(dxrow + (size_t)ix0 * CI, src, run);
        continue;
      }
      for (int kw = 0; kw < FW; kw++) {
        int ix = ix0 + kw * dw;
        if (ix >= 0 && ix < W) add_floats(dxrow + (size_t)ix * CI, src + kw * CI, CI);
      }
    }
    if (++ox == OW) {
      ox = 0;
      if (++oy == OH) oy = 0, b++;
    }
  }
}

static int is_pointwise(GEOMETRY) {
  return FH == 1 && FW == 1 && sh == 1 && sw == 1 && top == 0 && left == 0 && OH == H && OW == W;
}

/*
 * y = act(conv(x, f) + bias) for N images; bias 0 for none; act 0 identity, 1 ReLU.
 * scratch holds rows·K floats (unused for a 1×1, stride-1, unpadded conv).
 */
EXPORT(conv2d_forward)
void conv2d_forward(const float *x, const float *f, const float *bias, float *y, float *scratch, int rows, int act, int N,
                    GEOMETRY) {
  int K = FH * FW * CI, P = N * OH * OW;
  int direct = is_pointwise(GEOMETRY_ARGS);
  for (int p0 = 0; p0 < P; p0 += rows) {
    int rb = P - p0 < rows ? P - p0 : rows;
    float *c = y + (size_t)p0 * CO;
    for (int q = 0; q < rb; q++) {
      float *row = c + (size_t)q * CO;
      if (bias)
        copy_floats(row, bias, CO);
      else
        zero_floats(row, CO);
    }
    const float *a = direct ? x + (size_t)p0 * CI : scratch;
    if (!direct) im2col(x, scratch, p0, rb, GEOMETRY_ARGS);
    for (int k0 = 0; k0 < K; k0 += KC_CONV) {
      int kc = K - k0 < KC_CONV ? K - k0 : KC_CONV;
      mm_block(a + k0, K, 1, f + (size_t)k0 * CO, CO, c, CO, rb, CO, kc);
    }
    if (act == 1) {
      size_t total = (size_t)rb * CO, j = 0;
      v128_t zero = wasm_f32x4_splat(0.0f);
      for (; j + 4 <= total; j += 4) {
        v128_t z = wasm_v128_load(c + j);
        wasm_v128_store(c + j, wasm_v128_and(z, wasm_f32x4_gt(z, zero)));
      }
      for (; j < total; j++) c[j] = c[j] > 0.0f ? c[j] : 0.0f;
    }
  }
}

/*
 * dx = the input gradient of conv(x, f) for dy: per block of output pixels,
 * dcol = dy·fᵀ (K wide), then col2im adds it into dx. ft receives fᵀ (CO×K
 * floats), scratch rows·K floats.
 */
EXPORT(conv2d_backprop_input)
void conv2d_backprop_input(const float *dy, const float *f, float *dx, float *ft, float *scratch, int rows, int N,
                           GEOMETRY) {
  int K = FH * FW * CI, P = N * OH * OW;
  for (int k = 0; k < K; k++)
    for (int o = 0; o < CO; o++) ft[(size_t)o * K + k] = f[(size_t)k * CO + o];
  zero_floats(dx, (size_t)N * H * W * CI);
  int direct = is_pointwise(GEOMETRY_ARGS);
  for (int p0 = 0; p0 < P; p0 += rows) {
    int rb = P - p0 < rows ? P - p0 : rows;
    float *dcol = direct ? dx + (size_t)p0 * CI : scratch;
    if (!direct) zero_floats(dcol, (size_t)rb * K);
    for (int j0 = 0; j0 < K; j0 += KC_CONV) {
      int nc = K - j0 < KC_CONV ? K - j0 : KC_CONV;
      mm_block(dy + (size_t)p0 * CO, CO, 1, ft + j0, K, dcol + j0, K, rb, nc, CO);
    }
    if (!direct) col2im_add(dx, dcol, p0, rb, GEOMETRY_ARGS);
  }
}

/*
 * df = Σ_pixels im2col(x)ᵀ·dy, the filter gradient, in the filter layout
 * (K×CO). Pixels are taken in blocks of `rows` (scratch holds rows·K floats);
 * df stays hot while each block sweeps it.
 */
EXPORT(conv2d_backprop_filter)
void conv2d_backprop_filter(const float *x, const float *dy, float *df, float *scratch, int rows, int N, GEOMETRY) {
  int K = FH * FW * CI, P = N * OH * OW;
  zero_floats(df, (size_t)K * CO);
  int direct = is_pointwise(GEOMETRY_ARGS);
  for (int p0 = 0; p0 < P; p0 += rows) {
    int rb = P - p0 < rows ? P - p0 : rows;
    const float *a = direct ? x + (size_t)p0 * CI : scratch;
    if (!direct) im2col(x, scratch, p0, rb, GEOMETRY_ARGS);
    mm_block(a, 1, K, dy + (size_t)p0 * CO, CO, df, CO, K, CO, rb);
  }
}
