import type { Command } from 'commander';
import { CliUsageError } from '../errors';
import { DEFAULT_TIMINGS, MAX_RESULT_ENV, parseQueueUrl, serveQueue } from '../queue/index';

interface WorkerOptions {
  queue: string;
  concurrency?: string;
  run?: string[];
  maxResultMb?: string;
  lockMs?: string;
  stalledCheckMs?: string;
  json?: boolean;
}

function positive(flag: string, raw: string | undefined, fallback: number): number {
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!Number.isFinite(n) || n <= 0) throw new CliUsageError(`${flag} must be a positive number, got ${JSON.stringify(raw)}`);
  return n;
}

/** `metanet worker`: runs queued units (zoo nets, gold retrains, bench units) from a BullMQ queue on Redis. */
export function register(program: Command): void {
  program
    .command('worker')
    .description('run queued units (zoo nets, retrains, bench units) from a BullMQ queue on Redis until stopped')
    .requiredOption('--queue <url>', 'redis://127.0.0.1:6379 on loopback; elsewhere rediss:// or redis://user:password@host:port')
    .option('--concurrency <n>', 'units at once, each in its own worker thread', '1')
    .option('--run <name...>', 'serve only these runs (queue names); default: every live run')
    .option('--max-result-mb <mb>', 'refuse a unit whose result is larger than this', '16')
    .option('--lock-ms <ms>', `how long a unit stays owned without a heartbeat (default ${DEFAULT_TIMINGS.lockMs})`)
    .option('--stalled-check-ms <ms>', `how often stalled units are re-queued (default ${DEFAULT_TIMINGS.stalledCheckMs})`)
    .option('--json', 'one JSON line per event on stdout')
    .action(async (opts: WorkerOptions) => {
      const connection = parseQueueUrl(opts.queue);
      const concurrency = Math.floor(positive('--concurrency', opts.concurrency, 1));
      process.env[MAX_RESULT_ENV] = String(Math.floor(positive('--max-result-mb', opts.maxResultMb, 16) * 1024 * 1024));
      const timings = {
        lockMs: positive('--lock-ms', opts.lockMs, DEFAULT_TIMINGS.lockMs),
        stalledCheckMs: positive('--stalled-check-ms', opts.stalledCheckMs, DEFAULT_TIMINGS.stalledCheckMs),
      };
      const abort = new AbortController();
      const stop = (): void => abort.abort();
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
      const where = `${connection.host}:${connection.port}`;
      if (!opts.json) process.stderr.write(`metanet worker: serving ${opts.run ? opts.run.join(', ') : 'every live run'} on ${where}, ${concurrency} at a time (Ctrl-C to stop)\n`);
      await serveQueue({
        connection,
        concurrency,
        timings,
        signal: abort.signal,
        ...(opts.run ? { runs: opts.run } : {}),
        onEvent: (e) => {
          if (opts.json) process.stdout.write(`${JSON.stringify(e)}\n`);
          else if (e.type === 'failed') process.stderr.write(`metanet worker: unit ${e.id ?? '?'} of ${e.queue} failed: ${e.error ?? ''}\n`);
          else if (e.type !== 'completed') process.stderr.write(`metanet worker: ${e.type === 'attach' ? 'serving' : 'done with'} run ${e.queue}\n`);
        },
      });
    });
}
