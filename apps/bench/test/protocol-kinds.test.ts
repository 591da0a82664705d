import { describe, expect, it } from 'vitest';
import { methods } from '../src/bench/sections/methods';
import { PROFILES, type BenchSettings } from '../src/bench/settings';
import type { Json } from '../src/bench/units';
import type { ProtocolData } from '../src/bench/sections/protocol';

const settings: BenchSettings = { profile: 'tiny', dataset: 'synthetic', dataDir: null, seeds: 1, sections: ['methods'], methods: ['ft'], sizes: PROFILES.tiny };

/** Minimal metrics of one model: what the protocol rows read. */
const metrics = (ua: number, extra: Record<string, unknown> = {}): Json => ({ UA: ua, RA: 90, TA: 80, svcMia: 0.5, forgetAcc: 100 - ua, ...extra }) as Json;

describe('methods section: trigger, feature and concept rows', () => {
  it('trigger and feature requests train their own original on the altered set; the others share one', () => {
    const [originals, golds, units] = methods.plan(settings);
    const ids = originals!.map((u) => u.id);
    expect(ids).toEqual(['methods/original/s0', 'methods/original/trigger-0.05-to-0/s0', 'methods/original/feature-watermark-3-0.6/s0']);
    expect(originals![1]!.params.request).toBe('trigger:0.05:0');
    expect(originals![0]!.params.request).toBeUndefined();
    const goldOf = (label: string) => golds!.find((u) => u.id === `methods/gold/${label}/s0`)!;
    expect(goldOf('feature-watermark-3-0.6').params.original).toBe('methods-original-feature-watermark-3-0.6-s0');
    expect(goldOf('concept-footwear').params.original).toBe('methods-original-s0');
    expect(units!.filter((u) => u.params.request === 'concept:footwear')).toHaveLength(1);
  });

  it('the trigger table has an ASR column (gap to gold in parentheses); a request the dataset cannot serve is not applicable', () => {
    const results = new Map<string, Json>([
      ['methods/gold/trigger-0.05-to-0/s0', { seconds: 2, gold: metrics(10, { testForgetAcc: 8 }), original: metrics(5, { testForgetAcc: 97 }) } as Json],
      ['methods/method/trigger-0.05-to-0/ft/s0', { seconds: 1, steps: 3, metrics: metrics(12, { testForgetAcc: 20 }) } as Json],
      ['methods/gold/concept-footwear/s0', { notApplicable: "concept 'footwear' needs the classes Sandal, Sneaker, Ankle boot" } as Json],
    ]);
    const data = methods.summarize(settings, results) as unknown as ProtocolData;
    const trigger = data.requests.find((r) => r.request === 'trigger:0.05:0')!;
    expect(trigger.rows.map((r) => [r.method, r.kindMetric?.mean])).toEqual([['original', 97], ['retrain (gold)', 8], ['ft', 20]]);
    const md = methods.markdown(data as unknown as Json, settings);
    expect(md).toMatch(/\| method \| UA \| RA \| TA \| MIA \| ASR \| Avg Gap \|/);
    expect(md).toMatch(/\| ft \|[^\n]*\| 20\.00 \(12\.00\) \|/);
    const concept = data.requests.find((r) => r.request === 'concept:footwear')!;
    expect(concept.rows).toEqual([]);
    expect(concept.notApplicable).toEqual([{ method: 'every method', reason: "concept 'footwear' needs the classes Sandal, Sneaker, Ankle boot" }]);
    expect(md).toMatch(/Not applicable to concept-footwear: every method \(concept 'footwear' needs/);
  });
});
