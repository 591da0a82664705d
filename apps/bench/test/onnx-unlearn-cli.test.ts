import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCliAsync } from './run-cli';

/**
 * `metanet unlearn` end to end on an imported ONNX net: fashion-cnn.onnx, a conv net that PyTorch trained on
 * Fashion-MNIST (packages/nets/test/fixtures/onnx/export_fashion.py; committed, so no python is needed here).
 * Real Fashion-MNIST (Debian's dataset-fashion-mnist, which CI installs).
 */
const NET = join(__dirname, '..', '..', '..', 'packages', 'nets', 'test', 'fixtures', 'onnx', 'fashion-cnn.onnx');

interface Row {
  method: string;
  forget: number;
  retain: number;
  'test-retain': number;
  [metric: string]: number | string;
}

describe('metanet unlearn on an imported ONNX net', () => {
  it('forgets class 0 with ft: the original row shows a trained net, the ft row forgets D_f and keeps the rest', async () => {
    const r = await runCliAsync(['unlearn', '--net', NET, '--request', 'class:0', '--method', 'ft', '--dataset', 'fashion-mnist', '--limit', '1000', '--json']);
    expect(r.status, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as { method: string; request: { kind: string; classes: number[] }; sizes: { forget: number; retain: number }; rows: Row[] };
    expect(out.method).toBe('ft');
    expect(out.request).toEqual({ kind: 'class', classes: [0] });
    expect(out.sizes.forget + out.sizes.retain).toBe(1000);
    expect(out.rows.map((row) => row.method)).toEqual(['original', 'ft']);
    const [original, ft] = out.rows as [Row, Row];
    // Torch measured 81.4 % test accuracy: the import and metanet's preprocessing agree with torch's.
    expect(original['test-retain']).toBeGreaterThan(75);
    expect(original.forget).toBeGreaterThan(60);
    expect(ft.forget).toBeLessThan(10);
    expect(ft['test-retain']).toBeGreaterThan(original['test-retain'] - 8);
    for (const row of out.rows) for (const key of ['forget', 'retain', 'test-retain', 'SVC-MIA', 'probe-AUC']) expect(Number.isFinite(row[key])).toBe(true);
  }, 300_000);
});
