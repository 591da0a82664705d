/**
 * What a saved net's manifest records about how it was made, checked against
 * what a command is about to do with it. Without these checks a net trained on
 * the synthetic dataset scored against Fashion-MNIST gives a normal-looking
 * table (14.8 % test accuracy), and the original passed as `--gold` gives a gold
 * row that is no gold at all.
 */
import { resolve } from 'node:path';
import type { tf } from '@metanet/tensor';
import { requestLabel, type ForgetRequest } from '@metanet/unlearning';
import type { TrainTestData } from './datasets';
import { GoldMismatchError, RecordedDatasetMismatchError } from './errors';

/** The dataset a net was trained on, as its manifest's `meta.datasetInfo` records it. */
export interface DatasetRecord {
  name: string;
  /** Per-image shape [h, w, c]. */
  shape: number[];
  classes: number;
}

/** The record of the loaded data, to store in a manifest next to the net trained on it. */
export function datasetRecord(data: Pick<TrainTestData, 'name' | 'train'>): DatasetRecord {
  return { name: data.name, shape: data.train.images.shape.slice(1), classes: data.train.classNames.length };
}

const KNOWN = /^(fashion-mnist|mnist|cifar-10|synthetic)\b/;

/**
 * The dataset a manifest records: `meta.datasetInfo`, or for nets saved before
 * it existed, the name at the start of `meta.dataset` (the human description).
 * Undefined when the manifest says nothing (an imported net).
 */
export function recordedDataset(meta: Record<string, unknown>): Partial<DatasetRecord> | undefined {
  const info = meta.datasetInfo as Partial<DatasetRecord> | undefined;
  if (info && typeof info === 'object' && typeof info.name === 'string') return info;
  const described = typeof meta.dataset === 'string' ? KNOWN.exec(meta.dataset)?.[1] : undefined;
  return described ? { name: described } : undefined;
}

/**
 * Throws RecordedDatasetMismatchError when `meta` records another dataset than
 * the loaded one, unless `allow`; then returns the warning line to print.
 */
export function checkRecordedDataset(meta: Record<string, unknown>, data: Pick<TrainTestData, 'name' | 'train'>, flag: string, allow: boolean): string | undefined {
  const rec = recordedDataset(meta);
  if (!rec) return undefined;
  const now = datasetRecord(data);
  const diffs: string[] = [];
  if (rec.name !== now.name) diffs.push(`${rec.name} (loaded: ${now.name})`);
  if (rec.shape && rec.shape.join('×') !== now.shape.join('×')) diffs.push(`image shape ${rec.shape.join('×')} (loaded: ${now.shape.join('×')})`);
  if (rec.classes !== undefined && rec.classes !== now.classes) diffs.push(`${rec.classes} classes (loaded: ${now.classes})`);
  if (diffs.length === 0) return undefined;
  const what = `${flag} was trained on ${diffs.join(', ')}`;
  if (allow) return `warning: ${what}; scoring it anyway (--allow-dataset-mismatch)`;
  throw new RecordedDatasetMismatchError(`${what}; pass --dataset ${rec.name ?? 'NAME'} (and --data-dir if needed), or --allow-dataset-mismatch to score it anyway`);
}

/** Same values, bit for bit (the same net saved twice, or one directory under two names). */
export function sameWeights(a: readonly tf.Tensor[], b: readonly tf.Tensor[]): boolean {
  if (a.length !== b.length) return false;
  return a.every((x, i) => {
    const y = b[i] as tf.Tensor;
    if (x.shape.join() !== y.shape.join()) return false;
    const xv = x.dataSync();
    const yv = y.dataSync();
    for (let k = 0; k < xv.length; k++) if (!Object.is(xv[k], yv[k])) return false;
    return true;
  });
}

export interface GoldCheck {
  goldDir: string;
  netDir: string;
  goldMeta: Record<string, unknown>;
  request: ForgetRequest;
  seed: number;
  /** Whether gold's weights equal the original's. */
  identical: boolean;
}

function sameRequest(a: unknown, b: ForgetRequest): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/**
 * Gold must be a net retrained without this request's forget set: `metanet
 * unlearn --method retrain` records `method: 'retrain'`, the request and the
 * seed (a random request's split depends on it). A manifest that says otherwise
 * is refused; one that says nothing (an imported net) is accepted with the
 * returned warning.
 */
export function checkGold({ goldDir, netDir, goldMeta, request, seed, identical }: GoldCheck): string | undefined {
  const how = `retrain one with: metanet unlearn --method retrain --net ${netDir} <the same request and --seed> --out DIR, then --gold DIR/net`;
  if (resolve(goldDir) === resolve(netDir) || identical) {
    throw new GoldMismatchError(`--gold ${goldDir} is the original net itself, not a net retrained without the forget set; ${how}`);
  }
  const method = goldMeta.method;
  if (typeof method === 'string' && method !== 'retrain') {
    throw new GoldMismatchError(`--gold ${goldDir} is the output of method ${method}, not a retrain; ${how}`);
  }
  if (method === 'retrain') {
    if (!sameRequest(goldMeta.request, request)) {
      const theirs = goldMeta.request ? requestLabel(goldMeta.request as ForgetRequest) : 'an unrecorded request';
      throw new GoldMismatchError(`--gold ${goldDir} was retrained for ${theirs}, not for ${requestLabel(request)}; ${how}`);
    }
    if (request.kind !== 'class' && goldMeta.seed !== seed) {
      throw new GoldMismatchError(`--gold ${goldDir} was retrained for the split of --seed ${String(goldMeta.seed)}, not --seed ${seed}; pass --seed ${String(goldMeta.seed)} or ${how}`);
    }
    return undefined;
  }
  if (goldMeta.request === null || goldMeta.arch !== undefined || goldMeta.epochs !== undefined) {
    throw new GoldMismatchError(`--gold ${goldDir} was trained on the full dataset by metanet train, not retrained without the forget set; ${how}`);
  }
  return `warning: --gold ${goldDir} records no request, so it cannot be checked; it is taken as retrained for ${requestLabel(request)}`;
}
