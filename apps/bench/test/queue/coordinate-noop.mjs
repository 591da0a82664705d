// A coordinator as its own process, so a test can kill it with SIGKILL and start it again.
// Usage: node coordinate-noop.mjs URL QUEUE OUTDIR COUNT MS BYTES
import { existsSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '@metanet/data/atomic';
import { parseQueueUrl, runOnQueue } from '../../dist/queue.js';

const [url, queueName, out, count, ms, bytes] = process.argv.slice(2);
mkdirSync(out, { recursive: true });
const have = new Set(readdirSync(out).filter((f) => f.endsWith('.json')).map((f) => f.slice(0, -5)));
const units = [];
for (let i = 0; i < Number(count); i++) {
  const id = `u${String(i).padStart(4, '0')}`;
  if (!have.has(id)) units.push({ id, kind: 'noop', payload: { bytes: Number(bytes), ms: Number(ms), seed: i } });
}
const summary = await runOnQueue({
  connection: parseQueueUrl(url),
  queueName,
  units,
  pollMs: 200,
  onResult: (unit, result) => {
    if (existsSync(join(out, `${unit.id}.json`))) throw new Error(`duplicate result for ${unit.id}`);
    writeFileAtomic(join(out, `${unit.id}.json`), JSON.stringify(result));
    process.stdout.write(`done ${unit.id}\n`);
  },
});
process.stdout.write(`summary ${JSON.stringify(summary)}\n`);
