// Training and evaluation speed of @metanet/nets against the built dist, side
// by side with PyTorch 1.13 (/usr/bin/python3, one OpenBLAS thread). Prints one
// JSON document.
//
//   npm run bench:train            (from the repository root)
//   node packages/nets/bench/train.mjs [--reps R] [--only NAME-PART] [--backend wasm|cpu] [--no-torch] [--no-profile]
//
// Workloads: homework-cnn and small-cnn (width 16) training steps with Adam at
// batch 64, small-cnn at batch 512, and an eval-mode homework-cnn forward pass
// over 10,000 images at batch 1000, all on random 28×28×1 images. Ours and
// torch run interleaved (ours, torch, ours, torch, …) and each side reports its
// median, so load spikes on a shared machine hit both alike: compare the ratio
// of one run, not absolute numbers across runs. Per workload the JSON has the
// time per op family for both sides (one profiled step), the conv GFLOP/s
// against the floor the compiled products set, and the peak wasm heap.
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createDataset } from '@metanet/data';
import { backendInfo, initBackend, randomNormal, tf } from '@metanet/tensor';
import { architecture } from '@metanet/spec';
import { crossEntropy, forward, forwardWithBuffers, initBuffers, initParams, optimizerStep, createOptimizerState, disposeOptimizerState, train } from '../dist/index.js';
import { median, round } from '../../tensor/bench/timing.mjs';
import { runTorchScript } from '../../tensor/bench/torch-reference.mjs';

const args = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : dflt;
};
const reps = Number(opt('reps', '3'));
const withTorch = !args.includes('--no-torch');
const withProfile = !args.includes('--no-profile');
await initBackend(opt('backend') ? { backend: opt('backend') } : {});

/** The rate of kernels.c's gemm_nn/gemm_tn (GFLOP/s) that sets the floor of a step's convolutions. */
const GEMM_GFLOPS = 25;

const WORKLOADS = [
  { name: 'homework-cnn b64 adam', arch: 'homework-cnn', batch: 64, warmup: 3, steps: 10 },
  // Short steps: V8 needs a few dozen of them to optimise tfjs's engine code, and an
  // epoch has 844, so the first 20 are warm-up (torch, without a JIT, gets 2).
  { name: 'small-cnn b64 adam', arch: 'small-cnn', batch: 64, warmup: 20, steps: 100 },
  // 30 steps, not 8: torch's b512 step varied 9.5-118 ms between runs on a quiet machine at 8.
  { name: 'small-cnn b512 adam', arch: 'small-cnn', batch: 512, warmup: 3, steps: 30 },
  { name: 'homework-cnn eval 10k b1000', arch: 'homework-cnn', batch: 1000, images: 10_000 },
];

function randomImages(n) {
  return tf.tidy(() => randomNormal([n, 28, 28, 1], 1));
}

/** Seconds per training step through nets' train(), after w.warmup warm-up steps. */
async function oursTrain(w) {
  const spec = architecture(w.arch);
  const n = (w.steps + w.warmup) * w.batch;
  const x = randomImages(n);
  const images = x.dataSync();
  x.dispose();
  const labels = Int32Array.from({ length: n }, (_, i) => i % 10);
  const ds = createDataset({ name: 'bench', images, shape: [n, 28, 28, 1], labels, classNames: [...'0123456789'], source: 'random' });
  const params = initParams(spec, { seed: 0 });
  let t0 = 0;
  let timed = 0;
  const result = await train(spec, params, ds, {
    epochs: 1,
    batchSize: w.batch,
    onBatch: (p) => {
      if (p.step === w.warmup) t0 = performance.now();
      if (p.step > w.warmup) timed++;
    },
  });
  const perStep = (performance.now() - t0) / 1000 / timed;
  tf.dispose([...params, ...(result?.params ?? []), ...(result?.buffers ?? [])]);
  ds.images.dispose?.();
  ds.labels.dispose?.();
  return perStep;
}

/** Seconds for an eval-mode forward pass over w.images images. */
function oursEval(w) {
  const spec = architecture(w.arch);
  const params = initParams(spec, { seed: 0 });
  const batches = Array.from({ length: Math.ceil(w.images / w.batch) }, () => randomImages(w.batch));
  const run = () => batches.forEach((b) => tf.tidy(() => void forward(spec, params, b).dataSync()));
  run();
  const t0 = performance.now();
  run();
  const s = (performance.now() - t0) / 1000;
  tf.dispose([...params, ...batches]);
  return s;
}

const ours = (w) => (w.images ? oursEval(w) : oursTrain(w));

function torch(w, profile = false) {
  const script = join(dirname(fileURLToPath(import.meta.url)), 'pytorch_reference.py');
  const extra = w.images ? ['--eval', String(w.images)] : ['--random', '--steps', String(w.steps), ...(profile ? ['--profile'] : [])];
  return runTorchScript(script, ['--arch', w.arch, '--batch-size', String(w.batch), '--threads', '1', ...extra], 'nets bench');
}

const FAMILY_OF_KERNEL = {
  Conv2D: 'convForward', FusedConv2D: 'convForward', MetanetConv2DBiasAct: 'convForward',
  Conv2DBackpropInput: 'convInputGrad', Conv2DBackpropFilter: 'convFilterGrad',
  AvgPool: 'pooling', AvgPoolGrad: 'pooling', MaxPool: 'pooling', MaxPoolGrad: 'pooling',
  Relu: 'activationsDropout', Step: 'activationsDropout', LeakyRelu: 'activationsDropout', Prelu: 'activationsDropout',
  MetanetHashDropout: 'activationsDropout', MetanetBiasReluGrad: 'activationsDropout',
  MetanetOptimizerUpdate: 'optimizer',
};
const familyOf = (name) => FAMILY_OF_KERNEL[name] ?? (/BatchNorm/i.test(name) ? 'normalisation' : /Pool/.test(name) ? 'pooling' : 'other');
const size = (s) => s.reduce((a, b) => a * b, 1);

/** Multiply-adds ×2 of a conv kernel record, from its shapes. */
function convFlops(k) {
  const [a, b] = k.inputShapes;
  const out = k.outputShapes[0];
  if (k.name === 'Conv2D' || k.name === 'FusedConv2D' || k.name === 'MetanetConv2DBiasAct') return 2 * size(out) * b[0] * b[1] * b[2];
  if (k.name === 'Conv2DBackpropInput') return 2 * size(a) * b[0] * b[1] * b[2];
  if (k.name === 'Conv2DBackpropFilter') return 2 * size(b) * out[0] * out[1] * out[2];
  return 0;
}

/** One profiled training step (forward, gradients, Adam): ms per op family and the convolutions' rate. */
async function profileStep(w) {
  const spec = architecture(w.arch);
  const params = initParams(spec, { seed: 0 });
  const buffers = initBuffers(spec);
  const x = randomImages(w.batch);
  const y = tf.tensor1d(Array.from({ length: w.batch }, (_, i) => i % 10), 'int32');
  const cfg = { kind: 'adam' };
  let state = createOptimizerState(cfg, params);
  let ps = params;
  const step = () => {
    const { value, grads } = tf.valueAndGrads((...p) => crossEntropy(forwardWithBuffers(spec, p, x, { training: true, buffers, seed: 1 }).output, y))(ps);
    const next = optimizerStep(cfg, state, ps, grads, 1e-3);
    value.dataSync();
    tf.dispose([value, ...grads, ...ps]);
    disposeOptimizerState(state);
    state = next.state;
    ps = next.params;
  };
  step();
  const prof = await tf.profile(() => void tf.tidy(step));
  const byFamily = {};
  let flops = 0;
  let convMs = 0;
  for (const k of prof.kernels) {
    // Composite ops (customGrad, e.g. fusedConv2d__op) are listed beside the kernels they run.
    if (k.name.endsWith('__op')) continue;
    const ms = typeof k.kernelTimeMs === 'number' ? k.kernelTimeMs : 0;
    const f = familyOf(k.name);
    byFamily[f] = (byFamily[f] ?? 0) + ms;
    if (f.startsWith('conv')) {
      flops += convFlops(k);
      convMs += ms;
    }
  }
  tf.dispose([...ps, ...buffers, x, y]);
  disposeOptimizerState(state);
  return {
    msByOp: Object.fromEntries(Object.entries(byFamily).map(([k, v]) => [k, round(v)])),
    convGflop: round(flops / 1e9, 3),
    convGflops: round(flops / 1e6 / convMs),
    convFloorMs: round(flops / 1e6 / GEMM_GFLOPS),
  };
}

function heapBytes() {
  const memory = tf.backend()?.wasm?.asm?.memory;
  return memory?.buffer?.byteLength ?? null;
}

const results = [];
for (const w of WORKLOADS.filter((k) => k.name.includes(opt('only', '')))) {
  const oursS = [];
  const torchS = [];
  let torchInfo = null;
  for (let r = 0; r < reps; r++) {
    oursS.push(await ours(w));
    if (withTorch) {
      const t = torch(w, withProfile && r === 0);
      if (!t.failed) torchS.push(w.images ? t.seconds : t.secondsPerStep);
      torchInfo ??= t;
    }
  }
  const o = median(oursS);
  const t = torchS.length ? median(torchS) : null;
  const unit = w.images ? 'seconds' : 'secondsPerStep';
  const entry = { workload: w.name, [unit]: round(o, 4), [`torch${unit[0].toUpperCase()}${unit.slice(1)}`]: t === null ? null : round(t, 4), ratioVsTorch: t === null ? null : round(o / t, 2) };
  if (!w.images && withProfile) entry.ours = await profileStep(w);
  // The wasm heap only grows, so this is the peak so far (workloads run in the order listed).
  entry.wasmHeapBytesAfter = heapBytes();
  if (torchInfo?.msPerStepByOp) entry.torchMsByOp = torchInfo.msPerStepByOp;
  if (torchInfo?.warning) entry.warning = torchInfo.warning;
  if (torchInfo?.failed) entry.torchError = torchInfo.error;
  results.push(entry);
}
const info = backendInfo();
console.log(
  JSON.stringify(
    { bench: 'nets/train', backend: info.name, simd: info.simd, threads: info.threads, reps, torchThreads: 1, peakWasmHeapBytes: heapBytes(), results },
    null,
    2,
  ),
);
