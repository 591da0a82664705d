import { toParameterGraph } from '@metanet/graph';
import { architecture } from '@metanet/spec';
import { initParamArrays } from '@metanet/nets';
import { describe, expect, it } from 'vitest';
import { statFeatures } from '../../src/baselines/stat-features';
import { fitInputScaling, scaledGraphOf, scaledStats } from '../../src/predict/gmn-inputs';
import type { ZooEntry } from '../../src/predict/types';

/** Nets whose tensors have known, different scales: net k is the seeded init times (k + 1). */
function entries(n: number): ZooEntry[] {
  const spec = architecture('mlp:6-5-3');
  return Array.from({ length: n }, (_, k) => {
    const params = initParamArrays(spec, { seed: k }).map((p) => p.map((v) => v * (k + 1) + (k % 2) * 0.5));
    const metrics = { trainAcc: 0.5, trainLoss: 1, valAcc: 0.5, valLoss: 1, testAcc: k / n, testLoss: 1 };
    const record = { id: `r${k}`, run: k, epoch: 1, final: true, arch: spec.name ?? 'mlp', hparams: {}, metrics, seed: k, wallTimeMs: 0, file: '' };
    return { record, net: { spec, params, buffers: [], meta: {} } } as ZooEntry;
  });
}

describe('GMN predictor inputs', () => {
  const train = entries(5);
  const scaling = fitInputScaling(train);

  it('standardises every parameter tensor over the training nets (mean 0, std 1 pooled)', () => {
    expect(scaling.paramScale).toHaveLength(train[0]!.net.params.length);
    const graphs = train.map((e) => scaledGraphOf(e, scaling));
    graphs[0]!.paramEdges.forEach((range, t) => {
      const values = graphs.flatMap((g) => Array.from({ length: range.count }, (_, i) => g.edgeFeatures[5 * (range.start + i)]!));
      const mean = values.reduce((a, b) => a + b, 0) / values.length;
      const sd = Math.sqrt(values.reduce((a, v) => a + (v - mean) ** 2, 0) / values.length);
      expect(Math.abs(mean), `tensor ${t}`).toBeLessThan(1e-4);
      expect(sd, `tensor ${t}`).toBeCloseTo(1, 3);
    });
  });

  it('keeps the order of values within a tensor and every non-value feature', () => {
    const raw = toParameterGraph(train[3]!.net.spec, train[3]!.net.params, { strict: true });
    const scaled = scaledGraphOf(train[3]!, scaling);
    expect(scaled.edgeIndex).toEqual(raw.edgeIndex);
    for (let e = 0; e < raw.numEdges; e++) for (let c = 1; c < 5; c++) expect(scaled.edgeFeatures[5 * e + c]).toBe(raw.edgeFeatures[5 * e + c]);
    const t = raw.paramEdges[0]!;
    const a = t.start;
    const b = t.start + 1;
    expect(Math.sign(scaled.edgeFeatures[5 * a]! - scaled.edgeFeatures[5 * b]!)).toBe(Math.sign(raw.edgeFeatures[5 * a]! - raw.edgeFeatures[5 * b]!));
    // Built once per entry and scaling.
    expect(scaledGraphOf(train[3]!, scaling)).toBe(scaled);
  });

  it('z-scores the weight statistics with the training nets\' mean and std', () => {
    const cols = scaling.statShift.length;
    expect(cols).toBe(statFeatures(train[0]!.net).length);
    const x = scaledStats(train, scaling);
    for (let c = 0; c < cols; c++) {
      const col = train.map((_, r) => x[r * cols + c]!);
      const mean = col.reduce((a, b) => a + b, 0) / col.length;
      expect(Math.abs(mean)).toBeLessThan(1e-4);
    }
    const unseen = entries(7)[6]!;
    const row = scaledStats([unseen], scaling);
    const s = statFeatures(unseen.net);
    expect(row[1]).toBeCloseTo((s[1]! - scaling.statShift[1]!) / scaling.statScale[1]!, 4);
  });
});
