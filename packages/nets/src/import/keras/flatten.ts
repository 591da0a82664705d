import type { KerasImporter } from './context';

/** Keras flattens a conv map in (H, W, C) order; the Dense after it re-indexes its rows to ours (see dense.ts). */
export const kerasFlatten: KerasImporter = {
  classes: ['Flatten'],
  read(ctx) {
    if (ctx.shape.length === 3) ctx.flattened = [...ctx.shape] as [number, number, number];
    ctx.push({ type: 'flatten' });
  },
};
