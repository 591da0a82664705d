import { z } from 'zod';
import type { UnitKind } from '../unit';

/**
 * A unit that holds the size and timing of a real one without computing anything: it sleeps `ms` (or does a fixed
 * amount of CPU work, `spinIterations`), then returns `bytes` of deterministic text. The queue benchmark simulates
 * 64 workers with it, and the fault tests use `fail` for a unit that fails the same way on every attempt.
 */
export const noopPayload = z.strictObject({
  bytes: z.number().int().min(0).max(64 * 1024 * 1024),
  ms: z.number().min(0).max(600_000),
  seed: z.number().int().min(0),
  fail: z.boolean().optional(),
  /**
   * Do this many iterations of integer work instead of sleeping `ms` (`spinIterationsFor` calibrates the count to a
   * duration once, in the coordinator). A fixed amount of work, not a wall-clock deadline: two units spinning to a
   * deadline on one shared core both finish "on time" and fake a 2x scaling.
   */
  spinIterations: z.number().int().min(0).max(1e12).optional(),
});

export type NoopPayload = z.infer<typeof noopPayload>;

export interface NoopResult {
  readonly seed: number;
  readonly data: string;
}

let sink = 0;

/**
 * `iterations` steps of an integer LCG from a fixed state, returning the last state: CPU work of a fixed size, a pure
 * function of `iterations`, that the JIT cannot drop (the state escapes into a module variable).
 */
export function spinWork(iterations: number): number {
  let s = 1;
  for (let i = 0; i < iterations; i++) s = (Math.imul(s, 1664525) + 1013904223) | 0;
  sink ^= s;
  return s;
}

/** Calibrates `spinWork` on this machine: the iteration count that takes about `ms` on one core right now. */
export function spinIterationsFor(ms: number): number {
  spinWork(1e6); // warm up the JIT
  let n = 1e6;
  for (;;) {
    const t0 = performance.now();
    spinWork(n);
    const took = performance.now() - t0;
    if (took >= 100 || n >= 1e11) return Math.max(1, Math.round((n * ms) / Math.max(took, 1e-3)));
    n *= 2;
  }
}

export const noop: UnitKind<NoopPayload, NoopResult> = {
  kind: 'noop',
  payload: noopPayload,
  async run(p) {
    if (p.spinIterations !== undefined) spinWork(p.spinIterations);
    else if (p.ms > 0) await new Promise((resolve) => setTimeout(resolve, p.ms));
    if (p.fail) throw new Error(`noop unit ${p.seed} was asked to fail`);
    const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789';
    let s = p.seed >>> 0;
    const chars = new Array<string>(p.bytes);
    for (let i = 0; i < p.bytes; i++) {
      s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
      chars[i] = alphabet[s % alphabet.length]!;
    }
    return { seed: p.seed, data: chars.join('') };
  },
};
