/**
 * The planner of every layer type, one file each, found by type. The record's type
 * demands a planner for every `LayerType` of @metanet/spec, and
 * test/layer-coverage.test.ts lists any type that lacks one.
 */
import type { LayerType } from '@metanet/spec';
import { activation } from './activation';
import { attention } from './attention';
import { avgpool } from './avgpool';
import { batchnorm } from './batchnorm';
import type { LayerPlanners } from './context';
import { conv2d } from './conv2d';
import { dense } from './dense';
import { dropout } from './dropout';
import { flatten } from './flatten';
import { globalavgpool } from './globalavgpool';
import { groupnorm } from './groupnorm';
import { layernorm } from './layernorm';
import { maxpool } from './maxpool';
import { residual } from './residual';

export const LAYER_PLANNERS: LayerPlanners = { dense, conv2d, batchnorm, layernorm, activation, avgpool, maxpool, globalavgpool, flatten, dropout, residual, attention, groupnorm };

/** Layer types the graph encodes: those with a planner. */
export const SUPPORTED_LAYERS: readonly LayerType[] = Object.keys(LAYER_PLANNERS) as LayerType[];
