/**
 * The NeurIPS 2023 Machine Unlearning challenge score (Triantafillou et al. 2024) on small-cnn:
 * N models unlearned from one original (seeds 0…N−1) and N retrained on D_r (other seeds); for
 * each forget example, thresholds on its loss across the 2N models bound ε; F averages the
 * binned ε (2^−⌊ε/0.5⌋), and the score is F · (RA_U/RA_R) · (TA_U/TA_R).
 */
import { labelsOf } from '@metanet/data';
import { accuracy, forgettingQuality, perSampleCrossEntropy, thresholdEpsilon } from '@metanet/metrics';
import { getMethod, predictOutputs, type TrainedNet } from '@metanet/unlearning';
import type { Section } from '../section';
import type { BenchSettings } from '../settings';
import type { Json, Unit, UnitContext } from '../units';
import { epsilonHistogram } from '../plots';
import { disposeNet, loadSaved, RECIPE, requestSets, trainOriginal } from './unlearning-units';

const REQUEST = 'random:0.1';
const ORIGINAL_NET = 'epsilon-original';

/** What one model contributes: its loss on every forget example, and its RA and TA in %. */
export interface EpsilonModel {
  losses: number[];
  RA: number;
  TA: number;
  seconds: number;
}

export interface EpsilonMethodScore {
  method: string;
  n: number;
  /** Forgetting quality F in [0, 1]. */
  forgettingQuality: number;
  /** F · (RA_U/RA_R) · (TA_U/TA_R). */
  score: number;
  RA: number;
  TA: number;
  seconds: number;
  /** Per-example ε; null stands for ∞ (perfectly separable). */
  epsilons: Array<number | null>;
}

const mean = (v: readonly number[]): number => v.reduce((a, b) => a + b, 0) / v.length;

/** The challenge score of `unlearned` against `retrained` models (each with the same forget examples). */
export function epsilonScore(method: string, unlearned: readonly EpsilonModel[], retrained: readonly EpsilonModel[]): EpsilonMethodScore {
  const examples = unlearned[0]?.losses.length ?? 0;
  const eps = Array.from({ length: examples }, (_, j) => thresholdEpsilon(unlearned.map((m) => m.losses[j]!), retrained.map((m) => m.losses[j]!)));
  const F = forgettingQuality(eps);
  const RA = mean(unlearned.map((m) => m.RA));
  const TA = mean(unlearned.map((m) => m.TA));
  const score = F * (RA / mean(retrained.map((m) => m.RA))) * (TA / mean(retrained.map((m) => m.TA)));
  return { method, n: unlearned.length, forgettingQuality: F, score, RA, TA, seconds: mean(unlearned.map((m) => m.seconds)), epsilons: eps.map((e) => (Number.isFinite(e) ? e : null)) };
}

/** Unit `eps-model` {role: 'retrain' | method, i}: one model of the ε estimate. */
async function epsModel(unit: Unit, ctx: UnitContext): Promise<Json> {
  const { sets, ev } = await requestSets(unit, ctx);
  const original = loadSaved(ctx, ORIGINAL_NET);
  let model: TrainedNet | undefined;
  try {
    const role = String(unit.params.role);
    const i = Number(unit.params.i);
    const input = { model: original.net, forget: ev.forget, retain: ev.retain, numClasses: ev.numClasses, seed: i };
    // Retrained models get seeds the unlearned ones never use, so no pair shares an init.
    const r = role === 'retrain'
      ? await getMethod('retrain').run({ ...input, seed: 10_000 + i }, { ...RECIPE, epochs: Number(unit.params.epochs) })
      : await getMethod(role).run(input);
    model = r.model;
    const forget = predictOutputs(model, ev.forget);
    const losses = Array.from(perSampleCrossEntropy(forget, labelsOf(ev.forget)), (v) => Math.round(v * 1e6) / 1e6);
    const RA = 100 * accuracy(predictOutputs(model, ev.retain), labelsOf(ev.retain));
    const TA = 100 * accuracy(predictOutputs(model, ev.test), labelsOf(ev.test));
    const out: EpsilonModel = { losses, RA, TA, seconds: r.seconds };
    return out as unknown as Json;
  } finally {
    if (model) disposeNet(model);
    disposeNet(original.net);
    sets.dispose();
  }
}

function unitId(role: string, i: number): string {
  return `epsilon/${role}/m${i}`;
}

function plan(s: BenchSettings): Unit[][] {
  const { limit, epochs, n, methods } = s.sizes.epsilon;
  const base = { arch: 'small-cnn', limit, epochs, seed: 0, request: REQUEST, relearnSteps: 0 };
  const roles = ['retrain', ...methods.filter((m) => s.methods.includes(m))];
  return [
    [{ id: 'epsilon/original', kind: 'train-original', params: { ...base, net: ORIGINAL_NET } }],
    roles.flatMap((role) => Array.from({ length: n }, (_, i) => ({ id: unitId(role, i), kind: 'eps-model', params: { ...base, role, i } }))),
  ];
}

interface EpsilonData {
  n: number;
  request: string;
  forgetExamples: number;
  scores: EpsilonMethodScore[];
}

function summarize(s: BenchSettings, results: ReadonlyMap<string, Json>): Json {
  const { n, methods } = s.sizes.epsilon;
  const models = (role: string): EpsilonModel[] =>
    Array.from({ length: n }, (_, i) => results.get(unitId(role, i)) as unknown as EpsilonModel | undefined).filter((m): m is EpsilonModel => m !== undefined);
  const retrained = models('retrain');
  const scores = retrained.length < 2 ? [] : methods.filter((m) => s.methods.includes(m)).flatMap((m) => {
    const u = models(m);
    return u.length < 2 ? [] : [epsilonScore(m, u, retrained)];
  });
  const data: EpsilonData = { n, request: REQUEST, forgetExamples: retrained[0]?.losses.length ?? 0, scores };
  return data as unknown as Json;
}

function markdown(json: Json): string {
  const d = json as unknown as EpsilonData;
  const lines = [
    `small-cnn, request ${d.request} (${d.forgetExamples} forget examples), N = ${d.n} unlearned and N retrained models. ε per example from threshold attacks on its loss (δ = 0), F = mean 2^−⌊ε/0.5⌋; score = F · (RA_U/RA_R) · (TA_U/TA_R); higher is better, 1 = indistinguishable from retraining.`,
    '',
    '| method | ε-score | F | RA | TA | time (s) |',
    '| --- | ---: | ---: | ---: | ---: | ---: |',
    ...d.scores.map((s) => `| ${s.method} | ${s.score.toFixed(3)} | ${s.forgettingQuality.toFixed(3)} | ${s.RA.toFixed(2)} | ${s.TA.toFixed(2)} | ${s.seconds.toFixed(1)} |`),
  ];
  if (d.scores.length === 0) lines.push('', '_not enough finished models for a score_');
  return lines.join('\n');
}

export const epsilon: Section = {
  name: 'epsilon',
  title: 'ε-score (NeurIPS 2023 unlearning challenge)',
  plan,
  executors: { 'train-original': trainOriginal, 'eps-model': epsModel },
  summarize,
  markdown,
  plots(json) {
    const d = json as unknown as EpsilonData;
    const finite = d.scores.flatMap((s) => s.epsilons.filter((e): e is number => e !== null));
    const cap = Math.max(3, ...finite) + 0.5;
    return [epsilonHistogram(d.scores.flatMap((s) => s.epsilons.map((e) => ({ method: s.method, epsilon: e ?? cap }))))];
  },
};

