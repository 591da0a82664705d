import { describe, expect, it } from 'vitest';
import { methods } from '../src/bench/sections/methods';
import { PROFILES, type BenchSettings } from '../src/bench/settings';
import type { Json } from '../src/bench/units';
import type { ProtocolData } from '../src/bench/sections/protocol';
import type { TaskMetrics } from '@metanet/unlearning';

const settings: BenchSettings = { profile: 'tiny', dataset: 'synthetic', dataDir: null, seeds: 1, sections: ['methods'], methods: ['ft'], sizes: PROFILES.tiny };

/** Minimal metrics of one model: what the protocol rows read. */
const metrics = (ua: number, extra: Record<string, unknown> = {}): Json => ({ UA: ua, RA: 90, TA: 80, svcMia: 0.5, forgetAcc: 100 - ua, ...extra }) as Json;

describe('methods section: trigger, feature, concept and task rows', () => {
  it('trigger and feature requests train their own original on the altered set; the others share one', () => {
    const [originals, golds, units] = methods.plan(settings);
    const ids = originals!.map((u) => u.id);
    expect(ids).toEqual(['methods/original/s0', 'methods/original/trigger-0.05-to-0/s0', 'methods/original/feature-watermark-3-0.6/s0', 'methods/original/task-group/s0']);
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

  it('a task request trains a multi-head original and gold, runs the task methods, and lists the single-head ones as not applicable', () => {
    const [originals, golds, units] = methods.plan({ ...settings, methods: ['ft', 'logit-mask'] });
    const original = originals!.find((u) => u.id === 'methods/original/task-group/s0')!;
    expect(original.kind).toBe('task-original');
    expect(original.params.arch).toBe('small-cnn-mt');
    const gold = golds!.find((u) => u.id === 'methods/gold/task-group/s0')!;
    expect([gold.kind, gold.params.head, gold.params.original]).toEqual(['task-gold', 'group', 'methods-original-task-group-s0']);
    const task = units!.filter((u) => u.params.head === 'group');
    expect(task.map((u) => [u.kind, u.params.method])).toEqual([['task-method', 'ft'], ['task-method', 'reinit-head']]);
  });

  it('the task table has the forgotten head, the trunk probe and the kept heads, each with its gap to gold', () => {
    const tm = (group: number, probe: number, label: number): Json =>
      ({ headAccuracy: { label, group }, forgetHeadAccuracy: group, retainAccuracy: label, probeAccuracy: probe, probeChance: 100 / 3 }) satisfies TaskMetrics as unknown as Json;
    const results = new Map<string, Json>([
      ['methods/gold/task-group/s0', { seconds: 4, gold: tm(30, 60, 80), original: tm(90, 85, 82) } as Json],
      ['methods/method/task-group/ft/s0', { seconds: 1, steps: 3, metrics: tm(40, 75, 81) } as Json],
      ['methods/method/task-group/reinit-head/s0', { seconds: 0.5, steps: 0, metrics: tm(33, 85, 82) } as Json],
    ]);
    const s2 = { ...settings, methods: ['ft', 'logit-mask'] };
    const data = methods.summarize(s2, results) as unknown as ProtocolData;
    const task = data.requests.find((r) => r.request === 'task:group')!;
    expect(task.rows).toEqual([]);
    expect(task.taskRows!.map((r) => [r.method, r.forgetHead.mean, r.probe.mean, r.keptHeads.mean])).toEqual([
      ['original', 90, 85, 82],
      ['retrain (gold)', 30, 60, 80],
      ['ft', 40, 75, 81],
      ['reinit-head', 33, 85, 82],
    ]);
    const ft = task.taskRows!.find((r) => r.method === 'ft')!;
    expect(ft.avgGap!.mean).toBeCloseTo((10 + 15 + 1) / 3, 10);
    expect(ft.rte!.mean).toBeCloseTo(0.25, 10);
    expect(task.notApplicable).toEqual([{ method: 'logit-mask', reason: expect.stringMatching(/assumes one head; a task request takes retrain, ft, ga, neggrad-plus, reinit-head/) as unknown as string }]);
    const md = methods.markdown(data as unknown as Json, s2);
    expect(md).toMatch(/\| method \| group acc \(forget\) \| probe group \| kept heads acc \| Avg Gap \| RTE \| time \(s\) \|/);
    expect(md).toMatch(/\| ft \| 40\.00 \(10\.00\) \| 75\.00 \(15\.00\) \| 81\.00 \(1\.00\) \| 8\.67 \| 0\.250 \| 1\.0 \|/);
    expect(md).toMatch(/Not applicable to task-group: logit-mask \(each assumes one head/);
  });

  it('a dataset the heads cannot serve makes the task request not applicable', () => {
    const results = new Map<string, Json>([['methods/gold/task-group/s0', { notApplicable: 'head "group" maps Fashion-MNIST\'s 10 classes, the net has 2' } as Json]]);
    const data = methods.summarize(settings, results) as unknown as ProtocolData;
    const task = data.requests.find((r) => r.request === 'task:group')!;
    expect(task.taskRows).toEqual([]);
    expect(task.notApplicable).toEqual([{ method: 'every method', reason: 'head "group" maps Fashion-MNIST\'s 10 classes, the net has 2' }]);
    expect(methods.markdown(data as unknown as Json, settings)).toMatch(/\*\*task-group\*\*\n\n_no finished units_\n\nNot applicable to task-group: every method/);
  });
});
