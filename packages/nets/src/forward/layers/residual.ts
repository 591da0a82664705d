import { tf } from '@metanet/tensor';
import { residualGeometry, type ResidualBlockLayer } from '@metanet/spec';
import type { LayerForward } from '../context';
import { conv } from './conv2d';

/** ResNet BasicBlock: relu(bn2(conv2(relu(bn1(conv1(x))))) + shortcut(x)); the convs have no bias. */
export const residual: LayerForward<ResidualBlockLayer> = (layer, x, ctx) => {
  const h = x as tf.Tensor4D;
  const { stride, projection } = residualGeometry(layer, h.shape[3] as number);
  let z: tf.Tensor = conv(h, ctx.param('conv1.weight'), undefined, [stride, stride], 1);
  z = tf.relu(ctx.batchNorm(z, 'bn1'));
  z = conv(z as tf.Tensor4D, ctx.param('conv2.weight'), undefined, [1, 1], 1);
  z = ctx.batchNorm(z, 'bn2');
  const short = projection ? ctx.batchNorm(conv(h, ctx.param('downsample.0.weight'), undefined, [stride, stride], 0), 'downsample.1') : h;
  return tf.relu(tf.add(z, short));
};
