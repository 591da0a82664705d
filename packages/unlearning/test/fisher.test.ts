import { beforeAll, describe, expect, it } from 'vitest';
import { tf } from '@metanet/tensor';
import { forward } from '@metanet/nets';
import { paramInfos } from '@metanet/spec';
import { createDataset, disposeDataset, subsetDataset } from '@metanet/data';
import { fisher } from '../src/methods/fisher';
import { diagonalFisher } from '../src/diagonal-fisher';
import { InvalidHyperparameterError } from '../src/errors';
import { bytesOf, disposeNet, freshNet, sameBytes, setup } from './fixtures';
import { accuracyOn, classRequest, FORGET_CLASS } from './b-trained';

beforeAll(setup);

describe("diagonalFisher with 'sampled' labels", () => {
  it('is an unbiased estimate of the expected per-sample Fisher Σ_y p(y|x)·(∇log p(y|x))²', () => {
    const net = freshNet({ version: 1, input: [3], layers: [{ type: 'dense', units: 3 }] }, 2);
    const n = 6;
    const images = Float32Array.from({ length: n * 3 }, (_, i) => Math.cos(1.7 * i));
    const ds = createDataset({ name: 'tiny', images, shape: [n, 1, 1, 3], labels: new Int32Array(n), classNames: ['a', 'b', 'c'], source: 'test' });
    // Exact: enumerate every sample and every class.
    const exact = tf.tidy(() => {
      const acc = net.params.map((p) => tf.zerosLike(p));
      for (let i = 0; i < n; i++) {
        const x = tf.slice(ds.images, [i, 0, 0, 0], [1, -1, -1, -1]);
        const probs = tf.softmax(forward(net.spec, net.params, x)).dataSync();
        for (let y = 0; y < 3; y++) {
          const g = tf.grads((...ps: tf.Tensor[]) => tf.neg(tf.sum(tf.mul(tf.oneHot([y], 3), tf.logSoftmax(forward(net.spec, ps, x))))) as tf.Scalar)(net.params);
          g.forEach((gk, k) => {
            acc[k] = tf.add(acc[k] as tf.Tensor, tf.mul(tf.square(gk), probs[y] as number));
          });
        }
      }
      return tf.addN(acc.map((a) => tf.sum(a))).dataSync()[0] as number;
    }) / n;
    // Monte Carlo over label draws, whole-batch gradients (cross terms vanish in expectation).
    let mc = 0;
    const runs = 300;
    for (let s = 0; s < runs; s++) {
      const f = diagonalFisher(net, ds, { batchSize: 3, labels: 'sampled', seed: s });
      mc += tf.tidy(() => tf.addN(f.importance.map((t) => tf.sum(t))).dataSync()[0] as number);
      tf.dispose(f.importance);
    }
    mc /= runs;
    expect(Math.abs(mc - exact) / exact).toBeLessThan(0.1);
    disposeDataset(ds);
    disposeNet(net);
  });
});

describe('fisher', () => {
  it('forgets the class, keeps the other classes, leaves the input untouched and leaks nothing', async () => {
    const req = classRequest();
    const before = bytesOf(req.model);
    const tensors = tf.memory().numTensors;
    const out = await fisher.run(req.input());
    expect(out.steps).toBe(0);
    expect(accuracyOn(req.model, req.forget)).toBeGreaterThan(0.95);
    expect(accuracyOn(out.model, req.forget)).toBeLessThan(0.75);
    expect(accuracyOn(out.model, req.retain)).toBeGreaterThan(0.9);
    expect(accuracyOn(out.model, req.testRetain)).toBeGreaterThan(accuracyOn(req.model, req.testRetain) - 0.05);
    expect(sameBytes(bytesOf(req.model), before)).toBe(true);
    disposeNet(out.model);
    expect(tf.memory().numTensors).toBe(tensors);
  });

  it("resets the forgotten class's read-out and adds no noise at α = 0", async () => {
    const req = classRequest();
    const infos = paramInfos(req.model.spec);
    const head = infos.length - 2; // last dense weight, then its bias
    const zero = await fisher.run(req.input(), { alpha: 0 });
    const plain = await fisher.run({ ...req.input(), forgetClasses: undefined }, { alpha: 0 });
    expect(sameBytes(bytesOf(plain.model), bytesOf(req.model))).toBe(true);
    const w = zero.model.params[head] as tf.Tensor2D;
    const rows = w.arraySync();
    const orig = (req.model.params[head] as tf.Tensor2D).arraySync();
    rows.forEach((row, c) => expect(row).toEqual(c === FORGET_CLASS ? row.map(() => 0) : orig[c]));
    expect((zero.model.params[head + 1] as tf.Tensor1D).arraySync()[FORGET_CLASS]).toBe(0);
    disposeNet(zero.model);
    disposeNet(plain.model);
  });

  it('is bit-identical for the same seed and draws other noise for another seed', async () => {
    const req = classRequest();
    const [a, b, c] = [await fisher.run(req.input(3)), await fisher.run(req.input(3)), await fisher.run(req.input(4))];
    expect(sameBytes(bytesOf(a.model), bytesOf(b.model))).toBe(true);
    expect(sameBytes(bytesOf(a.model), bytesOf(c.model))).toBe(false);
    for (const r of [a, b, c]) disposeNet(r.model);
  });

  it('needs no forget set (random-subset requests use D_r only) and rejects bad hyperparameters', async () => {
    const req = classRequest();
    const empty = subsetDataset(req.forget, new Int32Array(0));
    const out = await fisher.run({ ...req.input(), forget: empty, forgetClasses: undefined }, { maxRetainSamples: 64 });
    expect(out.model.params).toHaveLength(req.model.params.length);
    // The result depends on D_r only: the same run with the real forget set gives the same bytes.
    const withForget = await fisher.run({ ...req.input(), forgetClasses: undefined }, { maxRetainSamples: 64 });
    expect(sameBytes(bytesOf(out.model), bytesOf(withForget.model))).toBe(true);
    // It did its work: every weight tensor moved, by noise that stays finite and small enough to keep D_r.
    out.model.params.forEach((p, k) => {
      const before = req.model.params[k]!.dataSync();
      const after = p.dataSync();
      expect(after.every(Number.isFinite)).toBe(true);
      expect(after.some((v, i) => v !== before[i])).toBe(true);
    });
    expect(accuracyOn(out.model, req.retain)).toBeGreaterThan(accuracyOn(req.model, req.retain) - 0.1);
    // α = 0 adds no noise: without a forget class to reset, the net comes back unchanged.
    const silent = await fisher.run({ ...req.input(), forget: empty, forgetClasses: undefined }, { maxRetainSamples: 64, alpha: 0 });
    expect(sameBytes(bytesOf(silent.model), bytesOf(req.model))).toBe(true);
    disposeNet(silent.model);
    disposeNet(withForget.model);
    disposeNet(out.model);
    disposeDataset(empty);
    await expect(fisher.run(req.input(), { alpha: -1 })).rejects.toThrow(InvalidHyperparameterError);
    await expect(fisher.run(req.input(), { clampVariance: 0 })).rejects.toThrow(InvalidHyperparameterError);
    await expect(fisher.run(req.input(), { batchSize: 0 })).rejects.toThrow(InvalidHyperparameterError);
  });
});
