import type { z } from 'zod';
import { InvalidUnitError, ResultTooLargeError } from './errors';

/**
 * A unit is the smallest piece of work metanet scales out: one zoo run, one gold retrain, one method × request ×
 * seed. Its result depends only on its payload (which carries its seed), so any worker on any machine computes the
 * same bytes, and an id derived from the payload makes a repeated completion harmless.
 */
export interface Unit {
  /** Unique within a run, stable across restarts; becomes the BullMQ job id. */
  readonly id: string;
  readonly kind: string;
  readonly payload: unknown;
}

/** One kind of unit: the schema a worker checks before running it, and the function that runs it. */
export interface UnitKind<P, R> {
  readonly kind: string;
  readonly payload: z.ZodType<P>;
  run(payload: P): Promise<R>;
}

/**
 * A kind with its payload type erased, so kinds of different payloads share one registry. `erase` keeps the
 * guarantee that `run` only ever sees a payload its own schema accepted.
 */
export interface RegisteredKind {
  readonly kind: string;
  /** Validates a payload; on success returns a thunk that runs the unit. */
  check(payload: unknown): { ok: true; run: () => Promise<unknown> } | { ok: false; path: string; message: string };
}

/** Puts a typed kind into the registry. */
export function erase<P, R>(k: UnitKind<P, R>): RegisteredKind {
  return {
    kind: k.kind,
    check(payload) {
      const parsed = k.payload.safeParse(payload);
      if (parsed.success) return { ok: true, run: () => k.run(parsed.data) };
      const issue = parsed.error.issues[0];
      return { ok: false, path: issue ? issue.path.join('.') : '', message: issue?.message ?? 'invalid' };
    },
  };
}

/** Default cap on a unit's serialised result (a homework-cnn net is 236 KB; a small-cnn one 20 KB). */
export const DEFAULT_MAX_RESULT_BYTES = 16 * 1024 * 1024;

/** Environment variable through which `metanet worker --max-result-mb` reaches its worker threads. */
export const MAX_RESULT_ENV = 'METANET_QUEUE_MAX_RESULT_BYTES';

/** Reads the result cap a worker thread was started with. */
export function maxResultBytes(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env[MAX_RESULT_ENV];
  const n = raw === undefined ? DEFAULT_MAX_RESULT_BYTES : Number(raw);
  return Number.isFinite(n) && n > 0 ? n : DEFAULT_MAX_RESULT_BYTES;
}

/** Parses a job's data into a runnable unit of a known kind, or throws `InvalidUnitError` naming what is wrong. */
export function checkUnit(kinds: ReadonlyMap<string, RegisteredKind>, data: unknown): { kind: string; run: () => Promise<unknown> } {
  if (typeof data !== 'object' || data === null) throw new InvalidUnitError('a queued unit must be an object {id, kind, payload}; was it enqueued by metanet?');
  const { kind: name, payload } = data as { kind?: unknown; payload?: unknown };
  const kind = typeof name === 'string' ? kinds.get(name) : undefined;
  if (!kind) {
    throw new InvalidUnitError(`unknown unit kind ${JSON.stringify(name)}; this worker runs ${[...kinds.keys()].join(', ')} (upgrade the worker if the coordinator is newer)`);
  }
  const checked = kind.check(payload);
  if (!checked.ok) {
    const where = checked.path ? ` at ${checked.path}` : '';
    throw new InvalidUnitError(`refusing a ${kind.kind} unit whose payload fails its schema${where}: ${checked.message}`);
  }
  return { kind: kind.kind, run: checked.run };
}

/** Runs a unit and enforces the result cap, so one runaway unit cannot fill Redis. */
export async function runUnit(kinds: ReadonlyMap<string, RegisteredKind>, data: unknown, limit = maxResultBytes()): Promise<unknown> {
  const { kind, run } = checkUnit(kinds, data);
  const result = await run();
  const size = Buffer.byteLength(JSON.stringify(result) ?? '');
  if (size > limit) {
    throw new ResultTooLargeError(`a ${kind} unit produced a ${size}-byte result, over the worker's limit of ${limit} bytes; raise --max-result-mb if that size is expected`);
  }
  return result;
}
