// The task request on real Fashion-MNIST: small-cnn-mt (heads label and group) trained on
// TRAIN images for EPOCHS epochs, then every task method forgets head `group`; each model is
// scored by evaluateTask on TEST test images. Runs against the built dist (`npx turbo run build
// --filter=@metanet/unlearning...` first). Prints one JSON document; with OUT=dir it also writes
// dir/task.json and dir/task.md (the committed table is packages/unlearning/results/requests/).
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { initBackend, tf } from '@metanet/tensor';
import { architecture } from '@metanet/spec';
import { disposeDataset, loadFashionMnist } from '@metanet/data';
import { evaluateTask, trainTaskNet, unlearnTask, TASK_METHODS } from '../dist/index.js';

const TRAIN = Number(process.env.TRAIN ?? 12000);
const TEST = Number(process.env.TEST ?? 10000);
const EPOCHS = Number(process.env.EPOCHS ?? 3);
const SEED = Number(process.env.SEED ?? 0);
const HEAD = 'group';

/** The table as Markdown, from the JSON document. */
function markdown(out) {
  const { rows, train: TRAIN, test: TEST, epochs: EPOCHS, seed: SEED } = out;
  const f = (v) => (v === null || v === undefined ? '—' : v.toFixed(1));
  const row = (name) => rows.find((r) => r.model === name);
  return [
    `# task:${HEAD} on Fashion-MNIST (small-cnn-mt, ${TRAIN} train images, ${EPOCHS} epochs, ${TEST} test images, seed ${SEED})`,
    '',
    'Forget head `group` (3-way garment group: tops; bottoms and dresses; footwear and bags) of a net whose heads are `label` (10-way) and `group`. Gold = retrain: a fresh init trained on `label` alone, `group` left at its initialisation.',
    '',
    '- **label acc**: test accuracy of the kept head; higher is better, near the original\'s.',
    '- **group acc**: test accuracy of the forgotten head; target gold\'s (an untrained head).',
    '- **probe group**: balanced accuracy of a linear probe for the group labels on trunk features (held-out part of the test set; chance 33.3); target gold\'s.',
    `- **seconds** on the ${out.backend} backend of a shared 2-core machine; RTE = seconds / gold's.`,
    '',
    '| model | label acc | group acc | probe group | \\|Δ group\\| to gold | \\|Δ probe\\| to gold | steps | seconds | RTE |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|',
    ...rows.map((r) => `| ${r.model} | ${f(r.headAccuracy.label)} | ${f(r.forgetHeadAccuracy)} | ${f(r.probeAccuracy)} | ${f(r.gapToGold.forgetHead)} | ${f(r.gapToGold.probe)} | ${r.steps ?? '—'} | ${f(r.seconds)} | ${r.rte === null ? '—' : r.rte.toFixed(3)} |`),
    '',
    '## Reading',
    '',
    `- Gold's trunk probe is ${f(row('retrain (gold)').probeAccuracy)} against the original's ${f(row('original').probeAccuracy)}. Group is a function of label (each label lies in one group), so a trunk that serves label carries group: on this pair of tasks there is no group-specific information to delete from the trunk, and the probe cannot separate methods. It would on a task the kept heads do not determine. The head accuracies do separate them.`,
    `- reinit-head reaches gold's group accuracy at no cost to label (it touches head group's rows only); here that is also what gold is, up to its retrained trunk.`,
    `- The ascent methods at their defaults (SGD, lr 0.01) stop once head group is at chance but wreck label on the way; at lr 0.001, neggrad-plus keeps most of label.`,
    `- ft leaves head group's rows untouched (they get no gradient), so group stays near the original's.`,
    '',
    `Produced by \`OUT=packages/unlearning/results/requests node packages/unlearning/bench/task-request.mjs\` (TRAIN=${TRAIN} EPOCHS=${EPOCHS} TEST=${TEST}); \`RENDER=packages/unlearning/results/requests/task.json\` re-renders task.md from the JSON.`,
    '',
  ].join('\n');
}

if (process.env.RENDER) {
  const out = JSON.parse(readFileSync(process.env.RENDER, 'utf8'));
  writeFileSync(join(dirname(process.env.RENDER), 'task.md'), markdown(out));
} else {
  await run();
}

async function run() {
  await initBackend();
  const train = await loadFashionMnist({ split: 'train', limit: TRAIN });
  const test = await loadFashionMnist({ split: 'test', limit: TEST });
  const spec = architecture('small-cnn-mt');
  const recipe = { epochs: EPOCHS, batchSize: 64, lr: 1e-3 };

  const t0 = performance.now();
  const original = await trainTaskNet(spec, train, null, { ...recipe, seed: SEED });
  const originalSeconds = (performance.now() - t0) / 1000;
  const rows = [{ model: 'original', seconds: originalSeconds, steps: null, ...evaluateTask(original, test, HEAD, { seed: SEED }) }];
  let goldSeconds = null;
  for (const method of TASK_METHODS) {
    // retrain is gold: a fresh init (seed + 1) on the label head alone, with the original's recipe.
    const hp = method === 'retrain' ? recipe : {};
    const r = await unlearnTask(method, { model: original, head: HEAD, train, seed: SEED + 1 }, hp);
    if (method === 'retrain') goldSeconds = r.seconds;
    rows.push({ model: method === 'retrain' ? 'retrain (gold)' : method, seconds: r.seconds, steps: r.steps, ...evaluateTask(r.model, test, HEAD, { seed: SEED }) });
    tf.dispose([...r.model.params, ...r.model.buffers]);
  }
  // One more setting each for the ascent methods, whose defaults (SGD at lr 0.01) also wreck the kept head.
  for (const [method, hp] of [['ga', { lr: 0.001 }], ['neggrad-plus', { lr: 0.001, epochs: 2 }]]) {
    const r = await unlearnTask(method, { model: original, head: HEAD, train, seed: SEED + 1 }, hp);
    const label = `${method} (${Object.entries(hp).map(([k, v]) => `${k} ${v}`).join(', ')})`;
    rows.push({ model: label, seconds: r.seconds, steps: r.steps, ...evaluateTask(r.model, test, HEAD, { seed: SEED }) });
    tf.dispose([...r.model.params, ...r.model.buffers]);
  }
  for (const row of rows) row.rte = row.seconds !== null && goldSeconds ? row.seconds / goldSeconds : null;
  const gold = rows.find((r) => r.model === 'retrain (gold)');
  for (const row of rows) {
    row.gapToGold = { forgetHead: Math.abs(row.forgetHeadAccuracy - gold.forgetHeadAccuracy), probe: Math.abs(row.probeAccuracy - gold.probeAccuracy), label: Math.abs(row.headAccuracy.label - gold.headAccuracy.label) };
  }
  const out = { request: { kind: 'task', head: HEAD }, arch: 'small-cnn-mt', dataset: 'fashion-mnist', train: TRAIN, test: TEST, epochs: EPOCHS, seed: SEED, backend: tf.getBackend(), node: process.version, rows };
  console.log(JSON.stringify(out, null, 2));

  if (process.env.OUT) {
    mkdirSync(process.env.OUT, { recursive: true });
    writeFileSync(join(process.env.OUT, 'task.json'), `${JSON.stringify(out, null, 2)}\n`);
    writeFileSync(join(process.env.OUT, 'task.md'), markdown(out));
  }
  tf.dispose([...original.params, ...original.buffers]);
  disposeDataset(train);
  disposeDataset(test);
}
