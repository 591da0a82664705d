import { defineConfig } from 'tsup';

export default defineConfig({
  // queue-processor is loaded by BullMQ in its own worker threads, so it must be a file of its own next to cli.js;
  // queue is the scale-out API, importable by scripts and by the queue tests' child processes.
  entry: { cli: 'src/cli.ts', 'queue-processor': 'src/queue/processor.ts', queue: 'src/queue/index.ts' },
  format: ['esm'],
  dts: false,
  sourcemap: true,
  clean: true,
  target: 'es2022',
});
