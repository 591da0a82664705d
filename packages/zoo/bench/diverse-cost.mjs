// What the diverse zoo's runs cost on one core, as JSON, without training them: for each of the first N runs' plans
// (the nets `metanet zoo build --preset diverse` trains, same seeds), the CPU time of a few training steps and of
// scoring 1,000 images, projected onto the protocol (epochs × steps over the run's train fraction, plus scoring
// every checkpoint on train-eval + val + test images). CPU time, not wall time: on a shared machine the wall clock
// measures the neighbours. A real build's CPU time per run checks the projection (README, "Protocol").
// Usage: node bench/diverse-cost.mjs [runs=24] (after `npx turbo run build --filter=@metanet/zoo`).
import { createRng, initBackend, tf } from '@metanet/tensor';
import { countParams } from '@metanet/spec';
import { evaluate, initBuffers, initParams, train } from '@metanet/nets';
import { loadZooData, presetByName, runSeed } from '@metanet/zoo';

const RUNS = Number(process.argv[2] ?? 24);
const STEPS = 4;
const cpu = async (f) => {
  const c = process.cpuUsage();
  await f();
  const d = process.cpuUsage(c);
  return (d.user + d.system) / 1000;
};
const backend = await initBackend();
const preset = presetByName('diverse');
const { protocol, dataset } = preset;
const data = await loadZooData(dataset);
const poolSize = data.pool.images.shape[0];
const evalImages = protocol.trainEvalSize + dataset.valSize + dataset.testSize;
const batch = protocol.batchSize;
const stepSet = { ...data.pool, images: tf.slice(data.pool.images, 0, STEPS * batch), labels: tf.slice(data.pool.labels, 0, STEPS * batch) };
const evalSet = { ...data.test, images: tf.slice(data.test.images, 0, 1000), labels: tf.slice(data.test.labels, 0, 1000) };
const runs = [];
for (let run = 0; run < RUNS; run++) {
  const plan = preset.sample(createRng(runSeed(0, run)), dataset);
  const params = initParams(plan.spec, { scheme: plan.init.scheme, std: plan.init.std, seed: 1 });
  const buffers = initBuffers(plan.spec);
  // One warm-up step so the first plan of a shape does not pay the kernels' first-call costs alone.
  const warm = await train(plan.spec, params, { ...stepSet, images: tf.slice(stepSet.images, 0, batch), labels: tf.slice(stepSet.labels, 0, batch) }, { epochs: 1, batchSize: batch, optimizer: plan.optimizer, lr: plan.lr, seed: 1 });
  tf.dispose([...warm.params, ...warm.buffers]);
  const stepMs = (await cpu(async () => {
    const r = await train(plan.spec, params, stepSet, { epochs: 1, batchSize: batch, optimizer: plan.optimizer, lr: plan.lr, seed: 1 });
    tf.dispose([...r.params, ...r.buffers]);
  })) / STEPS;
  const eval1kMs = await cpu(() => evaluate(plan.spec, params, evalSet, { buffers, batchSize: 1000 }));
  tf.dispose([...params, ...buffers]);
  const steps = Math.ceil((plan.trainFraction * poolSize) / batch);
  const projectedMs = protocol.epochs * steps * stepMs + protocol.checkpoints.length * (evalImages / 1000) * eval1kMs;
  const h = plan.hparams;
  runs.push({ run, family: h.family, depth: h.depth, width: h.width, bn: h.bn, head: h.head, trainFraction: h.trainFraction, params: countParams(plan.spec), stepMs: Math.round(stepMs), eval1kMs: Math.round(eval1kMs), projectedCoreSeconds: +(projectedMs / 1000).toFixed(1) });
  process.stderr.write(`run ${run}: ${JSON.stringify(runs.at(-1))}\n`);
}
const mean = runs.reduce((a, r) => a + r.projectedCoreSeconds, 0) / runs.length;
const sorted = runs.map((r) => r.projectedCoreSeconds).sort((a, b) => a - b);
console.log(JSON.stringify({
  bench: 'diverse-run-cost',
  backend: backend.name ?? backend,
  protocol,
  poolSize,
  runs,
  meanCoreSecondsPerRun: +mean.toFixed(1),
  medianCoreSecondsPerRun: sorted[Math.floor(sorted.length / 2)],
  projectedHours2000Runs2IdleCores: +((2000 * mean) / 2 / 3600).toFixed(1),
}, null, 1));
