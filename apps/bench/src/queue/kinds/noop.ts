import { z } from 'zod';
import type { UnitKind } from '../unit';

/**
 * A unit that holds the size and timing of a real one without computing anything: it waits (or spins) `ms`, then returns
 * `bytes` of deterministic text. The queue benchmark simulates 64 workers with it, and the fault tests use `fail`
 * for a unit that fails the same way on every attempt.
 */
export const noopPayload = z.strictObject({
  bytes: z.number().int().min(0).max(64 * 1024 * 1024),
  ms: z.number().min(0).max(600_000),
  seed: z.number().int().min(0),
  fail: z.boolean().optional(),
  /** Burn CPU for `ms` instead of sleeping, to measure how the queue scales with compute-bound units. */
  spin: z.boolean().optional(),
});

export type NoopPayload = z.infer<typeof noopPayload>;

export interface NoopResult {
  readonly seed: number;
  readonly data: string;
}

export const noop: UnitKind<NoopPayload, NoopResult> = {
  kind: 'noop',
  payload: noopPayload,
  async run(p) {
    if (p.spin) {
      const until = performance.now() + p.ms;
      while (performance.now() < until) {
        // busy wait: a stand-in for a unit's training loop
      }
    } else if (p.ms > 0) await new Promise((resolve) => setTimeout(resolve, p.ms));
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
