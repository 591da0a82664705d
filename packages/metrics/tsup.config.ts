import { defineConfig } from 'tsup';

export default defineConfig({
  entry: {
    index: 'src/index.ts',
    'errors': 'src/errors.ts',
    'matrix': 'src/matrix.ts',
    'accuracy': 'src/accuracy.ts',
    'cross-entropy': 'src/cross-entropy.ts',
    'mia-features': 'src/mia-features.ts',
    'mia-loss': 'src/mia-loss.ts',
    'mia-svc': 'src/mia-svc.ts',
    'avg-gap': 'src/avg-gap.ts',
    'rte': 'src/rte.ts',
  },
  format: ['esm', 'cjs'],
  dts: true,
  sourcemap: true,
  clean: true,
  target: 'es2022',
  // libsvm.ts resolves libsvm-js with createRequire(import.meta.url); the shim gives CJS output an import.meta.url.
  shims: true,
});
