/**
 * The capabilities cheatsheet (in the style of PyG's GNN cheatsheet), read from the registries so a new layer
 * type or method shows up without editing the docs. Method traits that the registry does not carry (request
 * kinds, retain data, one-shot) live in METHOD_TRAITS below; the build fails when a registered method lacks an
 * entry, so the table cannot silently fall behind.
 */
import { LAYERS } from '@metanet/spec';
import { SUPPORTED_LAYERS } from '@metanet/graph';
// nets exports neither registry from its barrel; the docs read them where they live.
import { LAYER_FORWARDS } from '../../../packages/nets/src/forward/layers/index.ts';
import { KERAS_IMPORTERS } from '../../../packages/nets/src/import/keras/index.ts';
import { METHODS } from '@metanet/unlearning';

const ALL_KINDS = 'class, random, subpopulation, trigger';
// The methods `unlearnTask` adapts to a multi-head net (forget one head); the others assume one head.
const WITH_TASK = `${ALL_KINDS}, task`;
/** Traits per registered method, from each method's file in packages/unlearning/src/methods/. */
const METHOD_TRAITS = {
  retrain: { kinds: WITH_TASK, retain: true, oneShot: false, exact: true },
  ft: { kinds: WITH_TASK, retain: true, oneShot: false },
  ga: { kinds: WITH_TASK, retain: false, oneShot: false },
  'neggrad-plus': { kinds: WITH_TASK, retain: true, oneShot: false },
  rl: { kinds: ALL_KINDS, retain: true, oneShot: false },
  'kl-uniform': { kinds: ALL_KINDS, retain: true, oneShot: false },
  'l1-sparse': { kinds: ALL_KINDS, retain: true, oneShot: false },
  'logit-mask': { kinds: 'class', retain: false, oneShot: true, filtering: true },
  ssd: { kinds: ALL_KINDS, retain: true, oneShot: true },
  fisher: { kinds: ALL_KINDS, retain: true, oneShot: true },
  salun: { kinds: ALL_KINDS, retain: true, oneShot: false },
  scrub: { kinds: ALL_KINDS, retain: true, oneShot: false },
  'boundary-shrink': { kinds: ALL_KINDS, retain: false, oneShot: false },
  // Fine-tunes a copy on D_f, then subtracts the scaled difference: one weight edit, but it trains to get it.
  'task-vector': { kinds: ALL_KINDS, retain: false, oneShot: false },
  // A trained GMN editor: one forward pass per request, no data at apply time; class requests only so far.
  gmn: { kinds: 'class', retain: false, oneShot: true },
};

const yes = (b) => (b ? '✓' : '–');

/** The cheatsheet's two tables as Markdown. */
export function cheatsheetMarkdown() {
  const graph = new Set(SUPPORTED_LAYERS);
  const keras = new Set(Object.keys(KERAS_IMPORTERS));
  const rows = LAYERS.map((d) => {
    const t = d.type;
    const perm = d.mixesNeurons ? 'permutes its neurons' : 'keeps neurons in place';
    return `| \`${t}\` | ${yes(graph.has(t))} | ${yes(t in LAYER_FORWARDS)} | safetensors ✓, Keras ${yes(keras.has(t))} | ${perm} |`;
  });
  const missing = METHODS.map((m) => m.name).filter((n) => !(n in METHOD_TRAITS));
  if (missing.length) throw new Error(`cheatsheet: add METHOD_TRAITS entries for ${missing.join(', ')} in apps/docs/scripts/cheatsheet.mjs`);
  const methods = METHODS.map((m) => {
    const t = METHOD_TRAITS[m.name];
    const note = t.exact ? ' (exact)' : t.filtering ? ' (filtering)' : '';
    return `| \`${m.name}\`${note} | ${m.description} | ${t.kinds} | ${yes(t.retain)} | ${yes(t.oneShot)} |`;
  });
  return [
    '## Layer types',
    '',
    `${LAYERS.length} layer types, read from \`LAYERS\` (@metanet/spec), \`SUPPORTED_LAYERS\` (@metanet/graph), \`LAYER_FORWARDS\` and \`KERAS_IMPORTERS\` (@metanet/nets) at build time.`,
    '',
    '| layer | graph | forward | import | permutation |',
    '|---|---|---|---|---|',
    ...rows,
    '',
    '## Unlearning methods',
    '',
    `${METHODS.length} methods, read from \`METHODS\` (@metanet/unlearning). "One-shot" means no training loop.`,
    '',
    '| method | what it does | request kinds | needs retain data | one-shot |',
    '|---|---|---|---|---|',
    ...methods,
    '',
  ].join('\n');
}
