/**
 * Build-time generation for the site, run before TypeDoc and VitePress by `npm run build`:
 * - the Concepts figures, drawn from @metanet/graph's own output (never by hand);
 * - the capabilities cheatsheet, read from the registries (spec LAYERS, nets LAYER_FORWARDS and
 *   KERAS_IMPORTERS, graph SUPPORTED_LAYERS, unlearning METHODS);
 * - the explorer's nets, saved with @metanet/nets' own bundle writer, so the page and a dropped
 *   folder go through the same loader;
 * - one guide per package (guide/<pkg>.md), from the package README plus its extension points;
 * - the results page, from the latest `metanet bench` output in apps/bench/results/ if any;
 * - the GMN editor that "Unlearn in your browser" fetches: a copy of the one @metanet/unlearning ships
 *   (editors/small-cnn-fashion-mnist/), so the site serves the package's own bytes and never a second committed copy.
 * Everything written here is gitignored.
 */
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { architecture } from '@metanet/spec';
import { toParameterGraph } from '@metanet/graph';
import { initParamArrays, saveNet, MANIFEST_FILE, WEIGHTS_FILE } from '@metanet/nets';
import { shippedEditorDir } from '@metanet/unlearning/gmn-editor';
import { graphToSvg } from './svg-graph.mjs';
import { cheatsheetMarkdown } from './cheatsheet.mjs';
import { resultsMarkdown } from './results.mjs';
import { EXPLORER_NETS } from './explorer-nets.mjs';
import { GUIDE_PACKAGES, guideMarkdown } from './guides.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const started = performance.now();
const generated = join(root, 'generated');
const figures = join(root, 'public', 'figures');
mkdirSync(generated, { recursive: true });
mkdirSync(figures, { recursive: true });

// Figures: a 3-4-2 MLP, and one 2→2 conv layer whose 3×3 kernels are 9 parallel edges per channel pair.
const mlp = architecture('mlp:3-4-2');
writeFileSync(join(figures, 'mlp.svg'), graphToSvg(toParameterGraph(mlp, initParamArrays(mlp, { seed: 1 })), { title: 'mlp:3-4-2: 11 nodes, 26 edges (one per parameter)' }));
const conv = { version: 1, name: 'one-conv', input: [5, 5, 2], layers: [{ type: 'conv2d', filters: 2, kernel: 3, padding: 1 }] };
const convGraph = toParameterGraph(conv, initParamArrays(conv, { seed: 2 }));
writeFileSync(join(figures, 'conv-parallel.svg'), graphToSvg(convGraph, { title: `conv2d 2→2, 3×3: ${convGraph.numNodes} nodes, ${convGraph.numEdges} edges (9 parallel edges per channel pair)` }));

writeFileSync(join(generated, 'cheatsheet.md'), cheatsheetMarkdown());
for (const pkg of GUIDE_PACKAGES) writeFileSync(join(root, 'guide', `${pkg}.md`), guideMarkdown(join(root, '..', '..'), pkg));
writeFileSync(join(generated, 'results.md'), resultsMarkdown(join(root, '..', 'bench', 'results'), join(root, 'public', 'results')));

// The explorer's nets: deterministic init (seed 0), saved as metanet net bundles.
const index = [];
for (const { id, label, spec } of EXPLORER_NETS) {
  saveNet(join(root, 'public', 'nets', id), { spec, params: initParamArrays(spec, { seed: 0 }) });
  index.push({ id, label });
}
writeFileSync(join(root, 'public', 'nets', 'index.json'), JSON.stringify(index, null, 1));
const editorOut = join(root, 'public', 'editors', 'small-cnn-fashion-mnist');
mkdirSync(editorOut, { recursive: true });
for (const file of [MANIFEST_FILE, WEIGHTS_FILE]) copyFileSync(join(shippedEditorDir('small-cnn-fashion-mnist'), file), join(editorOut, file));
console.log(`generated figures, cheatsheet, results, ${index.length} explorer nets and the shipped GMN editor in ${Math.round(performance.now() - started)} ms`);
