/**
 * A run's result as plain JSON, for transports that carry text (a BullMQ queue). Float32 arrays travel as base64 of
 * their little-endian bytes, so a decoded result is bit-identical to the one the worker computed and the zoo it
 * builds equals a local build byte for byte.
 */
import { InvalidZooIndexError } from './errors';
import type { RunCheckpoint, RunResult } from './run';

/** `RunResult` with every Float32Array as base64. */
export interface EncodedRunResult extends Omit<RunResult, 'checkpoints'> {
  readonly checkpoints: ReadonlyArray<Omit<RunCheckpoint, 'params' | 'buffers'> & { params: string[]; buffers: string[] }>;
}

const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

function toBase64(a: Float32Array): string {
  if (!LITTLE_ENDIAN) throw new Error('run-codec assumes a little-endian host');
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString('base64');
}

function fromBase64(s: string): Float32Array {
  const bytes = Buffer.from(s, 'base64');
  if (bytes.byteLength % 4 !== 0) throw new InvalidZooIndexError(`a queued run result holds a tensor of ${bytes.byteLength} bytes, not a whole number of float32s`);
  const out = new Float32Array(bytes.byteLength / 4);
  new Uint8Array(out.buffer).set(bytes);
  return out;
}

/** Encodes a run's result for a text transport. */
export function encodeRunResult(r: RunResult): EncodedRunResult {
  return { ...r, checkpoints: r.checkpoints.map((c) => ({ ...c, params: c.params.map(toBase64), buffers: c.buffers.map(toBase64) })) };
}

/** Decodes what `encodeRunResult` produced. */
export function decodeRunResult(e: EncodedRunResult): RunResult {
  return { ...e, checkpoints: e.checkpoints.map((c) => ({ ...c, params: c.params.map(fromBase64), buffers: c.buffers.map(fromBase64) })) };
}
