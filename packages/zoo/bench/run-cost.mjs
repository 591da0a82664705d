// What one Small CNN Zoo run costs on one core, as JSON: CPU time of one training epoch on the full training pool
// (batch 512) and of scoring 10,000 images, the two numbers behind the protocol's epoch budget (README, "Protocol").
// A tanh net's epoch beside the ReLU one (the zoo draws both). CPU time, not wall time: on a shared machine the wall clock measures the neighbours.
// Usage: node bench/run-cost.mjs (after `npx turbo run build --filter=@metanet/zoo`).
import { initBackend, tf } from '@metanet/tensor';
import { evaluate, initParams, train } from '@metanet/nets';
import { loadZooData, presetByName, smallCnnSpec } from '@metanet/zoo';

const cpuMs = (f) => async () => {
  const c = process.cpuUsage();
  const w = performance.now();
  await f();
  const d = process.cpuUsage(c);
  return { cpuMs: Math.round((d.user + d.system) / 1000), wallMs: Math.round(performance.now() - w) };
};
const backend = await initBackend();
const preset = presetByName('small-cnn');
const data = await loadZooData(preset.dataset);
const spec = smallCnnSpec([28, 28, 1], 16, 'relu', 0.3);
const params = initParams(spec, { seed: 1 });
const evalTest = await cpuMs(() => evaluate(spec, params, data.test, { batchSize: 1000 }))();
const epochOf = (s) => cpuMs(async () => {
  const r = await train(s, initParams(s, { seed: 1 }), data.pool, { epochs: 1, batchSize: 512, optimizer: 'adam', lr: 1e-3, seed: 1 });
  tf.dispose([...r.params, ...r.buffers]);
})();
const epoch = await epochOf(spec);
// Half the zoo's nets are tanh nets (the activation is drawn from {relu, tanh}).
const epochTanh = await epochOf(smallCnnSpec([28, 28, 1], 16, 'tanh', 0.3));
const poolSize = data.pool.images.shape[0];
console.log(JSON.stringify({ bench: 'zoo-run-cost', backend: backend.name ?? backend, poolSize, epochFullPool: epoch, epochFullPoolTanh: epochTanh, eval10k: evalTest, stepMs: Math.round(epoch.cpuMs / Math.ceil(poolSize / 512)) }));
