// Accuracy-predictor speed: training time per epoch per 1,000 nets and inference throughput, for the GMN
// predictor (from scratch, `readout: 'stats-mlp'`; hidden 32, 3 layers, batch 8) and StatNN (MLP 1000-1000, batch 8), on
// small-cnn nets (4,970 parameters, 1 channel, the Small CNN Zoo's net). The nets are seeded inits with
// accuracies spread over [0, 1): speed does not depend on what the labels are. Prints one JSON document.
//
//   node packages/zoo/bench/predict.mjs [--nets 64] [--epochs 1] [--methods gmn,statnn]
import { architecture } from '@metanet/spec';
import { initParamArrays } from '@metanet/nets';
import { backendInfo, initBackend } from '@metanet/tensor';
import { predictionMethod } from '../dist/index.js';

const args = process.argv.slice(2);
const arg = (name, dflt) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && args[i + 1] !== undefined ? args[i + 1] : dflt;
};
const nets = Number(arg('nets', '64'));
const epochs = Number(arg('epochs', '1'));
const methods = arg('methods', 'gmn,statnn').split(',');

await initBackend();
const spec = architecture('small-cnn');
const entries = Array.from({ length: nets }, (_, i) => {
  const testAcc = ((i * 7919) % 1000) / 1000;
  const metrics = { trainAcc: testAcc, trainLoss: 1, valAcc: testAcc, valLoss: 1, testAcc, testLoss: 1 };
  const record = { id: `r${i}`, run: i, epoch: 1, final: true, arch: 'small-cnn', hparams: {}, metrics, seed: i, wallTimeMs: 0, file: '' };
  return { record, net: { spec, params: initParamArrays(spec, { seed: i }), buffers: [], meta: {} } };
});
const val = entries.slice(0, Math.max(2, Math.floor(nets / 4)));
const results = {};
for (const m of methods) {
  const t0 = performance.now();
  // The GMN from scratch: every epoch a GMN epoch (the hybrid's first 50 are StatNN's, and `auto` fits both).
  const { predictor, report } = await predictionMethod(m).fit(entries, val, { epochs, ...(m === 'gmn' && { readout: 'stats-mlp' }) });
  const trainMs = performance.now() - t0;
  const t1 = performance.now();
  predictor.predict(entries);
  const inferMs = performance.now() - t1;
  predictor.dispose();
  // trainMs includes one validation pass per epoch (val = a quarter of the nets), as a real fit has.
  results[m] = {
    trainMsPerEpoch: Math.round(trainMs / report.epochsRun),
    trainSecondsPerEpochPer1kNets: Number((trainMs / report.epochsRun / nets).toFixed(1)),
    inferenceNetsPerSecond: Number((nets / (inferMs / 1000)).toFixed(1)),
  };
}
console.log(JSON.stringify({ workload: { arch: 'small-cnn', params: 4970, nets, valNets: val.length, epochs }, backend: backendInfo().name, results }, null, 2));
