import { describe, expect, it } from 'vitest';
import {
  architecture,
  countParams,
  findHead,
  FASHION_MNIST_GROUPS,
  headLabels,
  headSlices,
  hiddenGroups,
  InvalidSpecError,
  paramInfos,
  parseSpec,
  permutationPlan,
  validateSpec,
} from '../src/index';

describe('multi-head specs', () => {
  it('small-cnn-mt is small-cnn with a 13-unit last layer split into label (10) and group (3)', () => {
    const mt = architecture('small-cnn-mt');
    const single = architecture('small-cnn');
    expect(mt.heads).toEqual([
      { name: 'label', units: 10 },
      { name: 'group', units: 3, labelMap: [0, 1, 0, 1, 0, 2, 0, 2, 2, 2] },
    ]);
    expect(mt.layers.slice(0, -1)).toEqual(single.layers.slice(0, -1));
    expect(mt.layers[mt.layers.length - 1]).toEqual({ type: 'dense', units: 13 });
    // 3 more rows of 16 weights and a bias each.
    expect(countParams(mt) - countParams(single)).toBe(3 * 17);
    expect(headSlices(mt).map((h) => [h.name, h.start, h.units, h.index])).toEqual([
      ['label', 0, 10, 0],
      ['group', 10, 3, 1],
    ]);
  });

  it('leaves single-head specs as they were: no heads key, same JSON', () => {
    const spec = architecture('small-cnn');
    expect('heads' in spec).toBe(false);
    expect(JSON.stringify(validateSpec(JSON.parse(JSON.stringify(spec))))).toBe(JSON.stringify(spec));
    expect(headSlices(spec)).toEqual([]);
  });

  it('round-trips through JSON and keeps the label maps', () => {
    const spec = architecture('small-cnn', { heads: ['group', 'label'], width: 4 });
    const back = parseSpec(JSON.stringify(spec));
    expect(back).toEqual(spec);
    expect(findHead(back, 'label').start).toBe(3);
  });

  it('the output rows are never a hidden group: the plan is the single-head plan', () => {
    const mt = architecture('small-cnn-mt', { width: 8 });
    const single = architecture('small-cnn', { width: 8 });
    expect(hiddenGroups(mt)).toEqual(hiddenGroups(single));
    expect(permutationPlan(mt).ops.map((o) => o.tensor)).toEqual(permutationPlan(single).ops.map((o) => o.tensor));
    expect(paramInfos(mt).at(-2)?.shape).toEqual([13, 8]);
  });

  it('maps dataset labels to head labels', () => {
    const mt = architecture('small-cnn-mt');
    expect([...headLabels(findHead(mt, 'group'), [0, 1, 5, 8, 3])]).toEqual([0, 1, 2, 2, 1]);
    expect([...headLabels(findHead(mt, 'label'), [9, 4])]).toEqual([9, 4]);
    expect(() => headLabels(findHead(mt, 'group'), [10])).toThrow(/label 10 has no label in head "group"/);
    expect(FASHION_MNIST_GROUPS.length).toBe(10);
  });

  it('rejects heads that do not fit, with a message naming the fix', () => {
    const base = { input: [4], layers: [{ type: 'dense', units: 6 }, { type: 'activation', fn: 'relu' }, { type: 'dense', units: 5 }] };
    expect(() => validateSpec({ ...base, heads: [{ name: 'a', units: 2 }, { name: 'b', units: 2 }] })).toThrow(/4 units in all, the last dense layer has 5/);
    expect(() => validateSpec({ ...base, heads: [{ name: 'a', units: 2 }, { name: 'a', units: 3 }] })).toThrow(/names "a" twice/);
    expect(() => validateSpec({ ...base, heads: [{ name: '1a', units: 5 }] })).toThrow(InvalidSpecError);
    expect(() => validateSpec({ ...base, heads: [] })).toThrow(/1 to 64 heads/);
    expect(() => validateSpec({ ...base, heads: [{ name: 'a', units: 2, labelMap: [0, 2] }, { name: 'b', units: 3 }] })).toThrow(/labelMap\[1\] must be an integer in \[0, 1\]/);
    const relu = { input: [4], layers: [{ type: 'dense', units: 5 }, { type: 'activation', fn: 'relu' }] };
    expect(() => validateSpec({ ...relu, heads: [{ name: 'a', units: 5 }] })).toThrow(/last layer of type dense/);
    expect(() => findHead(architecture('small-cnn'), 'group')).toThrow(/has one head/);
    expect(() => findHead(architecture('small-cnn-mt'), 'B')).toThrow(/its heads are label, group/);
    expect(() => architecture('small-cnn', { heads: ['colour'] })).toThrow(/unknown head "colour"; known: label, group/);
  });
});
