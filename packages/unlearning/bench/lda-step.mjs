// Does the gradient of the LDA probe alone carry the deletion? On top of editor A's edit at scale 0.7, one
// step down the gradient of the LDA recall (on 64 training rows per class) of every trunk tensor, normalised per
// tensor to ‖Δw‖ = rho · ‖w‖ (rho 0.02–0.2); the metric's probe and test accuracies after each.
//   node bench/lda-step.mjs NET CLASS [PER_CLASS]      nets, golds and editor A of bench/editor-deletion.mjs (OUT)
// Against the built dist.
import { initBackend, tf } from '@metanet/tensor';
import { loadFashionMnist, labelsOf } from '@metanet/data';
import { loadNet, forward } from '@metanet/nets';
import { probeRecoverability } from '@metanet/metrics';
import { predictOutputs, penultimateNet, applyEditor, loadEditor } from '../dist/index.js';
import { ldaProbeRecall } from '../dist/gmn-editor.js';
await initBackend();
const train = await loadFashionMnist({ split: 'train' });
const test = await loadFashionMnist({ split: 'test' });
const yTr = labelsOf(train), yTe = labelsOf(test);
const K = 10;
const [s, c, PER] = [process.argv[2], Number(process.argv[3]), Number(process.argv[4] ?? 64)];
const OUT = process.env.OUT ?? '/tmp/metanet-editor-deletion';
const dir = `${OUT}/nets`;
const orig = loadNet(`${dir}/${s}`), gold = loadNet(`${dir}/${s}-gold${c}`);
const ed = loadEditor(`${OUT}/editors/A`);
const base = applyEditor(ed, orig, [c], { scale: 0.7 });
let seed = 7; const rnd = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
const byClass = Array.from({ length: K }, (_, k) => [...yTr.keys()].filter((i) => yTr[i] === k));
const rowsIdx = byClass.flatMap((p) => Array.from({ length: PER }, () => p[Math.floor(rnd() * p.length)]));
const x = tf.gather(train.images, tf.tensor1d(rowsIdx, 'int32'));
const onehot = tf.cast(tf.oneHot(tf.tensor1d(rowsIdx.map((i) => yTr[i]), 'int32'), K), 'float32');
const pen = penultimateNet(base);
const lda = (ps) => ldaProbeRecall(tf.reshape(forward(pen.spec, ps, x, { buffers: base.buffers, training: false }), [x.shape[0], -1]), onehot, c);
const g = tf.grads((...ps) => lda(ps))(pen.params);
const probe = (m) => (100 * probeRecoverability(predictOutputs(m, test, { penultimate: true }), yTe, { forgetClasses: [c], numClasses: K }).forgetAccuracy).toFixed(1);
const acc = (m) => { const o = predictOutputs(m, test); let h = 0, n = 0, hf = 0, nf = 0; for (let i = 0; i < o.rows; i++) { let b = 0; for (let k = 1; k < K; k++) if (o.values[i * K + k] > o.values[i * K + b]) b = k; if (yTe[i] === c) { nf++; hf += b === c; } else { n++; h += b === yTe[i]; } } return `testRetain ${(100 * h / n).toFixed(1)} testForget ${(100 * hf / nf).toFixed(1)}`; };
console.log(s, c, 'orig', probe(orig), acc(orig), '| gold', probe(gold), acc(gold), '| A07', probe(base), acc(base), 'lda', lda(pen.params).dataSync()[0].toFixed(3));
for (const rho of [0.02, 0.05, 0.1, 0.2]) {
  const ps = pen.params.map((p, i) => tf.tidy(() => { const n = tf.norm(p), gn = tf.norm(g[i]); return tf.sub(p, tf.mul(g[i], tf.div(tf.mul(n, rho), tf.add(gn, 1e-12)))); }));
  const m = { ...base, params: [...ps, ...base.params.slice(ps.length)] };
  console.log('  rho', rho, 'probe', probe(m), acc(m), 'lda', lda(ps).dataSync()[0].toFixed(3));
}
