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
    'mia-entropy': 'src/mia-entropy.ts',
    'avg-gap': 'src/avg-gap.ts',
    'rte': 'src/rte.ts',
    'divergence': 'src/divergence.ts',
    'weight-distance': 'src/weight-distance.ts',
    'correlation': 'src/correlation.ts',
    'roc-auc': 'src/roc-auc.ts',
    'probe': 'src/probe.ts',
    'table': 'src/table.ts',
    'epsilon-score': 'src/epsilon-score.ts',
  },
  format: ['esm', 'cjs'],
  dts: true,
  sourcemap: true,
  clean: true,
  target: 'es2022',
  // libsvm.ts resolves libsvm-js with createRequire(import.meta.url); the shim gives CJS output an import.meta.url.
  shims: true,
});
