#!/usr/bin/env node
/**
 * The homework's unlearning protocol (issue 6), against the built dist:
 *   1. train the original homework-cnn (Adam 1e-3, batch 64) on the training set;
 *   2. produce gold (Retrain on D_r with the same recipe) and every registered method;
 *   3. score all with the evaluation harness; write results.json and table.md.
 *
 * node packages/unlearning/bench/homework-protocol.mjs --dataset fashion-mnist \
 *   --request class:0 [--epochs 3] [--limit 6000] [--test-limit 2000] [--seed 0] \
 *   [--methods ft,ga,...] [--hp '{"ft":{"epochs":2}}'] [--max-retain 5000] [--relearn-steps 100] [--reuse] --out DIR
 *
 * The original and gold nets are saved under DIR (original/, gold-<request>/)
 * with their training seconds, so `--reuse` skips training on a rerun.
 * Progress goes to stderr; results and table are rewritten after every row.
 */
import { existsSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { initBackend, backendInfo, tf } from '@metanet/tensor';
import { initParams, loadNet, saveNet, train } from '@metanet/nets';
import { architecture } from '@metanet/spec';
import { datasetSize, disposeDataset, labelsOf, loadFashionMnist, permutation, subsetDataset, syntheticShapes } from '@metanet/data';
import * as U from '@metanet/unlearning';

function parseArgs(argv) {
  const o = { dataset: 'fashion-mnist', request: 'class:0', epochs: 3, limit: 6000, testLimit: 2000, seed: 0, reuse: false, out: null, methods: null, hp: {}, dataDir: undefined, maxRetain: 5000, relearnSteps: 100 };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const next = () => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${a} needs a value`);
      return v;
    };
    if (a === '--dataset') o.dataset = next();
    else if (a === '--request') o.request = next();
    else if (a === '--epochs') o.epochs = Number(next());
    else if (a === '--limit') o.limit = Number(next());
    else if (a === '--test-limit') o.testLimit = Number(next());
    else if (a === '--max-retain') o.maxRetain = Number(next());
    else if (a === '--seed') o.seed = Number(next());
    else if (a === '--relearn-steps') o.relearnSteps = Number(next());
    else if (a === '--out') o.out = next();
    else if (a === '--data-dir') o.dataDir = next();
    else if (a === '--methods') o.methods = next().split(',');
    else if (a === '--hp') o.hp = JSON.parse(next());
    else if (a === '--reuse') o.reuse = true;
    else throw new Error(`unknown option ${a}; see the header of this script`);
  }
  if (!o.out) throw new Error('--out DIR is required');
  return o;
}

const log = (s) => process.stderr.write(`${new Date().toISOString().slice(11, 19)} ${s}\n`);

function progress(label) {
  let last = -1;
  const t0 = performance.now();
  return (done, total) => {
    const decile = Math.floor((10 * done) / Math.max(1, total));
    if (decile === last) return;
    last = decile;
    const el = (performance.now() - t0) / 1000;
    const eta = done > 0 ? (el * (total - done)) / done : NaN;
    log(`  ${label}: ${done}/${total} steps, ${el.toFixed(0)}s${Number.isFinite(eta) ? `, ETA ${eta.toFixed(0)}s` : ''}`);
  };
}

function writeAtomic(path, text) {
  const tmp = `${path}.tmp-${process.pid}`;
  writeFileSync(tmp, text);
  renameSync(tmp, path);
}

async function loadData(o) {
  if (o.dataset === 'synthetic') {
    return { train: syntheticShapes({ n: o.limit, seed: o.seed }), test: syntheticShapes({ n: o.testLimit, seed: o.seed + 1, name: 'synthetic-shapes/test' }) };
  }
  if (o.dataset !== 'fashion-mnist') throw new Error(`unknown dataset ${o.dataset}; use fashion-mnist or synthetic`);
  // A seeded subset of the full sets (the files' order is not class-balanced at every prefix).
  const pick = async (split, k) => {
    const full = await loadFashionMnist({ split, dataDir: o.dataDir });
    const n = datasetSize(full);
    if (!(k < n)) return full;
    const sub = subsetDataset(full, permutation(n, o.seed + (split === 'test' ? 1 : 0)).slice(0, k).sort(), `${full.name}[${k}]`);
    disposeDataset(full);
    return sub;
  };
  return { train: await pick('train', o.limit), test: await pick('test', o.testLimit) };
}

/** FNV-1a over a dataset's size and labels: --reuse refuses a net trained on other data. */
function fingerprint(ds) {
  let h = 0x811c9dc5;
  const mix = (v) => {
    h = Math.imul(h ^ (v & 0xff), 0x01000193) >>> 0;
  };
  const y = labelsOf(ds);
  mix(y.length);
  mix(y.length >>> 8);
  mix(y.length >>> 16);
  for (const v of y) mix(v);
  return `${datasetSize(ds)}:${h.toString(16)}`;
}

async function trainedOrLoaded(dir, reuse, label, print, make) {
  if (reuse && existsSync(join(dir, 'manifest.json'))) {
    const net = loadNet(dir);
    if (net.meta.fingerprint !== print) {
      throw new Error(`${dir} was trained on other data (fingerprint ${net.meta.fingerprint}, now ${print}); drop --reuse or use another --out`);
    }
    log(`${label}: reused ${dir} (${Number(net.meta.seconds).toFixed(1)} s when trained)`);
    return { model: { spec: net.spec, params: net.params, buffers: net.buffers }, seconds: Number(net.meta.seconds) };
  }
  log(`${label}: training`);
  const r = await make();
  saveNet(dir, { spec: r.model.spec, params: r.model.params, buffers: r.model.buffers, meta: { seconds: r.seconds, fingerprint: print, ...r.meta } });
  log(`${label}: done in ${r.seconds.toFixed(1)} s, saved to ${dir}`);
  return r;
}

async function main() {
  const o = parseArgs(process.argv.slice(2));
  await initBackend();
  mkdirSync(o.out, { recursive: true });
  const t0 = performance.now();
  const data = await loadData(o);
  const request = U.parseRequest(o.request);
  const label = U.requestLabel(request);
  const sets = U.buildRequest(request, data, o.seed);
  const [, h, , c] = data.train.images.shape;
  const spec = architecture('homework-cnn', { inChannels: c, inputSize: h, classes: data.train.classNames.length });
  log(`backend ${backendInfo().name}; ${data.train.name} ${datasetSize(data.train)} train / ${datasetSize(data.test)} test; request ${label}: |D_f| = ${datasetSize(sets.train.forget)}, |D_r| = ${datasetSize(sets.train.retain)}`);

  const recipe = { epochs: o.epochs, batchSize: 64, lr: 1e-3, optimizer: 'adam' };
  const stepsPerEpoch = (ds) => Math.ceil(datasetSize(ds) / recipe.batchSize);
  const origDir = join(o.out, request.kind === 'trigger' ? `original-${label}` : 'original');
  const original = await trainedOrLoaded(origDir, o.reuse, 'original', fingerprint(sets.train.full), async () => {
    const init = initParams(spec, { seed: o.seed });
    const p = progress('original');
    const start = performance.now();
    let step = 0;
    const total = recipe.epochs * stepsPerEpoch(sets.train.full);
    const r = await train(spec, init, sets.train.full, { ...recipe, seed: o.seed, onBatch: () => p(++step, total) });
    tf.dispose(init);
    return { model: { spec, params: r.params, buffers: r.buffers }, seconds: (performance.now() - start) / 1000, meta: { recipe, dataset: sets.train.full.name } };
  });
  const input = { model: original.model, forget: sets.train.forget, retain: sets.train.retain, forgetClasses: sets.forgetClasses, numClasses: sets.numClasses, seed: o.seed };
  const gold = await trainedOrLoaded(join(o.out, `gold-${label}`), o.reuse, 'gold (retrain)', fingerprint(sets.train.retain), async () => {
    const r = await U.retrain.run({ ...input, onProgress: progress('retrain') }, recipe);
    return { model: r.model, seconds: r.seconds, meta: { recipe, request } };
  });

  const methods = U.METHODS.filter((m) => m.name !== 'retrain' && (!o.methods || o.methods.includes(m.name)));
  const evalSets = U.evaluationSets(sets);
  // Relearn time: Adam 1e-3 on 64 D_f samples, checked every 5 steps on 256 held-out forget samples, up to 100 steps.
  const hook = U.createRelearnHook(evalSets, { seed: o.seed, maxSteps: o.relearnSteps, evalEvery: 5 });
  const evaluate = { seed: o.seed, maxRetain: o.maxRetain, relearn: hook.relearn };
  const rows = [];
  const flush = () => {
    const results = {
      protocol: 'homework', request, label, dataset: o.dataset, limit: o.limit, testLimit: o.testLimit, epochs: o.epochs, seed: o.seed,
      backend: backendInfo().name, sizes: { forget: datasetSize(sets.train.forget), retain: datasetSize(sets.train.retain), test: datasetSize(data.test) },
      originalSeconds: original.seconds, goldSeconds: gold.seconds, rows,
      hyperparameters: Object.fromEntries(methods.map((m) => [m.name, { ...m.defaults, ...(o.hp[m.name] ?? {}) }])),
    };
    writeAtomic(join(o.out, `results-${label}.json`), `${JSON.stringify(results, null, 2)}\n`);
    writeAtomic(join(o.out, `table-${label}.md`), `# ${label} on ${o.dataset} (${datasetSize(data.train)} train, ${o.epochs} epochs, seed ${o.seed})\n\nAccuracies in %, MIAs in [0, 1], relearn in steps, seconds wall-clock on ${backendInfo().name}.\n\n${U.comparisonTable(rows)}\n`);
  };
  let stepProgress = () => {};
  await U.compareMethods({
    original: original.model,
    gold,
    methods,
    hyperparameters: o.hp,
    sets: evalSets,
    seed: o.seed,
    evaluate,
    onMethod: (name, k, total) => {
      stepProgress = progress(name);
      log(`method ${k + 1}/${total}: ${name}`);
    },
    onProgress: (done, total) => stepProgress(done, total),
    onRow: (row) => {
      rows.push(row);
      flush();
      log(`  ${row.method}: forget ${row.metrics.forgetAcc.toFixed(2)} retain ${row.metrics.retainAcc.toFixed(2)} test ${row.metrics.testAcc.toFixed(2)}${row.seconds !== undefined ? `, ${row.seconds.toFixed(1)} s` : ''}`);
    },
    onError: (name, err) => log(`  ${name} FAILED: ${err instanceof Error ? err.message : String(err)}`),
  });
  // Plain copies under the names the issue asks for, for the last request run.
  writeAtomic(join(o.out, 'results.json'), `${JSON.stringify({ label, rows }, null, 2)}\n`);
  writeAtomic(join(o.out, 'table.md'), `${U.comparisonTable(rows)}\n`);
  log(`done in ${((performance.now() - t0) / 1000).toFixed(0)} s; wrote ${join(o.out, `table-${label}.md`)}`);
  process.stdout.write(`${U.comparisonTable(rows)}\n`);
  hook.dispose();
  sets.dispose();
}

main().catch((err) => {
  process.stderr.write(`homework-protocol: ${err instanceof Error ? (err.constructor.name === "TypeError" ? err.stack : err.message) : String(err)}\n`);
  process.exitCode = err instanceof U.UnlearningError || (err && err.constructor && err.constructor.name !== 'Error') ? 2 : 1;
});
