import { CIFAR10_CLASS_NAMES, readCifar10Batch } from './cifar10';
import { createDataset } from './dataset';
import { locateDataset } from './locate';
import type { LoadOptions } from './load-idx-dataset';
import { NORMALIZATION_CONSTANTS, normalizeBytes, resolveNormalization } from './normalization';
import type { Dataset } from './types';

/**
 * CIFAR-10 from the extracted binary batches in `dataDir` (or
 * $METANET_DATA_DIR): train = data_batch_1..5 (50,000), test = test_batch
 * (10,000). Images (N, 32, 32, 3).
 */
export async function loadCifar10(opts: LoadOptions): Promise<Dataset> {
  const { files } = locateDataset('cifar-10', opts.split, opts.dataDir);
  const stats = resolveNormalization(opts.normalization ?? 'standard', NORMALIZATION_CONSTANTS['cifar-10'], 3);
  const parts: { images: Uint8Array; labels: Int32Array }[] = [];
  let remaining = opts.limit ?? Infinity;
  for (const f of files) {
    if (remaining <= 0) break;
    const b = await readCifar10Batch(f, Number.isFinite(remaining) ? { limit: remaining } : {});
    parts.push(b);
    remaining -= b.count;
  }
  const n = parts.reduce((a, p) => a + p.labels.length, 0);
  const bytes = new Uint8Array(n * 3072);
  const labels = new Int32Array(n);
  let at = 0;
  for (const p of parts) {
    bytes.set(p.images, at * 3072);
    labels.set(p.labels, at);
    at += p.labels.length;
  }
  return createDataset({
    name: `cifar-10/${opts.split}`,
    images: normalizeBytes(bytes, stats),
    shape: [n, 32, 32, 3],
    labels,
    classNames: CIFAR10_CLASS_NAMES,
    source: files.length === 1 ? (files[0] as string) : `${files[0]} (+${files.length - 1} more)`,
  });
}
