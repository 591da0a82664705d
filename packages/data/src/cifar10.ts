/**
 * CIFAR-10 binary batches (cifar-10-binary.tar.gz, extracted):
 * data_batch_1.bin … data_batch_5.bin and test_batch.bin. Each record is one
 * label byte (0-9) then 3072 pixel bytes, channel-major (1024 R, 1024 G,
 * 1024 B, each 32×32 row-major). https://www.cs.toronto.edu/~kriz/cifar.html
 *
 * The file must be a whole number of records and every label must be a
 * class; images are returned channels-last (N, 32, 32, 3) to match `Dataset`.
 */
import { CorruptDatasetFileError, InvalidDatasetOptionsError } from './errors';
import { isGzip, readWholeFile } from './file-input';

/** The ten CIFAR-10 class names, in label order. */
export const CIFAR10_CLASS_NAMES = [
  'airplane',
  'automobile',
  'bird',
  'cat',
  'deer',
  'dog',
  'frog',
  'horse',
  'ship',
  'truck',
] as const;

/** Bytes of one CIFAR-10 record: one label byte, then 3×32×32 pixels. */
export const CIFAR10_RECORD_BYTES = 1 + 3 * 32 * 32;

/** One parsed CIFAR-10 binary batch file: labels and images. */
export interface Cifar10Batch {
  /** N*32*32*3 bytes, channels last. */
  readonly images: Uint8Array;
  readonly labels: Int32Array;
  readonly count: number;
}

/** Parses the bytes of one binary batch. `path` is only for messages. */
export function parseCifar10Batch(bytes: Uint8Array, path: string, limit?: number): Cifar10Batch {
  if (bytes.length === 0) throw new CorruptDatasetFileError(path, 'is empty');
  if (isGzip(bytes)) {
    throw new CorruptDatasetFileError(path, 'is gzip-compressed; extract cifar-10-binary.tar.gz and point to the .bin files');
  }
  if (bytes.length % CIFAR10_RECORD_BYTES !== 0) {
    const whole = Math.floor(bytes.length / CIFAR10_RECORD_BYTES);
    throw new CorruptDatasetFileError(
      path,
      `size ${bytes.length} is not a multiple of the ${CIFAR10_RECORD_BYTES}-byte CIFAR-10 record (${whole} whole records + ${bytes.length % CIFAR10_RECORD_BYTES} bytes); truncated or not a CIFAR-10 batch`,
    );
  }
  const total = bytes.length / CIFAR10_RECORD_BYTES;
  const count = limit === undefined ? total : Math.min(total, limit);
  // Labels of all records are checked, so a corrupt tail is caught even with a limit.
  for (let r = 0; r < total; r++) {
    const y = bytes[r * CIFAR10_RECORD_BYTES] as number;
    if (y > 9) throw new CorruptDatasetFileError(path, `record ${r} has label byte ${y}, expected a class 0-9; not a CIFAR-10 batch`);
  }
  const images = new Uint8Array(count * 3072);
  const labels = new Int32Array(count);
  for (let r = 0; r < count; r++) {
    const src = r * CIFAR10_RECORD_BYTES;
    labels[r] = bytes[src] as number;
    const dst = r * 3072;
    for (let p = 0; p < 1024; p++) {
      images[dst + 3 * p] = bytes[src + 1 + p] as number;
      images[dst + 3 * p + 1] = bytes[src + 1 + 1024 + p] as number;
      images[dst + 3 * p + 2] = bytes[src + 1 + 2048 + p] as number;
    }
  }
  return { images, labels, count };
}

/** Reads one CIFAR-10 binary batch file. */
export async function readCifar10Batch(path: string, opts: { limit?: number } = {}): Promise<Cifar10Batch> {
  if (opts.limit !== undefined && (!Number.isInteger(opts.limit) || opts.limit < 0)) {
    throw new InvalidDatasetOptionsError(`limit must be an integer ≥ 0, got ${opts.limit} (reading ${path})`);
  }
  return parseCifar10Batch(await readWholeFile(path), path, opts.limit);
}

/** Encodes records (channels-last images) into the binary batch format. Used by tests and fixtures. */
export function encodeCifar10Batch(images: Uint8Array, labels: Int32Array): Uint8Array {
  const n = labels.length;
  const out = new Uint8Array(n * CIFAR10_RECORD_BYTES);
  for (let r = 0; r < n; r++) {
    const dst = r * CIFAR10_RECORD_BYTES;
    out[dst] = labels[r] as number;
    for (let p = 0; p < 1024; p++) {
      out[dst + 1 + p] = images[r * 3072 + 3 * p] as number;
      out[dst + 1 + 1024 + p] = images[r * 3072 + 3 * p + 1] as number;
      out[dst + 1 + 2048 + p] = images[r * 3072 + 3 * p + 2] as number;
    }
  }
  return out;
}
