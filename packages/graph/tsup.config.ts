import { defineConfig } from 'tsup';

export default defineConfig({
  entry: { index: 'src/index.ts', types: 'src/types.ts', errors: 'src/errors.ts', build: 'src/build.ts', invert: 'src/invert.ts', batch: 'src/batch.ts', graphology: 'src/graphology.ts', stats: 'src/stats.ts', graphml: 'src/graphml.ts', 'param-map': 'src/param-map.ts' },
  format: ['esm', 'cjs'],
  dts: true,
  sourcemap: true,
  clean: true,
  target: 'es2022',
});
