import { describe, expect, it } from 'vitest';
import { createRng } from '@metanet/tensor';
import { countParams } from '@metanet/spec';
import { listPresets, presetByName, runSeed, UnknownPresetError } from '../src/index';

describe('presets', () => {
  it('small-cnn is the paper net: 4,970 parameters, and samples the paper ranges', () => {
    const p = presetByName('small-cnn');
    for (let run = 0; run < 40; run++) {
      const plan = p.sample(createRng(runSeed(0, run)), p.dataset);
      expect(countParams(plan.spec)).toBe(4970);
      const h = plan.hparams;
      expect(['relu', 'tanh']).toContain(h.activation);
      expect(['adam', 'rmsprop', 'sgd']).toContain(h.optimizer);
      expect(h.lr).toBeGreaterThanOrEqual(5e-4);
      expect(h.lr).toBeLessThanOrEqual(5e-2);
      expect(h.l2).toBeGreaterThanOrEqual(1e-8);
      expect(h.l2).toBeLessThanOrEqual(1e-2);
      expect(h.dropout).toBeLessThan(0.7);
      expect(h.initStd).toBeGreaterThanOrEqual(1e-3);
      expect(h.initStd).toBeLessThanOrEqual(0.5);
      expect([0.1, 0.25, 0.5, 1]).toContain(h.trainFraction);
    }
  });

  it('a run plan is a pure function of the run seed, and different runs differ', () => {
    const p = presetByName('small-cnn');
    const a = p.sample(createRng(runSeed(7, 3)), p.dataset);
    const b = p.sample(createRng(runSeed(7, 3)), p.dataset);
    const c = p.sample(createRng(runSeed(7, 4)), p.dataset);
    expect(JSON.stringify(b)).toBe(JSON.stringify(a));
    expect(JSON.stringify(c)).not.toBe(JSON.stringify(a));
  });

  it('diverse covers MLPs, CNNs and residual CNNs, BN or not, GAP or flatten, widths 8–64, 2–6 layers', () => {
    const p = presetByName('diverse');
    const seen = { family: new Set<unknown>(), bn: new Set<unknown>(), head: new Set<unknown>(), activation: new Set<unknown>(), width: new Set<unknown>() };
    for (let run = 0; run < 200; run++) {
      const plan = p.sample(createRng(runSeed(0, run)), p.dataset);
      const h = plan.hparams;
      for (const k of Object.keys(seen) as (keyof typeof seen)[]) seen[k].add(h[k]);
      expect(h.width).toBeGreaterThanOrEqual(8);
      expect(h.width).toBeLessThanOrEqual(64);
      expect(h.depth).toBeGreaterThanOrEqual(2);
      expect(h.depth).toBeLessThanOrEqual(6);
      expect([0.1, 0.25, 0.5, 1]).toContain(h.trainFraction);
      if (h.family === 'resnet') expect((h.width as number) * (h.depth as number)).toBeLessThanOrEqual(128);
      const mixing = plan.spec.layers.filter((l) => l.type === 'dense' || l.type === 'conv2d' || l.type === 'residual');
      expect(mixing.length).toBe(h.depth);
      if (h.head === 'flatten') expect(plan.spec.layers.some((l) => l.type === 'flatten')).toBe(true);
      else expect(plan.spec.layers.some((l) => l.type === 'globalavgpool')).toBe(true);
    }
    expect([...seen.family].sort()).toEqual(['cnn', 'mlp', 'resnet']);
    expect(seen.bn.size).toBe(2);
    expect(seen.head.size).toBe(2);
    expect(seen.activation.size).toBe(5);
    expect([...seen.width].sort((a, b) => (a as number) - (b as number))).toEqual([8, 12, 16, 24, 32, 48, 64]);
  });

  it('diverse: at least 300 of the first 600 runs have width ≤ 16 (the out-of-distribution split trains on them)', () => {
    const p = presetByName('diverse');
    const widths = Array.from({ length: 600 }, (_, run) => p.sample(createRng(runSeed(0, run)), p.dataset).hparams.width as number);
    expect(widths.filter((w) => w <= 16).length).toBeGreaterThanOrEqual(300);
    expect(widths.filter((w) => w > 16).length).toBeGreaterThanOrEqual(250);
  });

  it('an unknown preset is an UnknownPresetError naming the known ones', () => {
    expect(() => presetByName('big-cnn')).toThrow(UnknownPresetError);
    expect(() => presetByName('big-cnn')).toThrow(listPresets().join(', '));
  });
});
