import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tf } from '@metanet/tensor';
import { datasetSize, disposeDataset, labelsOf, FASHION_MNIST_CLASS_NAMES, type Dataset } from '@metanet/data';
import type { NetSpec } from '@metanet/spec';
import { buildRequest } from '../src/requests/build';
import { parseRequest, requestLabel, REQUEST_GRAMMAR } from '../src/requests/parse';
import { conceptFromJson } from '../src/requests/concept';
import { patchMask } from '../src/requests/trigger';
import { featureReliance, conceptProbe } from '../src/feature-reliance';
import { getMethod } from '../src/registry';
import { evaluateModel, evaluationSets } from '../src/evaluate';
import { EmptyForgetSetError, InvalidRequestError } from '../src/errors';
import type { FeatureRequest } from '../src/requests/types';
import type { TrainedNet } from '../src/types';
import { freshNet, disposeNet, setup, shapes, tinyMlpSpec } from './fixtures';

let train: Dataset;
let test: Dataset;
beforeAll(async () => {
  await setup();
  train = shapes(200, 1);
  test = shapes(80, 2);
});
afterAll(() => [train, test].forEach(disposeDataset));

const rows = (t: tf.Tensor, n: number): Float32Array[] => {
  const v = t.dataSync() as Float32Array;
  const d = v.length / n;
  return Array.from({ length: n }, (_, i) => v.slice(i * d, (i + 1) * d));
};
const same = (a: Float32Array, b: Float32Array): boolean => a.length === b.length && a.every((x, i) => x === b[i]);

describe('parseRequest: feature, concept, task', () => {
  it('parses the feature grammar into a patch request', () => {
    const r = parseRequest('feature:watermark:3:0.6') as FeatureRequest;
    expect(r).toEqual({ kind: 'feature', feature: 'watermark', class: 3, fraction: 0.6, patch: { size: 3, value: 2.5, position: 'top-left' } });
    expect(parseRequest('feature:patch@2,4,5:1:0.5')).toMatchObject({ patch: { size: 5, position: { row: 2, col: 4 } } });
    expect(requestLabel(r)).toBe('feature-watermark-3-0.6');
  });

  it('parses named and file concepts', () => {
    expect(parseRequest('concept:footwear')).toEqual({ kind: 'concept', name: 'footwear' });
    expect(parseRequest('concept:@dir/my-idx.json')).toEqual({ kind: 'concept', file: 'dir/my-idx.json' });
    expect(requestLabel({ kind: 'concept', file: 'dir/my-idx.json' })).toBe('concept-my-idx');
  });

  it('parses task requests in the same grammar and refuses bad strings with the grammar', () => {
    expect(parseRequest('task:B')).toEqual({ kind: 'task', head: 'B' });
    for (const bad of ['nonsense:1', 'task:', 'task:A:B', 'feature:blur:3:0.6', 'feature:watermark:x:0.6', 'concept:', 'concept:Foot Wear']) {
      expect(() => parseRequest(bad), bad).toThrow(InvalidRequestError);
    }
    expect(() => parseRequest('nonsense:1')).toThrow(REQUEST_GRAMMAR);
  });
});

describe('buildRequest: feature', () => {
  const request = parseRequest('feature:watermark:1:0.5') as FeatureRequest;

  it('stamps exactly the drawn fraction of the class, keeps labels, and restores them in D_r', () => {
    const before = tf.memory().numTensors;
    const s = buildRequest(request, { train, test }, 7);
    const y = labelsOf(train);
    const inClass = y.filter((v) => v === 1).length;
    const n = datasetSize(train);
    expect(datasetSize(s.train.forget)).toBe(Math.round(0.5 * inClass));
    expect(labelsOf(s.train.forget).every((v) => v === 1)).toBe(true);
    expect(Array.from(labelsOf(s.train.full))).toEqual(Array.from(y));
    // D_r is the clean (restored) set: gold's training data.
    expect(s.train.retain).toBe(train);
    const full = rows(s.train.full.images, n);
    const clean = rows(train.images, n);
    const mask = patchMask(request.patch, 12, 12, 1);
    let stamped = 0;
    full.forEach((r, i) => {
      if (same(r, clean[i] as Float32Array)) return;
      stamped++;
      expect(y[i]).toBe(1);
      r.forEach((v, j) => expect(mask[j] === 1 ? v === 2.5 : v === (clean[i] as Float32Array)[j]).toBe(true));
    });
    expect(stamped).toBe(datasetSize(s.train.forget));
    // Test: stamped and clean images of the other classes, true labels on both.
    const yt = labelsOf(s.test.forget as Dataset);
    expect(yt.every((v) => v !== 1)).toBe(true);
    expect(Array.from(yt)).toEqual(Array.from(labelsOf(s.test.retain as Dataset)));
    expect(s.feature?.featureClass).toBe(1);
    s.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('is deterministic by seed and draws other images for another seed', () => {
    const img = (seed: number): number[] => {
      const s = buildRequest(request, { train, test }, seed);
      const v = Array.from(s.train.full.images.dataSync());
      s.dispose();
      return v;
    };
    expect(img(3)).toEqual(img(3));
    expect(img(3)).not.toEqual(img(4));
  });

  it('refuses a class outside the labels and a fraction that stamps nothing', () => {
    expect(() => buildRequest({ ...request, class: 9 }, { train, test }, 0)).toThrow(InvalidRequestError);
    expect(() => buildRequest({ ...request, fraction: 0.001 }, { train, test }, 0)).toThrow(EmptyForgetSetError);
  });

  it('relabelling methods refuse it with a typed error naming the ones that apply', async () => {
    const s = buildRequest(request, { train, test }, 0);
    const net = freshNet(tinyMlpSpec());
    try {
      const input = { model: net, forget: s.train.forget, retain: s.train.retain, numClasses: 4, seed: 0, requestKind: 'feature' as const };
      for (const m of ['rl', 'salun', 'kl-uniform', 'boundary-shrink']) {
        await expect(getMethod(m).run(input), m).rejects.toThrow(/relabels the forget set.*use ft, neggrad-plus/);
      }
    } finally {
      disposeNet(net);
      s.dispose();
    }
  });
});

/** A linear classifier whose class-`c` logit reads only the pixels where `where` is 1. */
function linearOn(where: Float32Array, c: number): TrainedNet {
  const spec: NetSpec = { version: 1, name: 'linear', input: [12, 12, 1], layers: [{ type: 'flatten' }, { type: 'dense', units: 4 }] };
  const w = new Float32Array(144 * 4);
  for (let i = 0; i < 144; i++) if (where[i] === 1) w[c * 144 + i] = 1;
  return { spec, params: [tf.tensor2d(w, [4, 144]), tf.zeros([4])], buffers: [] };
}

describe('featureReliance', () => {
  it('attribution mass is 1 for a model reading only the feature, 0 for one ignoring it; the gap follows', () => {
    const s = buildRequest(parseRequest('feature:watermark:1:0.5'), { train, test }, 0);
    const f = s.feature!;
    const onMask = linearOn(f.mask, 1);
    const offMask = linearOn(f.mask.map((m) => 1 - m), 1);
    try {
      const a = featureReliance(onMask, f);
      const b = featureReliance(offMask, f);
      expect(a.attributionMass).toBeCloseTo(1, 6);
      expect(b.attributionMass).toBeCloseTo(0, 6);
      expect(a.maskShare).toBeCloseTo(9 / 144, 9);
      // onMask predicts class 1 on every stamped image (all of another class): stamped accuracy 0.
      expect(a.accuracyGap).toBeGreaterThan(0);
      expect(b.accuracyGap).toBe(0);
    } finally {
      disposeNet(onMask);
      disposeNet(offMask);
      s.dispose();
    }
  });
});

describe('buildRequest: concept', () => {
  const fm = (ds: Dataset): Dataset => ({ ...ds, classNames: [...FASHION_MNIST_CLASS_NAMES] });

  it('a named concept refuses datasets whose class names do not match, naming the fix', () => {
    expect(() => buildRequest({ kind: 'concept', name: 'footwear' }, { train, test }, 0)).toThrow(/needs the classes Sandal, Sneaker, Ankle boot.*--dataset fashion-mnist.*concept:@indices.json/);
    expect(() => buildRequest({ kind: 'concept', name: 'hats' }, { train, test }, 0)).toThrow(/unknown concept 'hats'/);
  });

  it('footwear on Fashion-MNIST names forgets classes 5, 7 and 9 with a membership mask on test', () => {
    // shapes() has 4 classes; relabel to 10 so the names resolve and classes 5, 7, 9 exist.
    const relabel = (ds: Dataset): Dataset => ({ ...fm(ds), labels: tf.tidy(() => tf.mod(tf.mul(ds.labels, tf.scalar(3, 'int32')), tf.scalar(10, 'int32')) as tf.Tensor1D) });
    const tr = relabel(train);
    const te = relabel(test);
    try {
      const s = buildRequest({ kind: 'concept', name: 'footwear' }, { train: tr, test: te }, 0);
      expect(s.forgetClasses).toEqual([5, 7, 9]);
      expect(labelsOf(s.train.forget).every((v) => [5, 7, 9].includes(v))).toBe(true);
      expect(labelsOf(s.train.retain).every((v) => ![5, 7, 9].includes(v))).toBe(true);
      const m = s.concept!.testMembership;
      expect(Array.from(m)).toEqual(Array.from(labelsOf(te)).map((v) => ([5, 7, 9].includes(v) ? 1 : 0)));
      s.dispose();
    } finally {
      tr.labels.dispose();
      te.labels.dispose();
    }
  });

  it('an index concept forgets exactly the listed samples; bad files and indices are refused', () => {
    const r = conceptFromJson('{"train": [5, 1, 5, 9], "test": [0, 2]}', 'idx.json');
    const s = buildRequest(r, { train, test }, 0);
    expect(datasetSize(s.train.forget)).toBe(3);
    expect(datasetSize(s.train.retain)).toBe(197);
    expect(Array.from(s.concept!.testMembership.slice(0, 3))).toEqual([1, 0, 1]);
    expect(s.forgetClasses).toBeUndefined();
    s.dispose();
    expect(conceptFromJson('[3, 4]', 'a.json').indices).toEqual({ train: [3, 4] });
    expect(() => conceptFromJson('{"rows": [1]}', 'a.json')).toThrow(/holds no index list/);
    expect(() => conceptFromJson('not json', 'a.json')).toThrow(/is not JSON/);
    expect(() => buildRequest(conceptFromJson('[200]', 'a.json'), { train, test }, 0)).toThrow(/outside \[0, 200\)/);
    expect(() => buildRequest({ kind: 'concept', file: 'a.json' }, { train, test }, 0)).toThrow(/has not been read/);
  });

  it('the concept probe separates members when the features carry membership', async () => {
    const ofClass2 = (ds: Dataset): number[] => Array.from(labelsOf(ds)).flatMap((v, i) => (v === 2 ? [i] : []));
    const r = conceptFromJson(JSON.stringify({ train: ofClass2(train), test: ofClass2(test) }), 'c.json');
    const s = buildRequest(r, { train, test }, 0);
    const net = freshNet(tinyMlpSpec());
    try {
      const p = conceptProbe(net, test, s.concept!.testMembership);
      expect(p.auc).toBeGreaterThan(0.5);
      const m = await evaluateModel(net, evaluationSets(s), { seed: 0 });
      expect(m.concept?.auc).toBeCloseTo(p.auc, 9);
    } finally {
      disposeNet(net);
      s.dispose();
    }
  });
});
