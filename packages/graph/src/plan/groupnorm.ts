import type { GroupNormLayer } from '@metanet/spec';
import type { LayerPlanner } from './context';

/**
 * γ and β nodes on the current channels, as for the other norms. The groups are not
 * encoded: a GMN sees the channels as exchangeable beyond the runs the function keeps
 * together, which costs it expressivity, not equivariance.
 */
export const groupnorm: LayerPlanner<GroupNormLayer> = (_layer, ctx) => ctx.norm(ctx.current);
