import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend, tf } from '@metanet/tensor';
import { createOptimizerState, disposeOptimizerState, optimizerStep, type OptimizerConfig } from '../src/index';

beforeAll(async () => {
  await initBackend();
});

/** PyTorch's Adam, written out on the host for one parameter vector. */
function adamReference(p: number[], grads: number[][], lr: number, wd: number): number[] {
  const [b1, b2, eps] = [0.9, 0.999, 1e-8];
  const m = p.map(() => 0);
  const v = p.map(() => 0);
  const x = [...p];
  grads.forEach((g, i) => {
    const t = i + 1;
    for (let j = 0; j < x.length; j++) {
      const gj = (g[j] as number) + wd * (x[j] as number);
      m[j] = b1 * (m[j] as number) + (1 - b1) * gj;
      v[j] = b2 * (v[j] as number) + (1 - b2) * gj * gj;
      const denom = Math.sqrt(v[j] as number) / Math.sqrt(1 - b2 ** t) + eps;
      x[j] = (x[j] as number) - (lr / (1 - b1 ** t)) * ((m[j] as number) / denom);
    }
  });
  return x;
}

/** PyTorch's RMSprop (alpha 0.99, eps 1e-8, no momentum), written out on the host. */
function rmspropReference(p: number[], grads: number[][], lr: number, wd: number): number[] {
  const sq = p.map(() => 0);
  const x = [...p];
  for (const g of grads) {
    for (let j = 0; j < x.length; j++) {
      const gj = (g[j] as number) + wd * (x[j] as number);
      sq[j] = 0.99 * (sq[j] as number) + 0.01 * gj * gj;
      x[j] = (x[j] as number) - (lr * gj) / (Math.sqrt(sq[j] as number) + 1e-8);
    }
  }
  return x;
}

function run(cfg: OptimizerConfig, grads: number[][], mask?: number[]): Float32Array {
  let params: tf.Tensor[] = [tf.tensor1d([0.5, -1, 2])];
  let state = createOptimizerState(cfg, params);
  const m = mask ? [tf.tensor1d(mask)] : undefined;
  for (const g of grads) {
    const gt = [tf.tensor1d(g)];
    const next = optimizerStep(cfg, state, params, gt, 0.1, m);
    tf.dispose([...gt, ...params]);
    disposeOptimizerState(state);
    params = next.params;
    state = next.state;
  }
  const out = params[0]?.dataSync() as Float32Array;
  tf.dispose(params);
  if (m) tf.dispose(m);
  disposeOptimizerState(state);
  return Float32Array.from(out);
}

const GRADS = [
  [0.3, -0.2, 1],
  [0.1, 0.4, -0.5],
  [-0.2, 0.1, 0.2],
];

describe('optimizerStep', () => {
  it('Adam with weight decay matches PyTorch rules written out by hand', () => {
    const got = run({ kind: 'adam', weightDecay: 0.01 }, GRADS);
    const want = adamReference([0.5, -1, 2], GRADS, 0.1, 0.01);
    got.forEach((v, j) => expect(v).toBeCloseTo(want[j] as number, 5));
  });

  it('RMSprop with weight decay matches PyTorch rules written out by hand', () => {
    const got = run({ kind: 'rmsprop', weightDecay: 0.01 }, GRADS);
    const want = rmspropReference([0.5, -1, 2], GRADS, 0.1, 0.01);
    got.forEach((v, j) => expect(v).toBeCloseTo(want[j] as number, 5));
    // Not Adam: the first RMSprop step moves each weight by lr/√0.01 = 1, far more than Adam's lr.
    expect(Math.abs((run({ kind: 'rmsprop' }, [[0.3, -0.2, 1]])[0] as number) - 0.5)).toBeCloseTo(1, 4);
  });

  it('a mask freezes its weights exactly, even under weight decay, and leaves the others as without a mask', () => {
    for (const cfg of [{ kind: 'adam', weightDecay: 0.01 }, { kind: 'rmsprop', weightDecay: 0.01 }, { kind: 'sgd', momentum: 0.9, weightDecay: 0.01 }] as OptimizerConfig[]) {
      const free = run(cfg, GRADS);
      const masked = run(cfg, GRADS, [1, 0, 1]);
      expect(masked[1]).toBe(Math.fround(-1));
      expect(masked[0]).toBe(free[0]);
      expect(masked[2]).toBe(free[2]);
      expect(free[1]).not.toBe(Math.fround(-1));
    }
  });
});
