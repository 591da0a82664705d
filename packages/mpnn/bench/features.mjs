// `npm run bench:features`. The encoder's host-side features of one parameter graph (splitEdgeFeatures: the edge values' Fourier code and the
// categorical table), against the direct evaluation it replaced (16 Math.sin/Math.cos calls per edge at the default 8
// value frequencies), interleaved in one process. Also the whole upload (graphTensors). Medians in ms over REPEATS.
//   node packages/mpnn/bench/features.mjs   (after `npx turbo run build --filter=@metanet/mpnn...`)
import { toParameterGraph } from '@metanet/graph';
import { initParamArrays } from '@metanet/nets';
import { architecture } from '@metanet/spec';
import { initBackend } from '@metanet/tensor';
import { DEFAULT_FEATURES, graphTensors, splitEdgeFeatures } from '@metanet/mpnn';

const REPEATS = Number(process.env.REPEATS ?? 41);
await initBackend();

/** The value code as it was computed before: one sin and one cos call per frequency and edge. */
function directValues(edgeFeatures, numEdges, fv) {
  const dv = 1 + 2 * fv;
  const out = new Float32Array(numEdges * dv);
  for (let e = 0; e < numEdges; e++) {
    const value = edgeFeatures[e * 5];
    out[e * dv] = value;
    for (let k = 0; k < fv; k++) {
      const a = 2 * Math.PI * Math.pow(2, k) * value;
      out[e * dv + 1 + 2 * k] = Math.sin(a);
      out[e * dv + 2 + 2 * k] = Math.cos(a);
    }
  }
  return out;
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const rows = [];
for (const [name, opts] of [['small-cnn', { width: 16, inputSize: 28, inChannels: 1, classes: 10 }], ['homework-cnn', { inputSize: 28, inChannels: 1, classes: 10 }]]) {
  const spec = architecture(name, opts);
  const graph = toParameterGraph(spec, initParamArrays(spec, { seed: 1 }));
  const E = graph.numEdges;
  const t = { direct: [], recurrence: [], upload: [] };
  let maxAbs = 0;
  for (let r = 0; r < REPEATS; r++) {
    let s = performance.now();
    const d = directValues(graph.edgeFeatures, E, DEFAULT_FEATURES.valueFrequencies);
    t.direct.push(performance.now() - s);
    s = performance.now();
    const n = splitEdgeFeatures(graph.edgeFeatures, E, DEFAULT_FEATURES).values;
    t.recurrence.push(performance.now() - s);
    s = performance.now();
    graphTensors(graph, DEFAULT_FEATURES).dispose();
    t.upload.push(performance.now() - s);
    if (r === 0) for (let i = 0; i < d.length; i++) maxAbs = Math.max(maxAbs, Math.abs(d[i] - n[i]));
  }
  const m = { direct: median(t.direct), splitEdgeFeatures: median(t.recurrence), graphTensors: median(t.upload) };
  rows.push({ net: name, edges: E, medianMs: Object.fromEntries(Object.entries(m).map(([k, v]) => [k, +v.toFixed(3)])), speedup: +(m.direct / m.splitEdgeFeatures).toFixed(2), maxAbsDiff: maxAbs });
}
console.log(JSON.stringify({ bench: 'mpnn-features', repeats: REPEATS, note: 'splitEdgeFeatures includes the categorical table that direct omits', rows }, null, 2));
