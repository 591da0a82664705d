import { beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { tf } from '@metanet/tensor';
import { forward } from '@metanet/nets';
import { createDataset, disposeDataset, subsetDataset } from '@metanet/data';
import { dampen, ssd } from '../src/methods/ssd';
import { diagonalFisher, samplePicks } from '../src/diagonal-fisher';
import { EmptyForgetSetError, InvalidHyperparameterError } from '../src/errors';
import { bytesOf, disposeNet, freshNet, sameBytes, setup } from './fixtures';
import { accuracyOn, classRequest } from './b-trained';

beforeAll(setup);

const FIXTURE_HP = { alpha: 5, lambda: 1, batchSize: 8 };

describe('dampen (SSD eq. 3–4)', () => {
  it('matches the host rule: θ·min(λ·I_D/I_f, 1) where I_f > α·I_D, θ elsewhere', () => {
    const pos = fc.float({ min: 0, max: 100, noNaN: true, noDefaultInfinity: true });
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.float({ min: -5, max: 5, noNaN: true, noDefaultInfinity: true }), pos, pos), { minLength: 1, maxLength: 40 }),
        fc.float({ min: Math.fround(0.5), max: 20, noNaN: true }),
        fc.float({ min: Math.fround(0.05), max: 2, noNaN: true }),
        (rows, alpha, lambda) => {
          const theta = Float32Array.from(rows.map((r) => r[0]));
          const iF = Float32Array.from(rows.map((r) => r[1]));
          const iD = Float32Array.from(rows.map((r) => r[2]));
          const out = tf.tidy(() => dampen(tf.tensor1d(theta), tf.tensor1d(iF), tf.tensor1d(iD), alpha, lambda).dataSync());
          rows.forEach((_, i) => {
            const f = iF[i] as number;
            const d = iD[i] as number;
            const want = f > Math.fround(alpha * d) ? (theta[i] as number) * Math.min((lambda * d) / f, 1) : (theta[i] as number);
            expect(out[i]).toBeCloseTo(want, 4);
            expect(Math.abs(out[i] as number)).toBeLessThanOrEqual(Math.abs(theta[i] as number) + 1e-6);
          });
        },
      ),
      { numRuns: 100, seed: 42 },
    );
  });

  it('never produces NaN where the forget importance is zero', () => {
    const out = tf.tidy(() => dampen(tf.tensor1d([1, -2]), tf.zeros([2]), tf.zeros([2]), 10, 1).arraySync());
    expect(out).toEqual([1, -2]);
  });
});

describe('diagonalFisher', () => {
  it("'true' labels: mean over batches of the squared batch-mean gradient, by hand", () => {
    const net = freshNet({ version: 1, input: [2, 2, 1], layers: [{ type: 'flatten' }, { type: 'dense', units: 3 }] }, 1);
    const images = Float32Array.from({ length: 16 }, (_, i) => Math.sin(i));
    const ds = createDataset({ name: 'tiny', images, shape: [4, 2, 2, 1], labels: Int32Array.from([0, 2, 1, 2]), classNames: ['a', 'b', 'c'], source: 'test' });
    const picks = samplePicks([4], 0, 9);
    const fim = diagonalFisher(net, ds, { batchSize: 2, labels: 'true', seed: 9 });
    // Reference: the same batches (same seeded order), gradient of the mean CE, squared, averaged.
    const ref = tf.tidy(() => {
      const acc = net.params.map((p) => tf.zerosLike(p));
      for (const b of [picks.slice(0, 2), picks.slice(2, 4)]) {
        const idx = tf.tensor1d(b.map((p) => p.row), 'int32');
        const x = tf.gather(ds.images, idx);
        const y = tf.oneHot(tf.gather(ds.labels, idx) as tf.Tensor1D, 3);
        const g = tf.grads((...ps: tf.Tensor[]) => tf.losses.softmaxCrossEntropy(y, forward(net.spec, ps, x)) as tf.Scalar)(net.params);
        g.forEach((gk, k) => {
          acc[k] = tf.add(acc[k] as tf.Tensor, tf.square(gk));
        });
      }
      return acc.map((a) => tf.div(a, 2).arraySync());
    });
    expect(fim.batches).toBe(2);
    fim.importance.forEach((t, k) => {
      const got = t.dataSync();
      const want = (ref[k] as number[] | number[][]).flat();
      want.forEach((w, i) => expect(got[i]).toBeCloseTo(w, 6));
    });
    tf.dispose(fim.importance);
    disposeDataset(ds);
    disposeNet(net);
  });

  it('samples a uniform subset of the union, each row at most once', () => {
    const picks = samplePicks([50, 30], 40, 3);
    expect(picks).toHaveLength(40);
    expect(new Set(picks.map((p) => `${p.source}:${p.row}`)).size).toBe(40);
    expect(picks.some((p) => p.source === 1)).toBe(true);
    expect(samplePicks([5, 2], 0, 1)).toHaveLength(7);
  });
});

describe('ssd', () => {
  it('forgets the class, keeps the other classes, leaves the input untouched and leaks nothing', async () => {
    const req = classRequest();
    const before = bytesOf(req.model);
    const tensors = tf.memory().numTensors;
    // Fixture hyperparameters: D_f is a quarter of D here (a tenth on Fashion-MNIST),
    // so the forget/full importance ratio is ~16× smaller than the defaults expect;
    // small batches keep the per-batch estimate close to per-sample importance.
    const out = await ssd.run(req.input(), FIXTURE_HP);
    expect(out.steps).toBe(0);
    expect(out.seconds).toBeGreaterThan(0);
    expect(accuracyOn(req.model, req.forget)).toBeGreaterThan(0.95);
    expect(accuracyOn(out.model, req.forget)).toBeLessThan(0.5);
    expect(accuracyOn(out.model, req.retain)).toBeGreaterThan(0.9);
    expect(accuracyOn(out.model, req.testRetain)).toBeGreaterThan(accuracyOn(req.model, req.testRetain) - 0.05);
    expect(sameBytes(bytesOf(req.model), before)).toBe(true);
    expect(out.model.params.every((p, k) => p !== req.model.params[k])).toBe(true);
    expect(out.model.buffers.every((b, k) => b !== req.model.buffers[k])).toBe(true);
    disposeNet(out.model);
    expect(tf.memory().numTensors).toBe(tensors);
  });

  it('is bit-identical for the same seed', async () => {
    const req = classRequest();
    const a = await ssd.run(req.input(4), { ...FIXTURE_HP, maxSamples: 200 });
    const b = await ssd.run(req.input(4), { ...FIXTURE_HP, maxSamples: 200 });
    expect(sameBytes(bytesOf(a.model), bytesOf(b.model))).toBe(true);
    disposeNet(a.model);
    disposeNet(b.model);
  });

  it('dampens more with a lower threshold, and accepts D_r-only importance', async () => {
    const req = classRequest();
    const strict = await ssd.run(req.input(), { ...FIXTURE_HP, alpha: 50 });
    const loose = await ssd.run(req.input(), { ...FIXTURE_HP, alpha: 2, importanceOn: 'retain' });
    const norm = (ps: tf.Tensor[]): number => tf.tidy(() => tf.addN(ps.map((p) => tf.sum(tf.abs(p)))).dataSync()[0] as number);
    expect(norm(loose.model.params)).toBeLessThan(norm(strict.model.params));
    expect(norm(strict.model.params)).toBeLessThanOrEqual(norm(req.model.params) + 1e-3);
    disposeNet(strict.model);
    disposeNet(loose.model);
  });

  it('rejects bad hyperparameters and an empty forget set with typed errors', async () => {
    const req = classRequest();
    await expect(ssd.run(req.input(), { alpha: 0 })).rejects.toThrow(InvalidHyperparameterError);
    await expect(ssd.run(req.input(), { batchSize: 1.5 })).rejects.toThrow(InvalidHyperparameterError);
    await expect(ssd.run(req.input(), { importanceOn: 'test' })).rejects.toThrow(InvalidHyperparameterError);
    const empty = subsetDataset(req.forget, new Int32Array(0));
    await expect(ssd.run({ ...req.input(), forget: empty })).rejects.toThrow(EmptyForgetSetError);
    disposeDataset(empty);
  });
});
