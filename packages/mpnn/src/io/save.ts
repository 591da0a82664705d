import { writeBundle } from '@metanet/nets';
import type { GMN } from '../gmn';
import { asGMNFileError } from './errors';
import { GMN_BUNDLE, type GMNManifest } from './format';

/**
 * Saves a GMN to `dir` (created if needed) in nets' bundle format: weights.bin
 * first, then manifest.json, each written atomically. The manifest records the
 * weights' length and sha256, so a crash between the two writes is detected on
 * load. Refuses non-finite weights (InvalidGMNFileError).
 */
export function saveGMN(dir: string, model: GMN, meta: Record<string, unknown> = {}): GMNManifest {
  const weights = model.getWeights();
  const arrays = model.weightNames().map((name) => {
    const v = weights.get(name)!;
    return { name, shape: [...v.shape], data: v.dataSync() as Float32Array };
  });
  return asGMNFileError(() => writeBundle(dir, model.config, arrays, meta, GMN_BUNDLE)) as GMNManifest;
}
