// Training speed of @metanet/nets against the built dist, side by side with
// PyTorch 1.13 when /usr/bin/python3 has torch. Prints one JSON document.
//
//   node packages/nets/bench/train.mjs [--steps N] [--backend wasm|cpu] [--no-torch]
//
// Seconds per epoch are extrapolated from N timed steps (after 2 warm-up
// steps) to a Fashion-MNIST epoch of 54,000 examples (60,000 minus a 10 %
// validation split) at batch 64. Timings on a shared machine are noisy:
// compare the ratio measured in one run, not absolute numbers across runs.
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createDataset } from '@metanet/data';
import { backendInfo, initBackend, randomNormal, tf } from '@metanet/tensor';
import { architecture } from '@metanet/spec';
import { initParams, train } from '../dist/index.js';

const args = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : dflt;
};
const steps = Number(opt('steps', '20'));
const batch = 64;
const epochExamples = 54_000;
await initBackend(opt('backend') ? { backend: opt('backend') } : {});

async function secondsPerStep(arch) {
  const spec = architecture(arch);
  const n = (steps + 2) * batch;
  const images = randomNormal([n, 28, 28, 1], 1).dataSync();
  const labels = Int32Array.from({ length: n }, (_, i) => i % 10);
  const ds = createDataset({ name: 'bench', images, shape: [n, 28, 28, 1], labels, classNames: [...'0123456789'], source: 'random' });
  const params = initParams(spec, { seed: 0 });
  let t0 = 0;
  let timed = 0;
  await train(spec, params, ds, {
    epochs: 1,
    batchSize: batch,
    onBatch: (p) => {
      if (p.step === 2) t0 = performance.now();
      if (p.step > 2) timed++;
    },
  });
  const perStep = (performance.now() - t0) / 1000 / timed;
  tf.dispose(params);
  return perStep;
}

function torchPerStep(arch) {
  const script = join(dirname(fileURLToPath(import.meta.url)), 'pytorch_reference.py');
  const r = spawnSync('/usr/bin/python3', [script, '--arch', arch, '--steps', String(steps), '--threads', '1'], { encoding: 'utf8' });
  if (r.status !== 0) return null;
  return JSON.parse(r.stdout.trim().split('\n').pop()).secondsPerStep;
}

const results = [];
for (const arch of ['homework-cnn', 'small-cnn']) {
  const ours = await secondsPerStep(arch);
  const torch = args.includes('--no-torch') ? null : torchPerStep(arch);
  const stepsPerEpoch = Math.ceil(epochExamples / batch);
  results.push({
    arch,
    secondsPerStep: ours,
    secondsPerEpoch: ours * stepsPerEpoch,
    torchSecondsPerStep: torch,
    torchSecondsPerEpoch: torch === null ? null : torch * stepsPerEpoch,
    ratioVsTorch: torch === null ? null : ours / torch,
  });
}
const info = backendInfo();
console.log(JSON.stringify({ bench: 'nets/train', backend: info.name, simd: info.simd, threads: info.threads, steps, batch, torchThreads: 1, results }, null, 2));
