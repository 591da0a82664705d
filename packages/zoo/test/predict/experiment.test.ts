import { initBackend } from '@metanet/tensor';
import { beforeAll, describe, expect, it } from 'vitest';
import { InvalidPredictionInputError, meanStd, runAccuracyPrediction, UnknownMethodError, type FitOutcome, type ZooEntry } from '../../src/predict/index';
import { buildTinyZoo } from '../support/tiny-zoo';

let zoo: ZooEntry[];

beforeAll(async () => {
  await initBackend({ backend: 'wasm' });
  zoo = await buildTinyZoo(24, [12, 24]);
});

describe('runAccuracyPrediction', () => {
  it('scores every method and seed on the same test nets, in every setting, with a size curve', async () => {
    const r = await runAccuracyPrediction({
      entries: zoo,
      methods: ['hparams', 'statnn'],
      seeds: [0, 1],
      trainSizes: [6, 1000],
      allCheckpoints: true,
      ood: (e) => Number(e.record.hparams.width) <= 16,
      fit: { '*': { epochs: 3 } },
    });
    expect(r.splits).toEqual({ final: { train: 19, val: 5, test: 24 }, 'all-checkpoints': { train: 38, val: 10, test: 48 }, ood: { train: 19, val: 5, test: 24 } });
    expect(r.rows.map((row) => `${row.method}/${row.setting}`)).toEqual([
      'hparams/final', 'statnn/final', 'hparams/all-checkpoints', 'statnn/all-checkpoints', 'hparams/ood', 'statnn/ood',
    ]);
    for (const row of r.rows) {
      expect(row.seeds).toHaveLength(2);
      expect(row.tau.mean).toBeCloseTo(meanStd(row.seeds.map((s) => s.tau)).mean, 12);
      for (const s of row.seeds) expect(s.netsPerSecond).toBeGreaterThan(0);
    }
    // OOD: trained on width 12 only, tested on width 24 only.
    const oodTest = r.predictions.filter((p) => p.setting === 'ood' && p.method === 'hparams' && p.seed === 0);
    expect(oodTest).toHaveLength(24);
    for (const p of oodTest) expect(zoo.find((e) => e.record.id === p.id)!.record.hparams.width).toBe(24);
    // 24 test nets × 2 methods × 2 seeds, per setting.
    expect(r.predictions.filter((p) => p.setting === 'final')).toHaveLength(96);
    // The size curve has the subsample (6 runs) and the full split (19); 1000 ≥ the split is left out.
    expect(r.sizeCurve.filter((p) => p.method === 'statnn').map((p) => p.trainNets)).toEqual([6, 19]);
  });

  it('trains on every checkpoint of the training runs with trainAllCheckpoints, on the same test nets', async () => {
    const base = { entries: zoo, methods: ['gbt'], seeds: [0], fit: { '*': { epochs: 20 } } };
    const final = await runAccuracyPrediction(base);
    const all = await runAccuracyPrediction({ ...base, trainAllCheckpoints: true });
    expect(all.splits.final).toEqual({ train: 2 * final.splits.final!.train, val: final.splits.final!.val, test: final.splits.final!.test });
    expect(all.predictions.map((p) => p.id)).toEqual(final.predictions.map((p) => p.id));
    expect(all.predictions.map((p) => p.predicted)).not.toEqual(final.predictions.map((p) => p.predicted));
  });

  it('resumes from a store: a finished fit is not run again and gives the same row', async () => {
    const saved = new Map<string, FitOutcome>();
    const store = { get: (k: string) => saved.get(k), put: (k: string, v: FitOutcome) => void saved.set(k, v) };
    const starts: string[] = [];
    const options = { entries: zoo, methods: ['hparams'], seeds: [0], fit: { '*': { epochs: 2 } }, store, onProgress: (e: { method: string; epoch?: unknown }) => void (e.epoch ? null : starts.push(e.method)) };
    const first = await runAccuracyPrediction(options);
    expect([...saved.keys()]).toEqual(['final/hparams/seed0']);
    expect(starts).toEqual(['hparams']);
    const second = await runAccuracyPrediction(options);
    expect(starts).toEqual(['hparams']);
    expect(second.rows).toEqual(first.rows);
  });

  it('refuses unknown methods and empty seed lists', async () => {
    await expect(runAccuracyPrediction({ entries: zoo, methods: ['nope'] })).rejects.toThrow(UnknownMethodError);
    await expect(runAccuracyPrediction({ entries: zoo, methods: ['statnn'], seeds: [] })).rejects.toThrow(InvalidPredictionInputError);
  });
});
