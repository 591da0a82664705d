/**
 * The unlearning method contract. Every method (A's baselines and B's SalUn,
 * SCRUB, Boundary Shrink, SSD, Fisher) implements `UnlearningMethod`, so the
 * evaluation harness, the protocol script and the CLI treat them alike.
 */
import type { tf } from '@metanet/tensor';
import type { NetSpec } from '@metanet/spec';
import type { Dataset } from '@metanet/data';
import type { RequestKind } from './requests/types';

/**
 * A trained classifier as plain tensors: params in `paramInfos(spec)` order,
 * buffers (BN running statistics) in `bufferInfos(spec)` order.
 */
export interface TrainedNet {
  spec: NetSpec;
  params: tf.Tensor[];
  buffers: tf.Tensor[];
}

/** What a method is asked to do: forget `forget` while keeping `retain`. */
export interface UnlearnInput {
  /** The original; a method never mutates or disposes it. */
  model: TrainedNet;
  /** D_f (train split). */
  forget: Dataset;
  /** D_r (train split). */
  retain: Dataset;
  /** Set for class-wise requests (some methods use it). */
  forgetClasses?: number[];
  /** The request's kind; methods that cannot serve a kind refuse it (e.g. relabelling methods on a feature request). */
  requestKind?: RequestKind;
  numClasses: number;
  seed: number;
  /** Called as the method progresses: steps done of the total. */
  onProgress?: (done: number, total: number) => void;
}

/**
 * A method's output. `model` holds fresh tensors owned by the caller (dispose
 * them when done); `steps` counts optimiser steps (0 for training-free
 * methods); `seconds` is wall-clock time of `run`, used for RTE.
 */
export interface UnlearnResult {
  model: TrainedNet;
  steps: number;
  seconds: number;
}

/**
 * An unlearning method. `H` is its hyperparameter record; `defaults` are the
 * documented values that work on Fashion-MNIST with homework-cnn, and `run`
 * merges `hp` over them.
 */
export interface UnlearningMethod<H extends object = Record<string, number | boolean | string>> {
  /** CLI name, e.g. 'salun'. */
  readonly name: string;
  readonly description: string;
  /** Documented hyperparameters that work on Fashion-MNIST with homework-cnn. */
  readonly defaults: H;
  /** Whether the method trains D_f toward new labels, so it refuses feature requests (see `checkMethodServes`). */
  readonly relabelsForget?: boolean;
  /** Unlearns `input`'s request from its model with `hp` over the defaults; the result is timed. */
  run(input: UnlearnInput, hp?: Partial<H>): Promise<UnlearnResult>;
}
