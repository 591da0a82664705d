import { defineConfig } from 'tsup';

export default defineConfig({
  entry: {
    index: 'src/index.ts',
    loop: 'src/loop.ts',
    requests: 'src/requests/index.ts',
    retrain: 'src/methods/retrain.ts',
    ft: 'src/methods/ft.ts',
    ga: 'src/methods/ga.ts',
    'neggrad-plus': 'src/methods/neggrad-plus.ts',
    rl: 'src/methods/rl.ts',
    'kl-uniform': 'src/methods/kl-uniform.ts',
    'l1-sparse': 'src/methods/l1-sparse.ts',
    'logit-mask': 'src/methods/logit-mask.ts',
    ssd: 'src/methods/ssd.ts',
    fisher: 'src/methods/fisher.ts',
    salun: 'src/methods/salun.ts',
    scrub: 'src/methods/scrub.ts',
    'boundary-shrink': 'src/methods/boundary-shrink.ts',
    relearn: 'src/relearn.ts',
  },
  format: ['esm', 'cjs'],
  dts: true,
  sourcemap: true,
  clean: true,
  target: 'es2022',
});
