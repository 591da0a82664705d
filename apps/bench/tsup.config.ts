import { defineConfig } from 'tsup';

export default defineConfig({
  // queue-processor is loaded by BullMQ in its own worker threads and bench-worker by piscina, so each must be a file
  // of its own next to cli.js; queue is the scale-out API, importable by scripts and the queue tests' child processes.
  entry: { cli: 'src/cli.ts', 'queue-processor': 'src/queue/processor.ts', queue: 'src/queue/index.ts', 'bench-worker': 'src/bench/worker.ts' },
  format: ['esm'],
  dts: false,
  sourcemap: true,
  clean: true,
  target: 'es2022',
});
