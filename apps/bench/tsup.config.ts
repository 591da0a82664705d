import { defineConfig } from 'tsup';

export default defineConfig({
  // The pool's worker is its own entry, loaded by piscina from dist/ next to the CLI.
  entry: { cli: 'src/cli.ts', 'bench-worker': 'src/bench/worker.ts' },
  format: ['esm'],
  dts: false,
  sourcemap: true,
  clean: true,
  target: 'es2022',
});
