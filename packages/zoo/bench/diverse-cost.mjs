// What the diverse zoo's runs cost on one core, as JSON, without training them: for each of the first N runs' plans
// (the nets `metanet zoo build --preset diverse` trains, same seeds), the CPU time of a few training steps and of
// scoring 1,000 images, projected onto the protocol: epochs × steps over the run's train fraction (training), plus
// every checkpoint scored on train-eval + val + test images (scoring). CPU time, not wall time: on a shared machine the
// wall clock measures the neighbours. A real build's CPU time per run checks the projection (README, "Protocol").
//
// --baseline DIST measures a second @metanet/zoo build (DIST/index.js, e.g. a copy of dist/ from before a preset
// change, with a node_modules link beside it) on the same run indices, plan after plan in one process, so the two
// columns share the machine's noise. Each plan is also timed at batch 512 (`step512Ms`) to show what that batch buys.
// Usage: node bench/diverse-cost.mjs [runs=24] [--baseline DIST] (after `npx turbo run build --filter=@metanet/zoo`).
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createRng, initBackend, tf } from '@metanet/tensor';
import { countParams } from '@metanet/spec';
import { evaluate, initBuffers, initParams, train } from '@metanet/nets';
import * as current from '@metanet/zoo';

const args = process.argv.slice(2);
const flag = args.indexOf('--baseline');
const baselineDir = flag >= 0 ? args.splice(flag, 2)[1] : undefined;
const RUNS = Number(args[0] ?? 24);
const STEPS = 4;
const cpu = async (f) => {
  const c = process.cpuUsage();
  await f();
  const d = process.cpuUsage(c);
  return (d.user + d.system) / 1000;
};
const backend = await initBackend();
const zoos = [['after', current]];
if (baselineDir) zoos.unshift(['before', await import(pathToFileURL(resolve(baselineDir, 'index.js')).href)]);
const data = await current.loadZooData(current.presetByName('diverse').dataset);
const poolSize = data.pool.images.shape[0];
const head = (ds, n) => ({ ...ds, images: tf.slice(ds.images, 0, n), labels: tf.slice(ds.labels, 0, n) });
const stepPool = head(data.pool, STEPS * 512);
const evalSet = head(data.test, 1000);

/** CPU ms per training step of `plan` at `batch`, after one warm-up step (first-call costs of a new shape). */
async function stepMs(plan, params, batch, steps) {
  const run = async (n) => {
    const r = await train(plan.spec, params, head(stepPool, n * batch), { epochs: 1, batchSize: batch, optimizer: plan.optimizer, lr: plan.lr, weightDecay: plan.l2, seed: 1 });
    tf.dispose([...r.params, ...r.buffers]);
  };
  await run(1);
  return (await cpu(() => run(steps))) / steps;
}

async function measure(plan, preset) {
  const { protocol, dataset } = preset;
  const params = initParams(plan.spec, { scheme: plan.init.scheme, std: plan.init.std, seed: 1 });
  const buffers = initBuffers(plan.spec);
  const step = await stepMs(plan, params, protocol.batchSize, STEPS);
  const step512 = await stepMs(plan, params, 512, 2);
  evaluate(plan.spec, params, head(evalSet, 100), { buffers, batchSize: 1000 });
  const eval1k = await cpu(() => evaluate(plan.spec, params, evalSet, { buffers, batchSize: 1000 }));
  tf.dispose([...params, ...buffers]);
  const steps = Math.ceil((plan.trainFraction * poolSize) / protocol.batchSize);
  const scored = protocol.trainEvalSize + dataset.valSize + dataset.testSize;
  const trainS = (protocol.epochs * steps * step) / 1000;
  const scoreS = (protocol.checkpoints.length * (scored / 1000) * eval1k) / 1000;
  const h = plan.hparams;
  return {
    family: h.family, depth: h.depth, width: h.width, bn: h.bn, head: h.head, trainFraction: h.trainFraction, params: countParams(plan.spec),
    stepMs: Math.round(step), step512Ms: Math.round(step512), eval1kMs: Math.round(eval1k),
    trainCoreSeconds: +trainS.toFixed(2), scoreCoreSeconds: +scoreS.toFixed(2), projectedCoreSeconds: +(trainS + scoreS).toFixed(1),
  };
}

const rows = [];
for (let run = 0; run < RUNS; run++) {
  const row = { run };
  for (const [name, zoo] of zoos) {
    const preset = zoo.presetByName('diverse');
    row[name] = await measure(preset.sample(createRng(zoo.runSeed(0, run)), preset.dataset), preset);
  }
  rows.push(row);
  process.stderr.write(`${JSON.stringify(row)}\n`);
}

const mean = (xs) => (xs.length ? +(xs.reduce((a, b) => a + b, 0) / xs.length).toFixed(2) : null);
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? null;
const by = (ms, key) => Object.fromEntries([...new Set(ms.map((m) => m[key]))].sort((a, b) => (a < b ? -1 : 1)).map((k) => {
  const g = ms.filter((m) => m[key] === k);
  return [k, { plans: g.length, meanCoreSeconds: mean(g.map((m) => m.projectedCoreSeconds)) }];
}));
function summary(name) {
  const ms = rows.map((r) => r[name]);
  const { protocol, dataset } = zoos.find(([n]) => n === name)[1].presetByName('diverse');
  const m = mean(ms.map((x) => x.projectedCoreSeconds));
  return {
    protocol,
    scoredImagesPerCheckpoint: protocol.trainEvalSize + dataset.valSize + dataset.testSize,
    meanCoreSecondsPerRun: m,
    medianCoreSecondsPerRun: median(ms.map((x) => x.projectedCoreSeconds)),
    meanTrainCoreSeconds: mean(ms.map((x) => x.trainCoreSeconds)),
    meanScoreCoreSeconds: mean(ms.map((x) => x.scoreCoreSeconds)),
    byFamily: by(ms, 'family'),
    byWidth: by(ms, 'width'),
    // Step time at batch 512 over twice the step time at the protocol's batch: below 1 means batch 512 saves CPU.
    batch512CostRatio: +(ms.reduce((a, x) => a + x.step512Ms, 0) / ms.reduce((a, x) => a + (2 * x.stepMs * 256) / protocol.batchSize, 0)).toFixed(2),
    projectedCoreHours600Runs: +((600 * m) / 3600).toFixed(2),
  };
}
const out = { bench: 'diverse-run-cost', backend: backend.name ?? backend, poolSize, runs: rows };
for (const [name] of zoos) out[name] = summary(name);
if (baselineDir) out.afterOverBefore = +(out.after.meanCoreSecondsPerRun / out.before.meanCoreSecondsPerRun).toFixed(3);
console.log(JSON.stringify(out, null, 1));
