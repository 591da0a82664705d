/**
 * `metanet gmn-unlearn eval`: the GMN editor's evaluation protocol (@metanet/unlearning
 * `runProtocol`) on held-out nets × forget classes against gold and every baseline, with
 * a Markdown table, results JSON and the trade-off SVG written to --out.
 */
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { writeFileAtomic } from '@metanet/data/atomic';
import type { AnyMethod, HeldOutNet, ProtocolGold, ProtocolResult, TrainedNet } from '@metanet/unlearning';
import { disposeAll } from '../datasets';
import { CliUsageError } from '../errors';
import { int } from '../flags';
import { generateHeldOut, UNSEEN_SEEDS, UNSEEN_WIDTHS, widthRange } from '../gmn-held-out';
import { emit } from '../output';
import { protocolMarkdown, tradeoffSpec, trainingCurvesSpec, type LossStep } from '../plots/gmn-protocol';
import { renderSvg } from '../plots/render-svg';
import { createPhases } from '../progress';
import type { DataFlags } from './gmn-unlearn';

export interface EvalFlags extends DataFlags {
  editor?: string;
  zoo?: string;
  generate?: string;
  generateWide: string;
  widths: string;
  unseenWidths: string;
  epochs: string;
  goldEpochs: string;
  classes: string;
  methods: string;
  scales: string;
  relearnSteps: string;
  out?: string;
}

/** The baselines of `--methods`: 'all' is every registered method but retrain (gold's row) and gmn (the editor's). */
export function baselineMethods(list: string, u: typeof import('@metanet/unlearning')): AnyMethod[] {
  const names = list.trim() === 'all' ? u.methodNames().filter((n) => n !== 'retrain' && n !== 'gmn') : list.split(',').map((s) => s.trim()).filter((s) => s !== '' && s !== 'none');
  const bad = names.find((n) => n === 'retrain' || n === 'gmn');
  if (bad) throw new CliUsageError(`--methods ${bad} is always in the table (gold and the editor); list baselines only`);
  return names.map((n) => u.getMethod(n));
}

function camel(name: string): string {
  return name.replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

/** The JSON summary: `mean`/`std` per model over all pairs (camelCase names), the full summary and every pair. */
export function protocolJson(r: ProtocolResult, extra: Record<string, unknown>): Record<string, unknown> {
  const mean: Record<string, Record<string, number>> = {};
  const std: Record<string, Record<string, number>> = {};
  for (const row of r.summary.rows.filter((x) => x.group === 'all')) {
    const key = camel(row.method);
    mean[key] = Object.fromEntries(Object.entries(row.metrics).map(([k, v]) => [k, v.mean]));
    std[key] = Object.fromEntries(Object.entries(row.metrics).map(([k, v]) => [k, v.std]));
  }
  return { ...extra, pairs: r.pairs.length, mean, std, summary: r.summary, perPair: r.pairs, ...(r.warmupSeconds !== undefined && { warmupSeconds: r.warmupSeconds }) };
}

/** The loss history `gmn-unlearn train` saved in the editor's manifest (empty for editors saved without one). */
export function editorHistory(dir: string): LossStep[] {
  const file = join(dir, 'manifest.json');
  if (!existsSync(file)) return [];
  const meta = (JSON.parse(readFileSync(file, 'utf8')) as { meta?: { history?: unknown } }).meta;
  return Array.isArray(meta?.history) ? (meta.history as LossStep[]) : [];
}

async function heldOutNets(o: EvalFlags, train: import('@metanet/data').Dataset, netsInDir: (dir: string) => Promise<TrainedNet[]>): Promise<HeldOutNet[]> {
  const u = await import('@metanet/unlearning');
  const unseen = widthRange(o.unseenWidths, '--unseen-widths');
  if (o.zoo !== undefined) {
    const nets = await netsInDir(o.zoo);
    const goldEpochs = int(o.goldEpochs, '--gold-epochs', 1);
    return nets.map((net, i) => {
      const w = u.netWidth(net);
      return { id: `net${i}-w${w}`, net, group: w >= unseen[0] && w <= unseen[1] ? UNSEEN_WIDTHS : UNSEEN_SEEDS, recipe: { ...u.DEFAULT_GOLD_RECIPE, epochs: goldEpochs, seed: i } };
    });
  }
  const phases = createPhases(o.json);
  const common = { seed: int(o.seed, '--seed', 0), epochs: int(o.epochs, '--epochs', 1) };
  // Held-out seeds are offset from `train --generate`'s (seed 0) so no recipe repeats.
  const seen = await generateHeldOut(train, { ...common, seed: common.seed + 1000, count: int(o.generate!, '--generate', 1), widths: widthRange(o.widths, '--widths'), group: UNSEEN_SEEDS, prefix: 'seed', onNet: (i, t) => phases.phase('train held-out nets', t).update(i) });
  const wide = await generateHeldOut(train, { ...common, seed: common.seed + 2000, count: int(o.generateWide, '--generate-wide', 0), widths: unseen, group: UNSEEN_WIDTHS, prefix: 'wide', onNet: (i, t) => phases.phase('train unseen-width nets', t).update(i) });
  phases.stop();
  return [...seen, ...wide];
}

/** The eval action; `netsInDir` and `loadData` come from gmn-unlearn.ts. */
export async function evalAction(o: EvalFlags, deps: { netsInDir: (dir: string) => Promise<TrainedNet[]>; loadData: (o: DataFlags) => Promise<{ train: import('@metanet/data').Dataset; test: import('@metanet/data').Dataset; description: string }> }): Promise<void> {
  if ((o.zoo === undefined) === (o.generate === undefined)) throw new CliUsageError('pass exactly one of --zoo DIR and --generate N');
  const classes = o.classes.split(',').map((c) => int(c.trim(), '--classes', 0));
  const scales = o.scales.split(',').map((s) => Number(s.trim()));
  if (scales.some((s) => !Number.isFinite(s))) throw new CliUsageError(`--scales must be comma-separated numbers, got "${o.scales}"`);
  const relearnSteps = int(o.relearnSteps, '--relearn-steps', 0);
  const [{ initBackend, tf }, u] = await Promise.all([import('@metanet/tensor'), import('@metanet/unlearning')]);
  const methods = baselineMethods(o.methods, u);
  await initBackend();
  const editorDir = o.editor ?? u.shippedEditorDir();
  const editor = u.loadEditor(editorDir);
  const data = await deps.loadData(o);
  const k = data.train.classNames.length;
  const bad = classes.find((c) => c >= k);
  if (bad !== undefined) throw new CliUsageError(`--classes ${bad} is not a class of ${data.description} (0..${k - 1})`);
  const nets = await heldOutNets(o, data.train, deps.netsInDir);
  const phases = createPhases(o.json);
  const golds: ProtocolGold[] = [];
  try {
    for (const [i, cls] of classes.entries()) {
      for (const [j, net] of nets.entries()) {
        const bar = phases.phase('train gold', classes.length * nets.length);
        bar.update(i * nets.length + j, { net: net.id, class: cls });
        golds.push(await u.trainGold(net, cls, data.train));
      }
    }
    const r = await u.runProtocol({
      editor,
      nets,
      golds,
      methods,
      train: data.train,
      test: data.test,
      classes,
      scales,
      relearn: relearnSteps === 0 ? false : { maxSteps: relearnSteps, evalEvery: 5 },
      seed: int(o.seed, '--seed', 0),
      onScore: (p, t, model) => phases.phase('evaluate', t).update(p, { model }),
    });
    phases.stop();
    const md = protocolMarkdown(r.summary, r.pairs.length);
    const files: string[] = [];
    if (o.out !== undefined) {
      mkdirSync(o.out, { recursive: true });
      const json = protocolJson(r, { editor: editorDir, dataset: data.description, classes, methods: methods.map((m) => m.name) });
      writeFileAtomic(join(o.out, 'results.json'), `${JSON.stringify(json, null, 2)}\n`);
      writeFileAtomic(join(o.out, 'table.md'), `${md}\n`);
      writeFileAtomic(join(o.out, 'tradeoff.svg'), await renderSvg(tradeoffSpec(r.summary)));
      files.push('results.json', 'table.md', 'tradeoff.svg');
      const history = editorHistory(editorDir);
      if (history.length > 0) {
        writeFileAtomic(join(o.out, 'training-curves.svg'), await renderSvg(trainingCurvesSpec(history)));
        files.push('training-curves.svg');
      }
    }
    emit(o, protocolJson(r, { files }), () => `${md}\n\n${o.out !== undefined ? `wrote ${files.join(', ')} to ${o.out}` : 'pass --out DIR to write the table, results JSON and trade-off SVG'}`);
  } finally {
    phases.stop();
    u.disposeGolds(golds);
    for (const n of nets) tf.dispose([...n.net.params, ...n.net.buffers]);
    editor.dispose();
    disposeAll(data.train, data.test);
  }
}

/** Registers `gmn-unlearn eval` on the `gmn-unlearn` command. */
export function registerEval(cmd: Command, dataOptions: (c: Command) => Command, action: (o: EvalFlags) => Promise<void>): void {
  dataOptions(cmd.command('eval').description('the editor protocol: held-out nets × classes against gold and every baseline, with a table and the trade-off plot'))
    .option('--editor <dir>', 'saved editor (default: the one shipped with @metanet/unlearning, small-cnn on Fashion-MNIST)')
    .option('--zoo <dir>', 'directory of held-out saved nets (gold retrains with Adam 1e-3, batch 64, --gold-epochs)')
    .option('--generate <n>', 'instead of --zoo: train N held-out small-cnn nets of --widths (seeds and hyperparameters unseen by train --generate)')
    .option('--generate-wide <m>', 'with --generate: also train M nets of --unseen-widths', '0')
    .option('--widths <a-b>', 'widths of the --generate nets (the editor\'s training widths)', '8-20')
    .option('--unseen-widths <a-b>', 'widths reported as "unseen widths" (and of --generate-wide nets)', '22-24')
    .option('--epochs <n>', 'epochs per generated net', '2')
    .option('--gold-epochs <n>', 'epochs of gold for --zoo nets', '2')
    .option('--classes <list>', 'forget classes, comma-separated', '0,1,2')
    .option('--methods <list>', "baselines, comma-separated, 'all' (every registered method) or 'none'", 'all')
    .option('--scales <list>', 'scales on Δw for the trade-off curve', '0,0.25,0.5,0.75,1,1.25,1.5')
    .option('--relearn-steps <n>', 'relearn cap for AIN (0 = no relearn, no AIN)', '100')
    .option('--out <dir>', 'write results.json, table.md and tradeoff.svg here')
    .action(action);
}
