// Edit time against the editor's hidden width, measured side by side: `applyEditor` of untrained
// editors (non-zero heads, so Δw is not 0) of hidden widths HIDDENS (default 32,24,16; LAYERS layers)
// on small-cnn nets of widths WIDTHS (default 9,24, the protocol's RTE nets), interleaved edit by edit
// in one process so the machine's load falls on every width alike. REPEATS rounds after WARMUP;
// medians in ms, and each width's ratio to the first. Runs against the built dist
// (`npx turbo run build --filter=@metanet/unlearning...` first); prints one JSON document.
import { initBackend, tf, backendInfo } from '@metanet/tensor';
import { architecture } from '@metanet/spec';
import { initParams, initBuffers } from '@metanet/nets';
import { applyEditor, createEditor } from '../dist/index.js';

const list = (s) => s.split(',').map(Number);
const HIDDENS = list(process.env.HIDDENS ?? '32,24,16');
const WIDTHS = list(process.env.WIDTHS ?? '9,24');
const LAYERS = Number(process.env.LAYERS ?? 3);
const REPEATS = Number(process.env.REPEATS ?? 25);
const WARMUP = Number(process.env.WARMUP ?? 5);

await initBackend();
const editors = HIDDENS.map((hidden) => createEditor({ hidden, layers: LAYERS, zeroInit: false }));
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const nets = {};
for (const width of WIDTHS) {
  const spec = architecture('small-cnn', { width, inputSize: 28, inChannels: 1, classes: 10 });
  const net = { spec, params: initParams(spec, { seed: width }), buffers: initBuffers(spec) };
  const times = HIDDENS.map(() => []);
  for (let r = 0; r < WARMUP + REPEATS; r++) {
    for (const [k, editor] of editors.entries()) {
      const t = performance.now();
      const edited = applyEditor(editor, net, [r % 10]);
      const ms = performance.now() - t;
      tf.dispose([...edited.params, ...edited.buffers]);
      if (r >= WARMUP) times[k].push(ms);
    }
  }
  const ms = times.map(median);
  nets[`w${width}`] = Object.fromEntries(HIDDENS.map((h, k) => [`hidden${h}`, { ms: +ms[k].toFixed(2), ratio: +(ms[k] / ms[0]).toFixed(2) }]));
  tf.dispose(net.params);
}
editors.forEach((e) => e.dispose());
console.log(JSON.stringify({ bench: 'editor-hidden', backend: backendInfo().backend, layers: LAYERS, repeats: REPEATS, warmup: WARMUP, nets }, null, 1));
