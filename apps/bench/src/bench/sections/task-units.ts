/**
 * The unit executors of a task request in the methods section (forget one head of a
 * multi-head net, see @metanet/unlearning src/task/). A task has no forget set of samples,
 * so its units do not go through `evaluateModel`: each model is scored by `evaluateTask`
 * (every head's test accuracy and the trunk probe for the forgotten head's labels).
 * Original and gold train through `trainTaskNet`, one code path with the original's recipe.
 */
import { architecture, InvalidSpecError, type NetSpec } from '@metanet/spec';
import { datasetSize } from '@metanet/data';
import { evaluateTask, MultiHeadNetError, trainTaskNet, unlearnTask, type TaskMetrics, type TrainedNet } from '@metanet/unlearning';
import type { Json, Unit, UnitContext } from '../units';
import { dataFor, disposeNet, loadSaved, RECIPE, storeNet } from './unlearning-units';
import type { TrainTestData } from '../../datasets';

/** The multi-head spec of a task unit on the run's dataset, or {notApplicable} when the heads do not fit it. */
function taskSpec(unit: Unit, data: TrainTestData): NetSpec | { notApplicable: string } {
  const [, h, , c] = data.train.images.shape;
  try {
    return architecture(String(unit.params.arch), { inChannels: c, inputSize: h, classes: data.train.classNames.length });
  } catch (err) {
    if (err instanceof InvalidSpecError) return { notApplicable: err.message };
    throw err;
  }
}

function metricsJson(m: TaskMetrics): Json {
  return JSON.parse(JSON.stringify(m)) as Json;
}

const num = (unit: Unit, key: string): number => Number(unit.params[key]);

/** What the gold and method units share: the data, the spec, the head, the seed and the saved original. */
async function taskInputs(unit: Unit, ctx: UnitContext): Promise<{ data: TrainTestData; spec: NetSpec; head: string; seed: number; original: { net: TrainedNet; seconds: number } } | { notApplicable: string }> {
  const data = await dataFor(ctx, num(unit, 'limit'));
  const spec = taskSpec(unit, data);
  if ('notApplicable' in spec) return spec;
  return { data, spec, head: String(unit.params.head), seed: num(unit, 'seed'), original: loadSaved(ctx, String(unit.params.original)) };
}

/** Unit `task-original` {arch, limit, epochs, seed, net}: trains the multi-head net on every head and saves it. */
export async function taskOriginalUnit(unit: Unit, ctx: UnitContext): Promise<Json> {
  const data = await dataFor(ctx, num(unit, 'limit'));
  const spec = taskSpec(unit, data);
  if ('notApplicable' in spec) return spec;
  const t0 = performance.now();
  const net = await trainTaskNet(spec, data.train, null, { ...RECIPE, epochs: num(unit, 'epochs'), seed: num(unit, 'seed') });
  const seconds = (performance.now() - t0) / 1000;
  storeNet(ctx, String(unit.params.net), net, { seconds });
  disposeNet(net);
  return { seconds, trainSize: datasetSize(data.train) };
}

/**
 * Unit `task-gold` {…, head, original, net}: trains gold (every head but `head`, from a fresh
 * initialisation), saves it, and scores gold and the original.
 */
export async function taskGoldUnit(unit: Unit, ctx: UnitContext): Promise<Json> {
  const inputs = await taskInputs(unit, ctx);
  if ('notApplicable' in inputs) return inputs;
  const { data, spec, head, seed, original } = inputs;
  let gold: TrainedNet | undefined;
  try {
    const t0 = performance.now();
    gold = await trainTaskNet(spec, data.train, head, { ...RECIPE, epochs: num(unit, 'epochs'), seed });
    const seconds = (performance.now() - t0) / 1000;
    storeNet(ctx, String(unit.params.net), gold, { seconds });
    return { seconds, originalSeconds: original.seconds, gold: metricsJson(evaluateTask(gold, data.test, head, { seed })), original: metricsJson(evaluateTask(original.net, data.test, head, { seed })) };
  } finally {
    if (gold) disposeNet(gold);
    disposeNet(original.net);
  }
}

/**
 * Unit `task-method` {…, head, method, original}: one task method (`unlearnTask`) on the
 * original, scored by `evaluateTask`. A method that assumes one head returns {notApplicable}.
 */
export async function taskMethodUnit(unit: Unit, ctx: UnitContext): Promise<Json> {
  const inputs = await taskInputs(unit, ctx);
  if ('notApplicable' in inputs) return inputs;
  const { data, head, seed, original } = inputs;
  let model: TrainedNet | undefined;
  try {
    let r;
    try {
      r = await unlearnTask(String(unit.params.method), { model: original.net, head, train: data.train, seed });
    } catch (err) {
      if (err instanceof MultiHeadNetError) return { notApplicable: err.message };
      throw err;
    }
    model = r.model;
    return { seconds: r.seconds, steps: r.steps, metrics: metricsJson(evaluateTask(model, data.test, head, { seed })) };
  } finally {
    if (model) disposeNet(model);
    disposeNet(original.net);
  }
}
