// The GMN predictor's tuning sweep: each named variant (GMN fit options) on the same NFN split of a zoo's final
// checkpoints and the same predictor seeds, one JSON line per (variant, seed), then a summary line per variant.
// Variants are JSON: {"name": {...GmnFitOptions}}; {"method": NAME, ...FitOptions} runs that registered method instead.
// {"probeData": K} (with the GMN) gives it K probe inputs taken from the zoo's validation images (unlabeled; never
// trained on by any zoo net) instead of noise.
//
//   node packages/zoo/scripts/gmn-sweep.mjs --zoo DIR --variants '{"base":{}}' [--seeds 0,1,2] [--train-all]
import { initBackend } from '@metanet/tensor';
import { loadZooData, disposeMlp, fitMlpRegressor, predictMlp, statFeatures, stackRows, fitGmn, meanStd, predictionMethod, readZoo, readZooNet, scorePredictions, splitZoo, targetOf } from '../dist/index.js';

const args = process.argv.slice(2);
const arg = (name, dflt) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && args[i + 1] !== undefined ? args[i + 1] : dflt;
};
const dir = arg('zoo');
const variants = JSON.parse(arg('variants', '{"default":{}}'));
const seeds = arg('seeds', '0,1,2').split(',').map(Number);
const trainSize = Number(arg('train-size', '0'));
await initBackend();
const { records, settings } = readZoo(dir);
const entries = records.map((record) => ({ record, net: readZooNet(dir, record) }));
const split = splitZoo(entries, { seed: 0 });
let train = split.train;
if (args.includes('--train-all')) {
  // Every checkpoint of the training runs; val and test stay final-only (no run crosses splits).
  const runs = new Set(split.train.map((e) => e.record.run));
  train = entries.filter((e) => runs.has(e.record.run));
}
if (trainSize > 0) train = train.slice(0, trainSize);
// The GMN predictor's readout without the GMN: z-scored statistics → MLP 64 → sigmoid (the control that
// says what the GMN's embedding adds).
async function statsReadout(tr, val, seed) {
  const feats = (es) => stackRows(es.map((e) => statFeatures(e.net)), 7 * tr[0].net.params.length);
  const { model, report } = await fitMlpRegressor(feats(tr), Float32Array.from(tr, targetOf), feats(val), Float32Array.from(val, targetOf), {
    hidden: [64], epochs: 50, batchSize: 8, lr: 1e-3, seed, standardize: true,
  });
  return { predictor: { predict: (es) => predictMlp(model, feats(es)), dispose: () => disposeMlp(model) }, report };
}
const testY = Float32Array.from(split.test, targetOf);
let valImages;
async function probeImages(k) {
  if (valImages === undefined) {
    const data = await loadZooData(settings.dataset);
    valImages = { values: data.val.images.dataSync().slice(), perImage: data.val.images.size / data.val.images.shape[0] };
    for (const ds of [data.pool, data.val, data.test]) ds.images.dispose(), ds.labels.dispose();
  }
  return valImages.values.slice(0, k * valImages.perImage);
}
for (const [name, given] of Object.entries(variants)) {
  const options = given.probeData ? { ...given, probes: given.probeData, probeInputs: await probeImages(given.probeData) } : given;
  const taus = [];
  const r2s = [];
  for (const seed of seeds) {
    const t0 = performance.now();
    const { predictor, report } = options.method !== undefined && options.method !== 'stats-readout'
      ? await predictionMethod(options.method).fit(train, split.val, { ...options, seed })
      : options.method === 'stats-readout'
        ? await statsReadout(train, split.val, seed)
        : await fitGmn(train, split.val, { ...options, seed, onEpoch: (e) => console.error(JSON.stringify({ name, seed, ...e })) });
    const score = scorePredictions(testY, predictor.predict(split.test));
    predictor.dispose();
    taus.push(score.tau);
    r2s.push(score.r2);
    console.log(JSON.stringify({ name, seed, ...score, bestEpoch: report.bestEpoch, epochsRun: report.epochsRun, ...(report.choice !== undefined && { choice: report.choice }), seconds: Math.round((performance.now() - t0) / 1000) }));
  }
  console.log(JSON.stringify({ summary: name, options: given, train: train.length, val: split.val.length, test: split.test.length, tau: meanStd(taus), r2: meanStd(r2s) }));
}
