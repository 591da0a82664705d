import type { FlattenLayer } from '@metanet/spec';
import type { LayerPlanner } from './context';

const product = (shape: readonly number[]): number => shape.reduce((a, b) => a * b, 1);

/**
 * A flatten of a multi-position map gets one spatial node per (channel, position), fed by its
 * channel through a parameter-free edge, so the dense layer after it has one edge per weight.
 * A flatten of a vector or a 1×1 map, or of raw pixel inputs, changes nothing.
 */
export const flatten: LayerPlanner<FlattenLayer> = (_layer, ctx) => {
  const inShape = ctx.input;
  const positions = product(inShape) / (inShape[inShape.length - 1] as number);
  if (inShape.length < 2 || positions === 1 || (ctx.pixelInputs && ctx.current.type === 'input')) return;
  const image = inShape.length === 3;
  const dst = ctx.group(product(inShape), ++ctx.depth, 'spatial', 'out', 'position', {
    positions,
    channelMajor: image, // torch.flatten of NCHW is (C, H, W); of (T, D) it is row-major
    mapWidth: image ? (inShape[1] as number) : 0,
  });
  ctx.struct({ kind: 'flatten', src: ctx.current, dst });
  ctx.current = dst;
};
