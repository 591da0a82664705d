// Benchmark: what each method of the "Unlearn in your browser" page does to the page's own net, in Node on the
// same backend (tfjs wasm), with the same assets (public/unlearn/: the shipped small-cnn and Fashion-MNIST sample;
// the GMN editor's two files from @metanet/unlearning's editors/, read through editorFromBundle as the page does),
// the same forget/retain split (the sample's 30 training images per class) and the same scoring (the worker's
// scoreNet: 50 test images per class, the probe on penultimate features). Prints one JSON document: per method and
// forgotten class, forget-class and retained-mean test accuracy before and after, the probe, and the seconds.
// Run `npm run bench:unlearn-page -w @metanet/docs`. `BENCH_CLASSES=2,4` picks classes (default all ten);
// `BENCH_METHODS=gmn,salun` picks methods (default all of the page's).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { initBackend, tf } from '@metanet/tensor';
import { labelsOf, subsetDataset, disposeDataset } from '@metanet/data/dataset';
import { loadNet } from '@metanet/nets';
import { applyEditor, editorFromBundle, shippedEditorDir, getMethod } from '@metanet/unlearning';
import { decodeSample } from '../.vitepress/theme/unlearn/sample.ts';
import { scoreNet } from '../.vitepress/theme/unlearn/score.ts';
import { PAGE_METHODS, retainedMean } from '../.vitepress/theme/unlearn/protocol.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
const assets = join(root, 'public', 'unlearn');
const backend = await initBackend({ backend: 'wasm' });
const index = JSON.parse(readFileSync(join(assets, 'fashion-mnist-sample.json'), 'utf8'));
const raw = readFileSync(join(assets, 'fashion-mnist-sample.bin'));
const data = decodeSample(index, raw.buffer.slice(raw.byteOffset, raw.byteOffset + raw.byteLength));
const net = loadNet(join(assets, 'small-cnn'));
const model = { spec: net.spec, params: net.params, buffers: net.buffers };
const editorDir = shippedEditorDir();
const editor = await editorFromBundle(readFileSync(join(editorDir, 'manifest.json'), 'utf8'), readFileSync(join(editorDir, 'weights.bin')), editorDir);

const numClasses = data.classNames.length;
const classes = (process.env.BENCH_CLASSES ?? '').split(',').filter(Boolean).map(Number);
const forgetClasses = classes.length ? classes : [...Array(numClasses).keys()];
const methods = (process.env.BENCH_METHODS ?? '').split(',').filter(Boolean);
const pageMethods = PAGE_METHODS.map((m) => m.id).filter((id) => !methods.length || methods.includes(id));

const before = scoreNet(model, data.test, numClasses);
const labels = labelsOf(data.train);
const rows = [];
for (const c of forgetClasses) {
  const probeBefore = scoreNet(model, data.test, numClasses, c).probe;
  const forget = subsetDataset(data.train, Int32Array.from(labels.keys()).filter((i) => labels[i] === c), 'forget');
  const retain = subsetDataset(data.train, Int32Array.from(labels.keys()).filter((i) => labels[i] !== c), 'retain');
  for (const method of pageMethods) {
    let result;
    if (method === 'gmn') {
      const t0 = performance.now();
      result = { model: applyEditor(editor, model, [c]), seconds: (performance.now() - t0) / 1000, steps: 0 };
    } else {
      result = await getMethod(method).run({ model, forget, retain, forgetClasses: [c], numClasses, seed: 0 });
    }
    const after = scoreNet(result.model, data.test, numClasses, c);
    rows.push({
      method, forgetClass: c, seconds: Number(result.seconds.toFixed(4)), steps: result.steps,
      forget: { before: before.perClass[c], after: after.perClass[c] },
      retainedMean: { before: retainedMean(before, c), after: retainedMean(after, c) },
      probe: { before: probeBefore.forgetAccuracy, after: after.probe.forgetAccuracy },
    });
    tf.dispose([...result.model.params, ...result.model.buffers]);
    console.error(JSON.stringify(rows.at(-1)));
  }
  disposeDataset(forget);
  disposeDataset(retain);
}

const mean = (xs) => xs.reduce((a, b) => a + b, 0) / xs.length;
const round = (x) => Number(x.toFixed(4));
const summary = Object.fromEntries(pageMethods.map((m) => {
  const rs = rows.filter((r) => r.method === m);
  return [m, {
    forgetAfter: { mean: round(mean(rs.map((r) => r.forget.after))), max: round(Math.max(...rs.map((r) => r.forget.after))) },
    forgetBefore: round(mean(rs.map((r) => r.forget.before))),
    retainedMeanDrop: { mean: round(mean(rs.map((r) => r.retainedMean.before - r.retainedMean.after))), max: round(Math.max(...rs.map((r) => r.retainedMean.before - r.retainedMean.after))) },
    probe: { before: round(mean(rs.map((r) => r.probe.before))), after: round(mean(rs.map((r) => r.probe.after))) },
    seconds: { mean: round(mean(rs.map((r) => r.seconds))), max: round(Math.max(...rs.map((r) => r.seconds))) },
  }];
}));
console.log(JSON.stringify({ backend: backend.name, editor: { dir: 'editors/small-cnn-fashion-mnist', scale: editor.info.scale }, testAccuracy: before.overall, classes: forgetClasses, summary, rows }, null, 1));
