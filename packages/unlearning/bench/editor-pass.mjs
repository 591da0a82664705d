// The GMN editor's one pass on a small-cnn (width WIDTH, Fashion-MNIST shape), phase by phase:
// reading the weights to the host, building the parameter graph (toParameterGraph), encoding and
// uploading it (graphTensors), the scales and output nodes, the GMN forward to Δw (with its read
// back), and w + Δw on the host: the path `applyEditor` took through `editDeltas` (a slice, a
// reshape, a multiply and a read per parameter tensor). Interleaved with it, `applyEditor` itself
// (one read of the head's output, scaled on the host), checked bit for bit against the phased path.
// REPEATS passes after WARMUP; medians in ms. The editor is an
// untrained one with a non-zero head (hidden HIDDEN, LAYERS layers, the CLI's defaults), so Δw is
// not 0. Runs against the built dist (`npx turbo run build --filter=@metanet/unlearning...` first);
// prints one JSON document.
import { initBackend, tf, backendInfo } from '@metanet/tensor';
import { architecture } from '@metanet/spec';
import { initParams } from '@metanet/nets';
import { NODE_FEATURE_DIM, NODE_TYPES, toParameterGraph } from '@metanet/graph';

const OUTPUT = NODE_TYPES.indexOf('output');
import { applyEditor, createEditor, deltaScales, editDeltas } from '../dist/index.js';

const WIDTH = Number(process.env.WIDTH ?? 16);
const HIDDEN = Number(process.env.HIDDEN ?? 32);
const LAYERS = Number(process.env.LAYERS ?? 3);
const REPEATS = Number(process.env.REPEATS ?? 15);
const WARMUP = Number(process.env.WARMUP ?? 3);

await initBackend();
const spec = architecture('small-cnn', { width: WIDTH, inputSize: 28, inChannels: 1, classes: 10 });
const net = { spec, params: initParams(spec, { seed: 1 }), buffers: [] };
const editor = createEditor({ hidden: HIDDEN, layers: LAYERS, zeroInit: false });

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const phases = { hostRead: [], graphBuild: [], upload: [], scales: [], forward: [], hostAdd: [], applyEditor: [] };
const phasedTotal = [];
let edges = 0;
let bitIdentical = true;
for (let i = 0; i < WARMUP + REPEATS; i++) {
  const keep = i >= WARMUP;
  let t = performance.now();
  const lap = (name) => {
    const now = performance.now();
    if (keep) phases[name].push(now - t);
    t = now;
  };
  const host = net.params.map((p) => p.dataSync());
  lap('hostRead');
  const graph = toParameterGraph(spec, host, { strict: true });
  edges = graph.numEdges;
  lap('graphBuild');
  const tensors = editor.model.graphTensors(graph);
  lap('upload');
  const scales = deltaScales(net, host);
  // Class k's output node, as prepareNet finds it.
  const outs = new Int32Array(10);
  for (let n = 0; n < graph.numNodes; n++) if (graph.nodeFeatures[n * NODE_FEATURE_DIM + 2] === OUTPUT) outs[graph.nodeFeatures[n * NODE_FEATURE_DIM + 1]] = n;
  lap('scales');
  const prepared = { net, graph, tensors, scales, outputNode: outs, family: 'small-cnn', dispose: () => tensors.dispose() };
  const deltas = tf.tidy(() => editDeltas(editor, prepared, [0]).deltas);
  const read = deltas.map((d) => d.dataSync());
  lap('forward');
  const params = net.params.map((p, k) => {
    const w = host[k];
    const out = new Float32Array(w.length);
    for (let j = 0; j < w.length; j++) out[j] = read[k][j] === 0 ? w[j] : Math.fround(w[j] + read[k][j]);
    return tf.tensor(out, p.shape, 'float32');
  });
  lap('hostAdd');
  if (keep) phasedTotal.push(['hostRead', 'graphBuild', 'upload', 'scales', 'forward', 'hostAdd'].reduce((a, k) => a + phases[k].at(-1), 0));
  tf.dispose(deltas);
  tensors.dispose();
  t = performance.now();
  const edited = applyEditor(editor, net, [0]);
  lap('applyEditor');
  edited.params.forEach((q, k) => {
    const a = new Uint32Array(q.dataSync().buffer);
    const b = new Uint32Array(params[k].dataSync().buffer);
    if (a.length !== b.length || a.some((v, j) => v !== b[j])) bitIdentical = false;
  });
  tf.dispose([...params, ...edited.params]);
}
const ms = Object.fromEntries(Object.entries(phases).map(([k, v]) => [k, Number(median(v).toFixed(2))]));
const min = (xs) => Number(Math.min(...xs).toFixed(2));
console.log(
  JSON.stringify(
    {
      bench: 'editor-pass',
      backend: backendInfo().name,
      width: WIDTH,
      hidden: HIDDEN,
      layers: LAYERS,
      edges,
      repeats: REPEATS,
      medianMs: ms,
      phasedPathMs: { median: Number(median(phasedTotal).toFixed(2)), min: min(phasedTotal) },
      applyEditorMs: { median: ms.applyEditor, min: min(phases.applyEditor) },
      bitIdentical,
    },
    null,
    2,
  ),
);
