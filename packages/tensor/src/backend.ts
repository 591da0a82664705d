import { silenceTfjsNotices } from './quiet';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import { BackendUnavailableError } from './errors';
import { nativeKernelsOfBackend } from './kernels/native';
import { registerOverrides, registeredOverrides } from './kernels/register';

/** The backends metanet can run on. `node` is `@tensorflow/tfjs-node` (tfjs backend name `tensorflow`). */
export type BackendName = 'node' | 'wasm' | 'cpu';

/** Options of `initBackend`: which backend to pick. */
export interface InitBackendOptions {
  /** Force a backend; wins over METANET_BACKEND. Default: METANET_BACKEND, else node → wasm → cpu. */
  backend?: BackendName;
}

/** Which backend is in use and what it offers (SIMD, threads, kernel overrides). */
export interface BackendInfo {
  /** metanet's name of the active backend. */
  name: BackendName;
  /** tfjs-core version in use. */
  tfjsVersion: string;
  /** wasm only: whether the SIMD build is loaded; null on other backends. */
  simd: boolean | null;
  /** wasm only: whether the multi-threaded build is loaded; null on other backends. */
  threads: boolean | null;
  /** wasm only: threads used by XNNPACK. */
  threadsCount?: number;
  /** Kernels metanet replaced or added, as `KernelName@backend`. */
  overrides: string[];
  /** wasm only: whether metanet's compiled SIMD kernels (native/kernels.c) are loaded and enabled; null on other backends. */
  nativeKernels: boolean | null;
}

const BACKEND_NAMES: readonly BackendName[] = ['node', 'wasm', 'cpu'];
const TFJS_NAME: Record<BackendName, string> = { node: 'tensorflow', wasm: 'wasm', cpu: 'cpu' };

let active: BackendName | null = null;
let pending: Promise<BackendInfo> | null = null;
let pendingFor: BackendName | 'auto' | null = null;

function isBackendName(s: string): s is BackendName {
  return (BACKEND_NAMES as readonly string[]).includes(s);
}

/** Reads METANET_BACKEND; throws on a value that names no backend. */
function backendFromEnv(): BackendName | null {
  const raw = typeof process !== 'undefined' ? process.env?.METANET_BACKEND : undefined;
  if (raw === undefined || raw.trim() === '') return null;
  const v = raw.trim().toLowerCase();
  if (!isBackendName(v)) {
    throw new BackendUnavailableError(
      `METANET_BACKEND="${raw}" is not a backend; set it to node, wasm or cpu (or unset it for automatic choice)`,
    );
  }
  return v;
}

/**
 * tfjs-node is optional and must never be resolved by bundlers or become a
 * dependency, so its name is built at run time and loaded by a dynamic import.
 */
function importTfjsNode(): Promise<unknown> {
  const moduleName = ['@tensorflow', 'tfjs-node'].join('/');
  return import(/* @vite-ignore */ /* webpackIgnore: true */ moduleName);
}

let nodeLoader: () => Promise<unknown> = importTfjsNode;

/**
 * Replaces how tfjs-node is loaded (undefined restores the real import). A
 * test seam, not part of the package's API: tfjs-node needs a native download
 * and cannot be installed where the tests run, so the tests load a stub that
 * registers a `tensorflow` backend the way tfjs-node does, and the selection
 * logic around it runs for real.
 */
export function setTfjsNodeLoader(loader: (() => Promise<unknown>) | undefined): void {
  nodeLoader = loader ?? importTfjsNode;
}

async function loadTfjsNode(): Promise<void> {
  if (tf.findBackend('tensorflow') !== null || tf.findBackendFactory('tensorflow') !== null) return;
  await nodeLoader();
  if (tf.findBackendFactory('tensorflow') === null) {
    throw new Error('the module loaded but registered no "tensorflow" backend');
  }
}

async function activate(name: BackendName): Promise<void> {
  if (name === 'node') {
    try {
      await loadTfjsNode();
    } catch (err) {
      throw new BackendUnavailableError(
        `backend "node" is unavailable (${errorText(err)}); run \`npm install @tensorflow/tfjs-node\` in your project (needs network), or use METANET_BACKEND=wasm`,
      );
    }
  }
  let ok = false;
  try {
    ok = await tf.setBackend(TFJS_NAME[name]);
  } catch (err) {
    throw new BackendUnavailableError(
      `backend "${name}" failed to initialise (${errorText(err)}); use METANET_BACKEND=cpu as a fallback`,
    );
  }
  if (!ok) {
    throw new BackendUnavailableError(
      `backend "${name}" failed to initialise; use METANET_BACKEND=${name === 'cpu' ? 'wasm' : 'cpu'} instead`,
    );
  }
  active = name;
}

function errorText(err: unknown): string {
  const msg = err instanceof Error ? err.message : typeof err === 'object' && err !== null && 'message' in err ? String((err as { message: unknown }).message) : String(err);
  return msg.split('\n')[0] ?? msg;
}

async function selectBackend(requested: BackendName | null): Promise<BackendInfo> {
  silenceTfjsNotices();
  registerOverrides();
  if (requested !== null) {
    await activate(requested);
    return backendInfo();
  }
  for (const candidate of BACKEND_NAMES) {
    try {
      await activate(candidate);
      return backendInfo();
    } catch {
      // Automatic choice: an unavailable backend just means try the next one.
    }
  }
  throw new BackendUnavailableError('no tfjs backend could be initialised (node, wasm, cpu all failed); reinstall @metanet/tensor');
}

/**
 * Picks and initialises the tfjs backend, and registers metanet's fast kernels.
 * Order: `opts.backend`, else METANET_BACKEND, else tfjs-node (if installed) → wasm → cpu.
 * Idempotent: concurrent and repeated calls with the same request share one initialisation.
 */
export function initBackend(opts: InitBackendOptions = {}): Promise<BackendInfo> {
  let requested: BackendName | null;
  try {
    if (opts.backend !== undefined && !isBackendName(opts.backend)) {
      throw new BackendUnavailableError(`backend "${String(opts.backend)}" is unknown; use node, wasm or cpu`);
    }
    requested = opts.backend ?? backendFromEnv();
  } catch (err) {
    return Promise.reject(err);
  }
  const key = requested ?? 'auto';
  if (pending !== null && pendingFor === key) {
    // Someone may have switched backends behind our back with tf.setBackend.
    if (active === null || tf.getBackend() === TFJS_NAME[active]) return pending;
  }
  pendingFor = key;
  pending = selectBackend(requested);
  pending.catch(() => {
    if (pendingFor === key) {
      pending = null;
      pendingFor = null;
    }
  });
  return pending;
}

function currentName(): BackendName {
  const tfName = tf.getBackend();
  if (tfName === 'tensorflow') return 'node';
  if (tfName === 'wasm' || tfName === 'cpu') return tfName;
  if (active !== null) return active;
  throw new BackendUnavailableError(`active tfjs backend "${String(tfName)}" is not one metanet manages; call initBackend() first`);
}

/** Describes the active backend. Call after initBackend(). */
export function backendInfo(): BackendInfo {
  const name = currentName();
  let simd: boolean | null = null;
  let threads: boolean | null = null;
  let threadsCount: number | undefined;
  if (name === 'wasm') {
    // The wasm backend picks its binary from these two flags; both are cached after init.
    simd = tf.env().getBool('WASM_HAS_SIMD_SUPPORT');
    threads = tf.env().getBool('WASM_HAS_MULTITHREAD_SUPPORT');
    threadsCount = wasmThreadsCount();
  }
  const info: BackendInfo = {
    name,
    tfjsVersion: tf.version_core,
    simd,
    threads,
    overrides: registeredOverrides().filter((o) => o.endsWith(`@${TFJS_NAME[name]}`)),
    nativeKernels: name === 'wasm' ? nativeKernelsOfBackend(tf.findBackend('wasm')) !== null : null,
  };
  if (threadsCount !== undefined) info.threadsCount = threadsCount;
  return info;
}

interface WasmThreadsView {
  wasm?: { tfjs?: { getThreadsCount?: () => number } };
}

function wasmThreadsCount(): number | undefined {
  const b = tf.findBackend('wasm') as unknown as WasmThreadsView | null;
  const n = b?.wasm?.tfjs?.getThreadsCount?.();
  return typeof n === 'number' ? n : undefined;
}
