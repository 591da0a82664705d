/**
 * Training checkpoints: each epoch writes a complete bundle (params, BN
 * buffers, optimizer slots, best-so-far weights, loop state) into a fresh
 * directory `epoch-NNNN/` via a temp dir + rename, then points `latest.json`
 * at it atomically and removes older ones. A kill at any moment leaves either
 * the previous checkpoint or the new one, and resume sweeps the leftovers.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { SpecError } from '@metanet/spec';
import { TEMP_MARKER, writeDirAtomic, writeFileAtomic } from '@metanet/data';
import { CheckpointError, NetsError } from '../errors';
import { readBundle, writeBundle, type NamedArray } from '../io/bundle';

/** The file in a checkpoint directory that names the latest checkpoint. */
export const LATEST_FILE = 'latest.json';
export const CHECKPOINT_KIND = 'metanet.checkpoint';

export interface CheckpointData {
  spec: unknown;
  tensors: NamedArray[];
  /** JSON loop state: epoch, optimizer step, lr, scheduler, history, config fingerprint. */
  state: Record<string, unknown>;
}

const epochDir = (epoch: number): string => `epoch-${String(epoch).padStart(4, '0')}`;

/** Writes the checkpoint of `epoch` completed epochs and makes it the latest. */
export function writeCheckpoint(dir: string, epoch: number, data: CheckpointData): void {
  mkdirSync(dir, { recursive: true });
  const name = epochDir(epoch);
  writeDirAtomic(join(dir, name), (tmp) => writeBundle(tmp, data.spec, data.tensors, { kind: CHECKPOINT_KIND, ...data.state }));
  writeFileAtomic(join(dir, LATEST_FILE), `${JSON.stringify({ epoch, dir: name })}\n`);
  sweepCheckpoints(dir, name);
}

/** Removes temp leftovers and every checkpoint directory but `keep`. */
export function sweepCheckpoints(dir: string, keep: string | null): void {
  if (!existsSync(dir)) return;
  for (const entry of readdirSync(dir)) {
    if (entry.includes(TEMP_MARKER) || (/^epoch-\d+$/.test(entry) && entry !== keep)) {
      rmSync(join(dir, entry), { recursive: true, force: true });
    }
  }
}

export interface LoadedCheckpoint {
  epoch: number;
  spec: unknown;
  tensors: Map<string, NamedArray>;
  state: Record<string, unknown>;
}

/** The latest checkpoint in `dir`, or null when there is none yet. Corrupt ones throw CheckpointError. */
export function readLatestCheckpoint(dir: string): LoadedCheckpoint | null {
  const pointer = join(dir, LATEST_FILE);
  if (!existsSync(dir) || !existsSync(pointer)) {
    sweepCheckpoints(dir, null);
    return null;
  }
  let latest: { epoch?: unknown; dir?: unknown };
  try {
    latest = JSON.parse(readFileSync(pointer, 'utf8')) as typeof latest;
  } catch {
    throw new CheckpointError(`${pointer} is not valid JSON; delete the checkpoint directory to start over`);
  }
  if (typeof latest.epoch !== 'number' || typeof latest.dir !== 'string' || latest.dir !== epochDir(latest.epoch)) {
    throw new CheckpointError(`${pointer} does not name a checkpoint; delete the checkpoint directory to start over`);
  }
  sweepCheckpoints(dir, latest.dir);
  const path = join(dir, latest.dir);
  if (!existsSync(path) || !statSync(path).isDirectory()) {
    throw new CheckpointError(`${path} is missing; delete the checkpoint directory to start over`);
  }
  try {
    const { manifest, tensors } = readBundle(path);
    if (manifest.meta.kind !== CHECKPOINT_KIND) throw new CheckpointError(`${path} is not a training checkpoint`);
    return { epoch: latest.epoch, spec: manifest.spec, tensors, state: manifest.meta };
  } catch (e) {
    if (e instanceof CheckpointError) throw e;
    if (e instanceof NetsError || e instanceof SpecError) throw new CheckpointError(`checkpoint ${path} is corrupt (${e.message}); delete it to start over`);
    throw e;
  }
}
