// How much a net's outputs on fixed probe inputs tell about its test accuracy, without a graph: per net, the
// softmax outputs on P probe inputs summarised into 16 numbers (mean and std of the top probability, of the entropy
// and of the logits' spread, and the sorted histogram of predicted classes), into StatNN's MLP recipe on z-scored
// inputs; beside StatNN itself, on the same NFN split (seed 0, final checkpoints) and predictor seeds 0, 1, 2.
// Probes are noise in [-1, 1] (a function of the weights alone) or the first P validation images of the zoo's data
// (unlabeled, never trained on by a zoo net). One JSON line per variant.
//
//   node packages/zoo/scripts/probe-signal.mjs ZOO_DIR [variant,variant,...]   (variants: statnn, stats-z, noise-z, real-z, stats+noise-z, stats+real-z)
import { initBackend, tf } from '@metanet/tensor';
import { forward } from '@metanet/nets';
import { bufferInfos, paramInfos } from '@metanet/spec';
import { loadZooData, predictionMethod, readZoo, readZooNet, scorePredictions, splitZoo, stackRows, statFeatures, vectorMethod } from '../dist/index.js';

await initBackend();
const dir = process.argv[2];
const only = process.argv[3]?.split(',');
const P = Number(process.env.PROBES ?? 64);
const { settings, records } = readZoo(dir);
const entries = records.filter((r) => r.final).map((record) => ({ record, net: readZooNet(dir, record) }));
const split = splitZoo(entries, { seed: 0 });
const data = await loadZooData(settings.dataset);
const real = tf.slice(data.val.images, 0, P);
const noise = tf.randomUniform(real.shape, -1, 1, 'float32', 7);

const cache = new Map();
function outputSummary(e, x, tag) {
  const key = `${e.record.id}/${tag}`;
  if (!cache.has(key)) {
    const pinfos = paramInfos(e.net.spec);
    const binfos = bufferInfos(e.net.spec);
    const v = tf.tidy(() => {
      const logits = forward(e.net.spec, e.net.params.map((a, k) => tf.tensor(a, pinfos[k].shape)), x, { buffers: e.net.buffers.map((a, k) => tf.tensor(a, binfos[k].shape)) });
      const p = tf.softmax(logits);
      const m = (t) => {
        const { mean, variance } = tf.moments(t);
        return [mean, tf.sqrt(variance)];
      };
      const top = tf.max(p, 1);
      const entropy = tf.neg(tf.sum(tf.mul(p, tf.log(tf.add(p, 1e-8))), 1));
      const spread = tf.sqrt(tf.moments(logits, 1).variance);
      const hist = tf.topk(tf.mean(tf.oneHot(tf.argMax(logits, 1), logits.shape[1]), 0), logits.shape[1]).values;
      return tf.concat([tf.stack([...m(top), ...m(entropy), ...m(spread)]), hist]).dataSync().slice();
    });
    cache.set(key, v);
  }
  return cache.get(key);
}

const mlp = (name, feats) => vectorMethod({
  name,
  description: name,
  defaults: { hidden: [1000, 1000], epochs: 50, batchSize: 8, lr: 1e-3, standardize: true },
  fitFeaturizer() { return this.restoreFeaturizer({}); },
  restoreFeaturizer(state) { return { state, features: (es) => { const rows = es.map(feats); return stackRows(rows, rows[0].length); } }; },
});
const variants = {
  statnn: predictionMethod('statnn'),
  'stats-z': mlp('stats-z', (e) => statFeatures(e.net)),
  'noise-z': mlp('noise-z', (e) => outputSummary(e, noise, 'noise')),
  'real-z': mlp('real-z', (e) => outputSummary(e, real, 'real')),
  'stats+noise-z': mlp('stats+noise-z', (e) => Float32Array.from([...statFeatures(e.net), ...outputSummary(e, noise, 'noise')])),
  'stats+real-z': mlp('stats+real-z', (e) => Float32Array.from([...statFeatures(e.net), ...outputSummary(e, real, 'real')])),
};
const truth = split.test.map((e) => e.record.metrics.testAcc);
for (const [name, method] of Object.entries(variants)) {
  if (only && !only.includes(name)) continue;
  const taus = [];
  for (const seed of [0, 1, 2]) {
    const { predictor } = await method.fit(split.train, split.val, { seed });
    taus.push(scorePredictions(truth, predictor.predict(split.test)).tau);
    predictor.dispose();
  }
  const mean = taus.reduce((a, b) => a + b) / taus.length;
  const std = Math.sqrt(taus.reduce((a, b) => a + (b - mean) ** 2, 0) / (taus.length - 1));
  console.log(JSON.stringify({ variant: name, probes: P, train: split.train.length, test: split.test.length, tau: +mean.toFixed(4), std: +std.toFixed(4), taus: taus.map((t) => +t.toFixed(3)) }));
}
