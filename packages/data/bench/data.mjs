// Benchmarks for @metanet/data against the built dist (run `npx tsup` first).
// Prints one JSON document. Times are wall-clock medians of `reps` runs on this
// machine; compare ratios measured in the same run, not absolute numbers.
import { initBackend, tf } from '@metanet/tensor';
import {
  batches,
  disposeDataset,
  FASHION_MNIST_SYSTEM_DIR,
  loadFashionMnist,
  readIdx,
  syntheticShapesArrays,
  syntheticShapes,
} from '../dist/index.js';
import { existsSync } from 'node:fs';

const reps = Number(process.env.REPS ?? 3);
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
async function time(fn) {
  const ts = [];
  for (let i = 0; i < reps; i++) {
    const t = performance.now();
    await fn();
    ts.push(performance.now() - t);
  }
  return median(ts);
}

await initBackend();
const out = { backend: tf.getBackend(), node: process.version, reps, results: {} };

for (const n of [1000, 10000]) {
  const ms = await time(() => syntheticShapesArrays({ n, seed: 0 }));
  out.results[`synthetic arrays n=${n}`] = { ms: +ms.toFixed(1), msPerSample: +(ms / n).toFixed(4) };
}
out.results['synthetic Dataset n=10000'] = { ms: +(await time(() => disposeDataset(syntheticShapes({ n: 10000, seed: 0 })))).toFixed(1) };

const ds = syntheticShapes({ n: 10000, seed: 0 });
out.results['batches epoch n=10000 bs=128 shuffled'] = {
  ms: +(await time(() => {
    for (const b of batches(ds, { batchSize: 128, shuffle: true, seed: 1 })) tf.dispose([b.x, b.y]);
  })).toFixed(1),
};
disposeDataset(ds);

if (existsSync(FASHION_MNIST_SYSTEM_DIR)) {
  const img = `${FASHION_MNIST_SYSTEM_DIR}/train-images-idx3-ubyte.gz`;
  out.results['readIdx fashion-mnist train images (gz, 47 MB)'] = { ms: +(await time(() => readIdx(img))).toFixed(1) };
  out.results['loadFashionMnist train (60000, normalised Dataset)'] = {
    ms: +(await time(async () => disposeDataset(await loadFashionMnist({ split: 'train', dataDir: FASHION_MNIST_SYSTEM_DIR })))).toFixed(1),
  };
}
console.log(JSON.stringify(out, null, 2));
