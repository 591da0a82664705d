import { NATIVE_MODULE_BASE64 } from './native-module';
import { instancesOnMemory, wasmMemoryOf } from './wasm-simd';

/**
 * The compiled kernels of native/kernels.c, bound to one WebAssembly.Memory (the
 * tfjs-wasm heap). Every pointer is a byte offset into that heap; 0 means "none"
 * where an argument is optional. See kernels.c for the contracts.
 */
export interface NativeKernels {
  /** C[M×N] = Aᵀ·B for A of K×M and B of K×N. */
  gemm_tn(a: number, b: number, c: number, K: number, M: number, N: number): void;
  /** C[R×N] = act(X·W + bias); act 0 identity, 1 ReLU; bias 0 for none. */
  gemm_nn(x: number, w: number, bias: number, c: number, R: number, K: number, N: number, act: number): void;
  /** y = act(base + Σ_t T_t[I_t]), optionally agg[seg] += y; k ≤ 4 terms. */
  gsa_forward(
    base: number, t0: number, i0: number, t1: number, i1: number, t2: number, i2: number, t3: number, i3: number,
    k: number, seg: number, y: number, agg: number, E: number, H: number, act: number, alpha: number,
  ): void;
  /** gsa_forward with base = X·W (X of E×K, W of K×H) computed block by block in place: bit-identical to gemm_nn then gsa_forward. */
  gsa_forward_mm(
    x: number, w: number, K: number, t0: number, i0: number, t1: number, i1: number, t2: number, i2: number, t3: number, i3: number,
    k: number, seg: number, y: number, agg: number, E: number, H: number, act: number, alpha: number,
  ): void;
  /** d = dY (per row or per segment) ⊙ act'(y); dBase = d; dT_t[I_t] += d. */
  gsa_backward(
    g: number, y: number, seg: number, dBase: number, d0: number, i0: number, d1: number, i1: number, d2: number,
    i2: number, d3: number, i3: number, k: number, E: number, H: number, act: number, alpha: number,
  ): void;
  /** conv.c: y = act(conv(x, f) + bias), NHWC; `geometry` is conv-native.ts's geometryArgs. */
  conv2d_forward(x: number, f: number, bias: number, y: number, scratch: number, rows: number, act: number, n: number, ...geometry: number[]): void;
  /** conv.c: dx of conv(x, f) for dy; ft takes fᵀ. */
  conv2d_backprop_input(dy: number, f: number, dx: number, ft: number, scratch: number, rows: number, n: number, ...geometry: number[]): void;
  /** conv.c: df of conv(x, f) for dy, in the filter layout. */
  conv2d_backprop_filter(x: number, dy: number, df: number, scratch: number, rows: number, n: number, ...geometry: number[]): void;
  /** optimizer.c: one Adam step of one tensor (see there); mask 0 for none. */
  adam_update(
    p: number, g: number, m: number, v: number, mask: number, po: number, mo: number, vo: number, n: number,
    b1: number, c1: number, b2: number, c2: number, wd: number, sbc2: number, eps: number, step: number,
  ): void;
  /** optimizer.c: one SGD step of one tensor; buf/bo 0 without momentum. */
  sgd_update(p: number, g: number, buf: number, mask: number, po: number, bo: number, n: number, first: number, mom: number, wd: number, lr: number): void;
  /** batchnorm.c: training-mode batch norm over R rows of C channels; scratch 3·C floats. */
  batchnorm_forward(x: number, gamma: number, beta: number, y: number, mean: number, variance: number, rstd: number, scratch: number, R: number, C: number, eps: number): void;
  /** batchnorm.c: its gradients; dmean/dvar 0 for none; scratch 4·C floats. */
  batchnorm_backward(
    dy: number, x: number, gamma: number, mean: number, rstd: number, dmean: number, dvar: number,
    dx: number, dgamma: number, dbeta: number, scratch: number, R: number, C: number,
  ): void;
  /** pool.c: unpadded average pooling, NHWC; geometry N, H, W, C, OH, OW, FH, FW, sh, sw (avg-pool.ts's poolArgs). */
  avgpool_forward(x: number, y: number, ...geometry: number[]): void;
  /** pool.c: its input gradient. */
  avgpool_backward(dy: number, dx: number, ...geometry: number[]): void;
  /** bias.c: for y = relu(z + bias), R×C: dz = dy where y > 0 (else 0) and dbias = Σ_rows dz; scratch C floats. */
  bias_relu_backward(dy: number, y: number, dz: number, db: number, scratch: number, R: number, C: number): void;
  /** dropout.c: y = x·(hash(seed, i) ≥ threshold ? scale : 0). */
  hash_dropout(x: number, y: number, n: number, seed: number, threshold: number, scale: number): void;
  /** activation.c: y = tanh(x), n elements. */
  tanh_forward(x: number, y: number, n: number): void;
  /** activation.c: dx = dy·(1 − y²). */
  tanh_grad(y: number, dy: number, dx: number, n: number): void;
  /** activation.c: y = x·Φ(x) (exact GELU, erf by Abramowitz & Stegun 7.1.26). */
  gelu_forward(x: number, y: number, n: number): void;
  /** activation.c: dx = dy·(Φ(x) + x·φ(x)). */
  gelu_grad(x: number, dy: number, dx: number, n: number): void;
}

function decodeBase64(s: string): Uint8Array {
  const bin = atob(s);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

const nativeInstances = instancesOnMemory<NativeKernels>(() => decodeBase64(NATIVE_MODULE_BASE64));
let disabled = false;

/**
 * The native kernels bound to this memory, or null where the host lacks
 * WebAssembly SIMD (callers then keep their previous path), or after
 * setNativeKernelsEnabled(false).
 */
export function nativeKernelsFor(memory: unknown): NativeKernels | null {
  return disabled ? null : nativeInstances(memory);
}

/** The native kernels on a tfjs-backend-wasm backend's heap, or null (another backend, no SIMD, or disabled). */
export function nativeKernelsOfBackend(backend: unknown): NativeKernels | null {
  return nativeKernelsFor(wasmMemoryOf(backend));
}

/**
 * Turns the compiled kernels off (false) or on (true, the default) for this
 * process, so benchmarks and tests can compare against the paths they replace.
 */
export function setNativeKernelsEnabled(enabled: boolean): void {
  disabled = !enabled;
}

export function nativeKernelsEnabled(): boolean {
  return !disabled;
}
