import { residualGeometry, type ResidualBlockLayer } from '@metanet/spec';
import type { LayerPlanner } from './context';

/** conv1's and conv2's channels with their norms, and the shortcut as parameter-free residual edges into conv2's channels. */
export const residual: LayerPlanner<ResidualBlockLayer> = (layer, ctx) => {
  const x = ctx.current;
  const f = layer.filters;
  const h1 = ctx.group(f, ++ctx.depth, 'hidden', 'conv1');
  ctx.matrix('conv', x, h1, 3, 3, true);
  ctx.norm(h1, 'bn1');
  const out = ctx.group(f, ++ctx.depth, 'hidden', 'out');
  ctx.matrix('conv', h1, out, 3, 3, true);
  ctx.norm(out, 'bn2');
  if (residualGeometry(layer, ctx.input[ctx.input.length - 1] as number).projection) {
    // The projection's output gets its own nodes (beside conv1's), so its BN has
    // channels of its own and the sum happens on the residual edges into `out`.
    const sc = ctx.group(f, ctx.depth - 1, 'hidden', 'shortcut');
    ctx.matrix('conv', x, sc, 1, 1, true);
    ctx.norm(sc, 'downsample.1');
    ctx.struct({ kind: 'oneToOne', edgeType: 'residual', src: sc, dst: out });
  } else {
    ctx.struct({ kind: 'oneToOne', edgeType: 'residual', src: x, dst: out });
  }
  ctx.current = out;
};
