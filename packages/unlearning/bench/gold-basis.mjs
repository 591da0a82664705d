// Is gold by recipe in the original's basis? Gold (`editorZooGold`) starts from the original's
// init and sees its shuffle seed, so no permutation should separate them. For each cached
// (net, gold) pair of bench/editor-deletion.mjs (run its `zoo` stage first; OUT as there):
//   per tensor: ||w - w*|| / ||w - w0||, cos(w - w0, w* - w0), ||w - w*|| / ||w|| (w0 = the recipe's init);
//   penultimate features on test images: mean per-unit correlation of original vs gold (same
//   unit index), and the mean best-match correlation (any unit), which a permutation would reach.
// Prints one JSON document.
import { join } from 'node:path';
import { initBackend, tf } from '@metanet/tensor';
import { loadFashionMnist } from '@metanet/data';
import { initParams, loadNet } from '@metanet/nets';
import { paramInfos } from '@metanet/spec';
import { editorZooRecipe, predictOutputs } from '../dist/index.js';

const env = (k, d) => process.env[k] ?? d;
const OUT = env('OUT', '/tmp/metanet-editor-deletion');
const EPOCHS = Number(env('EPOCHS', 2));
const PAIRS = env('PAIRS', 's0-0:0,s0-0:2,s0-1:0,s0-2:4,s0-3:2,s1-0:0,s1-1:2,s1-2:0').split(',');

await initBackend();
const test = await loadFashionMnist({ split: 'test', limit: 2000 });
const norm = (a) => Math.sqrt(a.reduce((s, v) => s + v * v, 0));
const sub = (a, b) => a.map((v, i) => v - b[i]);
const dot = (a, b) => a.reduce((s, v, i) => s + v * b[i], 0);

function unitCorrelations(a, b) {
  const n = a.rows;
  const d = a.cols;
  const col = (m, j) => Float64Array.from({ length: n }, (_, i) => m.values[i * d + j]);
  const z = (v) => {
    const mu = v.reduce((s, x) => s + x, 0) / n;
    const sd = Math.sqrt(v.reduce((s, x) => s + (x - mu) ** 2, 0) / n) || 1;
    return v.map((x) => (x - mu) / sd);
  };
  const A = Array.from({ length: d }, (_, j) => z(col(a, j)));
  const B = Array.from({ length: d }, (_, j) => z(col(b, j)));
  const c = (x, y) => dot(x, y) / n;
  const same = A.map((x, j) => c(x, B[j]));
  const best = A.map((x) => Math.max(...B.map((y) => c(x, y))));
  const mean = (v) => v.reduce((s, x) => s + x, 0) / v.length;
  return { sameUnit: mean(same), bestUnit: mean(best), units: d };
}

const rows = [];
for (const p of PAIRS) {
  const [id, cls] = p.split(':');
  const [seed, index] = id.slice(1).split('-').map(Number);
  const recipe = editorZooRecipe(seed, index, EPOCHS);
  const net = loadNet(join(OUT, 'nets', id));
  const gold = loadNet(join(OUT, 'nets', `${id}-gold${cls}`));
  const init = initParams(net.spec, { seed: recipe.seed });
  const infos = paramInfos(net.spec);
  const tensors = infos.map((info, t) => {
    const w = Array.from(net.params[t].dataSync());
    const g = Array.from(gold.params[t].dataSync());
    const w0 = Array.from(init[t].dataSync());
    const dw = sub(w, w0);
    const dg = sub(g, w0);
    return { name: info.name, size: w.length, distOverTravel: norm(sub(w, g)) / Math.max(norm(dw), 1e-12), cosine: dot(dw, dg) / Math.max(norm(dw) * norm(dg), 1e-12), distOverNorm: norm(sub(w, g)) / Math.max(norm(w), 1e-12) };
  });
  tf.dispose(init);
  const corr = unitCorrelations(predictOutputs(net, test, { penultimate: true }), predictOutputs(gold, test, { penultimate: true }));
  rows.push({ pair: p, width: recipe.width, optimizer: recipe.optimizer, lr: recipe.lr, tensors, features: corr });
  process.stderr.write(`${p} w${recipe.width} ${recipe.optimizer} corr same ${corr.sameUnit.toFixed(3)} best ${corr.bestUnit.toFixed(3)} ${tensors.map((t) => `${t.name}:${t.distOverTravel.toFixed(2)}/${t.cosine.toFixed(2)}`).join(' ')}\n`);
}
// How much of gold's move is the same whichever class is forgotten (retraining's own drift,
// not the request)? For nets with several golds: per tensor, ||mean_c (w*_c - w)||^2 over
// mean_c ||w*_c - w||^2 (1 = the class does not matter; 1/C for independent moves).
const SHARED = env('SHARED', 's0-0,s0-1,s0-2,s0-3,s0-4,s0-5').split(',').filter(Boolean);
const SHARED_CLASSES = env('SHARED_CLASSES', '0,2,4').split(',').map(Number);
const shared = [];
for (const id of SHARED) {
  const net = loadNet(join(OUT, 'nets', id));
  const golds = SHARED_CLASSES.map((c) => loadNet(join(OUT, 'nets', `${id}-gold${c}`)));
  const infos = paramInfos(net.spec);
  const tensors = infos.map((info, t) => {
    const w = Array.from(net.params[t].dataSync());
    const ds = golds.map((g) => sub(Array.from(g.params[t].dataSync()), w));
    const mean = w.map((_, i) => ds.reduce((s, d) => s + d[i], 0) / ds.length);
    const sq = (a) => a.reduce((s, v) => s + v * v, 0);
    return { name: info.name, sharedFraction: sq(mean) / (ds.reduce((s, d) => s + sq(d), 0) / ds.length) };
  });
  shared.push({ net: id, tensors });
  process.stderr.write(`${id} shared ${tensors.map((t) => `${t.name}:${t.sharedFraction.toFixed(2)}`).join(' ')}\n`);
}
console.log(JSON.stringify({ rows, shared }));
