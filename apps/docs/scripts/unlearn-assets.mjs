/**
 * Writes what the "Unlearn in your browser" page ships (committed, so the site builds without the dataset):
 * - public/unlearn/small-cnn/: a small-cnn (4,970 parameters) trained on the 60,000 Fashion-MNIST training
 *   images for 3 epochs, seed 0, saved with @metanet/nets' bundle writer;
 * - public/unlearn/fashion-mnist-sample.bin + .json: 30 training images per class (from the images it trained on, so the
 *   page's forget and retain sets are data the net was trained on) and 50 test images per class, as raw bytes.
 * Images stay uint8 (784 bytes each) and the page normalises them with @metanet/data's constants: 800 images are
 * 627 KB. Run with `npm run unlearn-assets -w @metanet/docs`; the output depends only on the seed and the dataset.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { architecture } from '@metanet/spec';
import { initBackend, tf } from '@metanet/tensor';
import { FASHION_MNIST_CLASS_NAMES, NORMALIZATION_CONSTANTS, createDataset, locateDataset, normalizeBytes, readIdxPair } from '@metanet/data';
import { evaluate, initParams, saveNet, train } from '@metanet/nets';

const SEED = 0;
const TRAIN_IMAGES = 60_000;
const EPOCHS = 3;
const TRAIN_PER_CLASS = 30;
const TEST_PER_CLASS = 50;

const out = join(dirname(fileURLToPath(import.meta.url)), '..', 'public', 'unlearn');
const started = performance.now();
await initBackend();

const read = (split, limit) => {
  const [images, labels] = locateDataset('fashion-mnist', split).files;
  return readIdxPair(images, labels, 10, limit);
};
const trainPair = await read('train', TRAIN_IMAGES);
const testPair = await read('test');
const stats = NORMALIZATION_CONSTANTS['fashion-mnist'];
const toDataset = (pair, name) => createDataset({ name, images: normalizeBytes(pair.images, stats), shape: [pair.shape[0], 28, 28, 1], labels: pair.labels, classNames: FASHION_MNIST_CLASS_NAMES, source: 'fashion-mnist' });

const spec = architecture('small-cnn', { inChannels: 1, inputSize: 28, classes: 10 });
const trainSet = toDataset(trainPair, 'fashion-mnist/train');
const init = initParams(spec, { seed: SEED });
const result = await train(spec, init, trainSet, { epochs: EPOCHS, batchSize: 64, lr: 0.001, seed: SEED });
tf.dispose(init);
const testSet = toDataset(testPair, 'fashion-mnist/test');
const testAccuracy = evaluate(spec, result.params, testSet, { buffers: result.buffers }).accuracy;
saveNet(join(out, 'small-cnn'), {
  spec,
  params: result.params,
  buffers: result.buffers,
  meta: { arch: 'small-cnn', dataset: `fashion-mnist train[:${TRAIN_IMAGES}]`, seed: SEED, epochs: EPOCHS, batchSize: 64, lr: 0.001, accuracy: { test: testAccuracy } },
});

/** The first `perClass` indices of each class, in file order (deterministic, balanced). */
function firstPerClass(labels, perClass) {
  const taken = new Array(10).fill(0);
  const picked = [];
  for (let i = 0; i < labels.length && picked.length < 10 * perClass; i++) {
    const y = labels[i];
    if (taken[y] < perClass) {
      taken[y]++;
      picked.push(i);
    }
  }
  return picked;
}
const parts = [
  { name: 'train', pair: trainPair, indices: firstPerClass(trainPair.labels, TRAIN_PER_CLASS) },
  { name: 'test', pair: testPair, indices: firstPerClass(testPair.labels, TEST_PER_CLASS) },
];
const total = parts.reduce((s, p) => s + p.indices.length, 0);
const bytes = new Uint8Array(total * 785);
const index = { format: 'metanet.image-sample', version: 1, shape: [28, 28, 1], classNames: FASHION_MNIST_CLASS_NAMES, normalization: stats, splits: {} };
let offset = 0;
for (const { name, pair, indices } of parts) {
  // Layout per split: count images (784 bytes each), then count labels (1 byte each).
  index.splits[name] = { count: indices.length, imagesOffset: offset, labelsOffset: offset + indices.length * 784 };
  indices.forEach((i, k) => bytes.set(pair.images.subarray(i * 784, (i + 1) * 784), offset + k * 784));
  indices.forEach((i, k) => (bytes[offset + indices.length * 784 + k] = pair.labels[i]));
  offset += indices.length * 785;
}
index.source = 'Fashion-MNIST (Xiao, Rasul and Vollgraf 2017, https://github.com/zalandoresearch/fashion-mnist), MIT licence';
mkdirSync(out, { recursive: true });
writeFileSync(join(out, 'fashion-mnist-sample.bin'), bytes);
writeFileSync(join(out, 'fashion-mnist-sample.json'), `${JSON.stringify(index, null, 1)}\n`);
console.log(JSON.stringify({ testAccuracy, images: total, bytes: bytes.length, seconds: Math.round((performance.now() - started) / 100) / 10 }));
