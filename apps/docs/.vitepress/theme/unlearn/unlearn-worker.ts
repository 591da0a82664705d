/**
 * The unlearning page's worker: tfjs on the WebAssembly backend (cpu if wasm cannot load), the shipped small-cnn
 * and Fashion-MNIST sample, and one @metanet/unlearning method per request. The methods' loops are synchronous, so
 * they run here rather than on the page's thread: the page keeps painting its progress bar while a method trains.
 */
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import plainWasm from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import simdWasm from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import threadedWasm from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url';
import { initBackend, tf } from '@metanet/tensor';
import { accuracy, hostMatrix, probeRecoverability } from '@metanet/metrics';
import { datasetSize, disposeDataset, labelsOf, subsetDataset } from '@metanet/data/dataset';
import { countParams, paramInfos } from '@metanet/spec';
import { predictOutputs, type TrainedNet, type UnlearningMethod } from '@metanet/unlearning';
import { neggradPlus } from '@metanet/unlearning/neggrad-plus';
import { salun } from '@metanet/unlearning/salun';
import { rl } from '@metanet/unlearning/rl';
import { ft } from '@metanet/unlearning/ft';
import { fetchNet, fetchSample, type PageData } from './sample';
import type { FromWorker, PageMethod, Scores, ToWorker } from './protocol';

const METHODS: Record<PageMethod, UnlearningMethod<never>> = { 'neggrad-plus': neggradPlus, salun, rl, ft } as Record<PageMethod, UnlearningMethod<never>>;

let model: TrainedNet | undefined;
let data: PageData | undefined;
let before: Scores | undefined;

function post(m: FromWorker): void {
  postMessage(m);
}

/** Per-class and overall test accuracy, and (with a forgotten class) the probe on penultimate features. */
function score(net: TrainedNet, forgetClass?: number): Scores {
  const test = (data as PageData).test;
  const logits = predictOutputs(net, test);
  const labels = labelsOf(test);
  const perClass = (data as PageData).classNames.map((_, c) => {
    const rows = labels.reduce<number[]>((acc, y, i) => (y === c ? [...acc, i] : acc), []);
    const values = new Float32Array(rows.length * logits.cols);
    rows.forEach((r, k) => values.set(logits.values.subarray(r * logits.cols, (r + 1) * logits.cols), k * logits.cols));
    return accuracy(hostMatrix(values, rows.length, logits.cols), new Int32Array(rows.length).fill(c));
  });
  const scores: Scores = { perClass, overall: accuracy(logits, labels) };
  if (forgetClass !== undefined) {
    const p = probeRecoverability(predictOutputs(net, test, { penultimate: true }), labels, { forgetClasses: [forgetClass], numClasses: perClass.length, seed: 0 });
    scores.probe = { forgetAccuracy: p.forgetAccuracy, forgetAuc: p.forgetAuc };
  }
  return scores;
}

async function init(base: string): Promise<void> {
  const t0 = performance.now();
  setWasmPaths({ 'tfjs-backend-wasm.wasm': plainWasm, 'tfjs-backend-wasm-simd.wasm': simdWasm, 'tfjs-backend-wasm-threaded-simd.wasm': threadedWasm });
  const backend = await initBackend({ backend: 'wasm' }).catch(() => initBackend({ backend: 'cpu' }));
  const [net, sample] = await Promise.all([fetchNet(base), fetchSample(base)]);
  data = sample;
  const infos = paramInfos(net.spec);
  model = { spec: net.spec, params: net.params.map((p, i) => tf.tensor(p, infos[i]?.shape as number[])), buffers: [] };
  before = score(model);
  post({ kind: 'ready', backend: backend.name, classNames: sample.classNames, trainSize: datasetSize(sample.train), testSize: datasetSize(sample.test), params: countParams(net.spec), scores: before, loadSeconds: (performance.now() - t0) / 1000 });
}

async function run(method: PageMethod, forgetClass: number): Promise<void> {
  const { train, classNames } = data as PageData;
  const labels = labelsOf(train);
  const forgetRows = Int32Array.from(labels.keys()).filter((i) => labels[i] === forgetClass);
  const retainRows = Int32Array.from(labels.keys()).filter((i) => labels[i] !== forgetClass);
  const forget = subsetDataset(train, forgetRows, `${train.name}[class ${forgetClass}]`);
  const retain = subsetDataset(train, retainRows, `${train.name}[not class ${forgetClass}]`);
  const original = model as TrainedNet;
  const result = await METHODS[method].run({
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
  const job = m.kind === 'init' ? init(m.base) : run(m.method, m.forgetClass);
  job.catch((err: unknown) => post({ kind: 'error', message: err instanceof Error ? `${err.name}: ${err.message}` : String(err) }));
};
