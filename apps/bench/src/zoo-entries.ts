/** Reading a zoo directory into memory for `metanet predict-acc`, through @metanet/zoo's reader. */
import { existsSync, statSync } from 'node:fs';
import { readZoo, readZooNet, type ZooEntry } from '@metanet/zoo';
import { CliUsageError } from './errors';
import type { Progress } from './progress';

/** Every net of the zoo in `dir` (records and weights), with a bar while the weights load. */
export async function readZooEntries(dir: string, bar: (total: number) => Progress): Promise<ZooEntry[]> {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    throw new CliUsageError(`zoo directory ${dir} does not exist; build one with metanet zoo, or pass --zoo DIR`);
  }
  const { records } = readZoo(dir);
  if (records.length === 0) throw new CliUsageError(`zoo ${dir} has no finished nets yet; run metanet zoo until some are done`);
  const progress = bar(records.length);
  const entries = records.map((record, i) => {
    const net = readZooNet(dir, record);
    progress.update(i + 1);
    return { record, net };
  });
  progress.stop();
  return entries;
}
