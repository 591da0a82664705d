// Kernel benchmark: stock tfjs kernels vs metanet's overrides, side by side.
// Run from the repo root with `npm run bench:kernels` (builds, then runs against dist).
// Prints one JSON object. Sections per backend: gather, segmentSum, matMulTransposedA,
// sumAxis0 (wasm), tanh and gelu (wasm: forward and backward), nativeProducts (wasm: compiled kernels vs the path before them), fusedRowProduct (wasm: a first layer's e·C inside the gather pass vs before it), conv2dBackpropFilter, gnStep. cpu has no BatchMatMul override, so its
// stock and metanet matMul rows time the same kernel. Options: --reps N (default 7), --quick (fewer reps, no cpu GN step),
// --no-torch (skip the PyTorch reference).
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createInterface } from 'node:readline';
import os from 'node:os';
import * as api from '../dist/index.js';
import { setOverridesEnabled, setNativeKernelsEnabled } from '../dist/kernels.js';
import { makeGnStep } from './gn-step.mjs';
import { interleave, round } from './timing.mjs';
import { referenceBlasWarning } from './torch-reference.mjs';

const { tf, initBackend, backendInfo, gatherRows, segmentSum, randomNormal, createRng } = api;
const args = process.argv.slice(2);
const quick = args.includes('--quick');
const repsArg = args.indexOf('--reps');
const REPS = repsArg >= 0 ? Number(args[repsArg + 1]) : quick ? 3 : 7;
const SIZES = { N: 2000, E: 40000, D: 64, K: 192 };
// Millisecond-scale kernels get more samples: their medians are the most load-sensitive.
const FAST_REPS = Math.max(REPS, quick ? 5 : 15);

const stock = () => setOverridesEnabled(false);
const ours = () => setOverridesEnabled(true);
// wasm and cpu kernels run synchronously inside the op call, so timing the call
// is timing the kernel; reading 10 MB back (dataSync) would add the same copy
// cost to both sides and hide the kernel ratio.
const sync = (t) => t.dispose();
const ratio = (a, b) => (a?.ms != null && b?.ms != null && b.ms > 0 ? round(a.ms / b.ms, 1) : null);

function inputs() {
  const rng = createRng(1);
  const ints = (n, hi) => tf.tensor1d(Int32Array.from({ length: n }, () => rng.int(hi)), 'int32');
  return {
    nodes: randomNormal([SIZES.N, SIZES.D], rng),
    edges: randomNormal([SIZES.E, SIZES.D], rng),
    wide: randomNormal([SIZES.E, SIZES.K], rng),
    idx: ints(SIZES.E, SIZES.N),
  };
}

async function gatherAndSegmentSum(backend, x) {
  const gather = await interleave(
    {
      stock: { setup: stock, run: () => sync(tf.gather(x.nodes, x.idx)) },
      metanet: { setup: ours, run: () => sync(gatherRows(x.nodes, x.idx)) },
    },
    { reps: FAST_REPS },
  );
  // Stock wasm lacks UnsortedSegmentSum; stock cpu builds a numSegments × E mask
  // (2000 × 40000 × 64 floats here), so it is skipped at this size.
  const seg = await interleave(
    {
      ...(backend === 'wasm' ? { stock: { setup: stock, run: () => sync(tf.unsortedSegmentSum(x.edges, x.idx, SIZES.N)) } } : {}),
      metanet: { setup: ours, run: () => sync(segmentSum(x.edges, x.idx, SIZES.N)) },
    },
    { reps: FAST_REPS },
  );
  if (backend === 'cpu') seg.stock = { ms: null, skipped: 'O(numSegments·E) time and memory in stock cpu; does not finish at this size' };
  ours();
  return {
    gather: { stockMs: gather.stock.ms, metanetMs: gather.metanet.ms, speedup: ratio(gather.stock, gather.metanet) },
    segmentSum: {
      stockMs: seg.stock.ms,
      ...(seg.stock.error ? { stockError: seg.stock.error } : {}),
      ...(seg.stock.skipped ? { stockSkipped: seg.stock.skipped } : {}),
      metanetMs: seg.metanet.ms,
      speedupVsStockGather: ratio(gather.stock, seg.metanet),
    },
  };
}

async function transposedMatMul(backend, x) {
  const wideT = tf.transpose(x.wide);
  const reps = backend === 'cpu' ? Math.min(REPS, 3) : REPS;
  const r = await interleave(
    {
      stockTransposed: { setup: stock, run: () => sync(tf.matMul(x.wide, x.edges, true, false)) },
      metanetTransposed: { setup: ours, run: () => sync(tf.matMul(x.wide, x.edges, true, false)) },
      untransposed: { setup: ours, run: () => sync(tf.matMul(wideT, x.edges)) },
    },
    { reps, warmup: backend === 'cpu' ? 1 : 2 },
  );
  ours();
  wideT.dispose();
  return {
    stockTransposedMs: r.stockTransposed.ms,
    metanetTransposedMs: r.metanetTransposed.ms,
    untransposedMs: r.untransposed.ms,
    speedup: ratio(r.stockTransposed, r.metanetTransposed),
    metanetVsUntransposed: ratio(r.metanetTransposed, r.untransposed),
  };
}

async function columnSum(x) {
  // Sum over axis 0 of an E×D matrix: the gradient of every broadcast bias add.
  const r = await interleave(
    {
      stock: { setup: stock, run: () => sync(tf.sum(x.edges, 0)) },
      metanet: { setup: ours, run: () => sync(tf.sum(x.edges, 0)) },
    },
    { reps: FAST_REPS },
  );
  ours();
  return { stockMs: r.stock.ms, metanetMs: r.metanet.ms, speedup: ratio(r.stock, r.metanet) };
}

/**
 * An activation forward and backward on the activation of a Small CNN Zoo net's first conv at batch 512
 * (512 × 14 × 14 × 16, 1.6M elements): the stock kernels (tanh and its three-op gradient; GELU's tf.erf form, seven
 * ops each way) against metanet's (activation.c: MetanetTanh / MetanetTanhGrad, MetanetGelu / MetanetGeluGrad).
 */
async function activationStep(op) {
  const x = tf.randomNormal([512, 14, 14, 16], 0, 2, 'float32', 3);
  const step = () => tf.tidy(() => sync(tf.grad((v) => tf.sum(op(v)))(x)));
  const r = await interleave(
    {
      stock: { setup: stock, run: step },
      metanet: { setup: ours, run: step },
    },
    { reps: FAST_REPS },
  );
  ours();
  x.dispose();
  return { elements: 512 * 14 * 14 * 16, stockMs: r.stock.ms, metanetMs: r.metanet.ms, speedup: ratio(r.stock, r.metanet) };
}

/**
 * The compiled kernels (native/kernels.c) against the path they replaced, on the
 * shapes message passing makes: weight gradients Xᵀ·dY (before: transpose X, then
 * XNNPACK) and skinny X·W (before: XNNPACK). Same inputs, interleaved.
 */
async function nativeProducts() {
  const rng = createRng(3);
  const out = {};
  const shapes = [
    ['weightGradW2', 'tn', 233896, 32, 32],
    ['weightGradGnStep', 'tn', 40000, 64, 64],
    ['productW2', 'nn', 233896, 32, 32],
    ['productGnStep', 'nn', 40000, 64, 64],
  ];
  for (const [name, kind, rows, k, n] of shapes) {
    const x = randomNormal([rows, k], rng);
    const y = kind === 'tn' ? randomNormal([rows, n], rng) : randomNormal([k, n], rng);
    const run = () => sync(kind === 'tn' ? tf.matMul(x, y, true, false) : tf.matMul(x, y));
    const r = await interleave(
      {
        previous: { setup: () => setNativeKernelsEnabled(false), run },
        native: { setup: () => setNativeKernelsEnabled(true), run },
      },
      { reps: REPS },
    );
    setNativeKernelsEnabled(true);
    tf.dispose([x, y]);
    const gflop = (2 * rows * k * n) / 1e9;
    out[name] = {
      product: kind === 'tn' ? `${rows}×${k}ᵀ·${rows}×${n}` : `${rows}×${k}·${k}×${n}`,
      previousMs: r.previous.ms,
      nativeMs: r.native.ms,
      speedup: ratio(r.previous, r.native),
      nativeGflops: r.native.ms ? round(gflop / (r.native.ms / 1000), 1) : null,
    };
  }
  return out;
}

/**
 * A GN block's first layer over [v_i, v_j, e, u] with the per-edge part e·C passed as a product
 * (computed inside gsa_forward_mm, block by block) against the path before it: matMul(e, C) as a
 * base, then gatherSumAct. Shapes of the editor's w24 graph (10,906 edges, 87 nodes, width 32), with
 * and without the segment sum of the messages.
 */
async function fusedRowProduct() {
  const rng = createRng(4);
  const E = 10906;
  const N = 87;
  const H = 32;
  const e = randomNormal([E, H], rng);
  const c = randomNormal([H, H], rng);
  const tables = [randomNormal([N, H], rng), randomNormal([N, H], rng), randomNormal([1, H], rng)];
  const ints = (hi) => tf.tensor1d(Int32Array.from({ length: E }, () => rng.int(hi)), 'int32');
  const idx = [ints(N), ints(N), tf.zeros([E], 'int32')];
  const terms = tables.map((table, k) => ({ table, index: idx[k] }));
  const out = {};
  for (const reduce of [false, true]) {
    const op = (a) => (reduce ? api.gatherSumActSegmentSum({ ...a, segIds: idx[0], numSegments: N }) : api.gatherSumAct(a));
    const r = await interleave(
      {
        previous: { run: () => sync(tf.tidy(() => op({ base: tf.matMul(e, c), terms, numRows: E, activation: 'relu' }))) },
        fused: { run: () => sync(op({ product: { x: e, w: c }, terms, numRows: E, activation: 'relu' })) },
      },
      { reps: FAST_REPS },
    );
    out[reduce ? 'withSegmentSum' : 'rows'] = { previousMs: r.previous.ms, fusedMs: r.fused.ms, speedup: ratio(r.previous, r.fused) };
  }
  tf.dispose([e, c, ...tables, ...idx]);
  return { shape: { edges: E, nodes: N, width: H, terms: 3 }, ...out };
}

async function conv2dBackpropFilter(backend) {
  // Stock cpu needs ~2 minutes per call at the wasm size, so cpu uses a 1/32 problem.
  const [b, hw] = backend === 'cpu' ? [4, 14] : [32, 28];
  const rng = createRng(2);
  const xs = randomNormal([b, hw, hw, 16], rng);
  const w = randomNormal([3, 3, 16, 32], rng);
  const dy = randomNormal([b, hw, hw, 32], rng);
  const run = () => sync(tf.engine().runKernel('Conv2DBackpropFilter', { x: xs, dy }, { strides: 1, pad: 'same', dataFormat: 'NHWC', filterShape: w.shape }));
  const r = await interleave(
    { stock: { setup: stock, run }, metanet: { setup: ours, run } },
    { reps: Math.min(REPS, 5), warmup: 1 },
  );
  ours();
  tf.dispose([xs, w, dy]);
  return { shape: { x: xs.shape, filter: w.shape }, stockMs: r.stock.ms, ...(r.stock.error ? { stockError: r.stock.error } : {}), metanetMs: r.metanet.ms, speedup: ratio(r.stock, r.metanet) };
}

/** A PyTorch process serving timed GN steps, so tfjs and torch steps interleave. */
async function startTorch() {
  if (args.includes('--no-torch') || !existsSync('/usr/bin/python3')) return null;
  const script = new URL('./gn_step_torch.py', import.meta.url).pathname;
  // One thread, like the wasm backend (OpenBLAS reads its own variable).
  const child = spawn('/usr/bin/python3', [script, '0', '1'], {
    stdio: ['pipe', 'pipe', 'ignore'],
    env: { ...process.env, OPENBLAS_NUM_THREADS: '1', OMP_NUM_THREADS: '1' },
  });
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  const first = await lines.next().catch(() => ({ done: true }));
  if (first.done) return null;
  const meta = JSON.parse(first.value);
  return {
    meta,
    async step() {
      child.stdin.write('1\n');
      const { value } = await lines.next();
      return JSON.parse(value)[0];
    },
    stop: () => child.stdin.end(),
  };
}

async function gnStep(backend, torch) {
  const variants = {};
  const gn = makeGnStep(api, SIZES);
  variants.metanet = { setup: () => { ours(); setNativeKernelsEnabled(true); }, run: () => gn.step() };
  if (backend === 'wasm') {
    variants.metanetWithoutNative = { setup: () => { ours(); setNativeKernelsEnabled(false); }, run: () => gn.step() };
    variants.stock = { setup: () => { stock(); setNativeKernelsEnabled(true); }, run: () => gn.step() };
  }
  let torchMs = [];
  if (torch) variants.torch = { run: async () => torchMs.push(await torch.step()) };
  const cpu = backend === 'cpu';
  const r = await interleave(variants, { reps: cpu ? 2 : REPS, warmup: cpu ? 1 : 3 });
  ours();
  setNativeKernelsEnabled(true);
  gn.dispose();
  const out = { metanetMs: r.metanet.ms };
  if (backend === 'wasm') Object.assign(out, { withoutNativeMs: r.metanetWithoutNative.ms, nativeSpeedup: ratio(r.metanetWithoutNative, r.metanet) });
  if (backend === 'wasm') Object.assign(out, { stockMs: r.stock.ms, stockError: r.stock.error });
  else out.stockSkipped = 'stock cpu UnsortedSegmentSum is O(N·E): >10 min and 13 GB for this step';
  if (torch) {
    // Use torch's own in-process step time (not the round trip).
    const warm = 3;
    const own = torchMs.slice(warm).sort((a, b) => a - b);
    out.torchMs = round(own[own.length >> 1]);
    out.torchThreads = torch.meta.threads;
    out.torchVersion = torch.meta.torch;
    out.torchBlas = torch.meta.blas ?? null;
    const warning = referenceBlasWarning(torch.meta.blas);
    if (warning) out.torchWarning = warning;
    out.metanetVsTorch = out.torchMs ? round(out.metanetMs / out.torchMs, 2) : null;
  }
  return out;
}

const started = Date.now();
const load0 = os.loadavg()[0];
const result = { bench: '@metanet/tensor kernels', sizes: SIZES, method: `median of ${REPS} runs (${FAST_REPS} for gather, segment-sum and column sum) after warm-up; variants interleaved run by run so machine load hits them alike` };
for (const backend of ['wasm', 'cpu']) {
  await initBackend({ backend });
  const x = inputs();
  const r = { info: backendInfo() };
  Object.assign(r, await gatherAndSegmentSum(backend, x));
  r.matMulTransposedA = await transposedMatMul(backend, x);
  if (backend === 'wasm') r.sumAxis0 = await columnSum(x);
  if (backend === 'wasm') r.tanh = await activationStep(api.fastTanh);
  if (backend === 'wasm') r.gelu = await activationStep(api.fastGelu);
  if (backend === 'wasm') r.nativeProducts = await nativeProducts();
  if (backend === 'wasm') r.fusedRowProduct = await fusedRowProduct();
  r.conv2dBackpropFilter = await conv2dBackpropFilter(backend);
  if (!(quick && backend === 'cpu')) {
    const torch = backend === 'wasm' ? await startTorch() : null;
    r.gnStep = await gnStep(backend, torch);
    torch?.stop();
  }
  tf.dispose(Object.values(x));
  result[backend] = r;
}
const w = result.wasm;
result.targets = {
  gatherAtLeast30xStockWasmGather: (w.gather.speedup ?? 0) >= 30,
  segmentSumAtLeast30xStockWasmGather: (w.segmentSum.speedupVsStockGather ?? 0) >= 30,
  transposedMatMulWithin1_5xUntransposed: (w.matMulTransposedA.metanetVsUntransposed ?? Infinity) <= 1.5,
  gnStepAtMost200msOnWasm: (w.gnStep?.metanetMs ?? Infinity) <= 200,
};
result.machine = { cpus: os.cpus().length, loadavg1mStart: round(load0), loadavg1mEnd: round(os.loadavg()[0]), node: process.version, seconds: round((Date.now() - started) / 1000, 0) };
console.log(JSON.stringify(result, null, 2));
