import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '@metanet/tensor';
import { buildZoo, loadZooData, parseSettings, trainRun, zooSettings, ZooSettingsMismatchError, InvalidZooIndexError, type ZooSettings } from '../src/index';

let root: string;

beforeAll(async () => {
  await initBackend();
  root = mkdtempSync(join(tmpdir(), 'zoo-revision-'));
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** zoo.json as the first diverse sampler wrote it: no presetRevision, 3 epochs, checkpoints 0–3. */
function revisionOneSettings(): ZooSettings {
  const { presetRevision: _, ...now } = zooSettings('diverse');
  return { ...now, protocol: { epochs: 3, checkpoints: [0, 1, 2, 3], batchSize: 256, trainEvalSize: 2_000 } };
}

describe('preset revisions', () => {
  it('diverse zoos record their sampler revision; presets without one keep their zoo.json unchanged', () => {
    expect(zooSettings('diverse').presetRevision).toBe(2);
    expect('presetRevision' in zooSettings('small-cnn')).toBe(false);
    expect(() => parseSettings({ ...zooSettings('diverse'), presetRevision: 0 }, 'zoo.json')).toThrow(InvalidZooIndexError);
  });

  it('refuses to resume a diverse zoo built by the earlier sampler, and touches nothing', async () => {
    const old = join(root, 'old-diverse');
    mkdirSync(old);
    writeFileSync(join(old, 'zoo.json'), JSON.stringify(revisionOneSettings()));
    await expect(buildZoo({ preset: 'diverse', out: old, runs: 1, workers: 0 })).rejects.toThrow(ZooSettingsMismatchError);
    await expect(buildZoo({ preset: 'diverse', out: old, runs: 1, workers: 0 })).rejects.toThrow(/other settings \(presetRevision: absent ≠ 2\)/);
    expect(readdirSync(old)).toEqual(['zoo.json']);
    expect(existsSync(join(old, 'index.jsonl'))).toBe(false);
  });

  it('a run refuses settings of another sampler revision (a queue worker on other code)', async () => {
    const tiny = zooSettings('tiny', { wallTime: false });
    const data = await loadZooData(tiny.dataset);
    await expect(trainRun({ ...tiny, presetRevision: 2 }, 0, data)).rejects.toThrow(/revision 2, this @metanet\/zoo samples revision 1/);
    await expect(trainRun(revisionOneSettings(), 0, data)).rejects.toThrow(ZooSettingsMismatchError);
  });
});
