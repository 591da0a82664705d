/**
 * The unit executors the unlearning sections share (homework, methods, epsilon): train an
 * original, retrain gold, run one method. Nets a later unit needs are saved under
 * out/nets/<id>/ in the one bundle format, atomically, so a resumed run loads them.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { writeDirAtomic } from '@metanet/data/atomic';
import { datasetSize } from '@metanet/data';
import { initParams, loadNet, saveNet, train } from '@metanet/nets';
import { architecture } from '@metanet/spec';
import { initBackend, tf } from '@metanet/tensor';
import {
  buildRequest,
  createRelearnHook,
  evaluateModel,
  evaluationSets,
  getMethod,
  InvalidRequestError,
  parseRequest,
  type EvaluationSets,
  type ModelMetrics,
  type RequestSets,
  type TrainedNet,
} from '@metanet/unlearning';
import { loadTrainTest, type TrainTestData } from '../../datasets';
import type { Json, Unit, UnitContext } from '../units';

const cache = new Map<string, Promise<TrainTestData>>();

/** The run's dataset at `limit` training examples, loaded once per thread. */
export function dataFor(ctx: UnitContext, limit: number): Promise<TrainTestData> {
  const key = `${ctx.settings.dataset}:${limit}`;
  let p = cache.get(key);
  if (!p) {
    const { dataDir } = ctx.settings;
    p = initBackend().then(() => loadTrainTest(ctx.settings.dataset, { limit, seed: 0, ...(dataDir !== null && { dataDir }) }));
    cache.set(key, p);
  }
  return p;
}

/** The recipe every original and gold model trains with (the homework's: Adam 1e-3, batch 64). */
export const RECIPE = { batchSize: 64, lr: 1e-3, optimizer: 'adam' } as const;

function netDir(ctx: UnitContext, id: string): string {
  return join(ctx.out, 'nets', id);
}

/** Saves a net a later unit loads (`loadSaved`), atomically, with meta (its training seconds). */
export function storeNet(ctx: UnitContext, id: string, net: TrainedNet, meta: Record<string, unknown>): void {
  writeDirAtomic(netDir(ctx, id), (tmp) => saveNet(tmp, { spec: net.spec, params: net.params, buffers: net.buffers, meta }));
}

/** Loads a net an earlier unit saved; its meta carries the training seconds. */
export function loadSaved(ctx: UnitContext, id: string): { net: TrainedNet; seconds: number } {
  const dir = netDir(ctx, id);
  if (!existsSync(dir)) throw new Error(`net ${id} is missing from ${ctx.out}/nets; its unit must run first`);
  const n = loadNet(dir);
  return { net: { spec: n.spec, params: n.params, buffers: n.buffers }, seconds: Number(n.meta.seconds) };
}

export function disposeNet(n: TrainedNet): void {
  tf.dispose([...n.params, ...n.buffers]);
}

function str(unit: Unit, key: string): string {
  return String(unit.params[key]);
}
function num(unit: Unit, key: string): number {
  return Number(unit.params[key]);
}

/**
 * Unit `train-original` {arch, limit, epochs, seed, net, request?}: trains on the full training
 * set (with `request`, a trigger or feature request's altered set) and saves the net.
 */
export async function trainOriginal(unit: Unit, ctx: UnitContext): Promise<Json> {
  const data = await dataFor(ctx, num(unit, 'limit'));
  const [, h, , c] = data.train.images.shape;
  const spec = architecture(str(unit, 'arch'), { inChannels: c, inputSize: h, classes: data.train.classNames.length });
  const seed = num(unit, 'seed');
  const sets = unit.params.request === undefined ? undefined : buildRequest(parseRequest(str(unit, 'request')), data, seed);
  const init = initParams(spec, { seed });
  const t0 = performance.now();
  const r = await train(spec, init, sets ? sets.train.full : data.train, { ...RECIPE, epochs: num(unit, 'epochs'), seed }).finally(() => sets?.dispose());
  const seconds = (performance.now() - t0) / 1000;
  tf.dispose(init);
  const net = { spec, params: r.params, buffers: r.buffers };
  storeNet(ctx, str(unit, 'net'), net, { seconds });
  disposeNet(net);
  return { seconds, trainSize: datasetSize(data.train) };
}

/** The request's sets for a unit; the caller disposes them. */
export async function requestSets(unit: Unit, ctx: UnitContext): Promise<{ sets: RequestSets; ev: EvaluationSets; data: TrainTestData }> {
  const data = await dataFor(ctx, num(unit, 'limit'));
  const sets = buildRequest(parseRequest(str(unit, 'request')), data, num(unit, 'seed'));
  return { sets, ev: evaluationSets(sets), data };
}

/** The request's sets, or {notApplicable} when the request does not fit the run's dataset (concept:footwear on MNIST). */
async function applicableSets(unit: Unit, ctx: UnitContext): Promise<Awaited<ReturnType<typeof requestSets>> | { notApplicable: string }> {
  try {
    return await requestSets(unit, ctx);
  } catch (err) {
    if (err instanceof InvalidRequestError) return { notApplicable: err.message };
    throw err;
  }
}

function metricsJson(m: ModelMetrics): Json {
  return JSON.parse(JSON.stringify(m)) as Json;
}

/** Evaluates with the shared options: gold when given, a relearn hook when relearnSteps > 0. */
async function score(unit: Unit, ctx: UnitContext, model: TrainedNet, ev: EvaluationSets, gold?: TrainedNet): Promise<ModelMetrics> {
  const relearnSteps = num(unit, 'relearnSteps');
  const seed = num(unit, 'seed');
  const hook = relearnSteps > 0 ? createRelearnHook(ev, { seed, maxSteps: relearnSteps, evalEvery: 5 }) : undefined;
  try {
    return await evaluateModel(model, ev, { seed, maxRetain: ctx.settings.sizes.maxRetain, maxShadow: ctx.settings.sizes.maxShadow, ...(gold && { gold }), ...(hook && { relearn: hook.relearn }) });
  } finally {
    hook?.dispose();
  }
}

/**
 * Unit `gold` {…, request, original, net}: retrains on D_r with the original's recipe, saves it,
 * and scores both the original and gold on the request.
 */
export async function goldUnit(unit: Unit, ctx: UnitContext): Promise<Json> {
  const built = await applicableSets(unit, ctx);
  if ('notApplicable' in built) return built;
  const { sets, ev } = built;
  const original = loadSaved(ctx, str(unit, 'original'));
  let gold: TrainedNet | undefined;
  try {
    const r = await getMethod('retrain').run(
      { model: original.net, forget: ev.forget, retain: ev.retain, forgetClasses: ev.forgetClasses ?? [], numClasses: ev.numClasses, seed: num(unit, 'seed') },
      { ...RECIPE, epochs: num(unit, 'epochs') },
    );
    gold = r.model;
    storeNet(ctx, str(unit, 'net'), gold, { seconds: r.seconds });
    const goldMetrics = await score(unit, ctx, gold, ev, gold);
    const originalMetrics = await score(unit, ctx, original.net, ev, gold);
    return { seconds: r.seconds, originalSeconds: original.seconds, gold: metricsJson(goldMetrics), original: metricsJson(originalMetrics), sizes: sizes(ev) };
  } finally {
    if (gold) disposeNet(gold);
    disposeNet(original.net);
    sets.dispose();
  }
}

function sizes(ev: EvaluationSets): Json {
  return { forget: datasetSize(ev.forget), retain: datasetSize(ev.retain), test: datasetSize(ev.test) };
}

/**
 * Unit `method` {…, request, method, original, gold}: one method on one request, scored against
 * gold. A method that does not apply to the request kind (logit-mask on a random subset)
 * returns {notApplicable} instead of failing.
 */
export async function methodUnit(unit: Unit, ctx: UnitContext): Promise<Json> {
  const built = await applicableSets(unit, ctx);
  if ('notApplicable' in built) return built;
  const { sets, ev } = built;
  const original = loadSaved(ctx, str(unit, 'original'));
  const gold = loadSaved(ctx, str(unit, 'gold'));
  let model: TrainedNet | undefined;
  try {
    const input = { model: original.net, forget: ev.forget, retain: ev.retain, numClasses: ev.numClasses, seed: num(unit, 'seed'), ...(ev.forgetClasses && { forgetClasses: ev.forgetClasses }), ...(ev.requestKind && { requestKind: ev.requestKind }) };
    let r;
    try {
      r = await getMethod(str(unit, 'method')).run(input);
    } catch (err) {
      if (err instanceof InvalidRequestError) return { notApplicable: err.message };
      throw err;
    }
    model = r.model;
    const metrics = await score(unit, ctx, model, ev, gold.net);
    return { seconds: r.seconds, steps: r.steps, metrics: metricsJson(metrics) };
  } finally {
    if (model) disposeNet(model);
    disposeNet(original.net);
    disposeNet(gold.net);
    sets.dispose();
  }
}
