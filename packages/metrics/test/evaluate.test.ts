import { describe, expect, it } from 'vitest';
import { accuracy } from '../src/accuracy.js';
import { avgGap } from '../src/avg-gap.js';
import { formatMetricsTable } from '../src/table.js';
import { perSampleCrossEntropy } from '../src/cross-entropy.js';
import { evaluateUnlearning } from '../src/evaluate.js';
import { hostMatrix } from '../src/matrix.js';
import { lossMia } from '../src/mia-loss.js';
import { svcMiaEfficacy } from '../src/mia-svc.js';
import { createRng } from '@metanet/tensor/rng';

/** n samples of a 3-class model; `skill` sets the true-class margin, class 0 forgotten when `forgot`. */
function split(n: number, classes: number[], skill: number, forgot: boolean, seed: number) {
  const rng = createRng(seed);
  const r = (): number => rng.uniform();
  const values = new Float64Array(n * 3);
  const labels = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const y = classes[i % classes.length]!;
    labels[i] = y;
    for (let c = 0; c < 3; c++) values[i * 3 + c] = r() * 2;
    values[i * 3 + y] = values[i * 3 + y]! + (forgot && y === 0 ? -3 : skill * r() * 2);
  }
  return { logits: hostMatrix(values, n, 3), labels };
}

describe('evaluateUnlearning', () => {
  const splits = {
    forget: split(30, [0], 2, true, 1),
    retain: split(90, [1, 2], 3, false, 2),
    test: split(60, [0, 1, 2], 1, true, 3),
    testForget: split(20, [0], 1, true, 4),
    testRetain: split(40, [1, 2], 1, false, 5),
  };

  it('agrees with the individual metrics (class-wise: test-forget vs test-retain loss MIA)', async () => {
    const e = await evaluateUnlearning(splits, { lossMia: { seed: 2 }, svcMia: { seed: 3 } });
    expect(e.accuracies.forgetAcc).toBe(100 * accuracy(splits.forget.logits, splits.forget.labels));
    const ce = (s: typeof splits.forget) => perSampleCrossEntropy(s.logits, s.labels);
    expect(e.lossMia.groups).toBe('testForget-vs-testRetain');
    expect(e.lossMia.accuracy).toBe(lossMia(ce(splits.testForget), ce(splits.testRetain), { seed: 2 }).accuracy);
    const svc = await svcMiaEfficacy(splits, { seed: 3 });
    expect(e.svcMia).toEqual(svc);
    expect(e.gap).toEqual({ UA: e.accuracies.UA, RA: e.accuracies.RA, TA: e.accuracies.TA, MIA: 100 * svc.efficacy });
  });

  it('is bit-identical across two runs with the same seeds', async () => {
    const a = await evaluateUnlearning(splits, { lossMia: { seed: 9 }, svcMia: { seed: 9 } });
    const b = await evaluateUnlearning(splits, { lossMia: { seed: 9 }, svcMia: { seed: 9 } });
    expect(a).toEqual(b);
  });

  it('feeds formatMetricsTable and avgGap directly', async () => {
    const e = await evaluateUnlearning(splits);
    const table = formatMetricsTable([{ method: 'm', ...e.accuracies, 'LR-MIA': e.lossMia.accuracy, 'Avg Gap': avgGap(e.gap, e.gap).avgGap }], { format: 'plain' });
    expect(table.split('\n')[0]).toMatch(/^method +UA +RA +TA .* LR-MIA +Avg Gap$/);
    expect(table).toContain('0.00');
  });

  it('falls back to forget vs test losses without test-forget/test-retain splits', async () => {
    const { forget, retain, test } = splits;
    const e = await evaluateUnlearning({ forget, retain, test });
    const ce = (s: typeof forget) => perSampleCrossEntropy(s.logits, s.labels);
    expect(e.lossMia.groups).toBe('forget-vs-test');
    expect(e.lossMia.accuracy).toBe(lossMia(ce(forget), ce(test)).accuracy);
  });
});
