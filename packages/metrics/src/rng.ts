import { createRng, type Rng } from '@metanet/tensor/rng';
import { InvalidOptionError } from './errors.js';

export type { Rng };

/**
 * The project's one generator (@metanet/tensor's `createRng`, sfc32), so the
 * MIAs, splits and probe are reproducible from a seed alone. This only checks
 * the seed with this package's error type; shuffles are tensor's too.
 */
export function seededRng(seed: number): Rng {
  if (!Number.isInteger(seed)) throw new InvalidOptionError(`seed must be an integer, got ${seed}; pass e.g. 0`);
  return createRng(seed);
}
