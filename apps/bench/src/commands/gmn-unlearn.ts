import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import type { Dataset } from '@metanet/data';
import type { TrainedNet } from '@metanet/unlearning';
import { DATASET_CHOICES, disposeAll, loadTrainTest } from '../datasets';
import { CliUsageError } from '../errors';
import { int, positive } from '../flags';
import { emit, table } from '../output';
import { createPhases } from '../progress';

interface DataFlags {
  dataset: string;
  dataDir?: string;
  limit?: string;
  seed: string;
  json?: boolean;
}

interface TrainFlags extends DataFlags {
  zoo?: string;
  generate?: string;
  epochs: string;
  steps: string;
  lr: string;
  hidden: string;
  layers: string;
  deletion: string;
  out: string;
}

interface ApplyFlags {
  editor: string;
  net: string;
  forgetClass: string;
  scale: string;
  out: string;
  json?: boolean;
}

interface EvalFlags extends DataFlags {
  editor: string;
  zoo?: string;
  generate?: string;
  epochs: string;
  classes: string;
  scale: string;
}

/** Every net bundle in `dir` (the directory itself, or its subdirectories holding a manifest.json), sorted by name. */
async function readZoo(dir: string): Promise<TrainedNet[]> {
  const { loadNet } = await import('@metanet/nets');
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new CliUsageError(`--zoo ${dir} is not a directory; pass a directory of saved nets`);
  if (existsSync(join(dir, 'manifest.json'))) return [loadNet(dir)];
  const subdirs = readdirSync(dir).filter((n) => existsSync(join(dir, n, 'manifest.json'))).sort();
  if (subdirs.length === 0) throw new CliUsageError(`no saved nets under ${dir}; pass a directory of net bundles (e.g. from metanet train --out ${dir}/<id>) or use --generate N`);
  return subdirs.map((n) => loadNet(join(dir, n)));
}

async function loadData(o: DataFlags): Promise<{ train: Dataset; test: Dataset; description: string }> {
  const seed = int(o.seed, '--seed', 0);
  const limit = o.limit === undefined ? undefined : int(o.limit, '--limit', 10);
  const data = await loadTrainTest(o.dataset, { seed, ...(limit !== undefined && { limit }), ...(o.dataDir !== undefined && { dataDir: o.dataDir }) });
  if (data.notice) process.stderr.write(`${data.notice}\n`);
  return data;
}

/** The nets to train or evaluate on: read from --zoo, or generated (temporary, until the zoo package lands). */
function checkSource(o: { zoo?: string; generate?: string }): void {
  if ((o.zoo === undefined) === (o.generate === undefined)) throw new CliUsageError('pass exactly one of --zoo DIR and --generate N');
  if (o.generate !== undefined) int(o.generate, '--generate', 1);
}

async function netsFrom(o: { zoo?: string; generate?: string; epochs: string; seed: string; json?: boolean }, train: Dataset, seedOffset: number): Promise<TrainedNet[]> {
  if (o.zoo !== undefined) return readZoo(o.zoo);
  const count = int(o.generate!, '--generate', 1);
  const { generateEditorZoo } = await import('@metanet/unlearning');
  const phases = createPhases(o.json);
  const nets = await generateEditorZoo({
    dataset: train,
    count,
    seed: int(o.seed, '--seed', 0) + seedOffset,
    epochs: int(o.epochs, '--epochs', 1),
    onNet: (i, total, r) => phases.phase('train nets', total).update(i, { width: r.width, opt: r.optimizer }),
  });
  phases.stop();
  return nets.map((n) => n.net);
}

function disposeNets(nets: readonly TrainedNet[], tf: typeof import('@metanet/tensor').tf): void {
  for (const n of nets) tf.dispose([...n.params, ...n.buffers]);
}

const dataOptions = (c: Command): Command =>
  c
    .option('--dataset <name>', DATASET_CHOICES.join(', '), 'fashion-mnist')
    .option('--data-dir <dir>', 'dataset directory (default: auto-detect or METANET_DATA_DIR)')
    .option('--limit <k>', 'use only the first K training (and test) examples')
    .option('--seed <s>', 'seed', '0')
    .option('--json', 'machine-readable output');

async function trainAction(o: TrainFlags): Promise<void> {
  checkSource(o);
  const steps = int(o.steps, '--steps', 1);
  const lr = positive(o.lr, '--lr');
  const hidden = int(o.hidden, '--hidden', 1);
  const layers = int(o.layers, '--layers', 0);
  const deletion = Number(o.deletion);
  if (!(deletion >= 0)) throw new CliUsageError(`--deletion must be a weight ≥ 0, got "${o.deletion}"`);
  const [{ initBackend, tf }, u] = await Promise.all([import('@metanet/tensor'), import('@metanet/unlearning')]);
  await initBackend();
  const data = await loadData(o);
  const nets = await netsFrom(o, data.train, 0);
  const phases = createPhases(o.json);
  const bar = phases.phase('train editor', steps);
  const r = u.trainEditor({
    nets,
    dataset: data.train,
    numClasses: data.train.classNames.length,
    steps,
    lr,
    config: { hidden, layers, seed: int(o.seed, '--seed', 0) },
    loss: { deletion },
    seed: int(o.seed, '--seed', 0),
    onStep: (s, _t, p) => bar.update(s, { retain: p.retain, forget: p.forget, probe: p.probe }),
  });
  phases.stop();
  const last = r.history.slice(-Math.min(50, r.history.length));
  const mean = (k: 'retain' | 'forget' | 'probe'): number => last.reduce((s, p) => s + p[k], 0) / last.length;
  const budget = { steps: r.steps, seconds: r.seconds, edgesPerStep: r.edgesPerStep, nets: nets.length, dataset: data.description };
  u.saveEditor(o.out, r.editor, { budget, loss: { ...u.DEFAULT_EDITOR_LOSS, deletion }, lr });
  const summary = { out: o.out, family: r.editor.info.family, budget, last50: { retainKl: mean('retain'), forgetKl: mean('forget'), probe: mean('probe') } };
  emit(o, summary, () =>
    [
      `saved the editor to ${o.out} (family ${summary.family})`,
      `budget: ${r.steps} steps on ${nets.length} nets, ${r.seconds.toFixed(1)} s, ${Math.round(r.edgesPerStep)} edges per step`,
      `last ${last.length} steps: retain KL ${mean('retain').toFixed(4)}, forget KL ${mean('forget').toFixed(4)}, probe score ${mean('probe').toFixed(3)}`,
    ].join('\n'),
  );
  r.editor.dispose();
  disposeNets(nets, tf);
  disposeAll(data.train, data.test);
}

async function applyAction(o: ApplyFlags): Promise<void> {
  const forgetClass = int(o.forgetClass, '--forget-class', 0);
  const scale = Number(o.scale);
  if (!Number.isFinite(scale)) throw new CliUsageError(`--scale must be a number, got "${o.scale}"`);
  const [{ initBackend, tf }, { loadNet, saveNet }, u] = await Promise.all([import('@metanet/tensor'), import('@metanet/nets'), import('@metanet/unlearning')]);
  await initBackend();
  const editor = u.loadEditor(o.editor);
  const net = loadNet(o.net);
  const t0 = performance.now();
  const edited = u.applyEditor(editor, net, [forgetClass], { scale });
  const seconds = (performance.now() - t0) / 1000;
  saveNet(o.out, { ...edited, meta: { ...net.meta, unlearning: { method: 'gmn', editor: o.editor, forgetClass, scale, seconds } } });
  emit(o, { out: o.out, forgetClass, scale, seconds }, () => `forgot class ${forgetClass} in ${(seconds * 1000).toFixed(1)} ms; saved the edited net to ${o.out}`);
  tf.dispose([...net.params, ...net.buffers, ...edited.params, ...edited.buffers]);
  editor.dispose();
}

async function evalAction(o: EvalFlags): Promise<void> {
  checkSource(o);
  const classes = o.classes.split(',').map((c) => int(c.trim(), '--classes', 0));
  const scale = Number(o.scale);
  if (!Number.isFinite(scale)) throw new CliUsageError(`--scale must be a number, got "${o.scale}"`);
  const [{ initBackend, tf }, u] = await Promise.all([import('@metanet/tensor'), import('@metanet/unlearning')]);
  await initBackend();
  const editor = u.loadEditor(o.editor);
  const data = await loadData(o);
  const k = data.train.classNames.length;
  const bad = classes.find((c) => c >= k);
  if (bad !== undefined) throw new CliUsageError(`--classes ${bad} is not a class of ${data.description} (0..${k - 1})`);
  // Generated held-out nets use other seeds than `train --generate` (offset 1000).
  const nets = await netsFrom(o, data.train, 1000);
  const phases = createPhases(o.json);
  const r = await u.evaluateEditor({ editor, nets, train: data.train, test: data.test, classes, scale, seed: int(o.seed, '--seed', 0), onPair: (d, t) => phases.phase('evaluate', t).update(d) });
  phases.stop();
  const f = (m: number, s: number, pct = true): string => (pct ? `${m.toFixed(1)} ± ${s.toFixed(1)}` : `${m.toFixed(3)} ± ${s.toFixed(3)}`);
  emit(o, r, () => {
    const rows = [['model', 'forget acc', 'retain acc', 'test-forget', 'test-retain', 'probe AUC', 'LR-MIA']];
    for (const key of ['original', 'gmn', 'logitMask'] as const) {
      const m = r.mean[key];
      const s = r.std[key];
      rows.push([key === 'logitMask' ? 'logit-mask' : key, f(m.forgetAcc, s.forgetAcc), f(m.retainAcc, s.retainAcc), f(m.testForgetAcc, s.testForgetAcc), f(m.testRetainAcc, s.testRetainAcc), f(m.probeAuc, s.probeAuc, false), f(m.lrMia, s.lrMia, false)]);
    }
    return `${table(rows)}\n${r.pairs} (net, class) pairs; one edit takes ${(r.editSeconds * 1000).toFixed(1)} ms`;
  });
  editor.dispose();
  disposeNets(nets, tf);
  disposeAll(data.train, data.test);
}

/** `metanet gmn-unlearn train|apply|eval`: the GMN unlearner. */
export function register(program: Command): void {
  const cmd = program.command('gmn-unlearn').description('train, apply and evaluate the GMN unlearner (one forward pass forgets a class)');
  dataOptions(cmd.command('train').description('train an editor on a zoo of trained classifiers'))
    .option('--zoo <dir>', 'directory of saved nets to train on')
    .option('--generate <n>', 'instead of --zoo: train N small-cnn nets (widths 8–24, varied optimisers and lr) first; temporary until the zoo package lands')
    .option('--epochs <n>', 'epochs per generated net', '2')
    .option('--steps <n>', 'editor training steps', '300')
    .option('--lr <lr>', 'editor Adam learning rate', '0.001')
    .option('--hidden <h>', 'editor hidden width', '32')
    .option('--layers <l>', 'editor MetaLayers', '3')
    .option('--deletion <w>', 'weight of the ridge-probe deletion term (0 = off, the ablation)', '8')
    .requiredOption('--out <dir>', 'directory to save the editor to')
    .action(trainAction);
  cmd
    .command('apply')
    .description('forget a class of a saved net with a saved editor')
    .requiredOption('--editor <dir>', 'saved editor')
    .requiredOption('--net <dir>', 'saved net')
    .requiredOption('--forget-class <c>', 'class to forget')
    .option('--scale <s>', 'multiplies Δw', '1')
    .requiredOption('--out <dir>', 'directory for the edited net')
    .option('--json', 'machine-readable output')
    .action(applyAction);
  dataOptions(cmd.command('eval').description('score an editor on held-out nets against the original and logit-mask'))
    .requiredOption('--editor <dir>', 'saved editor')
    .option('--zoo <dir>', 'directory of held-out saved nets')
    .option('--generate <n>', 'instead of --zoo: train N held-out small-cnn nets (seeds unseen by train --generate)')
    .option('--epochs <n>', 'epochs per generated net', '2')
    .option('--classes <list>', 'forget classes, comma-separated', '0,1,2')
    .option('--scale <s>', 'multiplies Δw', '1')
    .action(evalAction);
}
