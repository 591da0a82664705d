/**
 * Forget requests as plain data (JSON-serialisable), and the sets a request
 * builds. A request plus a seed determines every split bit for bit.
 */
import type { Dataset } from '@metanet/data';

/** Forget every sample of these classes. */
export interface ClassRequest {
  kind: 'class';
  classes: number[];
}

/** Forget a random subset of the training set: `fraction` in (0, 1) (at least one sample) or an absolute `size`. */
export interface RandomRequest {
  kind: 'random';
  fraction?: number;
  size?: number;
}

/** Forget a random `fraction` in (0, 1) of one class's training samples (at least one). */
export interface SubpopulationRequest {
  kind: 'subpopulation';
  class: number;
  fraction: number;
}

/** Where the trigger patch sits: a corner, or the top-left pixel of the patch. */
export type PatchPosition = 'bottom-right' | 'top-left' | 'top-right' | 'bottom-left' | { row: number; col: number };

/** A square patch written into every channel of an image. */
export interface TriggerPatch {
  /** Side in pixels. */
  size: number;
  /** Value written into the (normalised) image. */
  value: number;
  position: PatchPosition;
}

/**
 * Feature (trigger) unlearning: `fraction` of the training images, drawn from
 * classes other than `targetClass`, carry `patch` and are relabelled to
 * `targetClass` (a backdoor). D_f is those poisoned samples; the original is
 * trained on the poisoned set; the metric is the attack success rate on
 * patched test images of the other classes.
 */
export interface TriggerRequest {
  kind: 'trigger';
  fraction: number;
  targetClass: number;
  patch: TriggerPatch;
}

/**
 * Forget one task of a multi-head net: head `head`, and what the shared trunk
 * holds only for it. Gold is the same net trained on the other heads alone
 * (head `head` left at its initialisation). The forget target is a head, not
 * samples: the forget and retain sets are the whole split (see src/task/).
 */
export interface TaskRequest {
  kind: 'task';
  head: string;
}

/**
 * Feature unlearning (Warnecke et al., NDSS 2023): a synthetic attribute (a
 * `patch`, e.g. a watermark) is stamped on `fraction` of the training images
 * of `class`, which keep their labels, so the feature correlates with the
 * class. The original is trained on the stamped set; D_f is the stamped
 * images; gold is trained on the same data with the images restored (the clean
 * set, which is also D_r: Warnecke's replacement of Z by Z̃).
 */
export interface FeatureRequest {
  kind: 'feature';
  /** The feature's name, e.g. 'watermark' (labels only; the pixels are `patch`). */
  feature: string;
  class: number;
  fraction: number;
  patch: TriggerPatch;
}

/**
 * Concept unlearning: forget the samples a predicate selects, a concept that
 * is not a label. Either named (`name`, e.g. 'footwear': a set of class names
 * resolved against the dataset's) or explicit sample indices (`indices`, read
 * from a JSON file by the caller; `file` records where they came from).
 */
export interface ConceptRequest {
  kind: 'concept';
  /** A named concept of `CONCEPTS`, e.g. 'footwear'. */
  name?: string;
  /** Training-set indices of the concept's samples, and optionally test-set ones. */
  indices?: { train: number[]; test?: number[] };
  /** The index file `indices` came from (`concept:@file.json`); set alone until the file is read. */
  file?: string;
}

/** A forget request: class, random, sub-population, trigger, feature, concept or task. */
export type ForgetRequest = ClassRequest | RandomRequest | SubpopulationRequest | TriggerRequest | FeatureRequest | ConceptRequest | TaskRequest;

/** The name of a request kind, e.g. 'class'. */
export type RequestKind = ForgetRequest['kind'];

/** Forget/retain sets of one split. */
export interface SplitSets {
  forget: Dataset;
  retain: Dataset;
}

/**
 * Everything a request builds. Datasets created here are owned by this object
 * (`dispose()` frees them); the caller's input datasets are never disposed.
 */
export interface RequestSets {
  request: ForgetRequest;
  seed: number;
  numClasses: number;
  /** Set for class-wise requests (the classes forgotten). */
  forgetClasses?: number[];
  /** Set for task requests: the head forgotten. */
  forgetHead?: string;
  /** Training split. `full` is what the original is trained on (poisoned for trigger requests). */
  train: SplitSets & { full: Dataset };
  /** Validation split, when a val set was given; same rule as `test`. */
  val?: Partial<SplitSets> & { full: Dataset };
  /**
   * Test split. `forget`/`retain` hold: class-wise: the test samples of the
   * forgotten classes / the others; sub-population: the test samples of the
   * class / the others; trigger: patched test images of the classes other than
   * the target, labelled with the target (so accuracy on them is the attack
   * success rate) / the clean test set. Random and task requests have neither.
   */
  test: Partial<SplitSets> & { full: Dataset };
  /** Feature requests: the held-out test images where the feature misleads, with and without it. */
  feature?: FeatureProbeSets;
  /** Concept requests: concept membership (1) of each `test.full` sample, for the concept probe. */
  concept?: { testMembership: Int32Array };
  /** Frees the datasets this object created (never the caller's inputs). */
  dispose(): void;
}

/**
 * What feature reliance is measured on: the test images of the classes other
 * than the feature's, clean and stamped (true labels on both), and the
 * feature's pixel mask (H·W·C, 1 on the feature).
 */
export interface FeatureProbeSets {
  clean: Dataset;
  stamped: Dataset;
  /** The class the feature is correlated with. */
  featureClass: number;
  mask: Float32Array;
}
