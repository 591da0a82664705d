import { tf } from '@metanet/tensor';
import { architecture, paramInfos, validateSpec } from '@metanet/spec';
import { setupBackend } from './support/backend';
import { beforeAll, describe, expect, it } from 'vitest';
import { fans, initParamArrays, initParams } from '../src/index';

beforeAll(async () => {
  await setupBackend();
});

describe('init', () => {
  const spec = validateSpec({ input: [8, 8, 4], layers: [{ type: 'conv2d', filters: 64, kernel: 3 }, { type: 'batchnorm' }, { type: 'flatten' }, { type: 'dense', units: 50 }] });

  it('pytorch default: weights and biases within ±1/√fan_in and filling the range', () => {
    const [w, b, g, be, w2] = initParamArrays(spec, { seed: 3 }) as Float32Array[];
    const bound = 1 / Math.sqrt(4 * 9);
    const maxAbs = (a: Float32Array): number => a.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
    expect(maxAbs(w!)).toBeLessThanOrEqual(bound);
    expect(maxAbs(w!)).toBeGreaterThan(0.95 * bound);
    expect(maxAbs(b!)).toBeLessThanOrEqual(bound);
    expect(Array.from(g!)).toEqual(new Array(64).fill(1));
    expect(Array.from(be!)).toEqual(new Array(64).fill(0));
    expect(maxAbs(w2!)).toBeLessThanOrEqual(1 / Math.sqrt(6 * 6 * 64));
  });

  it('he and normal have the requested std; xavier the requested bound', () => {
    const std = (a: Float32Array): number => Math.sqrt(a.reduce((s, v) => s + v * v, 0) / a.length);
    const he = initParamArrays(spec, { scheme: 'he', seed: 1 })[0] as Float32Array;
    expect(std(he)).toBeCloseTo(Math.sqrt(2 / 36), 2);
    const nm = initParamArrays(spec, { scheme: 'normal', std: 0.05, seed: 1 })[0] as Float32Array;
    expect(std(nm)).toBeCloseTo(0.05, 2);
    const xv = initParamArrays(spec, { scheme: 'xavier', seed: 1 })[0] as Float32Array;
    const { fanIn, fanOut } = fans([64, 4, 3, 3]);
    expect(fanIn).toBe(36);
    expect(fanOut).toBe(576);
    expect(xv.every((v) => Math.abs(v) <= Math.sqrt(6 / (fanIn + fanOut)))).toBe(true);
    expect(Array.from(initParamArrays(spec, { scheme: 'he' })[1] as Float32Array).every((v) => v === 0)).toBe(true);
  });

  it('is deterministic by seed and returns tensors in paramInfos order', () => {
    const a = initParamArrays(spec, { seed: 9 });
    expect(initParamArrays(spec, { seed: 9 })).toEqual(a);
    expect(initParamArrays(spec, { seed: 10 })[0]).not.toEqual(a[0]);
    const ts = initParams(architecture('homework-cnn'), { seed: 9 });
    expect(ts.map((t) => t.shape)).toEqual(paramInfos(architecture('homework-cnn')).map((p) => p.shape));
    tf.dispose(ts);
  });
});
