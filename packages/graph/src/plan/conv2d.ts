import { convGeometry, type Conv2dLayer } from '@metanet/spec';
import type { LayerPlanner } from './context';

/** New channels, one parallel edge per kernel position (kh, kw) between each pair of channels, and a bias node. */
export const conv2d: LayerPlanner<Conv2dLayer> = (layer, ctx) => {
  const { kh, kw } = convGeometry(layer);
  const dst = ctx.group(layer.filters, ++ctx.depth, 'hidden', 'out');
  ctx.matrix('conv', ctx.current, dst, kh, kw, true);
  if (layer.bias !== false) ctx.vector('bias', ctx.single(ctx.depth, 'bias'), dst);
  ctx.current = dst;
};
