import { defineConfig } from 'tsup';

export default defineConfig({
  entry: {
    index: 'src/index.ts',
    gmn: 'src/gmn.ts',
    layers: 'src/layers/index.ts',
    ops: 'src/ops/index.ts',
    io: 'src/io/index.ts',
    train: 'src/train.ts',
  },
  format: ['esm', 'cjs'],
  dts: true,
  sourcemap: true,
  clean: true,
  target: 'es2022',
});
