import { UnsupportedLayerError } from '@metanet/spec';
import { pair, type KerasImporter } from './context';

/** Keras MaxPooling2D / AveragePooling2D: square windows, 'valid' padding. */
export function kerasWindow(type: 'avgpool' | 'maxpool', cls: string): KerasImporter {
  return {
    classes: [cls],
    read(ctx) {
      const { cfg, index: i } = ctx;
      const [ph, pw] = pair(ctx, cfg.pool_size ?? 2, `layer ${i} pool_size`);
      const [sh, sw] = pair(ctx, cfg.strides ?? [ph, pw], `layer ${i} strides`);
      if (ph !== pw || sh !== sw || (cfg.padding ?? 'valid') !== 'valid') throw new UnsupportedLayerError(`tf.LayersModel layer ${i}: only square, 'valid' pooling is supported`);
      ctx.push({ type, size: ph, stride: sh });
    },
  };
}
