import type { KerasImporter } from './context';

export const kerasGlobalavgpool: KerasImporter = {
  classes: ['GlobalAveragePooling2D'],
  read: (ctx) => ctx.push({ type: 'globalavgpool' }),
};
