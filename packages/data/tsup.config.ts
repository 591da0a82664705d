import { defineConfig } from 'tsup';

export default defineConfig({
  entry: {
    index: 'src/index.ts',
    errors: 'src/errors.ts',
    dataset: 'src/dataset.ts',
    synthetic: 'src/synthetic.ts',
    idx: 'src/idx.ts',
    cifar10: 'src/cifar10.ts',
    mnist: 'src/load-idx-dataset.ts',
    'load-cifar10': 'src/load-cifar10.ts',
    locate: 'src/locate.ts',
    fetch: 'src/fetch.ts',
    atomic: 'src/atomic.ts',
    splits: 'src/splits/index.ts',
    batches: 'src/batches.ts',
    normalization: 'src/normalization.ts',
  },
  format: ['esm', 'cjs'],
  dts: true,
  sourcemap: true,
  clean: true,
  target: 'es2022',
});
