import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tf } from '@metanet/tensor';
import { disposeDataset, type Dataset } from '@metanet/data';
import { optimize, type LossFn } from '../src/loop';
import { NonFiniteLossError, InvalidHyperparameterError } from '../src/errors';
import { bytesOf, disposeNet, freshNet, sameBytes, setup, shapes, tinyCnnSpec } from './fixtures';

const ce: LossFn = (out, batch) => tf.losses.softmaxCrossEntropy(tf.oneHot(batch.y, 4), out.output) as tf.Scalar;

let data: Dataset;
beforeAll(async () => {
  await setup();
  data = shapes(96, 1);
});
afterAll(() => disposeDataset(data));

describe('optimize', () => {
  it('lowers the loss, returns fresh tensors and leaves the input untouched', () => {
    const net = freshNet(tinyCnnSpec(), 3);
    const before = bytesOf(net);
    const tensorsBefore = tf.memory().numTensors;
    const r = optimize({ model: net, sources: { retain: { data, batchSize: 32 } }, epochs: 6, loss: ce, lr: 1e-2, optimizer: 'adam', seed: 7 });
    expect(r.steps).toBe(18);
    expect(r.losses).toHaveLength(18);
    const first = (r.losses[0] as number) + (r.losses[1] as number) + (r.losses[2] as number);
    const last = r.losses.slice(-3).reduce((a, b) => a + b, 0);
    expect(last).toBeLessThan(first * 0.8);
    expect(sameBytes(bytesOf(net), before)).toBe(true);
    // BN running stats moved in train mode
    expect(sameBytes(bytesOf({ ...net, params: [] }), bytesOf({ ...r.model, params: [] }))).toBe(false);
    expect(r.model.params.every((p, k) => p !== net.params[k])).toBe(true);
    expect(tf.memory().numTensors).toBe(tensorsBefore + r.model.params.length + r.model.buffers.length);
    disposeNet(r.model);
    disposeNet(net);
  });

  it('is bit-identical for the same seed and differs for another', () => {
    const net = freshNet(tinyCnnSpec(), 3);
    const run = (seed: number) => optimize({ model: net, sources: { a: { data, batchSize: 16 }, b: { data, batchSize: 8 } }, steps: 5, loss: ce, lr: 0.05, momentum: 0.9, weightDecay: 1e-3, seed });
    const [a, b, c] = [run(1), run(1), run(2)];
    expect(sameBytes(bytesOf(a.model), bytesOf(b.model))).toBe(true);
    expect(sameBytes(bytesOf(a.model), bytesOf(c.model))).toBe(false);
    [a, b, c].forEach((r) => disposeNet(r.model));
    disposeNet(net);
  });

  it('never moves masked weights and freezes BN stats in eval mode', () => {
    const net = freshNet(tinyCnnSpec(), 4);
    const mask = net.params.map((p, k) => (k === 0 ? tf.zerosLike(p) : tf.onesLike(p)));
    const r = optimize({ model: net, sources: { r: { data, batchSize: 32 } }, steps: 4, loss: ce, lr: 0.1, mask, mode: 'eval', seed: 0, optimizer: 'adam', weightDecay: 0.1 });
    const [orig, upd] = [bytesOf(net), bytesOf(r.model)];
    expect(sameBytes([orig[0] as Uint8Array], [upd[0] as Uint8Array])).toBe(true);
    expect(sameBytes([orig[2] as Uint8Array], [upd[2] as Uint8Array])).toBe(false);
    expect(sameBytes(orig.slice(-2), upd.slice(-2))).toBe(true);
    tf.dispose(mask);
    disposeNet(r.model);
    disposeNet(net);
  });

  it('throws NonFiniteLossError naming the step, and leaks nothing', () => {
    const net = freshNet(tinyCnnSpec(), 5);
    const before = tf.memory().numTensors;
    // The loss becomes NaN from the third step on.
    const bad: LossFn = (out, batch, ctx) => (ctx.step >= 3 ? tf.mul(ce(out, batch, ctx), NaN) : ce(out, batch, ctx)) as tf.Scalar;
    let err: unknown;
    try {
      optimize({ model: net, sources: { r: { data, batchSize: 32 } }, steps: 10, loss: bad, lr: 0.01, seed: 0, label: 'ga' });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(NonFiniteLossError);
    expect((err as NonFiniteLossError).step).toBe(3);
    expect((err as Error).message).toMatch(/^ga: the loss is not finite at step 3;/);
    expect(tf.memory().numTensors).toBe(before);
    disposeNet(net);
  });

  it('stops early when onStep says so, and validates options', () => {
    const net = freshNet(tinyCnnSpec(), 6);
    const r = optimize({ model: net, sources: { r: { data, batchSize: 32 } }, steps: 10, loss: ce, lr: 0.01, seed: 0, onStep: (s) => s === 4 });
    expect(r.steps).toBe(4);
    disposeNet(r.model);
    expect(() => optimize({ model: net, sources: { r: { data, batchSize: 0 } }, steps: 1, loss: ce, lr: 0.01, seed: 0 })).toThrow(InvalidHyperparameterError);
    expect(() => optimize({ model: net, sources: {}, steps: 1, loss: ce, lr: 0.01, seed: 0 })).toThrow(InvalidHyperparameterError);
    expect(() => optimize({ model: net, sources: { r: { data, batchSize: 8 } }, loss: ce, lr: 0.01, seed: 0 })).toThrow(/steps or epochs/);
    disposeNet(net);
  });
});
