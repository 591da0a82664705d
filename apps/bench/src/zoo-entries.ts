/**
 * Reading a zoo directory into memory for `metanet predict-acc`, through @metanet/zoo's reader
 * (`readZoo`, `readZooNet`). The reader is looked up at run time: a build of @metanet/zoo without
 * it gets a one-line error instead of a crash, and this file is the one place to switch to a
 * static import once every build has it.
 */
import { existsSync, statSync } from 'node:fs';
import type { NetArrays } from '@metanet/nets';
import type { ZooEntry, ZooRecord } from '@metanet/zoo';
import { CliUsageError } from './errors';
import type { Progress } from './progress';

interface ZooReader {
  readZoo(dir: string): { settings: unknown; records: ZooRecord[] };
  readZooNet(dir: string, record: ZooRecord): NetArrays;
}

async function zooReader(): Promise<ZooReader> {
  const zoo = (await import('@metanet/zoo')) as unknown as Partial<ZooReader>;
  if (typeof zoo.readZoo !== 'function' || typeof zoo.readZooNet !== 'function') {
    throw new CliUsageError('this build of @metanet/zoo cannot read zoo directories (no readZoo); rebuild metanet with the zoo format');
  }
  return zoo as ZooReader;
}

/** Every net of the zoo in `dir` (records and weights), with a bar while the weights load. */
export async function readZooEntries(dir: string, bar: (total: number) => Progress): Promise<ZooEntry[]> {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    throw new CliUsageError(`zoo directory ${dir} does not exist; build one with metanet zoo, or pass --zoo DIR`);
  }
  const reader = await zooReader();
  const { records } = reader.readZoo(dir);
  if (records.length === 0) throw new CliUsageError(`zoo ${dir} has no finished nets yet; run metanet zoo until some are done`);
  const progress = bar(records.length);
  const entries = records.map((record, i) => {
    const net = reader.readZooNet(dir, record);
    progress.update(i + 1);
    return { record, net };
  });
  progress.stop();
  return entries;
}
