/*
 * metanet's compiled kernels for tfjs-backend-wasm.
 *
 * The module imports the backend's own WebAssembly.Memory, so every pointer is a
 * byte offset of a tensor already on the tfjs heap: nothing is copied in or out.
 * It must never touch memory it was not handed, so the code keeps no static data
 * and no stack frames (build.mjs checks the compiled code never reads
 * __stack_pointer and has no data segment).
 *
 * Why our own code and not XNNPACK: the shapes of message passing are skinny.
 *  - A weight gradient dW = Xᵀ·dY has a 40k–250k inner dimension and a 32×32 to
 *    80×80 result. tfjs-wasm has no transposed path into XNNPACK, so it used to
 *    transpose X (a full copy) and then ran at 3–4 GFLOP/s. gemm_tn accumulates
 *    the result in registers over blocks of rows instead: 19–23 GFLOP/s.
 *  - X·W with W of 32×32 to 80×80: gemm_nn runs 1.3× XNNPACK and fuses the bias
 *    and ReLU.
 *  - gather-sum-activation (the projected first layer of a GN block) is a
 *    memory-bound pass that V8's scalar JavaScript ran at a third of SIMD speed;
 *    gsa_forward_mm also computes its per-row product e·C block by block.
 * bench/kernels.mjs measures each against the stock path.
 *
 * Micro-kernel: a 4×8 tile of C in eight f32x4 registers; per step of the inner
 * dimension, four broadcast loads of A and two vector loads of B feed 16 f32x4
 * multiply-adds. (Variants with 2×16 tiles or shuffled A loads measured the same
 * or slower under V8 on x86-64.) Summation over the inner dimension is in order,
 * in float32, like XNNPACK: results match the stock kernel bit for bit on the
 * shapes we test.
 */
#include <wasm_simd128.h>

typedef __SIZE_TYPE__ size_t;

#define EXPORT(name) __attribute__((export_name(#name)))
#define INLINE static inline __attribute__((always_inline))

/*
 * Rows of the inner dimension per block in gemm_tn: the A and B panels (64 rows of
 * M and N floats) stay in L1 while every tile of C sweeps them. Measured against
 * 32, 128 and 256 at 32×32, 64×64 and 80×32 results: 64 was 10–20% faster.
 */
#define KC 64
/* Rows of the output per block in gemm_nn: the epilogue runs while they are in cache. */
#define RB 64

INLINE v128_t ld(const float *p) { return wasm_v128_load(p); }
INLINE void st(float *p, v128_t v) { wasm_v128_store(p, v); }
INLINE v128_t splat(const float *p) { return wasm_v128_load32_splat(p); }
INLINE v128_t madd(v128_t acc, v128_t a, v128_t b) { return wasm_f32x4_add(acc, wasm_f32x4_mul(a, b)); }

/*
 * C[q][v*4 .. v*4+3] += Σ_k A(q, k) · B[k][v*4 ..], for q < mr ≤ 4 and v < nv ≤ 2,
 * where A(q, k) = a[q*sai + k*sak] and B[k] starts at b + k*ldb. Always inlined
 * with constant mr and nv, so the accumulators live in registers.
 */
INLINE void tile(int mr, int nv, const float *a, int sai, int sak, const float *b, int ldb, float *c, int ldc, int kc) {
  v128_t acc[4][2];
  for (int q = 0; q < mr; q++)
    for (int v = 0; v < nv; v++) acc[q][v] = ld(c + q * ldc + 4 * v);
  for (int k = 0; k < kc; k++) {
    v128_t bv[2];
    for (int v = 0; v < nv; v++) bv[v] = ld(b + 4 * v);
    for (int q = 0; q < mr; q++) {
      v128_t av = splat(a + q * sai);
      for (int v = 0; v < nv; v++) acc[q][v] = madd(acc[q][v], av, bv[v]);
    }
    a += sak;
    b += ldb;
  }
  for (int q = 0; q < mr; q++)
    for (int v = 0; v < nv; v++) st(c + q * ldc + 4 * v, acc[q][v]);
}

/* One output column (the part of N that is not a multiple of 4). */
INLINE void tile_col(int mr, const float *a, int sai, int sak, const float *b, int ldb, float *c, int ldc, int kc) {
  float acc[4];
  for (int q = 0; q < mr; q++) acc[q] = c[q * ldc];
  for (int k = 0; k < kc; k++) {
    float bk = *b;
    for (int q = 0; q < mr; q++) acc[q] += a[q * sai] * bk;
    a += sak;
    b += ldb;
  }
  for (int q = 0; q < mr; q++) c[q * ldc] = acc[q];
}

#define TILES_FOR_ROWS(MR)                                                        \
  do {                                                                            \
    int j = 0;                                                                    \
    for (; j + 8 <= n; j += 8) tile(MR, 2, ai, sai, sak, b + j, ldb, ci + j, ldc, kc); \
    if (j + 4 <= n) {                                                             \
      tile(MR, 1, ai, sai, sak, b + j, ldb, ci + j, ldc, kc);                     \
      j += 4;                                                                     \
    }                                                                             \
    for (; j < n; j++) tile_col(MR, ai, sai, sak, b + j, ldb, ci + j, ldc, kc);   \
  } while (0)

/*
 * C[m×n] (row stride ldc) += A·B over kc steps, A(i, k) = a[i*sai + k*sak], B row k at b + k*ldb.
 * Not static: conv.c builds its products on it.
 */
void mm_block(const float *a, int sai, int sak, const float *b, int ldb, float *c, int ldc, int m, int n, int kc) {
  int i = 0;
  for (; i + 4 <= m; i += 4) {
    const float *ai = a + (size_t)i * sai;
    float *ci = c + (size_t)i * ldc;
    TILES_FOR_ROWS(4);
  }
  const float *ai = a + (size_t)i * sai;
  float *ci = c + (size_t)i * ldc;
  switch (m - i) {
    case 3: TILES_FOR_ROWS(3); break;
    case 2: TILES_FOR_ROWS(2); break;
    case 1: TILES_FOR_ROWS(1); break;
    default: break;
  }
}

/*
 * C[M×N] = Aᵀ·B for A of K×M and B of K×N, all row-major: the weight gradient
 * Xᵀ·dY. The inner dimension K is walked in blocks of KC rows; C stays hot.
 */
EXPORT(gemm_tn)
void gemm_tn(const float *A, const float *B, float *C, int K, int M, int N) {
  for (int i = 0; i < M * N; i++) C[i] = 0.0f;
  for (int k0 = 0; k0 < K; k0 += KC) {
    int kc = K - k0 < KC ? K - k0 : KC;
    mm_block(A + (size_t)k0 * M, 1, M, B + (size_t)k0 * N, N, C, N, M, N, kc);
  }
}

/*
 * C[R×N] = act(X·W + bias) for X of R×K, W of K×N, bias of N (bias = 0: none);
 * act 0 = identity, 1 = ReLU. W should be small enough to stay in cache (the
 * caller routes large products to XNNPACK).
 */
EXPORT(gemm_nn)
void gemm_nn(const float *X, const float *W, const float *bias, float *C, int R, int K, int N, int act) {
  for (int r0 = 0; r0 < R; r0 += RB) {
    int rb = R - r0 < RB ? R - r0 : RB;
    float *c = C + (size_t)r0 * N;
    for (int q = 0; q < rb; q++) {
      float *row = c + (size_t)q * N;
      if (bias)
        for (int j = 0; j < N; j++) row[j] = bias[j];
      else
        for (int j = 0; j < N; j++) row[j] = 0.0f;
    }
    mm_block(X + (size_t)r0 * K, K, 1, W, N, c, N, rb, N, K);
    if (act == 1) {
      int total = rb * N, j = 0;
      v128_t zero = wasm_f32x4_splat(0.0f);
      for (; j + 4 <= total; j += 4) {
        v128_t z = ld(c + j);
        st(c + j, wasm_v128_and(z, wasm_f32x4_gt(z, zero)));
      }
      for (; j < total; j++) c[j] = c[j] > 0.0f ? c[j] : 0.0f;
    }
  }
}

/* act 0 identity, 1 ReLU, 2 leaky ReLU; like the JavaScript loops, NaN takes the non-positive branch. */
INLINE v128_t activate(v128_t z, int act, v128_t alpha) {
  if (act == 0) return z;
  v128_t pos = wasm_f32x4_gt(z, wasm_f32x4_splat(0.0f));
  if (act == 1) return wasm_v128_and(z, pos);
  return wasm_v128_bitselect(z, wasm_f32x4_mul(z, alpha), pos);
}

/* Runs BODY(K) with K a compile-time constant: the number of gathered terms (0–4; callers pass k ≤ 4). */
#define DISPATCH_TERMS(k, BODY) \
  switch (k) {                  \
    case 0: BODY(0); break;     \
    case 1: BODY(1); break;     \
    case 2: BODY(2); break;     \
    case 3: BODY(3); break;     \
    default: BODY(4); break;    \
  }

INLINE float activate1(float z, int act, float alpha) {
  if (act == 0 || z > 0.0f) return z;
  return act == 1 ? 0.0f : z * alpha;
}

/*
 * y[e] = act(base[e] + Σ_{t<k} T_t[I_t[e]]) for E rows of width H, and, when agg is
 * not null, agg[seg[e]] += y[e]. base may be null. k ≤ 4, a constant after inlining.
 */
INLINE void gsa_forward_k(int k, const float *base, const float *const *T, const int *const *I, const int *seg, float *y,
                          float *agg, int E, int H, int act, float alpha) {
  v128_t va = wasm_f32x4_splat(alpha);
  for (int e = 0; e < E; e++) {
    const float *rows[4];
    for (int t = 0; t < k; t++) rows[t] = T[t] + (size_t)I[t][e] * H;
    const float *b = base ? base + (size_t)e * H : 0;
    float *out = y + (size_t)e * H;
    float *s = agg ? agg + (size_t)seg[e] * H : 0;
    int c = 0;
    for (; c + 4 <= H; c += 4) {
      v128_t z = b ? ld(b + c) : wasm_f32x4_splat(0.0f);
      for (int t = 0; t < k; t++) z = wasm_f32x4_add(z, ld(rows[t] + c));
      z = activate(z, act, va);
      st(out + c, z);
      if (s) st(s + c, wasm_f32x4_add(ld(s + c), z));
    }
    for (; c < H; c++) {
      float z = b ? b[c] : 0.0f;
      for (int t = 0; t < k; t++) z += rows[t][c];
      z = activate1(z, act, alpha);
      out[c] = z;
      if (s) s[c] += z;
    }
  }
}

EXPORT(gsa_forward)
void gsa_forward(const float *base, const float *t0, const int *i0, const float *t1, const int *i1, const float *t2,
                 const int *i2, const float *t3, const int *i3, int k, const int *seg, float *y, float *agg, int E, int H,
                 int act, float alpha) {
  const float *T[4] = {t0, t1, t2, t3};
  const int *I[4] = {i0, i1, i2, i3};
#define FORWARD(K) gsa_forward_k(K, base, T, I, seg, y, agg, E, H, act, alpha)
  DISPATCH_TERMS(k, FORWARD)
#undef FORWARD
}

/*
 * gsa_forward with base = X·W computed in place, block by block: for each block of RB rows,
 * y = X·W (mm_block from zero, as gemm_nn without a bias), then y = act(y + Σ_t T_t[I_t]) and
 * agg[seg] += y while the block is still in cache. The same sums in the same order as gemm_nn
 * followed by gsa_forward, so the result is bit-identical to that pair, without writing the
 * E×H product to memory, reading it back, or a second dispatch. X is E×K, W is K×H (small enough
 * to stay in cache; the caller checks).
 */
EXPORT(gsa_forward_mm)
void gsa_forward_mm(const float *X, const float *W, int K, const float *t0, const int *i0, const float *t1, const int *i1,
                    const float *t2, const int *i2, const float *t3, const int *i3, int k, const int *seg, float *y,
                    float *agg, int E, int H, int act, float alpha) {
  const float *T[4] = {t0, t1, t2, t3};
  for (int r0 = 0; r0 < E; r0 += RB) {
    int rb = E - r0 < RB ? E - r0 : RB;
    float *c = y + (size_t)r0 * H;
    int total = rb * H, j = 0;
    v128_t zero = wasm_f32x4_splat(0.0f);
    for (; j + 4 <= total; j += 4) st(c + j, zero);
    for (; j < total; j++) c[j] = 0.0f;
    mm_block(X + (size_t)r0 * K, K, 1, W, H, c, H, rb, H, K);
    const int *I[4] = {i0 ? i0 + r0 : 0, i1 ? i1 + r0 : 0, i2 ? i2 + r0 : 0, i3 ? i3 + r0 : 0};
    const int *s = seg ? seg + r0 : 0;
#define FORWARD(KT) gsa_forward_k(KT, c, T, I, s, c, agg, rb, H, act, alpha)
    DISPATCH_TERMS(k, FORWARD)
#undef FORWARD
  }
}

/*
 * d = dY[e] (or dY[seg[e]] when seg is not null) masked by act'(y[e]); dBase[e] = d
 * (when dBase is not null); dT_t[I_t[e]] += d. The dT_t must be zeroed by the caller.
 */
INLINE void gsa_backward_k(int k, const float *g, const float *y, const int *seg, float *dBase, float *const *D,
                           const int *const *I, int E, int H, int act, float alpha) {
  v128_t va = wasm_f32x4_splat(alpha), zero = wasm_f32x4_splat(0.0f);
  for (int e = 0; e < E; e++) {
    float *rows[4];
    for (int t = 0; t < k; t++) rows[t] = D[t] + (size_t)I[t][e] * H;
    const float *gr = g + (size_t)(seg ? seg[e] : e) * H;
    const float *yr = y ? y + (size_t)e * H : 0;
    float *db = dBase ? dBase + (size_t)e * H : 0;
    int c = 0;
    for (; c + 4 <= H; c += 4) {
      v128_t d = ld(gr + c);
      if (act != 0) {
        v128_t pos = wasm_f32x4_gt(ld(yr + c), zero);
        d = act == 1 ? wasm_v128_and(d, pos) : wasm_v128_bitselect(d, wasm_f32x4_mul(d, va), pos);
      }
      if (db) st(db + c, d);
      for (int t = 0; t < k; t++) st(rows[t] + c, wasm_f32x4_add(ld(rows[t] + c), d));
    }
    for (; c < H; c++) {
      float d = gr[c];
      if (act != 0 && !(yr[c] > 0.0f)) d = act == 1 ? 0.0f : d * alpha;
      if (db) db[c] = d;
      for (int t = 0; t < k; t++) rows[t][c] += d;
    }
  }
}

EXPORT(gsa_backward)
void gsa_backward(const float *g, const float *y, const int *seg, float *dBase, float *d0, const int *i0, float *d1,
                  const int *i1, float *d2, const int *i2, float *d3, const int *i3, int k, int E, int H, int act,
                  float alpha) {
  float *D[4] = {d0, d1, d2, d3};
  const int *I[4] = {i0, i1, i2, i3};
#define BACKWARD(K) gsa_backward_k(K, g, y, seg, dBase, D, I, E, H, act, alpha)
  DISPATCH_TERMS(k, BACKWARD)
#undef BACKWARD
}
