/** The part of libsvm-js's SVM class that the SVC MIA uses. */
export interface LibsvmSvm {
  train(samples: number[][], labels: number[]): void;
  predictOne(sample: number[]): number;
  free(): void;
}

export interface LibsvmClass {
  new (options: {
    type: string;
    kernel: string;
    cost: number;
    gamma: number;
    quiet: boolean;
    shrinking?: boolean;
  }): LibsvmSvm;
  readonly SVM_TYPES: { readonly C_SVC: string };
  readonly KERNEL_TYPES: { readonly RBF: string };
}

let loading: Promise<LibsvmClass> | undefined;

/**
 * Loads libsvm-js's WebAssembly build once (2.8× less CPU than its asm.js
 * build on the same 3k + 3k fit, bench/metrics.mjs). Its emscripten loader first tries
 * `WebAssembly.instantiateStreaming(fetch(path))`, which fails on a file path
 * in Node and prints two warnings before falling back; hiding
 * `instantiateStreaming` during the synchronous `require` takes the fallback
 * directly. The require is synchronous, so nothing else can observe the gap.
 */
export function loadLibsvm(): Promise<LibsvmClass> {
  // node:module is imported lazily so that importing this package in a
  // browser bundle fails only when the SVC MIA is actually called.
  loading ??= import('node:module').then(({ createRequire }) => {
    const require = createRequire(import.meta.url);
    const wasm = (globalThis as unknown as { WebAssembly: { instantiateStreaming?: unknown } }).WebAssembly;
    const saved = wasm.instantiateStreaming;
    wasm.instantiateStreaming = undefined;
    try {
      return require('libsvm-js') as Promise<LibsvmClass>;
    } finally {
      wasm.instantiateStreaming = saved;
    }
  });
  return loading;
}
