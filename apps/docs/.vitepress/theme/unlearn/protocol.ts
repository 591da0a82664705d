/** Messages between the unlearning page and its worker (the worker runs tfjs, so the page stays responsive). */

/**
 * The methods the page offers: the GMN editor shipped with @metanet/unlearning (one forward pass), then fast
 * baselines of @metanet/unlearning, a few seconds each on the shipped net.
 */
export const PAGE_METHODS = [
  { id: 'gmn', label: 'GMN editor: one forward pass' },
  { id: 'neggrad-plus', label: 'NegGrad+ (retain descent + forget ascent)' },
  { id: 'salun', label: 'SalUn (saliency-masked random labels)' },
  { id: 'rl', label: 'Random labelling' },
  { id: 'ft', label: 'Fine-tune on the retain set' },
] as const;

/** One of `PAGE_METHODS`' ids. */
export type PageMethod = (typeof PAGE_METHODS)[number]['id'];

/** What one model scores on the page's test images. */
export interface Scores {
  /** Test accuracy per class, in [0, 1]. */
  perClass: number[];
  /** Test accuracy over all classes. */
  overall: number;
  /** Linear probe on penultimate test features for the forgotten class (after a request only). */
  probe?: { forgetAccuracy: number; forgetAuc: number };
}

/** The shipped GMN editor as the worker loaded it, or why it could not. */
export type EditorStatus =
  | { loaded: true; hidden: number; layers: number; steps: number; scale: number; bytes: number }
  | { loaded: false; reason: string };

/** Page → worker. `editorBase` is the URL of the shipped editor's folder (manifest.json + weights.bin). */
export type ToWorker =
  | { kind: 'init'; base: string; editorBase: string }
  | { kind: 'run'; method: PageMethod; forgetClass: number };

/** Worker → page. */
export type FromWorker =
  | { kind: 'ready'; backend: string; classNames: string[]; trainSize: number; testSize: number; params: number; scores: Scores; loadSeconds: number; editor: EditorStatus }
  | { kind: 'progress'; done: number; total: number }
  | { kind: 'done'; method: PageMethod; forgetClass: number; before: Scores; after: Scores; seconds: number; steps: number; forgetSize: number; retainSize: number }
  | { kind: 'error'; message: string };

/** Mean accuracy over the classes that were not forgotten (here, not in score.ts: the page imports it, and no tfjs). */
export function retainedMean(s: Scores, forgotten: number): number {
  const kept = s.perClass.filter((_, c) => c !== forgotten);
  return kept.reduce((a, b) => a + b, 0) / kept.length;
}
