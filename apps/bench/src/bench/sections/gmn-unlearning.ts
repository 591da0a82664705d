/**
 * The GMN unlearner: an editor trained in the section itself on a few small-cnn nets of the
 * training widths, then @metanet/unlearning's protocol on held-out nets (unseen seeds and
 * hyperparameters, and unseen widths) × forget classes, against gold and a few baselines.
 * Units: the editor, then one unit per held-out net (its training, its golds, its pairs), so
 * a rerun resumes per net. The table, the trade-off curve and the editor's training curves
 * go into the report.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeDirAtomic } from '@metanet/data/atomic';
import { editorZooGold, loadEditor, runProtocol, saveEditor, shippedEditorDir, summarizeProtocol, trainEditor, trainGold, disposeGolds, generateEditorZoo, type GoldNet, type ProtocolGold, type ProtocolPair, type ProtocolSummary } from '@metanet/unlearning';
import { getMethod } from '@metanet/unlearning';
import { tf } from '@metanet/tensor';
import { generateHeldOut, UNSEEN_SEEDS, UNSEEN_WIDTHS } from '../../gmn-held-out';
import { protocolMarkdown, tradeoffSpec, trainingCurvesSpec, type LossStep } from '../../plots/gmn-protocol';
import type { Section } from '../section';
import type { BenchSettings, GmnSizes } from '../settings';
import type { Json, Unit, UnitContext } from '../units';
import { dataFor, disposeNet } from './unlearning-units';

const EDITOR_NET = 'gmn-editor';
const HISTORY_POINTS = 200;

function sizes(s: BenchSettings): GmnSizes {
  return s.sizes.gmn;
}

function heldOutUnits(g: GmnSizes): Unit[] {
  const groups = [
    ...Array.from({ length: g.heldOut }, (_, i) => ({ group: UNSEEN_SEEDS, index: i, seed: 1000 + i, widths: g.trainWidths })),
    ...Array.from({ length: g.heldOutWide }, (_, i) => ({ group: UNSEEN_WIDTHS, index: i, seed: 2000 + i, widths: g.unseenWidths })),
  ];
  return groups.map((h) => ({
    id: `gmn-unlearning/pair/${h.group === UNSEEN_SEEDS ? 'seed' : 'wide'}${h.index}`,
    kind: 'gmn-held-out',
    params: { group: h.group, seed: h.seed, widths: h.widths, prefix: h.group === UNSEEN_SEEDS ? 'seed' : 'wide', index: h.index },
  }));
}

/** Unit `gmn-editor`: trains the nets, their golds and the editor, saves it under nets/, returns its budget and loss history. */
async function editorUnit(_unit: Unit, ctx: UnitContext): Promise<Json> {
  const g = sizes(ctx.settings);
  const data = await dataFor(ctx, g.limit);
  const nets = await generateEditorZoo({ dataset: data.train, count: g.trainNets, seed: 0, epochs: g.epochs, widths: g.trainWidths });
  const gold: GoldNet[] = [];
  try {
    for (const [net, n] of nets.entries()) for (const forgetClass of g.goldClasses) gold.push({ net, forgetClass, model: await editorZooGold(n.recipe, data.train, forgetClass) });
    const r = trainEditor({
      nets: nets.map((n) => n.net),
      dataset: data.train,
      numClasses: data.train.classNames.length,
      steps: g.steps,
      config: { hidden: g.hidden, layers: g.layers, seed: 0 },
      loss: g.loss,
      seed: 0,
      ...(g.goldClasses.length > 0 && { gold, classes: g.goldClasses }),
    });
    if (g.calibratedScale !== null) r.editor.info = { ...r.editor.info, scale: g.calibratedScale };
    const dir = join(ctx.out, 'nets', EDITOR_NET);
    writeDirAtomic(dir, (tmp) => saveEditor(tmp, r.editor, { budget: { steps: r.steps, seconds: r.seconds }, loss: g.loss }));
    r.editor.dispose();
    const every = Math.max(1, Math.ceil(r.history.length / HISTORY_POINTS));
    const history = r.history.filter((_, i) => i % every === 0).map((p) => ({ retain: p.retain, forget: p.forget, probe: p.probe, deletion: p.deletion }));
    return { steps: r.steps, seconds: r.seconds, edgesPerStep: r.edgesPerStep, nets: nets.length, golds: gold.length, shipped: reproducesShipped(dir), history };
  } finally {
    nets.forEach((n) => disposeNet(n.net));
    gold.forEach((x) => disposeNet(x.model));
  }
}

/** Whether a saved editor holds the shipped editor's weights, bit for bit (false when this install has none). */
function reproducesShipped(dir: string): boolean {
  let shipped: string;
  try {
    shipped = shippedEditorDir();
  } catch {
    return false;
  }
  const hash = (d: string): string => createHash('sha256').update(readFileSync(join(d, 'weights.bin'))).digest('hex');
  return hash(dir) === hash(shipped);
}

/** Unit `gmn-held-out`: one held-out net, its golds and the protocol on its (net, class) pairs. */
async function heldOutUnit(unit: Unit, ctx: UnitContext): Promise<Json> {
  const g = sizes(ctx.settings);
  const data = await dataFor(ctx, g.limit);
  const p = unit.params as { group: string; seed: number; widths: [number, number]; prefix: string; index: number };
  const [net] = await generateHeldOut(data.train, { count: 1, seed: p.seed, epochs: g.epochs, widths: p.widths, group: p.group, prefix: `${p.prefix}${p.index}-` });
  const editor = loadEditor(join(ctx.out, 'nets', EDITOR_NET));
  const golds: ProtocolGold[] = [];
  try {
    for (const cls of g.classes) golds.push(await trainGold(net!, cls, data.train));
    const r = await runProtocol({
      editor,
      nets: [net!],
      golds,
      methods: g.methods.map((m) => getMethod(m)),
      train: data.train,
      test: data.test,
      classes: g.classes,
      relearn: g.relearnSteps === 0 ? false : { maxSteps: g.relearnSteps, evalEvery: 5 },
      maxRetain: ctx.settings.sizes.maxRetain,
      maxShadow: ctx.settings.sizes.maxShadow,
    });
    return JSON.parse(JSON.stringify({ pairs: r.pairs })) as Json;
  } finally {
    disposeGolds(golds);
    tf.dispose([...net!.net.params, ...net!.net.buffers]);
    editor.dispose();
  }
}

/** The section's results.json data. */
export interface GmnData {
  arch: string;
  limit: number;
  epochs: number;
  classes: number[];
  methods: string[];
  pairs: number;
  /** `golds`: gold nets it trained against; `shipped`: its weights equal the shipped editor's, bit for bit. */
  editor: { steps: number; seconds: number; edgesPerStep: number; nets: number; golds: number; shipped: boolean; history: LossStep[] } | null;
  summary: ProtocolSummary;
}

export const gmnUnlearning: Section = {
  name: 'gmn-unlearning',
  title: 'GMN unlearner on held-out nets (small-cnn)',
  plan: (s) => [[{ id: 'gmn-unlearning/editor', kind: 'gmn-editor', params: {} }], heldOutUnits(sizes(s))],
  executors: { 'gmn-editor': editorUnit, 'gmn-held-out': heldOutUnit },
  summarize(s, results) {
    const g = sizes(s);
    const editor = (results.get('gmn-unlearning/editor') as GmnData['editor'] | undefined) ?? null;
    const pairs = heldOutUnits(g).flatMap((u) => ((results.get(u.id) as { pairs: ProtocolPair[] } | undefined)?.pairs ?? []));
    const data: GmnData = { arch: 'small-cnn', limit: g.limit, epochs: g.epochs, classes: g.classes, methods: g.methods, pairs: pairs.length, editor, summary: summarizeProtocol(pairs) };
    return JSON.parse(JSON.stringify(data)) as Json;
  },
  markdown(data) {
    const d = data as unknown as GmnData;
    const e = d.editor;
    const head = [
      `Editor: trained here on ${e?.nets ?? '—'} small-cnn nets and ${e?.golds ?? '—'} golds for ${e?.steps ?? '—'} steps (${e ? e.seconds.toFixed(1) : '—'} s, ${e ? Math.round(e.edgesPerStep) : '—'} edges per step)${e?.shipped ? ", the shipped editor's weights bit for bit" : ''}; nets and gold: ${d.limit.toLocaleString('en-US')} training images, ${d.epochs} epochs; forget classes ${d.classes.join(', ')}; baselines ${d.methods.join(', ')}.`,
    ];
    return d.pairs === 0 ? `${head[0]}\n\n_no finished units_` : `${head[0]}\n\n${protocolMarkdown(d.summary, d.pairs)}`;
  },
  plots(data) {
    const d = data as unknown as GmnData;
    const out = [];
    if (d.pairs > 0) out.push({ name: 'gmn-unlearning-tradeoff', title: 'gmn-unlearning: forget vs retain as the scale on Δw varies (gold = cross)', spec: tradeoffSpec(d.summary) });
    if (d.editor && d.editor.history.length > 0) out.push({ name: 'gmn-unlearning-training', title: "gmn-unlearning: the editor's training curves", spec: trainingCurvesSpec(d.editor.history) });
    return out;
  },
};
