/**
 * A tiny zoo in memory, with accuracies that depend on the weights in a known way: one MLP per
 * width is trained briefly on synthetic shapes, then every run adds Gaussian noise of its own
 * scale to it; the test accuracy of each noisy net is measured. More noise → lower accuracy, so a
 * predictor that reads the weights can rank the nets, and one that ignores them cannot.
 * Each run has two checkpoints: epoch 0 (a fresh init) and the final noisy net.
 */
import { syntheticShapes, type Dataset } from '@metanet/data';
import { evaluate, initParamArrays, train, type NetArrays } from '@metanet/nets';
import { architecture } from '@metanet/spec';
import { createRng, tf } from '@metanet/tensor';
import type { ZooRecord } from '../../src/record';
import type { ZooEntry } from '../../src/predict/types';

const SIZE = 8;
const CLASSES = 4;

function accuracyOf(net: NetArrays, test: Dataset): { acc: number; loss: number } {
  const params = net.params.map((p, i) => tf.tensor(p, paramShape(net, i)));
  try {
    const e = evaluate(net.spec, params, test);
    return { acc: e.accuracy, loss: e.loss };
  } finally {
    tf.dispose(params);
  }
}

function paramShape(net: NetArrays, i: number): number[] {
  const dims = [SIZE * SIZE, ...net.spec.layers.filter((l) => l.type === 'dense').map((l) => (l as { units: number }).units)];
  const layer = Math.floor(i / 2);
  return i % 2 === 0 ? [dims[layer + 1]!, dims[layer]!] : [dims[layer + 1]!];
}

function record(run: number, epoch: number, final: boolean, width: number, noise: number, seed: number, m: { acc: number; loss: number }): ZooRecord {
  const id = `r${String(run).padStart(4, '0')}-e${epoch}`;
  return {
    id,
    run,
    epoch,
    final,
    arch: `mlp:${SIZE * SIZE}-${width}-${CLASSES}`,
    hparams: { width, noise, activation: 'relu', lr: 10 ** -(1 + (run % 3)) },
    metrics: { trainAcc: m.acc, trainLoss: m.loss, valAcc: m.acc, valLoss: m.loss, testAcc: m.acc, testLoss: m.loss },
    seed,
    wallTimeMs: 0,
    file: `nets/${id}`,
  };
}

/** `runs` runs per width (two checkpoints each); widths ≤ 16 and above allow an OOD split. */
export async function buildTinyZoo(runs: number, widths: readonly number[] = [12], seed = 0): Promise<ZooEntry[]> {
  const trainSet = syntheticShapes({ n: 512, seed: 1, size: SIZE, classes: CLASSES });
  const testSet = syntheticShapes({ n: 256, seed: 2, size: SIZE, classes: CLASSES });
  const entries: ZooEntry[] = [];
  const rng = createRng(seed);
  let run = 0;
  for (const width of widths) {
    const spec = architecture(`mlp:${SIZE * SIZE}-${width}-${CLASSES}`);
    const init = initParamArrays(spec, { seed: 7 + width });
    const trained = await train(spec, init.map((p, i) => tf.tensor(p, paramShape({ spec } as NetArrays, i))), trainSet, { epochs: 6, batchSize: 32, lr: 5e-3, seed: 1 });
    const base = trained.params.map((t) => t.dataSync().slice() as Float32Array);
    tf.dispose([...trained.params, ...trained.buffers]);
    for (let r = 0; r < runs; r++, run++) {
      const noise = 1.5 * rng.uniform();
      const fresh: NetArrays = { spec, params: initParamArrays(spec, { seed: 1000 + run }), buffers: [], meta: {} };
      const noisy: NetArrays = {
        spec,
        params: base.map((p) => {
          let sd = 0;
          for (const v of p) sd += v * v;
          sd = Math.sqrt(sd / p.length);
          return p.map((v) => v + noise * sd * rng.normal());
        }),
        buffers: [],
        meta: {},
      };
      entries.push({ record: record(run, 0, false, width, noise, seed + run, accuracyOf(fresh, testSet)), net: fresh });
      entries.push({ record: record(run, 5, true, width, noise, seed + run, accuracyOf(noisy, testSet)), net: noisy });
    }
  }
  return entries;
}
