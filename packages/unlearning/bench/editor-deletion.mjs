// Deletion measurements of the GMN editor on Fashion-MNIST, against the built dist
// (`npx turbo run build --filter=@metanet/unlearning...` first). Three stages, each cached
// under OUT (default /tmp/metanet-editor-deletion), so a stage can be rerun alone:
//   node bench/editor-deletion.mjs zoo                 train nets and golds (editorZooRecipe / editorZooGold)
//   node bench/editor-deletion.mjs editor NAME [JSON]  train an editor (JSON: loss weights, e.g. '{"deletion":0,"relearn":0,"cka":0}')
//   node bench/editor-deletion.mjs eval NAME,NAME      held-out nets x classes: the BASELINES, then each editor
//   node bench/editor-deletion.mjs summary A.json,B.json  merges the rows of several eval runs into one summary
//   node bench/editor-deletion.mjs scale NAME NEW S    saves editor NAME as NEW with its calibrated Δw scale set to S
// Sizes come from the environment: LIMIT (training images, 6000), TRAIN_NETS (6), HELD_NETS (3),
// GOLD_CLASSES (0,2,4), HELD_CLASSES (0,2), EPOCHS (2), STEPS (200), LR (the editor's, 1e-3), HIDDEN (32) and LAYERS (3) of the editor, HELD_SEED (1) and HELD_FROM (0) of the evaluated nets, BASELINES (original,gold,logit-mask,ft;
// an eval run may take some and a second run the rest: `summary` joins them). Prints one JSON document.
import { readFileSync } from 'node:fs';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { initBackend, tf } from '@metanet/tensor';
import { loadFashionMnist, labelsOf, subsetDataset } from '@metanet/data';
import { loadNet, saveNet } from '@metanet/nets';
import { avgGap } from '@metanet/metrics';
import { featureToGold, linearCka, weightTarget, weightToGold } from '../dist/gmn-editor.js';
import { logitMask } from '../dist/logit-mask.js';
import { ft } from '../dist/ft.js';
import {
  applyEditor,
  editorZooGold,
  editorZooRecipe,
  evaluateModel,
  gapMetrics,
  loadEditor,
  predictOutputs,
  relearnSlice,
  relearnTime,
  saveEditor,
  trainEditor,
  trainRecipe,
} from '../dist/index.js';

const env = (k, d) => process.env[k] ?? d;
const OUT = env('OUT', '/tmp/metanet-editor-deletion');
const LIMIT = Number(env('LIMIT', 6000));
const TRAIN_NETS = Number(env('TRAIN_NETS', 6));
const HELD_NETS = Number(env('HELD_NETS', 3));
const GOLD_CLASSES = env('GOLD_CLASSES', '0,2,4').split(',').map(Number);
const HELD_CLASSES = env('HELD_CLASSES', '0,2').split(',').map(Number);
const EPOCHS = Number(env('EPOCHS', 2));
const STEPS = Number(env('STEPS', 200));
const BASELINES = env('BASELINES', 'original,gold,logit-mask,ft').split(',').filter(Boolean);
const log = (...a) => process.stderr.write(`${a.join(' ')}\n`);

await initBackend();
const train = await loadFashionMnist({ split: 'train', limit: LIMIT });
const test = await loadFashionMnist({ split: 'test', limit: Math.min(LIMIT, 10000) });
const K = train.classNames.length;

async function cached(dir, make) {
  if (existsSync(join(dir, 'manifest.json'))) return loadNet(dir);
  const t0 = performance.now();
  const net = await make();
  saveNet(dir, net);
  log(`${dir}: ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  return net;
}

// Training nets use zoo seed 0, held-out nets seed 1 (other seeds, widths, optimisers, lr).
async function zooNets(seed, count, classes, from = 0) {
  const out = [];
  for (let i = from; i < from + count; i++) {
    const recipe = editorZooRecipe(seed, i, EPOCHS);
    const net = await cached(join(OUT, 'nets', `s${seed}-${i}`), () => trainRecipe(recipe, train));
    const gold = [];
    for (const c of classes) gold.push({ net: i, forgetClass: c, model: await cached(join(OUT, 'nets', `s${seed}-${i}-gold${c}`), () => editorZooGold(recipe, train, c)) });
    out.push({ net, recipe, gold });
  }
  return out;
}

const stage = process.argv[2];
if (stage === 'zoo') {
  mkdirSync(OUT, { recursive: true });
  await zooNets(0, TRAIN_NETS, GOLD_CLASSES);
  await zooNets(1, HELD_NETS, HELD_CLASSES);
  console.log(JSON.stringify({ stage, out: OUT }));
} else if (stage === 'editor') {
  const name = process.argv[3];
  const loss = JSON.parse(process.argv[4] ?? '{}');
  const zoo = await zooNets(0, TRAIN_NETS, GOLD_CLASSES);
  const r = trainEditor({
    nets: zoo.map((z) => z.net),
    gold: zoo.flatMap((z) => z.gold),
    dataset: train,
    numClasses: K,
    classes: GOLD_CLASSES,
    steps: STEPS,
    lr: Number(env('LR', 1e-3)),
    config: { hidden: Number(env('HIDDEN', 32)), layers: Number(env('LAYERS', 3)) },
    loss,
    seed: 0,
    onStep: (s, t, p) => {
      if (s % 25 === 0) log(`${name} ${s}/${t} retain ${p.retain.toFixed(4)} forget ${p.forget.toFixed(4)} probe ${p.probe.toFixed(3)} relearn ${p.relearnProxy.toFixed(3)}/${p.goldRelearnProxy.toFixed(3)} cka ${p.cka.toFixed(3)} w* ${p.weightToGold.toFixed(3)} h* ${p.featureToGold.toFixed(3)} lda ${p.lda.toFixed(3)}/${p.goldLda.toFixed(3)}`);
    },
  });
  saveEditor(join(OUT, 'editors', name), r.editor, { budget: { steps: r.steps, seconds: r.seconds, edgesPerStep: r.edgesPerStep }, loss });
  const last = r.history.slice(-50);
  const mean = (k) => last.reduce((s, p) => s + p[k], 0) / last.length;
  console.log(JSON.stringify({ stage, name, loss, steps: r.steps, lr: Number(env('LR', 1e-3)), config: r.editor.config, trainNets: TRAIN_NETS, goldClasses: GOLD_CLASSES, seconds: r.seconds, edgesPerStep: r.edgesPerStep, last50: { retain: mean('retain'), forget: mean('forget'), probe: mean('probe'), relearn: mean('relearnProxy'), goldRelearn: mean('goldRelearnProxy'), cka: mean('cka'), weightToGold: mean('weightToGold'), featureToGold: mean('featureToGold') } }));
} else if (stage === 'eval') {
  const names = (process.argv[3] ?? '').split(',').filter(Boolean);
  const editors = names.map((n) => loadEditor(join(OUT, 'editors', n)));
  // HELD_SEED / HELD_FROM point the evaluation at other cached nets, e.g. seed 0 from 6: training-zoo nets
  // an editor trained on the first 6 never saw (validation pairs with gold).
  const zoo = await zooNets(Number(env('HELD_SEED', 1)), HELD_NETS, HELD_CLASSES, Number(env('HELD_FROM', 0)));
  const rows = [];
  const yTr = labelsOf(train);
  const yTe = labelsOf(test);
  const idx = (y, pred) => Int32Array.from([...y.keys()].filter((i) => pred(y[i])));
  for (const [ci, c] of HELD_CLASSES.entries()) {
    const sets = {
      forget: subsetDataset(train, idx(yTr, (v) => v === c)),
      retain: subsetDataset(train, idx(yTr, (v) => v !== c)),
      test,
      testForget: subsetDataset(test, idx(yTe, (v) => v === c)),
      testRetain: subsetDataset(test, idx(yTe, (v) => v !== c)),
      forgetClasses: [c],
      numClasses: K,
    };
    const slice = relearnSlice(sets.forget, 64, 0);
    // Relearn is checked every 5 steps on 200 held-out forget images: the metric's recipe, at a fifth of the cost.
    const relearnEval = relearnSlice(sets.testForget, 200, 1);
    for (const [i, z] of zoo.entries()) {
      const gold = z.gold[ci].model;
      const goldFeat = predictOutputs(gold, test, { penultimate: true });
      const goldFeatT = tf.tensor2d(goldFeat.values, [goldFeat.rows, goldFeat.cols]);
      const wTarget = weightTarget(z.net.params, gold.params);
      const input = { model: z.net, forget: sets.forget, retain: sets.retain, forgetClasses: [c], numClasses: K, seed: 0 };
      const models = {};
      for (const b of BASELINES) {
        if (b === 'original') models.original = z.net;
        else if (b === 'gold') models.gold = gold;
        else models[b] = (await { 'logit-mask': logitMask, ft }[b].run(input)).model;
      }
      for (const [e, n] of names.entries()) models[n] = applyEditor(editors[e], z.net, [c]);
      for (const [kind, m] of Object.entries(models)) {
        const ev = await evaluateModel(m, sets, { seed: 0, maxRetain: 2000, maxShadow: 200 });
        const rl = relearnTime(m, slice, relearnEval, { maxSteps: 200, evalEvery: 5 });
        const feat = predictOutputs(m, test, { penultimate: true });
        const featT = tf.tensor2d(feat.values, [feat.rows, feat.cols]);
        const cka = tf.tidy(() => linearCka(featT, goldFeatT).dataSync()[0]);
        // Weight distance to gold relative to the original's (1 = unedited), and the standardised feature MSE to gold's.
        const wDist = tf.tidy(() => weightToGold(m.params, wTarget).dataSync()[0]);
        const fDist = tf.tidy(() => featureToGold(featT, goldFeatT).dataSync()[0]);
        featT.dispose();
        rows.push({ net: i, cls: c, kind, forget: ev.forgetAcc, retain: ev.retainAcc, testRetain: ev.testRetainAcc, testForget: ev.testForgetAcc, probeAuc: ev.probe?.forgetAuc, probeAcc: ev.probe?.forgetAccuracy, lrMia: ev.lrMia, relearn: rl.steps, relearnReached: rl.reached, ckaToGold: cka, weightToGold: wDist, featureToGold: fDist, gap: gapMetrics(ev) });
        log(JSON.stringify(rows[rows.length - 1]));
      }
      goldFeatT.dispose();
    }
  }
  console.log(JSON.stringify({ stage, pairs: rows.length / Math.max(1, new Set(rows.map((r) => r.kind)).size), summary: rows.some((r) => r.kind === 'gold') ? summarize(rows) : null, rows }));
} else if (stage === 'scale') {
  // A copy of editor NAME saved as NEW with its calibrated Δw scale (info.scale) set to S.
  const [name, copy, scale] = process.argv.slice(3);
  const e = loadEditor(join(OUT, 'editors', name));
  e.info = { ...e.info, scale: Number(scale) };
  saveEditor(join(OUT, 'editors', copy), e, { scaledFrom: name, scale: Number(scale) });
  console.log(JSON.stringify({ stage, name, copy, scale: Number(scale) }));
} else if (stage === 'summary') {
  const rows = process.argv[3].split(',').flatMap((f) => JSON.parse(readFileSync(f, 'utf8')).rows);
  console.log(JSON.stringify({ stage, summary: summarize(rows), rows }));
} else {
  log('usage: node bench/editor-deletion.mjs zoo | editor NAME [JSON] | eval NAME,NAME | summary A.json,B.json | scale NAME NEW S');
  process.exit(2);
}

// AIN per pair = relearn steps / gold's (a count of 0 counts as 1); Avg Gap per pair against gold's
// metrics on that pair; means over pairs per kind. Needs gold's rows among `rows`.
function summarize(rows) {
  const kinds = [...new Set(rows.map((r) => r.kind))];
  const goldOf = (r) => rows.find((g) => g.kind === 'gold' && g.net === r.net && g.cls === r.cls);
  const summary = {};
  for (const k of kinds) {
    const rs = rows.filter((r) => r.kind === k);
    const ain = rs.map((r) => r.relearn / Math.max(1, goldOf(r).relearn));
    const gap = rs.map((r) => avgGap(r.gap, goldOf(r).gap).avgGap);
    const stat = (v) => {
      const m = v.reduce((a, b) => a + b, 0) / v.length;
      return [Number(m.toFixed(4)), Number(Math.sqrt(v.reduce((a, b) => a + (b - m) ** 2, 0) / v.length).toFixed(4))];
    };
    summary[k] = Object.fromEntries(['forget', 'retain', 'testRetain', 'testForget', 'probeAuc', 'probeAcc', 'lrMia', 'relearn', 'ckaToGold', 'weightToGold', 'featureToGold'].map((f) => [f, stat(rs.map((r) => r[f]))]));
    summary[k].ain = stat(ain);
    summary[k].avgGap = stat(gap);
    summary[k].capped = rs.filter((r) => !r.relearnReached).length;
    summary[k].pairs = rs.length;
  }
  return summary;
}
