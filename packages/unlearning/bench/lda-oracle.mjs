// Is the LDA probe a deletion term a weight edit can satisfy? Optimises one net's weights directly
// (Adam, no editor) on the editor's loss: retain KL to the renormalised original + forget KL to gold
// + W · relu(LDA recall − gold's)² on a stratified probe batch (24 rows per class), and reports the
// metric's probe (probeRecoverability on the test split's penultimate features) and test accuracies
// of the original, gold and the optimised net. Nets and golds from bench/editor-deletion.mjs (OUT).
//   node bench/lda-oracle.mjs NET CLASS W STEPS LR      e.g. s0-0 4 30 300 1e-3 (W 0 is the control)
// Against the built dist; prints progress lines and the final probe.
import { initBackend, tf } from '@metanet/tensor';
import { loadFashionMnist, labelsOf } from '@metanet/data';
import { loadNet, forward } from '@metanet/nets';
import { probeRecoverability } from '@metanet/metrics';
import { predictOutputs, penultimateNet } from '../dist/index.js';
import { ldaProbeRecall } from '../dist/gmn-editor.js';
await initBackend();
const train = await loadFashionMnist({ split: 'train' });
const test = await loadFashionMnist({ split: 'test' });
const yTr = labelsOf(train), yTe = labelsOf(test);
const K = 10;
const [s, c, W, STEPS, LR] = [process.argv[2] ?? 's0-0', Number(process.argv[3] ?? 0), Number(process.argv[4] ?? 30), Number(process.argv[5] ?? 200), Number(process.argv[6] ?? 1e-3)];
const dir = `${process.env.OUT ?? '/tmp/metanet-editor-deletion'}/nets`;
const orig = loadNet(`${dir}/${s}`), gold = loadNet(`${dir}/${s}-gold${c}`);
const byClass = Array.from({ length: K }, (_, k) => Int32Array.from([...yTr.keys()].filter((i) => yTr[i] === k)));
let seed = 1; const rnd = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
const pick = (pool, n) => Array.from({ length: n }, () => pool[Math.floor(rnd() * pool.length)]);
function feats(net, params, x) {
  const pen = penultimateNet({ ...net, params });
  const h = tf.reshape(forward(pen.spec, pen.params, x, { buffers: net.buffers, training: false }), [x.shape[0], -1]);
  const head = params.slice(pen.params.length);
  return { h, logits: tf.add(tf.matMul(h, head[0], false, true), head[1]) };
}
const vars = orig.params.map((p) => tf.variable(p.clone()));
const opt = tf.train.adam(LR);
const per = 24, nr = 64, nf = 32;
const onehot = tf.cast(tf.oneHot(tf.tensor1d(Array.from({ length: K * per }, (_, i) => Math.floor(i / per)), 'int32'), K), 'float32');
const probeOf = (params) => { const f = predictOutputs({ ...orig, params }, test, { penultimate: true }); return probeRecoverability(f, yTe, { forgetClasses: [c], numClasses: K }); };
const accOf = (params) => { const o = predictOutputs({ ...orig, params }, test); let h = 0, n = 0, hf = 0, nfc = 0; for (let i = 0; i < o.rows; i++) { let b = 0; for (let k = 1; k < K; k++) if (o.values[i * K + k] > o.values[i * K + b]) b = k; if (yTe[i] === c) { nfc++; hf += b === c; } else { n++; h += b === yTe[i]; } } return { testRetain: 100 * h / n, testForget: 100 * hf / nfc }; };
console.log('orig probe', probeOf(orig.params).forgetAccuracy, accOf(orig.params), 'gold probe', probeOf(gold.params).forgetAccuracy, accOf(gold.params));
for (let st = 0; st < STEPS; st++) {
  const r = pick(Int32Array.from(byClass.filter((_, k) => k !== c).flatMap((p) => Array.from(p))), nr);
  const f = pick(byClass[c], nf);
  const pr = byClass.flatMap((pool) => pick(pool, per));
  const x = tf.gather(train.images, tf.tensor1d([...r, ...f, ...pr], 'int32'));
  const t = tf.tidy(() => {
    const o = feats(orig, orig.params, x), g = feats(gold, gold.params, x);
    const rp = tf.softmax(tf.slice(o.logits, [0, 0], [nr, K]));
    const masked = tf.mul(rp, tf.sub(1, tf.oneHot([c], K)));
    return { rp: tf.div(masked, tf.sum(masked, -1, true)), fp: tf.softmax(tf.slice(g.logits, [nr, 0], [nf, K])), gl: ldaProbeRecall(tf.slice(g.h, [nr + nf, 0], [K * per, -1]), onehot, c) };
  });
  let parts;
  opt.minimize(() => {
    const e = feats(orig, vars, x);
    const kl = (logits, p) => tf.mean(tf.sum(tf.mul(p, tf.sub(tf.log(tf.add(p, 1e-12)), tf.logSoftmax(logits))), -1));
    const ret = kl(tf.slice(e.logits, [0, 0], [nr, K]), t.rp), fo = kl(tf.slice(e.logits, [nr, 0], [nf, K]), t.fp);
    const lda = ldaProbeRecall(tf.slice(e.h, [nr + nf, 0], [K * per, -1]), onehot, c);
    parts = [ret.dataSync()[0], fo.dataSync()[0], lda.dataSync()[0], t.gl.dataSync()[0]];
    return tf.addN([ret, fo, tf.mul(tf.square(tf.relu(tf.sub(lda, t.gl))), W)]);
  });
  tf.dispose([x, t.rp, t.fp, t.gl]);
  if (st % 25 === 0) console.log(st, parts.map((v) => v.toFixed(3)).join(' '));
}
const p = probeOf(vars);
console.log('edited probe', p.forgetAccuracy, accOf(vars));
