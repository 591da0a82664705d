// The metric's probe (probeRecoverability on the test split's penultimate features, % of the forgotten class) of
// saved editors' edits at scale 1, beside the original's and gold's, on nets of bench/editor-deletion.mjs (OUT):
//   node bench/editor-probe.mjs EDITOR,EDITOR NET,NET      e.g. A,L30s15 s0-0,s0-3 (classes 0, 2, 4)
// Against the built dist; one line per (net, class).
import { initBackend, tf } from '@metanet/tensor';
import { loadFashionMnist, labelsOf } from '@metanet/data';
import { loadNet } from '@metanet/nets';
import { probeRecoverability } from '@metanet/metrics';
import { predictOutputs, applyEditor, loadEditor } from '../dist/index.js';
const OUT = process.env.OUT ?? '/tmp/metanet-editor-deletion';
await initBackend();
const test = await loadFashionMnist({ split: 'test' });
const y = labelsOf(test);
const names = process.argv[2].split(',');
const eds = names.map((n) => loadEditor(`${OUT}/editors/${n}`));
const probe = (m, c) => (100 * probeRecoverability(predictOutputs(m, test, { penultimate: true }), y, { forgetClasses: [c], numClasses: 10 }).forgetAccuracy).toFixed(1);
for (const s of process.argv[3].split(',')) {
  const net = loadNet(`${OUT}/nets/${s}`);
  for (const c of [0, 2, 4]) {
    const gold = loadNet(`${OUT}/nets/${s}-gold${c}`);
    console.log(s, c, 'orig', probe(net, c), 'gold', probe(gold, c), ...names.map((n, i) => `${n} ${probe(applyEditor(eds[i], net, [c]), c)}`));
  }
}
