import { UnsupportedLayerError } from '@metanet/spec';
import type { KerasImporter } from './context';

/** Keras BatchNormalization over the last axis; its momentum keeps m of the old running value, PyTorch's keeps 1 - m. */
export const kerasBatchnorm: KerasImporter = {
  classes: ['BatchNormalization'],
  read(ctx) {
    const { cfg, shape } = ctx;
    const axis = Array.isArray(cfg.axis) ? cfg.axis[0] : cfg.axis;
    if (axis !== -1 && axis !== shape.length) throw new UnsupportedLayerError(`tf.LayersModel layer ${ctx.index}: BatchNormalization must normalise the last axis`);
    const c = shape[shape.length - 1] as number;
    const eps = typeof cfg.epsilon === 'number' ? cfg.epsilon : 1e-3;
    const momentum = typeof cfg.momentum === 'number' ? 1 - cfg.momentum : 0.01;
    ctx.push({ type: 'batchnorm', eps, momentum });
    ctx.params.push(cfg.scale === false ? new Float32Array(c).fill(1) : ctx.weight('gamma').data);
    ctx.params.push(cfg.center === false ? new Float32Array(c) : ctx.weight('beta').data);
    ctx.buffers.push(ctx.weight('moving_mean').data, ctx.weight('moving_variance').data);
  },
};
