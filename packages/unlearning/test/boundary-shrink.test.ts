import { beforeAll, describe, expect, it } from 'vitest';
import { tf } from '@metanet/tensor';
import { forward } from '@metanet/nets';
import { disposeDataset, labelsOf, subsetDataset } from '@metanet/data';
import { boundaryShrink, neighbourLabels } from '../src/methods/boundary-shrink';
import { predictOutputs } from '../src/predict';
import { EmptyForgetSetError, InvalidHyperparameterError } from '../src/errors';
import { bytesOf, disposeNet, sameBytes, setup } from './fixtures';
import { accuracyOn, classRequest, CLASSES } from './b-trained';

beforeAll(setup);

describe('neighbourLabels', () => {
  it('gives every forget sample a wrong class: the best class ≠ y at its FGSM neighbour', () => {
    const req = classRequest();
    const eps = 0.3;
    const labels = neighbourLabels(req.model, req.forget, eps, 50);
    const y = labelsOf(req.forget);
    expect(labels).toHaveLength(y.length);
    // Reference for the first sample, step by step.
    const ref = tf.tidy(() => {
      const x = tf.slice(req.forget.images, [0, 0, 0, 0], [1, -1, -1, -1]);
      const opts = { training: false, buffers: req.model.buffers };
      const k = CLASSES;
      const onehot = tf.oneHot([y[0] as number], k);
      const gx = tf.grad((xi: tf.Tensor) => tf.losses.softmaxCrossEntropy(onehot, forward(req.model.spec, req.model.params, xi, opts)) as tf.Scalar)(x);
      const logits = forward(req.model.spec, req.model.params, tf.add(x, tf.mul(tf.sign(gx), eps)), opts).dataSync();
      let best = -1;
      for (let c = 0; c < k; c++) if (c !== y[0] && (best < 0 || (logits[c] as number) > (logits[best] as number))) best = c;
      return best;
    });
    expect(labels[0]).toBe(ref);
    labels.forEach((l, i) => {
      expect(l).not.toBe(y[i]);
      expect(l).toBeGreaterThanOrEqual(0);
      expect(l).toBeLessThan(CLASSES);
    });
  });
});

describe('boundary-shrink', () => {
  it('forgets the class, keeps the other classes, leaves the input untouched and leaks nothing', async () => {
    const req = classRequest();
    const before = bytesOf(req.model);
    const tensors = tf.memory().numTensors;
    // The fixture's D_f gives only 4 steps, too few under the default gradient clip.
    const out = await boundaryShrink.run(req.input(), { clipNorm: 0 });
    expect(accuracyOn(req.model, req.forget)).toBeGreaterThan(0.95);
    expect(accuracyOn(out.model, req.forget)).toBeLessThan(0.3);
    // Trained on D_f alone, so some retain damage is inherent (the paper's trade-off).
    expect(accuracyOn(out.model, req.retain)).toBeGreaterThan(0.85);
    expect(accuracyOn(out.model, req.testRetain)).toBeGreaterThan(accuracyOn(req.model, req.testRetain) - 0.1);
    // The forgotten samples now mostly land on their neighbour labels.
    const target = neighbourLabels(req.model, req.forget, boundaryShrink.defaults.epsilon);
    const pred = predictOutputs(out.model, req.forget);
    let agree = 0;
    for (let i = 0; i < pred.rows; i++) {
      let best = 0;
      for (let c = 1; c < pred.cols; c++) if ((pred.values[i * pred.cols + c] as number) > (pred.values[i * pred.cols + best] as number)) best = c;
      if (best === target[i]) agree++;
    }
    expect(agree / pred.rows).toBeGreaterThan(0.5);
    // Eval-mode fine-tune: BN running statistics are the original ones.
    expect(sameBytes(bytesOf({ ...out.model, params: [] }), bytesOf({ ...req.model, params: [] }))).toBe(true);
    expect(sameBytes(bytesOf(req.model), before)).toBe(true);
    disposeNet(out.model);
    expect(tf.memory().numTensors).toBe(tensors);
  });

  it('is bit-identical for the same seed', async () => {
    const req = classRequest();
    const [a, b] = [await boundaryShrink.run(req.input(2), { clipNorm: 0 }), await boundaryShrink.run(req.input(2), { clipNorm: 0 })];
    expect(sameBytes(bytesOf(a.model), bytesOf(b.model))).toBe(true);
    disposeNet(a.model);
    disposeNet(b.model);
  });

  it('rejects bad hyperparameters and an empty forget set with typed errors', async () => {
    const req = classRequest();
    await expect(boundaryShrink.run(req.input(), { epsilon: 0 })).rejects.toThrow(InvalidHyperparameterError);
    await expect(boundaryShrink.run(req.input(), { batchSize: 2.5 })).rejects.toThrow(InvalidHyperparameterError);
    const empty = subsetDataset(req.forget, new Int32Array(0));
    await expect(boundaryShrink.run({ ...req.input(), forget: empty })).rejects.toThrow(EmptyForgetSetError);
    disposeDataset(empty);
  });
});
