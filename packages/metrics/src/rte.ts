import { InvalidOptionError } from './errors.js';

/** Run-time efficiency of one method. */
export interface RunTimeEfficiency {
  /** Wall-clock seconds of the method. */
  readonly seconds: number;
  /** seconds / retrainSeconds; < 1 means faster than retraining. */
  readonly ratio: number;
}

/** RTE as wall seconds and the ratio to Retrain's wall seconds (both measured on the same machine). */
export function runTimeEfficiency(seconds: number, retrainSeconds: number): RunTimeEfficiency {
  if (!(seconds >= 0) || !Number.isFinite(seconds)) throw new InvalidOptionError(`RTE seconds must be a finite number >= 0, got ${seconds}`);
  if (!(retrainSeconds > 0) || !Number.isFinite(retrainSeconds)) {
    throw new InvalidOptionError(`RTE retrain seconds must be a finite number > 0, got ${retrainSeconds}; time the retrain run first`);
  }
  return { seconds, ratio: seconds / retrainSeconds };
}

/** Runs `fn` and returns its result with the wall-clock seconds it took (performance.now). */
export async function measureSeconds<T>(fn: () => T | Promise<T>): Promise<{ result: T; seconds: number }> {
  const start = performance.now();
  const result = await fn();
  return { result, seconds: (performance.now() - start) / 1000 };
}
