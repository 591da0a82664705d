import type { LayerNormLayer } from '@metanet/spec';
import type { LayerPlanner } from './context';

/** γ and β nodes on the current features. */
export const layernorm: LayerPlanner<LayerNormLayer> = (_layer, ctx) => ctx.norm(ctx.current);
