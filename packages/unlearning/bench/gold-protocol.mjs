// The GMN editor's protocol (`runProtocol`) against gold by recipe, for editors trained by
// bench/editor-deletion.mjs (its `zoo` and `editor` stages first; OUT as there). Held out: the
// seed-1 nets x HELD_CLASSES, each pair's gold the cached `editorZooGold` (same init and shuffle
// seed), retimed once here for RTE (and checked bit for bit against the cache).
//   node bench/gold-protocol.mjs run NAME[,NAME]   one runProtocol per editor -> RESULTS/NAME.json
//                                                (the BASELINES with the first only)
//   node bench/gold-protocol.mjs table NAME,...    RESULTS/{table.md,results.json,tradeoff.svg}
// Env: OUT, RESULTS (/tmp/metanet-gold-protocol), LIMIT (6000), HELD_NETS (3), HELD_CLASSES (0,2),
// EPOCHS (2), RELEARN (200 steps cap), SCALE (on Δw, 1; results then go to NAME@SCALE.json), BASELINES (logit-mask,ft; empty when an earlier run has them).
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { initBackend, tf } from '@metanet/tensor';
import { loadFashionMnist } from '@metanet/data';
import { loadNet } from '@metanet/nets';
import { classSpecificGold, featureToGold, weightTarget, weightToGold } from '../dist/gmn-editor.js';
import { logitMask } from '../dist/logit-mask.js';
import { ft } from '../dist/ft.js';
import { applyEditor, editorZooGold, editorZooRecipe, loadEditor, predictOutputs, runProtocol } from '../dist/index.js';

const env = (k, d) => process.env[k] ?? d;
const OUT = env('OUT', '/tmp/metanet-editor-deletion');
const RESULTS = env('RESULTS', '/tmp/metanet-gold-protocol');
const LIMIT = Number(env('LIMIT', 6000));
const HELD_NETS = Number(env('HELD_NETS', 3));
const HELD_CLASSES = env('HELD_CLASSES', '0,2').split(',').map(Number);
const EPOCHS = Number(env('EPOCHS', 2));
const RELEARN = Number(env('RELEARN', 200));
const SCALE = Number(env('SCALE', 1));
const BASELINES = env('BASELINES', 'logit-mask,ft').split(',').filter(Boolean).map((n) => ({ 'logit-mask': logitMask, ft })[n]);
const log = (...a) => process.stderr.write(`${a.join(' ')}\n`);
const [stage, list = ''] = process.argv.slice(2);
const names = list.split(',').filter(Boolean);
mkdirSync(RESULTS, { recursive: true });

const bits = (net) => [...net.params, ...net.buffers].map((t) => Buffer.from(t.dataSync().buffer).toString('base64')).join();

async function heldOut(train) {
  const timing = join(RESULTS, 'gold-seconds.json');
  const seconds = existsSync(timing) ? JSON.parse(readFileSync(timing, 'utf8')) : {};
  const nets = [];
  const golds = [];
  for (let i = 0; i < HELD_NETS; i++) {
    const recipe = editorZooRecipe(1, i, EPOCHS);
    const id = `s1-${i}-w${recipe.width}`;
    nets.push({ id, net: loadNet(join(OUT, 'nets', `s1-${i}`)), group: 'unseen seeds' });
    for (const c of HELD_CLASSES) {
      const model = loadNet(join(OUT, 'nets', `s1-${i}-gold${c}`));
      if (seconds[`${id}:${c}`] === undefined) {
        const t0 = performance.now();
        const again = await editorZooGold(recipe, train, c);
        seconds[`${id}:${c}`] = (performance.now() - t0) / 1000;
        if (bits(again) !== bits(model)) throw new Error(`gold ${id}:${c} is not reproduced bit for bit`);
        tf.dispose([...again.params, ...again.buffers]);
        writeFileSync(timing, JSON.stringify(seconds, null, 1));
      }
      golds.push({ net: id, forgetClass: c, model, seconds: seconds[`${id}:${c}`] });
    }
  }
  return { nets, golds };
}

if (stage === 'run') {
  await initBackend();
  const train = await loadFashionMnist({ split: 'train', limit: LIMIT });
  const test = await loadFashionMnist({ split: 'test', limit: Math.min(LIMIT, 10000) });
  const { nets, golds } = await heldOut(train);
  for (const [e, name] of names.entries()) {
    const editor = loadEditor(join(OUT, 'editors', name));
    const t0 = performance.now();
    const r = await runProtocol({
      editor, nets, golds, methods: e === 0 ? BASELINES : [], train, test, classes: HELD_CLASSES, hyperparameters: { gmn: { scale: SCALE } },
      relearn: { maxSteps: RELEARN, evalEvery: 5 }, maxShadow: 200,
      onScore: (p, t, m) => log(`${name} pair ${p + 1}/${t} ${m}`),
    });
    // Weight distance to gold relative to the original's (1 = unedited) and the standardised
    // feature MSE to gold's on the test images, for the original and the edit; and the weight
    // distance to the class-specific target (`classSpecificGold` over the net's HELD_CLASSES golds)
    // for the original, gold and the edit.
    const distances = [];
    for (const net of nets) {
      for (const c of HELD_CLASSES) {
        const gold = golds.find((g) => g.net === net.id && g.forgetClass === c).model;
        const edited = applyEditor(editor, net.net, [c], { scale: SCALE });
        const feat = (m) => { const o = predictOutputs(m, test, { penultimate: true }); return tf.tensor2d(o.values, [o.rows, o.cols]); };
        const [fg, fo, fe] = [feat(gold), feat(net.net), feat(edited)];
        const target = weightTarget(net.net.params, gold.params);
        const specificGold = classSpecificGold(net.net.params, HELD_CLASSES.map((k) => golds.find((g) => g.net === net.id && g.forgetClass === k).model.params), HELD_CLASSES.indexOf(c));
        const specific = weightTarget(net.net.params, specificGold);
        const read = (t) => { const v = t.dataSync()[0]; t.dispose(); return v; };
        distances.push({
          net: net.id, forgetClass: c,
          weightToGold: { original: read(weightToGold(net.net.params, target)), edited: read(weightToGold(edited.params, target)) },
          featureToGold: { original: read(featureToGold(fo, fg)), edited: read(featureToGold(fe, fg)) },
          weightToSpecific: { original: read(weightToGold(net.net.params, specific)), gold: read(weightToGold(gold.params, specific)), edited: read(weightToGold(edited.params, specific)) },
        });
        tf.dispose([fg, fo, fe, ...specificGold, ...edited.params, ...edited.buffers]);
      }
    }
    const info = JSON.parse(readFileSync(join(OUT, 'editors', name, 'manifest.json'), 'utf8')).meta ?? {};
    const label = SCALE === 1 ? name : `${name}@${SCALE}`;
    writeFileSync(join(RESULTS, `${label}.json`), JSON.stringify({ editor: label, scale: SCALE, loss: info.loss, budget: info.budget, seconds: (performance.now() - t0) / 1000, summary: r.summary, pairs: r.pairs, distances }));
    log(`${label}: ${((performance.now() - t0) / 1000).toFixed(0)} s`);
    editor.dispose();
  }
} else if (stage === 'table') {
  const { writeTable } = await import('./gold-table.mjs');
  writeTable(RESULTS, names);
} else {
  log('usage: node bench/gold-protocol.mjs run NAME[,NAME] | table NAME,...');
  process.exit(2);
}
