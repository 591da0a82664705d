import { beforeAll, describe, expect, it } from 'vitest';
import { tf } from '@metanet/tensor';
import { batches, batchIndices, disposeDataset, forEachBatch, InvalidDatasetOptionsError, labelsOf, syntheticShapes } from '../src/index';
import { useBackend } from './backend';

beforeAll(() => useBackend('cpu'));

describe('batchIndices', () => {
  it('covers every sample once, shuffled by seed', () => {
    const a = batchIndices(23, { batchSize: 5, shuffle: true, seed: 1 });
    expect(a.map((b) => b.length)).toEqual([5, 5, 5, 5, 3]);
    const flat = a.flatMap((b) => Array.from(b));
    expect([...flat].sort((x, y) => x - y)).toEqual(Array.from({ length: 23 }, (_, i) => i));
    expect(flat).not.toEqual(Array.from({ length: 23 }, (_, i) => i));
    expect(batchIndices(23, { batchSize: 5, shuffle: true, seed: 1 })).toEqual(a);
    expect(batchIndices(23, { batchSize: 5, shuffle: true, seed: 2 })).not.toEqual(a);
    expect(batchIndices(23, { batchSize: 5, dropLast: true }).length).toBe(4);
  });

  it('restricts to given indices and validates options', () => {
    const idx = Int32Array.from([4, 8, 15, 16]);
    expect(batchIndices(20, { batchSize: 3, indices: idx }).map((b) => Array.from(b))).toEqual([[4, 8, 15], [16]]);
    expect(() => batchIndices(20, { batchSize: 0 })).toThrow(InvalidDatasetOptionsError);
    expect(() => batchIndices(20, { batchSize: 2, shuffle: true })).toThrow(/needs an integer seed/);
    expect(() => batchIndices(10, { batchSize: 2, indices: Int32Array.from([10]) })).toThrow(InvalidDatasetOptionsError);
  });
});

describe('batches / forEachBatch', () => {
  it('yield the right rows and leak no tensors across an epoch', async () => {
    const ds = syntheticShapes({ n: 50, seed: 2 });
    const y = labelsOf(ds);
    const before = tf.memory().numTensors;
    let seen = 0;
    for (const b of batches(ds, { batchSize: 8, shuffle: true, seed: 3 })) {
      expect(b.x.shape).toEqual([b.indices.length, 28, 28, 1]);
      expect(Array.from(b.y.dataSync())).toEqual(Array.from(b.indices, (i) => y[i]));
      seen += b.indices.length;
      tf.dispose([b.x, b.y]);
    }
    expect(seen).toBe(50);
    expect(tf.memory().numTensors).toBe(before);

    // Callback form: disposes for the consumer, even across several epochs.
    const counts: number[] = [];
    for (let epoch = 0; epoch < 3; epoch++) {
      await forEachBatch(ds, { batchSize: 16, shuffle: true, seed: epoch }, async (b) => {
        tf.tidy(() => {
          tf.sum(b.x);
        });
        await Promise.resolve();
      });
      counts.push(tf.memory().numTensors);
    }
    expect(counts).toEqual([before, before, before]);
    // Disposes even when the callback throws.
    await expect(forEachBatch(ds, { batchSize: 16 }, () => { throw new Error('boom'); })).rejects.toThrow('boom');
    expect(tf.memory().numTensors).toBe(before);
    disposeDataset(ds);
  });
});
