/**
 * The unlearning page's worker: tfjs on the WebAssembly backend (cpu if wasm cannot load), the shipped small-cnn
 * and Fashion-MNIST sample, the GMN editor shipped with @metanet/unlearning, and one @metanet/unlearning method per
 * request. The methods' loops are synchronous, so they run here rather than on the page's thread: the page keeps
 * painting its progress bar while a method trains.
 */
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import plainWasm from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import simdWasm from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import threadedWasm from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url';
import { initBackend, tf } from '@metanet/tensor';
import { datasetSize, disposeDataset, labelsOf, subsetDataset } from '@metanet/data/dataset';
import { countParams, paramInfos } from '@metanet/spec';
import { applyEditor, editorFromBundle, type GMNEditor, type TrainedNet, type UnlearningMethod } from '@metanet/unlearning';
import { neggradPlus } from '@metanet/unlearning/neggrad-plus';
import { salun } from '@metanet/unlearning/salun';
import { rl } from '@metanet/unlearning/rl';
import { ft } from '@metanet/unlearning/ft';
import { fetchNet, fetchOk, fetchSample, type PageData } from './sample';
import { scoreNet } from './score';
import type { EditorStatus, FromWorker, PageMethod, Scores, ToWorker } from './protocol';

type TrainingMethod = Exclude<PageMethod, 'gmn'>;
const METHODS: Record<TrainingMethod, UnlearningMethod<never>> = { 'neggrad-plus': neggradPlus, salun, rl, ft } as Record<TrainingMethod, UnlearningMethod<never>>;

let model: TrainedNet | undefined;
let data: PageData | undefined;
let before: Scores | undefined;
let editor: GMNEditor | undefined;

function post(m: FromWorker): void {
  postMessage(m);
}

function score(net: TrainedNet, forgetClass?: number): Scores {
  const { test, classNames } = data as PageData;
  return scoreNet(net, test, classNames.length, forgetClass);
}

/** The shipped editor from its two files; a failure only disables the GMN method, it does not stop the page. */
async function fetchEditor(editorBase: string): Promise<EditorStatus> {
  try {
    const [manifest, weights] = await Promise.all([fetchOk(`${editorBase}manifest.json`).then((r) => r.text()), fetchOk(`${editorBase}weights.bin`).then((r) => r.arrayBuffer())]);
    editor = await editorFromBundle(manifest, weights, editorBase);
    return { loaded: true, hidden: editor.config.hidden, layers: editor.config.layers, steps: editor.info.steps, scale: editor.info.scale ?? 1, bytes: weights.byteLength };
  } catch (err) {
    return { loaded: false, reason: err instanceof Error ? err.message : String(err) };
  }
}

async function init(base: string, editorBase: string): Promise<void> {
  const t0 = performance.now();
  setWasmPaths({ 'tfjs-backend-wasm.wasm': plainWasm, 'tfjs-backend-wasm-simd.wasm': simdWasm, 'tfjs-backend-wasm-threaded-simd.wasm': threadedWasm });
  const backend = await initBackend({ backend: 'wasm' }).catch(() => initBackend({ backend: 'cpu' }));
  const [net, sample, editorStatus] = await Promise.all([fetchNet(base), fetchSample(base), fetchEditor(editorBase)]);
  data = sample;
  const infos = paramInfos(net.spec);
  model = { spec: net.spec, params: net.params.map((p, i) => tf.tensor(p, infos[i]?.shape as number[])), buffers: [] };
  before = score(model);
  post({ kind: 'ready', backend: backend.name, classNames: sample.classNames, trainSize: datasetSize(sample.train), testSize: datasetSize(sample.test), params: countParams(net.spec), scores: before, loadSeconds: (performance.now() - t0) / 1000, editor: editorStatus });
}

/** The GMN editor's edit: one forward pass over the net's parameter graph, timed from graph build to new weights. */
function runEditor(original: TrainedNet, forgetClass: number): { model: TrainedNet; seconds: number; steps: number } {
  if (!editor) throw new Error('the GMN editor did not load; pick another method');
  const t0 = performance.now();
  const edited = applyEditor(editor, original, [forgetClass]);
  return { model: edited, seconds: (performance.now() - t0) / 1000, steps: 0 };
}

async function run(method: PageMethod, forgetClass: number): Promise<void> {
  const { train, classNames } = data as PageData;
  const labels = labelsOf(train);
  const forgetRows = Int32Array.from(labels.keys()).filter((i) => labels[i] === forgetClass);
  const retainRows = Int32Array.from(labels.keys()).filter((i) => labels[i] !== forgetClass);
  const forget = subsetDataset(train, forgetRows, `${train.name}[class ${forgetClass}]`);
  const retain = subsetDataset(train, retainRows, `${train.name}[not class ${forgetClass}]`);
  const original = model as TrainedNet;
  const result = method === 'gmn'
    ? runEditor(original, forgetClass)
    : await METHODS[method].run({
      model: original,
      forget,
      retain,
      forgetClasses: [forgetClass],
      numClasses: classNames.length,
      seed: 0,
      onProgress: (done, total) => post({ kind: 'progress', done, total }),
    });
  const after = score(result.model, forgetClass);
  const beforeWithProbe = { ...(before as Scores), probe: score(original, forgetClass).probe };
  post({ kind: 'done', method, forgetClass, before: beforeWithProbe, after, seconds: result.seconds, steps: result.steps, forgetSize: forgetRows.length, retainSize: retainRows.length });
  tf.dispose([...result.model.params, ...result.model.buffers]);
  disposeDataset(forget);
  disposeDataset(retain);
}

onmessage = (e: MessageEvent<ToWorker>) => {
  const m = e.data;
  const job = m.kind === 'init' ? init(m.base, m.editorBase) : run(m.method, m.forgetClass);
  job.catch((err: unknown) => post({ kind: 'error', message: err instanceof Error ? `${err.name}: ${err.message}` : String(err) }));
};
