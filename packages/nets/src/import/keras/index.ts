/**
 * Keras import, one importer per layer type, found by the Keras class it
 * reads (`ResidualBlock` is the entry functional.ts makes of a matched
 * BasicBlock). Layer types missing here (layernorm, attention) have no Keras
 * layer that this importer maps.
 */
import { kerasActivation } from './activation';
import { kerasAvgpool } from './avgpool';
import { kerasBatchnorm } from './batchnorm';
import type { KerasImporter, KerasImporters } from './context';
import { kerasConv2d } from './conv2d';
import { kerasDense } from './dense';
import { kerasDropout } from './dropout';
import { kerasFlatten } from './flatten';
import { kerasGlobalavgpool } from './globalavgpool';
import { kerasMaxpool } from './maxpool';
import { kerasResidual } from './residual';

export const KERAS_IMPORTERS: KerasImporters = {
  dense: kerasDense,
  conv2d: kerasConv2d,
  batchnorm: kerasBatchnorm,
  maxpool: kerasMaxpool,
  avgpool: kerasAvgpool,
  globalavgpool: kerasGlobalavgpool,
  flatten: kerasFlatten,
  dropout: kerasDropout,
  activation: kerasActivation,
  residual: kerasResidual,
};

/** Keras class name → its importer. */
export const KERAS_CLASSES: ReadonlyMap<string, KerasImporter> = new Map(
  Object.values(KERAS_IMPORTERS).flatMap((imp) => imp.classes.map((cls) => [cls, imp] as const)),
);
