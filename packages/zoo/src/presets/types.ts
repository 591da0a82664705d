/** What a preset is: a dataset, a training protocol and a sampler of per-run architectures and hyperparameters. */
import type { Rng } from '@metanet/tensor';
import type { NetSpec } from '@metanet/spec';
import type { InitScheme, OptimizerKind } from '@metanet/nets';
import type { ZooHyperparams } from '../record';
import type { ZooDataset, ZooProtocol } from '../settings';

/** One run, as sampled from its seed: the net, how to initialise it and how to train it. */
export interface RunPlan {
  /** Architecture family, copied into every record of the run. */
  readonly arch: string;
  readonly spec: NetSpec;
  readonly init: { readonly scheme: InitScheme; readonly std: number };
  readonly optimizer: OptimizerKind;
  readonly lr: number;
  /** ℓ2 coefficient, applied as PyTorch's `weight_decay` (added to the gradient). */
  readonly l2: number;
  /** Fraction of the training pool the run trains on, drawn per run from its seed. */
  readonly trainFraction: number;
  /** Everything sampled, flat, for the records (and a hyperparameters-only baseline). */
  readonly hparams: ZooHyperparams;
}

/** A named recipe for a zoo. */
export interface ZooPreset {
  readonly name: string;
  readonly description: string;
  /**
   * Bumped whenever `sample` draws other plans for the same seeds. Written into `zoo.json` (`presetRevision`) when
   * set, so a zoo built before the change is refused as built with other settings instead of mixing two samplers.
   */
  readonly revision?: number;
  /** Runs built when `--runs` is not given. */
  readonly defaultRuns: number;
  readonly dataset: ZooDataset;
  readonly protocol: ZooProtocol;
  /** The `--quick` variant: a smaller protocol and run count (a separate zoo: its settings differ). */
  readonly quick: { readonly runs: number; readonly protocol: ZooProtocol; readonly dataset?: ZooDataset };
  /** Draws run `plan` from `rng` (seeded from the run's seed, so equal seeds give equal plans). */
  sample(rng: Rng, dataset: ZooDataset): RunPlan;
}

/** log-uniform on [lo, hi]. */
export function logUniform(rng: Rng, lo: number, hi: number): number {
  return Math.exp(Math.log(lo) + rng.uniform() * (Math.log(hi) - Math.log(lo)));
}

/** One element of `xs`, uniformly. */
export function pick<T>(rng: Rng, xs: readonly T[]): T {
  return xs[rng.int(xs.length)] as T;
}
