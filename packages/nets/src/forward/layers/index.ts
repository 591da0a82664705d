/**
 * The forward of every layer type, one file each, found by type. The record's
 * type demands a handler for every `LayerType` of @metanet/spec, and
 * test/forward-coverage.test.ts lists any type that lacks one.
 */
import type { LayerForwards } from '../context';
import { activation } from './activation';
import { attention } from './attention';
import { avgpool } from './avgpool';
import { batchnorm } from './batchnorm';
import { conv2d } from './conv2d';
import { dense } from './dense';
import { dropout } from './dropout';
import { flatten } from './flatten';
import { globalavgpool } from './globalavgpool';
import { groupnorm } from './groupnorm';
import { layernorm } from './layernorm';
import { maxpool } from './maxpool';
import { residual } from './residual';

export const LAYER_FORWARDS: LayerForwards = { dense, conv2d, batchnorm, layernorm, activation, avgpool, maxpool, globalavgpool, flatten, dropout, residual, attention, groupnorm };
