import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  bufferInfos,
  expandedIndices,
  hiddenGroups,
  inferShapes,
  InvalidPermutationError,
  InvalidSpecError,
  paramInfos,
  permutationPlan,
  randomHiddenPermutation,
  validateSpec,
  type Layer,
  type NetSpec,
} from '../src/index';

const gn = (groups: number): Layer => ({ type: 'groupnorm', groups });
const cnn = (norm: Layer[]): NetSpec =>
  validateSpec({
    input: [4, 4, 2],
    layers: [{ type: 'conv2d', filters: 6, kernel: 3, padding: 1 }, ...norm, { type: 'activation', fn: 'relu' }, { type: 'globalavgpool' }, { type: 'dense', units: 3 }],
  });

describe('groupnorm: validation, shapes and layout', () => {
  it('keeps groups and eps, and checks that the groups divide the channels', () => {
    expect(validateSpec({ input: [4, 4, 6], layers: [{ type: 'groupnorm', groups: 3, eps: 1e-3, junk: 1 }] }).layers).toEqual([{ type: 'groupnorm', groups: 3, eps: 1e-3 }]);
    expect(() => validateSpec({ input: [4, 4, 6], layers: [{ type: 'groupnorm' }] })).toThrow(/layers\[0\] \(groupnorm\)\.groups must be an integer/);
    expect(() => validateSpec({ input: [4, 4, 6], layers: [gn(4)] })).toThrow(/4 groups that do not divide its 6 channels/);
    expect(() => validateSpec({ input: [4, 4, 6], layers: [{ type: 'groupnorm', groups: 2, eps: 0 }] })).toThrow(InvalidSpecError);
    expect(() => validateSpec({ input: [3, 6], layers: [gn(2)] })).toThrow(/needs an input of shape \[D\] or \[H, W, C\]/);
  });

  it('keeps the shape and owns γ and β per channel, with no buffers', () => {
    const spec = validateSpec({ input: [4, 4, 6], layers: [gn(3), { type: 'flatten' }, gn(4)] });
    expect(inferShapes(spec)).toEqual([[4, 4, 6], [96], [96]]);
    expect(paramInfos(spec)).toEqual([
      { name: 'layers.0.weight', shape: [6], kind: 'gamma', layerIndex: 0 },
      { name: 'layers.0.bias', shape: [6], kind: 'beta', layerIndex: 0 },
      { name: 'layers.2.weight', shape: [96], kind: 'gamma', layerIndex: 2 },
      { name: 'layers.2.bias', shape: [96], kind: 'beta', layerIndex: 2 },
    ]);
    expect(bufferInfos(spec)).toEqual([]);
  });
});

describe('groupnorm: permutation symmetries', () => {
  it('splits the channels it normalises into runs that a permutation must keep whole', () => {
    const plan = permutationPlan(cnn([gn(3)]));
    expect(plan.groups).toEqual([{ id: 'layers.0', size: 6, blockSize: 2 }]);
    expect(plan.ops.filter((op) => op.tensor.startsWith('layers.1.'))).toEqual([
      { tensor: 'layers.1.weight', axis: 0, group: 'layers.0', outer: 1, inner: 1 },
      { tensor: 'layers.1.bias', axis: 0, group: 'layers.0', outer: 1, inner: 1 },
    ]);
  });

  it('one group or one channel per group leaves every permutation free', () => {
    expect(hiddenGroups(cnn([gn(1)]))).toEqual([{ id: 'layers.0', size: 6 }]);
    expect(hiddenGroups(cnn([gn(6)]))).toEqual([{ id: 'layers.0', size: 6 }]);
  });

  it('random permutations map runs onto runs (property)', () => {
    const spec = cnn([gn(2)]);
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 31 - 1 }), (seed) => {
        const p = randomHiddenPermutation(spec, seed)['layers.0'] as Int32Array;
        expect([...p].sort()).toEqual([0, 1, 2, 3, 4, 5]);
        for (const run of [0, 3]) expect(new Set([p[run], p[run + 1], p[run + 2]].map((v) => Math.floor((v as number) / 3))).size).toBe(1);
        expect(() => expandedIndices(permutationPlan(spec), { 'layers.0': p })).not.toThrow();
      }),
      { numRuns: 50, seed: 3 },
    );
    expect(new Set(Array.from({ length: 40 }, (_, s) => randomHiddenPermutation(spec, s)['layers.0']!.join())).size).toBeGreaterThan(10);
  });

  it('rejects a permutation that moves a channel into another run', () => {
    const spec = cnn([gn(3)]);
    expect(() => expandedIndices(permutationPlan(spec), { 'layers.0': [2, 1, 0, 3, 4, 5] })).toThrow(InvalidPermutationError);
    expect(() => expandedIndices(permutationPlan(spec), { 'layers.0': [2, 1, 0, 3, 4, 5] })).toThrow(/runs of 2 neurons; map each run/);
    expect(() => expandedIndices(permutationPlan(spec), { 'layers.0': [5, 4, 0, 1, 3, 2] })).not.toThrow();
  });

  it('two group norms that split one stream differently leave it fixed; the same split twice keeps it', () => {
    const stream = (g1: number, g2: number): NetSpec =>
      validateSpec({
        input: [4, 4, 2],
        layers: [{ type: 'conv2d', filters: 6, kernel: 3, padding: 1 }, gn(g1), { type: 'residual', filters: 6 }, gn(g2), { type: 'globalavgpool' }, { type: 'dense', units: 3 }],
      });
    expect(hiddenGroups(stream(3, 2))).toEqual([{ id: 'layers.2.inner', size: 6 }]);
    expect(permutationPlan(stream(3, 2)).ops.every((op) => op.group === 'layers.2.inner')).toBe(true);
    expect(hiddenGroups(stream(3, 3))).toEqual([{ id: 'layers.0', size: 6, blockSize: 2 }, { id: 'layers.2.inner', size: 6 }]);
  });

  it('after a flatten, runs are counted in features: whole channels restrict, runs inside a channel do not, runs across channels fix the group', () => {
    const flat = (groups: number): NetSpec =>
      validateSpec({ input: [2, 3, 1], layers: [{ type: 'conv2d', filters: 4, kernel: 1 }, { type: 'flatten' }, gn(groups), { type: 'dense', units: 2 }] });
    // 4 channels × 6 positions = 24 features, channel-major.
    expect(hiddenGroups(flat(2))).toEqual([{ id: 'layers.0', size: 4, blockSize: 2 }]); // runs of 12 = 2 channels
    expect(hiddenGroups(flat(8))).toEqual([{ id: 'layers.0', size: 4 }]); // runs of 3 inside a channel
    expect(hiddenGroups(flat(6))).toEqual([]); // runs of 4 cut channels of 6
    expect(permutationPlan(flat(2)).ops.find((op) => op.tensor === 'layers.2.weight')).toEqual({ tensor: 'layers.2.weight', axis: 0, group: 'layers.0', outer: 1, inner: 6 });
  });
});
