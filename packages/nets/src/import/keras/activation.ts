import type { KerasImporter } from './context';

export const kerasActivation: KerasImporter = {
  classes: ['Activation', 'ReLU'],
  read(ctx) {
    if (ctx.cls === 'ReLU') ctx.push({ type: 'activation', fn: 'relu' });
    else ctx.activation(ctx.cfg.activation);
  },
};
