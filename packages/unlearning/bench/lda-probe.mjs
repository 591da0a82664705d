// Does the LDA probe (src/gmn/lda-probe.ts) see what the metric's probe sees? For cached nets and
// golds of bench/editor-deletion.mjs (OUT, default /tmp/metanet-editor-deletion; run its `zoo`
// stage first), on the Fashion-MNIST test split: the metric's probe recall of the forgotten class
// (probeRecoverability), the LDA probe's recall on all 10,000 rows, and its mean over 20 stratified
// batches of PER_CLASS rows per class (what the trainer sees), for the original and for gold.
// Against the built dist. Prints one JSON document.
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { initBackend, tf } from '@metanet/tensor';
import { loadFashionMnist, labelsOf } from '@metanet/data';
import { loadNet } from '@metanet/nets';
import { probeRecoverability } from '@metanet/metrics';
import { predictOutputs } from '../dist/index.js';
import { ldaProbeRecall } from '../dist/gmn-editor.js';

const OUT = process.env.OUT ?? '/tmp/metanet-editor-deletion';
const PER_CLASS = Number(process.env.PER_CLASS ?? 24);
await initBackend();
const test = await loadFashionMnist({ split: 'test' });
const y = labelsOf(test);
const K = test.classNames.length;
const byClass = Array.from({ length: K }, (_, k) => [...y.keys()].filter((i) => y[i] === k));
let state = 12345;
const rnd = () => (state = (state * 16807) % 2147483647) / 2147483647;
const batches = Array.from({ length: 20 }, () => byClass.flatMap((pool) => Array.from({ length: PER_CLASS }, () => pool[Math.floor(rnd() * pool.length)])));
const batchOnehot = tf.cast(tf.oneHot(tf.tensor1d(batches[0].map((i) => y[i]), 'int32'), K), 'float32');
const allOnehot = tf.cast(tf.oneHot(tf.tensor1d(Array.from(y), 'int32'), K), 'float32');

function scores(net, c) {
  const f = predictOutputs(net, test, { penultimate: true });
  const probe = probeRecoverability(f, y, { forgetClasses: [c], numClasses: K }).forgetAccuracy;
  return tf.tidy(() => {
    const h = tf.tensor2d(f.values, [f.rows, f.cols]);
    const all = ldaProbeRecall(h, allOnehot, c).dataSync()[0];
    const batch = batches.reduce((s, b) => s + ldaProbeRecall(tf.gather(h, b), batchOnehot, c).dataSync()[0], 0) / batches.length;
    return { probe, ldaAll: all, ldaBatch: batch };
  });
}

const dir = join(OUT, 'nets');
const pairs = [];
for (const name of readdirSync(dir).filter((n) => !n.includes('gold')).sort()) {
  const orig = loadNet(join(dir, name));
  for (let c = 0; c < K; c++) {
    const g = join(dir, `${name}-gold${c}`);
    if (!existsSync(join(g, 'manifest.json'))) continue;
    const row = { net: name, cls: c, original: scores(orig, c), gold: scores(loadNet(g), c) };
    pairs.push(row);
    process.stderr.write(`${JSON.stringify(row)}\n`);
  }
}
const frac = (f) => pairs.filter(f).length / pairs.length;
console.log(JSON.stringify({
  pairs: pairs.length,
  // How often gold scores below the original, per measure.
  goldBelow: { probe: frac((p) => p.gold.probe < p.original.probe), ldaAll: frac((p) => p.gold.ldaAll < p.original.ldaAll), ldaBatch: frac((p) => p.gold.ldaBatch < p.original.ldaBatch) },
  meanGap: Object.fromEntries(['probe', 'ldaAll', 'ldaBatch'].map((k) => [k, pairs.reduce((s, p) => s + p.original[k] - p.gold[k], 0) / pairs.length])),
  rows: pairs,
}));
