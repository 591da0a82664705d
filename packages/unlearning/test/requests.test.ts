import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { createRng, shuffleInPlace, tf } from '@metanet/tensor';
import { datasetSize, disposeDataset, labelsOf, type Dataset } from '@metanet/data';
import { buildRequest } from '../src/requests/build';
import { parseRequest, requestLabel } from '../src/requests/parse';
import { patchOrigin, stampPatch } from '../src/requests/trigger';
import { sampleIndices } from '../src/requests/select';
import { EmptyForgetSetError, InvalidRequestError } from '../src/errors';
import type { ForgetRequest } from '../src/requests/types';
import { setup, shapes } from './fixtures';

let train: Dataset;
let test: Dataset;
beforeAll(async () => {
  await setup();
  train = shapes(200, 1);
  test = shapes(80, 2);
});
afterAll(() => [train, test].forEach(disposeDataset));

const count = (y: Int32Array, c: number): number => y.filter((v) => v === c).length;
const bytes = (t: tf.Tensor): number[] => Array.from(t.dataSync());

describe('buildRequest', () => {
  it('class-wise: forget holds every sample of the classes, retain the rest, on train and test', () => {
    const before = tf.memory().numTensors;
    const s = buildRequest({ kind: 'class', classes: [1, 3] }, { train, test, val: test }, 0);
    const yf = labelsOf(s.train.forget);
    const yr = labelsOf(s.train.retain);
    expect(yf.every((v) => v === 1 || v === 3)).toBe(true);
    expect(yr.every((v) => v !== 1 && v !== 3)).toBe(true);
    expect(yf.length).toBe(count(labelsOf(train), 1) + count(labelsOf(train), 3));
    expect(yf.length + yr.length).toBe(200);
    expect(labelsOf(s.test.forget as Dataset).every((v) => v === 1 || v === 3)).toBe(true);
    expect(datasetSize(s.test.forget as Dataset) + datasetSize(s.test.retain as Dataset)).toBe(80);
    expect(s.val?.forget).toBeDefined();
    expect(s.forgetClasses).toEqual([1, 3]);
    expect(s.train.full).toBe(train);
    s.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('random: a seeded, disjoint split of the requested size (property)', () => {
    fc.assert(
      fc.property(fc.double({ min: 0.01, max: 0.9, noNaN: true }), fc.integer({ min: 0, max: 1e6 }), (fraction, seed) => {
        const a = buildRequest({ kind: 'random', fraction }, { train, test }, seed);
        const b = buildRequest({ kind: 'random', fraction }, { train, test }, seed);
        const fa = bytes(a.train.forget.labels);
        expect(datasetSize(a.train.forget)).toBe(Math.max(Math.round(fraction * 200), 1));
        expect(datasetSize(a.train.forget) + datasetSize(a.train.retain)).toBe(200);
        expect(fa).toEqual(bytes(b.train.forget.labels));
        expect(bytes(a.train.forget.images)).toEqual(bytes(b.train.forget.images));
        expect(a.test.forget).toBeUndefined();
        a.dispose();
        b.dispose();
      }),
      { numRuns: 15, seed: 42 },
    );
  });

  it('random: different seeds pick different samples', () => {
    const a = buildRequest({ kind: 'random', size: 40 }, { train, test }, 1);
    const b = buildRequest({ kind: 'random', size: 40 }, { train, test }, 2);
    expect(bytes(a.train.forget.images)).not.toEqual(bytes(b.train.forget.images));
    a.dispose();
    b.dispose();
  });

  it('sub-population: a fraction of one class only', () => {
    const s = buildRequest({ kind: 'subpopulation', class: 2, fraction: 0.5 }, { train, test }, 5);
    const n2 = count(labelsOf(train), 2);
    expect(labelsOf(s.train.forget).every((v) => v === 2)).toBe(true);
    expect(datasetSize(s.train.forget)).toBe(Math.round(n2 / 2));
    expect(count(labelsOf(s.train.retain), 2)).toBe(n2 - Math.round(n2 / 2));
    expect(labelsOf(s.test.forget as Dataset).every((v) => v === 2)).toBe(true);
    s.dispose();
  });

  it('trigger: poisons a fraction of the other classes with the patch and the target label', () => {
    const request: ForgetRequest = { kind: 'trigger', fraction: 0.1, targetClass: 0, patch: { size: 2, value: 9, position: 'bottom-right' } };
    const s = buildRequest(request, { train, test }, 3);
    expect(datasetSize(s.train.forget)).toBe(20);
    expect(labelsOf(s.train.forget).every((v) => v === 0)).toBe(true);
    const img = tf.slice(s.train.forget.images, [0, 10, 10, 0], [1, 2, 2, 1]);
    expect(bytes(img).every((v) => v === 9)).toBe(true);
    img.dispose();
    // retain rows are the clean images
    expect(bytes(s.train.retain.images).includes(9)).toBe(false);
    expect(datasetSize(s.train.full)).toBe(200);
    const patched = s.test.forget as Dataset;
    expect(datasetSize(patched)).toBe(80 - count(labelsOf(test), 0));
    expect(labelsOf(patched).every((v) => v === 0)).toBe(true);
    expect(s.test.retain).toBe(test);
    // the caller's sets are untouched
    expect(bytes(train.images).includes(9)).toBe(false);
    s.dispose();
    expect(train.images.isDisposed).toBe(false);
  });

  it('rejects bad requests with typed one-line errors and leaks nothing', () => {
    const before = tf.memory().numTensors;
    expect(() => buildRequest({ kind: 'class', classes: [4] }, { train, test }, 0)).toThrow(/forget class 4 is outside the label set \[0, 4\)/);
    expect(() => buildRequest({ kind: 'class', classes: [0, 1, 2, 3] }, { train, test }, 0)).toThrow(InvalidRequestError);
    expect(() => buildRequest({ kind: 'class', classes: [] }, { train, test }, 0)).toThrow(InvalidRequestError);
    expect(() => buildRequest({ kind: 'random', fraction: 1.5 }, { train, test }, 0)).toThrow(InvalidRequestError);
    const noZero = buildRequest({ kind: 'class', classes: [0] }, { train, test }, 0);
    expect(() => buildRequest({ kind: 'class', classes: [0] }, { train: noZero.train.retain, test }, 0)).toThrow(EmptyForgetSetError);
    noZero.dispose();
    expect(() => buildRequest({ kind: 'random', size: 200 }, { train, test }, 0)).toThrow(/leaving nothing to retain/);
    expect(() => buildRequest({ kind: 'subpopulation', class: 1, fraction: 1 }, { train, test }, 0)).toThrow(InvalidRequestError);
    const tiny = buildRequest({ kind: 'random', fraction: 0.001 }, { train, test }, 0);
    expect(datasetSize(tiny.train.forget)).toBe(1);
    tiny.dispose();
    expect(() => buildRequest({ kind: 'trigger', fraction: 0.1, targetClass: 0, patch: { size: 13, value: 1, position: 'top-left' } }, { train, test }, 0)).toThrow(/does not fit 12×12/);
    const absent = buildRequest({ kind: 'class', classes: [0] }, { train, test }, 0);
    absent.dispose();
    expect(tf.memory().numTensors).toBe(before);
    let err: unknown;
    try {
      buildRequest({ kind: 'class', classes: [9] }, { train, test }, 0);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(InvalidRequestError);
    expect((err as Error).message).not.toContain('\n');
  });
});

describe('parseRequest and trigger helpers', () => {
  it('parses the short forms and labels them', () => {
    expect(parseRequest('class:0')).toEqual({ kind: 'class', classes: [0] });
    expect(parseRequest('class:0,3')).toEqual({ kind: 'class', classes: [0, 3] });
    expect(parseRequest('random:0.1')).toEqual({ kind: 'random', fraction: 0.1 });
    expect(parseRequest('random:500')).toEqual({ kind: 'random', size: 500 });
    expect(parseRequest('subpop:3:0.5')).toEqual({ kind: 'subpopulation', class: 3, fraction: 0.5 });
    expect(parseRequest('trigger:0.05:1', 1)).toEqual({ kind: 'trigger', fraction: 0.05, targetClass: 1, patch: { size: 3, value: 1, position: 'bottom-right' } });
    expect(requestLabel(parseRequest('class:0,3'))).toBe('class-0+3');
    expect(requestLabel(parseRequest('random:0.1'))).toBe('random-0.1');
    expect(() => parseRequest('class:x')).toThrow(InvalidRequestError);
    expect(() => parseRequest('everything')).toThrow(/unknown request/);
  });

  it('places patches at corners and explicit positions, and stamps only there', () => {
    expect(patchOrigin({ size: 3, value: 1, position: 'bottom-right' }, 10, 8)).toEqual({ row: 7, col: 5 });
    expect(patchOrigin({ size: 3, value: 1, position: 'top-right' }, 10, 8)).toEqual({ row: 0, col: 5 });
    expect(patchOrigin({ size: 2, value: 1, position: { row: 4, col: 1 } }, 10, 8)).toEqual({ row: 4, col: 1 });
    expect(() => patchOrigin({ size: 2, value: 1, position: { row: 9, col: 0 } }, 10, 8)).toThrow(InvalidRequestError);
    const x = tf.zeros([2, 4, 4, 2]) as tf.Tensor4D;
    const y = stampPatch(x, { size: 2, value: 5, position: 'top-left' });
    const v = y.dataSync();
    expect(Array.from(v).filter((a) => a === 5)).toHaveLength(2 * 2 * 2 * 2);
    expect(v[0]).toBe(5);
    expect(v[(0 * 4 + 2) * 2]).toBe(0);
    tf.dispose([x, y]);
  });

  it('sampleIndices draws distinct sorted indices', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 60 }), fc.integer({ min: 0, max: 1e6 }), (n, seed) => {
        const k = Math.floor(n / 2);
        const s = sampleIndices(Int32Array.from({ length: n }, (_, i) => i * 2), k, seed);
        expect(new Set(s).size).toBe(k);
        expect(Array.from(s).every((v, i) => v % 2 === 0 && (i === 0 || v > (s[i - 1] as number)))).toBe(true);
      }),
      { numRuns: 100, seed: 7 },
    );
  });

  it('sampleIndices is the last k slots of the one shuffle (tensor shuffleInPlace), sorted', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 80 }), fc.nat(), fc.integer({ min: 0, max: 1e6 }), (n, k0, seed) => {
        const k = k0 % (n + 1);
        const pool = Int32Array.from({ length: n }, (_, i) => 3 * i + 1);
        const full = shuffleInPlace(Int32Array.from(pool), createRng(seed));
        expect(Array.from(sampleIndices(pool, k, seed))).toEqual(Array.from(full.slice(n - k)).sort((a, b) => a - b));
      }),
      { numRuns: 100, seed: 8 },
    );
  });
});
