import type { BatchNormLayer } from '@metanet/spec';
import type { LayerPlanner } from './context';

/** γ and β nodes on the current channels; the running statistics are buffers, not edges. */
export const batchnorm: LayerPlanner<BatchNormLayer> = (_layer, ctx) => ctx.norm(ctx.current);
