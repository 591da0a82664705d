// Timings of each metric at Fashion-MNIST scale, against the built dist.
// Run: npm run build -w @metanet/metrics && node packages/metrics/bench/metrics.mjs
// Prints one JSON object; compare numbers only within one run (shared machine).
import { createRng } from '@metanet/tensor/rng';
import { createRequire } from 'node:module';
import * as m from '../dist/index.js';

const K = 10;
const rng = createRng(1);

/** Synthetic logits: the true class gets a margin drawn around `skill`. */
function logits(n, skill, classes) {
  const values = new Float32Array(n * K);
  const labels = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const y = classes[i % classes.length];
    labels[i] = y;
    for (let c = 0; c < K; c++) values[i * K + c] = rng.normal();
    values[i * K + y] += skill + rng.normal();
  }
  return { logits: m.hostMatrix(values, n, K), labels };
}

const all = [...Array(K).keys()];
const rest = all.slice(1);
const splits = {
  forget: logits(6000, 4, [0]),
  retain: logits(54000, 4, rest),
  test: logits(10000, 3, all),
  testForget: logits(1000, 3, [0]),
  testRetain: logits(9000, 3, rest),
};

// Wall and CPU time both: on a shared machine wall time inflates with load, CPU time much less.
async function time(name, fn, repeat = 1) {
  const cpu0 = process.cpuUsage();
  const start = performance.now();
  let out;
  for (let r = 0; r < repeat; r++) out = await fn();
  const cpu = process.cpuUsage(cpu0);
  return [name, { wallMs: round((performance.now() - start) / repeat), cpuMs: round((cpu.user + cpu.system) / 1000 / repeat), out }];
}
const round = (v) => Math.round(v * 10) / 10;

const results = [];
results.push(await time('unlearningAccuracies (80k rows)', () => m.unlearningAccuracies(splits).UA, 3));
results.push(await time('perSampleCrossEntropy (54k rows)', () => m.perSampleCrossEntropy(splits.retain.logits, splits.retain.labels).length, 3));
const lf = m.perSampleCrossEntropy(splits.testForget.logits, splits.testForget.labels);
const lr = m.perSampleCrossEntropy(splits.testRetain.logits, splits.testRetain.labels);
results.push(await time('lossMia (1k vs 9k → 1k + 1k, 10 splits)', () => m.lossMia(lf, lr).accuracy, 3));
results.push(await time('entropyMia (6k vs 10k)', () => m.entropyMia(splits.forget.logits, splits.test.logits).accuracy));
for (const cap of [1000, 2000, 4000, Infinity]) {
  results.push(await time(`svcMiaEfficacy confidence, maxPerGroup ${cap}`, async () => (await m.svcMiaEfficacy(splits, { maxPerGroup: cap })).efficacy));
}
const other = logits(6000, 0, [0]).logits;
results.push(await time('jsDivergence (6k rows)', () => m.jsDivergence(splits.forget.logits, other), 3));
const feats = new Float32Array(10000 * 128).map(() => rng.normal());
const labels = splits.test.labels;
results.push(await time('probeRecoverability (10k × 128, K = 10)', () => m.probeRecoverability(m.hostMatrix(feats, 10000, 128), labels, { forgetClasses: [0] }).forgetAuc));
const x = Float64Array.from({ length: 2000 }, () => rng.uniform());
const y = x.map((v) => v + 0.3 * rng.uniform());
results.push(await time('kendallTau (n = 2000)', () => m.kendallTau(x, y), 3));

// libsvm-js ships an asm.js and a WebAssembly build; metrics loads the wasm one. Same fit, side by side.
{
  const require = createRequire(import.meta.url);
  const builds = { asm: require('libsvm-js/asm'), wasm: await require('libsvm-js') };
  const feat = (s) => Array.from(m.miaFeatures(s.logits, s.labels, 'confidence').values.subarray(0, 3000), (v) => [v]);
  const samples = [...feat(splits.retain), ...feat(splits.test)];
  const labels01 = samples.map((_, i) => (i < 3000 ? 1 : 0));
  for (const [name, SVM] of Object.entries(builds)) {
    results.push(await time(`libsvm-js ${name} build: RBF SVC fit 3k + 3k`, () => {
      const svm = new SVM({ type: SVM.SVM_TYPES.C_SVC, kernel: SVM.KERNEL_TYPES.RBF, cost: 3, gamma: 1, quiet: true });
      svm.train(samples, labels01);
      const n = svm.predict(samples.slice(0, 2000)).reduce((a, b) => a + b, 0);
      svm.free();
      return n;
    }));
  }
}

console.log(JSON.stringify({ node: process.version, results: Object.fromEntries(results) }, null, 2));
