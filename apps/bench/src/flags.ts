/** Numeric flag parsing shared by every command, so the same bad value gets the same one-line error. */
import { CliUsageError } from './errors';

export function int(value: string, flag: string, min: number): number {
  const v = Number(value);
  if (!Number.isInteger(v) || v < min) throw new CliUsageError(`${flag} must be an integer ≥ ${min}, got "${value}"`);
  return v;
}

export function positive(value: string, flag: string): number {
  const v = Number(value);
  if (!Number.isFinite(v) || v <= 0) throw new CliUsageError(`${flag} must be a number > 0, got "${value}"`);
  return v;
}
