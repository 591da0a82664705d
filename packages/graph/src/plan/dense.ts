import type { DenseLayer } from '@metanet/spec';
import type { LayerPlanner } from './context';

/** New neurons, one edge per weight from every input neuron, and a bias node. */
export const dense: LayerPlanner<DenseLayer> = (layer, ctx) => {
  const dst = ctx.group(layer.units, ++ctx.depth, 'hidden', 'out');
  ctx.matrix('dense', ctx.current, dst);
  if (layer.bias !== false) ctx.vector('bias', ctx.single(ctx.depth, 'bias'), dst);
  ctx.current = dst;
};
