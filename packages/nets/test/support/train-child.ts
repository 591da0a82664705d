/**
 * A training job run as a child process by the crash-safety test: trains with
 * per-epoch checkpoints, always resuming, then saves the net. Same shape as
 * `metanet train`, without the CLI.
 */
import { join } from 'node:path';
import { syntheticShapes } from '@metanet/data';
import { initBackend } from '@metanet/tensor';
import { validateSpec } from '@metanet/spec';
import { initParams, saveNet, sweepTempFiles, train } from '../../src/index';

async function main(): Promise<void> {
const [out, epochsArg, seedArg] = process.argv.slice(2);
if (!out || !epochsArg || !seedArg) throw new Error('usage: train-child OUT EPOCHS SEED');
const epochs = Number(epochsArg);
const seed = Number(seedArg);
await initBackend({ backend: 'cpu' });
sweepTempFiles(out);
// Small enough to keep ~10 killed runs cheap on a loaded 2-core CI box, yet with
// every kind of state a checkpoint must carry: BN buffers, dropout, Adam slots, best-on-val.
const spec = validateSpec({
  input: [8, 8, 1],
  layers: [
    { type: 'conv2d', filters: 4, kernel: 3, padding: 1 },
    { type: 'batchnorm' },
    { type: 'activation', fn: 'relu' },
    { type: 'maxpool', size: 2 },
    { type: 'flatten' },
    { type: 'dropout', rate: 0.1 },
    { type: 'dense', units: 4 },
  ],
});
const trainSet = syntheticShapes({ n: 128, seed: 1, size: 8, classes: 4 });
const valSet = syntheticShapes({ n: 32, seed: 2, size: 8, classes: 4 });
const r = await train(spec, initParams(spec, { seed }), trainSet, {
  epochs,
  batchSize: 32,
  seed,
  valSet,
  checkpointDir: join(out, 'checkpoints'),
  resume: true,
});
saveNet(out, { spec, params: r.params, buffers: r.buffers, meta: { history: r.history.map(({ seconds: _s, ...m }) => m), resumed: undefined } });
process.stdout.write(`done ${r.resumedEpochs}\n`);
}

main().catch((e: unknown) => {
  process.stderr.write(`${String(e)}\n`);
  process.exit(1);
});
