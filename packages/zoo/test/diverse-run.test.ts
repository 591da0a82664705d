import { beforeAll, describe, expect, it } from 'vitest';
import { createRng, initBackend } from '@metanet/tensor';
import { bufferInfos } from '@metanet/spec';
import { loadZooData, presetByName, runSeed, trainRun, type ZooSettings } from '../src/index';

/** The diverse preset's nets on a small synthetic stand-in for Fashion-MNIST, one epoch, checkpoints 0 and 1. */
const SETTINGS: ZooSettings = {
  format: 'metanet.zoo',
  version: 1,
  preset: 'diverse',
  presetRevision: 2,
  seed: 0,
  quick: true,
  dataset: { name: 'synthetic', imageSize: 12, classes: 4, trainSize: 256, valSize: 64, testSize: 64, inputRange: [-1, 1] },
  protocol: { epochs: 1, checkpoints: [0, 1], batchSize: 64, trainEvalSize: 64 },
  wallTime: false,
};

/** The first run index whose sampled net satisfies `want`. */
function firstRun(want: (h: Record<string, unknown>) => boolean): number {
  const p = presetByName('diverse');
  for (let run = 0; run < 500; run++) if (want(p.sample(createRng(runSeed(SETTINGS.seed, run)), SETTINGS.dataset).hparams)) return run;
  throw new Error('no such run in 500 draws');
}

beforeAll(async () => {
  await initBackend();
});

describe('diverse zoo runs', () => {
  it.each([
    ['a batch-norm CNN', (h: Record<string, unknown>) => h.family === 'cnn' && h.bn === true],
    ['a residual CNN', (h: Record<string, unknown>) => h.family === 'resnet'],
    ['a batch-norm MLP', (h: Record<string, unknown>) => h.family === 'mlp' && h.bn === true],
  ])('%s trains, and its epoch-0 checkpoint holds fresh running statistics', async (_name, want) => {
    const data = await loadZooData(SETTINGS.dataset);
    const r = await trainRun(SETTINGS, firstRun(want), data);
    const infos = bufferInfos(r.spec);
    expect(infos.length).toBeGreaterThan(0);
    expect(r.diverged).toBe(false);
    expect(r.checkpoints.map((c) => c.epoch)).toEqual([0, 1]);
    const [first] = r.checkpoints;
    expect(first!.epoch).toBe(0);
    expect(first!.buffers).toHaveLength(infos.length);
    first!.buffers.forEach((b, k) => expect([...b].every((v) => v === (infos[k]!.kind === 'running_mean' ? 0 : 1))).toBe(true));
    for (const c of r.checkpoints) for (const v of Object.values(c.metrics)) expect(Number.isFinite(v)).toBe(true);
  }, 120_000);
});
