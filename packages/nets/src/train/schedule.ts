/** ReduceLROnPlateau and early stopping, as plain JSON state (checkpointed verbatim). */

export interface PlateauOptions {
  /** Multiply the lr by this on a plateau. Default 0.1. */
  factor?: number;
  /** Epochs without improvement before reducing. Default 10 (PyTorch). */
  patience?: number;
  /** Relative improvement that counts (PyTorch 'rel' mode). Default 1e-4. */
  threshold?: number;
  /** Default 0. */
  minLr?: number;
}

/** Early stopping: the metric watched and the patience. */
export interface EarlyStoppingOptions {
  /** Epochs without improvement of the monitored loss before stopping. */
  patience: number;
  /** Absolute improvement that counts. Default 0. */
  minDelta?: number;
}

export interface PlateauState {
  best: number | null;
  bad: number;
}

/** PyTorch's ReduceLROnPlateau(mode='min', threshold_mode='rel', cooldown=0). Returns the new lr. */
export function plateauStep(o: PlateauOptions, s: PlateauState, metric: number, lr: number): number {
  const threshold = o.threshold ?? 1e-4;
  if (s.best === null || metric < s.best * (1 - threshold)) {
    s.best = metric;
    s.bad = 0;
    return lr;
  }
  s.bad += 1;
  if (s.bad > (o.patience ?? 10)) {
    s.bad = 0;
    return Math.max(lr * (o.factor ?? 0.1), o.minLr ?? 0);
  }
  return lr;
}

/** Returns true when training should stop. */
export function earlyStoppingStep(o: EarlyStoppingOptions, s: PlateauState, metric: number): boolean {
  if (s.best === null || metric < s.best - (o.minDelta ?? 0)) {
    s.best = metric;
    s.bad = 0;
    return false;
  }
  s.bad += 1;
  return s.bad >= o.patience;
}
