import fc from 'fast-check';
import { tf } from '@metanet/tensor';
import { beforeAll, describe, expect, it } from 'vitest';
import { architecture, hiddenGroups, InvalidPermutationError, permuteHiddenArrays, randomHiddenPermutation, validateSpec, type NetSpec } from '@metanet/spec';
import {
  forward,
  initBuffers,
  initParams,
  permuteHidden,
  permuteRowsUncoupled,
} from '../src/index';
import { setupBackend } from './support/backend';

beforeAll(async () => {
  await setupBackend();
});

const maxDiff = (a: tf.Tensor, b: tf.Tensor): number => tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0] as number);

/** Random non-trivial BN running stats, so eval mode really exercises the buffer permutation. */
function randomBuffers(spec: NetSpec, seed: number): tf.Tensor[] {
  return initBuffers(spec).map((b, k) => tf.add(b, tf.abs(tf.randomNormal(b.shape, 0, 0.5, 'float32', seed + k))));
}

function checkInvariant(spec: NetSpec, seed: number, training = false): void {
  const params = initParams(spec, { seed, scheme: 'he' });
  const buffers = randomBuffers(spec, seed);
  const perms = randomHiddenPermutation(spec, seed + 1);
  const x = tf.randomNormal([3, ...spec.input], 0, 1, 'float32', seed);
  const p = permuteHidden(spec, params, perms, buffers);
  const a = forward(spec, params, x, { buffers, training });
  const b = forward(spec, p.params, x, { buffers: p.buffers, training });
  expect(maxDiff(a, b)).toBeLessThan(1e-5 * Math.max(1, tf.max(tf.abs(a)).dataSync()[0] as number));
  // And the permutation really moved something.
  expect(p.params.some((t, k) => maxDiff(t, params[k] as tf.Tensor) > 0)).toBe(true);
}

describe('permuteHidden', () => {
  it('MLP: hidden layers are groups, the output is not; function preserved (property)', () => {
    const spec = architecture('mlp:6-5-4-3');
    expect(hiddenGroups(spec)).toEqual([{ id: 'layers.0', size: 5 }, { id: 'layers.2', size: 4 }]);
    fc.assert(fc.property(fc.integer({ min: 0, max: 1e6 }), (seed) => checkInvariant(spec, seed)), { numRuns: 10, seed: 1 });
  });

  it('CNN with BN (eval and train mode), conv→flatten→dense blocks move together', () => {
    const spec = validateSpec({
      input: [5, 5, 2],
      layers: [
        { type: 'conv2d', filters: 4, kernel: 3, padding: 1 },
        { type: 'batchnorm' },
        { type: 'activation', fn: 'relu' },
        { type: 'maxpool', size: 2 },
        { type: 'flatten' },
        { type: 'dense', units: 6 },
        { type: 'batchnorm' },
        { type: 'dense', units: 3 },
      ],
    });
    checkInvariant(spec, 3);
    checkInvariant(spec, 4, true);
    checkInvariant(architecture('homework-cnn', { inputSize: 8 }), 5);
    checkInvariant(architecture('small-cnn', { width: 4, inputSize: 8 }), 6);
  });

  it('residual nets: block internals are free, the stream is coupled across blocks', () => {
    const spec = architecture('resnet-mini', { width: 3, inputSize: 8 });
    expect(hiddenGroups(spec).map((g) => g.id)).toEqual(['layers.0', 'layers.3.inner', 'layers.4.inner', 'layers.4']);
    fc.assert(fc.property(fc.integer({ min: 0, max: 1e6 }), (seed) => checkInvariant(spec, seed)), { numRuns: 5, seed: 2 });
    // A net ending on an identity block: its stream reaches the output, so it is not hidden.
    const tail = validateSpec({ input: [4, 4, 2], layers: [{ type: 'conv2d', filters: 3, kernel: 1 }, { type: 'residual', filters: 3 }] });
    expect(hiddenGroups(tail).map((g) => g.id)).toEqual(['layers.1.inner']);
    checkInvariant(tail, 8);
  });

  it('attention and layernorm follow the model-width group', () => {
    const spec = validateSpec({
      input: [4, 6],
      layers: [{ type: 'dense', units: 8 }, { type: 'layernorm' }, { type: 'attention', heads: 2 }, { type: 'activation', fn: 'gelu' }, { type: 'flatten' }, { type: 'dense', units: 3 }],
    });
    expect(hiddenGroups(spec).map((g) => g.id)).toEqual(['layers.0', 'layers.2']);
    checkInvariant(spec, 9);
  });

  it('host-array version agrees with the tensor version', () => {
    const spec = architecture('resnet-mini', { width: 2, inputSize: 6 });
    const params = initParams(spec, { seed: 1 });
    const buffers = randomBuffers(spec, 2);
    const perms = randomHiddenPermutation(spec, 3);
    const t = permuteHidden(spec, params, perms, buffers);
    const h = permuteHiddenArrays(spec, params.map((p) => p.dataSync() as Float32Array), perms, buffers.map((b) => b.dataSync() as Float32Array));
    t.params.forEach((p, k) => expect(Array.from(p.dataSync())).toEqual(Array.from(h.params[k] as Float32Array)));
    t.buffers.forEach((p, k) => expect(Array.from(p.dataSync())).toEqual(Array.from(h.buffers[k] as Float32Array)));
  });

  it('an uncoupled row permutation changes the function', () => {
    const spec = architecture('mlp:6-5-3');
    const params = initParams(spec, { seed: 1 });
    const x = tf.randomNormal([4, 6], 0, 1, 'float32', 2);
    const broken = permuteRowsUncoupled(spec, params, 'layers.0.weight', [1, 0, 2, 3, 4]);
    expect(maxDiff(forward(spec, params, x), forward(spec, broken, x))).toBeGreaterThan(1e-3);
    expect(() => permuteRowsUncoupled(spec, params, 'nope', [0])).toThrow(InvalidPermutationError);
  });

  it('rejects non-permutations and unknown groups', () => {
    const spec = architecture('mlp:6-3-2');
    const params = initParams(spec);
    expect(() => permuteHidden(spec, params, { 'layers.0': [0, 0, 1] })).toThrow(/not a permutation/);
    expect(() => permuteHidden(spec, params, { 'layers.0': [0, 1] })).toThrow(/has 2 entries/);
    expect(() => permuteHidden(spec, params, { 'layers.2': [1, 0] })).toThrow(/no hidden group/);
  });
});
