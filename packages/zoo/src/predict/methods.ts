/**
 * Every accuracy-prediction method by name, and reading a saved predictor back. A new method is
 * one file (a `PredictionMethod`) and one line here.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { MANIFEST_FILE, NET_FORMAT, readNet } from '@metanet/nets';
import { GMN_FORMAT } from '@metanet/mpnn';
import { flat } from '../baselines/flat';
import { gbt, GBT_FORMAT, restoreGbt } from '../baselines/gbt';
import { hparams } from '../baselines/hparams';
import { statnn } from '../baselines/statnn';
import type { RestorableMethod } from '../baselines/vector-method';
import { InvalidPredictionInputError, UnknownMethodError } from './errors';
import { gmn, restoreGmn } from './gmn-predictor';
import type { PredictionMethod, Predictor } from './types';

const VECTOR_METHODS: Record<string, RestorableMethod> = { statnn, hparams, flat };

/** Every method, in report order. */
export const PREDICTION_METHODS: Readonly<Record<string, PredictionMethod>> = { gmn, ...VECTOR_METHODS, gbt };

/** Names of every method. */
export function predictionMethodNames(): string[] {
  return Object.keys(PREDICTION_METHODS);
}

/** The method called `name`; UnknownMethodError lists the known ones. */
export function predictionMethod(name: string): PredictionMethod {
  const m = PREDICTION_METHODS[name];
  if (!m) throw new UnknownMethodError(`unknown method "${name}"; use one of ${predictionMethodNames().join(', ')} (or all)`);
  return m;
}

function manifestFormat(dir: string): unknown {
  let text: string;
  try {
    text = readFileSync(join(dir, MANIFEST_FILE), 'utf8');
  } catch {
    throw new InvalidPredictionInputError(`${dir} has no ${MANIFEST_FILE}; pass the directory a predictor was saved to (metanet predict-acc train --out DIR)`);
  }
  try {
    return (JSON.parse(text) as { format?: unknown }).format;
  } catch {
    throw new InvalidPredictionInputError(`${dir}/${MANIFEST_FILE} is not JSON; save the predictor again`);
  }
}

/** Reads a predictor saved by `Predictor#save`, whatever its method. */
export function loadPredictor(dir: string): Predictor {
  const format = manifestFormat(dir);
  if (format === GMN_FORMAT) return restoreGmn(dir);
  if (format === GBT_FORMAT) return restoreGbt(dir);
  if (format !== NET_FORMAT) throw new InvalidPredictionInputError(`${dir} is not a saved predictor (format ${String(format).slice(0, 40)})`);
  const saved = readNet(dir);
  const name = (saved.meta.predictor as { method?: unknown } | undefined)?.method;
  const m = typeof name === 'string' ? VECTOR_METHODS[name] : undefined;
  if (!m) throw new InvalidPredictionInputError(`${dir} holds a net but not a saved accuracy predictor; train one with metanet predict-acc train`);
  return m.restore(saved);
}
