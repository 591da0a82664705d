import type { KerasImporter } from './context';

export const kerasDropout: KerasImporter = {
  classes: ['Dropout'],
  read: (ctx) => ctx.push({ type: 'dropout', rate: typeof ctx.cfg.rate === 'number' ? ctx.cfg.rate : ctx.bad(`layer ${ctx.index} needs a numeric rate`) }),
};
