// Head-only unlearning baselines on the gold-protocol pairs: does refitting the classifier head on D_r
// (features frozen) reach gold's relearn time (AIN) at the original's retain accuracy on small-cnn?
//   OUT=/tmp/metanet-editor-deletion RESULTS=/work/exp/head node bench/head-refit.mjs
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { initBackend, tf } from '@metanet/tensor';
import { loadFashionMnist } from '@metanet/data';
import { forward, loadNet } from '@metanet/nets';
import { ft } from '../dist/ft.js';
import { logitMask } from '../dist/logit-mask.js';
import { klToTargetLoss, crossEntropyLoss, defineMethod, editorZooRecipe, loadEditor, optimize, runProtocol } from '../dist/index.js';

const env = (k, d) => process.env[k] ?? d;
const OUT = env('OUT', '/tmp/metanet-editor-deletion');
const RESULTS = env('RESULTS', '/work/exp/head');
const HELD_NETS = Number(env('HELD_NETS', 3));
const HELD_CLASSES = env('HELD_CLASSES', '0,2').split(',').map(Number);
const log = (...a) => process.stderr.write(`${a.join(' ')}\n`);
mkdirSync(RESULTS, { recursive: true });

function headMask(model) {
  const n = model.params.length;
  return model.params.map((p, i) => (i >= n - 2 ? tf.onesLike(p) : tf.zerosLike(p)));
}
// reset: the forgotten class's head row and bias to 0 (no evidence for the class) before the refit.
function headMethod(name, reset, defaults) {
  return defineMethod({
    name, description: name, defaults, choices: { optimizer: ['adam', 'sgd'] }, needsForget: false,
    unlearn(input, hp) {
      let model = input.model;
      if (reset) {
        const n = model.params.length;
        const [W, b] = model.params.slice(n - 2);
        const keep = tf.sub(1, tf.sum(tf.oneHot(input.forgetClasses, W.shape[0]), 0));
        const W2 = tf.mul(W, tf.reshape(keep, [-1, 1]));
        const b2 = tf.add(tf.mul(b, keep), tf.mul(tf.sub(1, keep), hp.bias));
        model = { ...model, params: [...model.params.slice(0, n - 2), W2, b2] };
      }
      const mask = headMask(model);
      const r = optimize({ model, sources: { retain: { data: input.retain, batchSize: hp.batchSize } }, epochs: hp.epochs,
        loss: hp.distill
          ? (out, batch) => {
              // The original's softmax on the retain rows with the class removed and renormalised.
              const z = forward(input.model.spec, input.model.params, batch.x, { buffers: input.model.buffers, training: false });
              const keep = tf.sub(1, tf.sum(tf.oneHot(input.forgetClasses, z.shape[1]), 0));
              const p = tf.mul(tf.softmax(z), keep);
              return klToTargetLoss(out.output, tf.div(p, tf.sum(p, -1, true)));
            }
          : (out, batch) => crossEntropyLoss(out.output, batch.y), lr: hp.lr, optimizer: hp.optimizer, momentum: hp.momentum,
        mask, mode: 'eval', seed: input.seed, label: name });
      tf.dispose(mask);
      return { model: r.model, steps: r.steps };
    },
  });
}
const base = { epochs: 1, batchSize: 64, lr: 0.01, optimizer: 'sgd', momentum: 0.9, distill: false };
const all = {
  ft, 'logit-mask': logitMask,
  'head-ft': headMethod('head-ft', false, base),
  'head-reset': headMethod('head-reset', true, { ...base, bias: 0 }),
  'head-reset-distill': headMethod('head-reset-distill', true, { ...base, bias: 0, distill: true }),
  'head-ft3': headMethod('head-ft3', false, { ...base, epochs: 3 }),
  'head-ft-lr3': headMethod('head-ft-lr3', false, { ...base, lr: 0.003 }),
  'head-distill': headMethod('head-distill', false, { ...base, distill: true }),
  'head-distill3': headMethod('head-distill3', false, { ...base, distill: true, epochs: 3 }),
};
const methods = env('METHODS', Object.keys(all).join(',')).split(',').map((k) => all[k]);

await initBackend();
const train = await loadFashionMnist({ split: 'train', limit: 6000 });
const test = await loadFashionMnist({ split: 'test', limit: 6000 });
const nets = [];
const golds = [];
for (let i = 0; i < HELD_NETS; i++) {
  const recipe = editorZooRecipe(1, i, 2);
  const id = `s1-${i}-w${recipe.width}`;
  nets.push({ id, net: loadNet(join(OUT, 'nets', `s1-${i}`)), group: 'unseen seeds' });
  for (const c of HELD_CLASSES) golds.push({ net: id, forgetClass: c, model: loadNet(join(OUT, 'nets', `s1-${i}-gold${c}`)), seconds: 4 });
}
const editor = loadEditor(join(OUT, 'editors', 'off'));
const r = await runProtocol({ editor, nets, golds, methods, train, test, classes: HELD_CLASSES,
  relearn: { maxSteps: 200, evalEvery: 5 }, maxShadow: 200, onScore: (p, t, m) => log(`pair ${p + 1}/${t} ${m}`) });
writeFileSync(join(RESULTS, `${env('TAG', 'head')}.json`), JSON.stringify({ summary: r.summary, pairs: r.pairs }));
const rows = {};
for (const p of r.pairs) for (const row of p.rows) (rows[row.method] ??= []).push(row.metrics);
const m = (a, k) => a.reduce((s, x) => s + (x[k] ?? NaN), 0) / a.length;
for (const [k, a] of Object.entries(rows)) log(`${k.padEnd(12)} forget ${m(a, 'forgetAcc').toFixed(3)} retain ${m(a, 'retainAcc').toFixed(3)} testRetain ${m(a, 'testRetainAcc').toFixed(3)} probe ${m(a, 'probeAcc').toFixed(3)} AIN ${m(a, 'ain').toFixed(2)} gap ${m(a, 'avgGap').toFixed(2)}`);
