// npm run bench:queue — how metanet's BullMQ layer scales and what it costs per unit. Prints JSON.
//
// - scaling: compute-bound units (noop doing a fixed amount of integer work, calibrated here once to ~1 s on one
//   core, about the cost of a small zoo net) with 1 and 2 worker processes: CPU throughput, not wall-clock deadlines;
// - overhead: the same units run in-process back to back vs through Redis with one worker;
// - saturation: 64 worker processes running sleeping units that hold a real unit's size and timing, and the
//   completions per second and Redis commands per second that the coordinator and Redis sustain.
// Needs redis-server on PATH (Debian: apt-get install redis-server); prints {"skipped": …} otherwise.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import { Queue } from 'bullmq';
import { parseQueueUrl, QUEUE_PREFIX, runOnQueue, runUnit, spinIterationsFor, UNIT_KINDS } from '../dist/queue.js';

const here = dirname(fileURLToPath(import.meta.url));
const BIN = join(here, '..', 'bin', 'metanet.js');
const QUICK = process.argv.includes('--quick');
// --zoo N: also time N real small-cnn zoo runs (the quick protocol) locally (1 and 2 threads) and through the queue
// (1 and 2 worker processes), so the queue's scaling reads against the local pool's on the same machine and load.
const zooArg = process.argv.indexOf('--zoo');
const ZOO_RUNS = zooArg > 0 ? Number(process.argv[zooArg + 1]) : 0;

if (spawnSync('redis-server', ['--version']).status !== 0) {
  console.log(JSON.stringify({ skipped: 'redis-server not installed (apt-get install -y redis-server)' }));
  process.exit(0);
}

const port = await new Promise((resolve) => {
  const s = createServer().listen(0, '127.0.0.1', () => {
    const p = s.address().port;
    s.close(() => resolve(p));
  });
});
const dir = mkdtempSync(join(tmpdir(), 'metanet-bench-redis-'));
const server = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', '', '--appendonly', 'no'], { stdio: ['ignore', 'pipe', 'ignore'] });
// The run keeps nothing on disk: Redis's directory and the zoo builds go on every exit, a failed build included.
const scratch = [dir];
process.on('exit', () => {
  server.kill('SIGTERM');
  for (const d of scratch) rmSync(d, { recursive: true, force: true });
});
await new Promise((resolve) => server.stdout.on('data', (d) => d.toString().includes('Ready to accept') && resolve()));
const url = `redis://127.0.0.1:${port}`;
const connection = parseQueueUrl(url);

function workers(n, queueName) {
  return Array.from({ length: n }, () => spawn(process.execPath, [BIN, 'worker', '--queue', url, '--run', queueName, '--json'], { stdio: ['ignore', 'ignore', 'ignore'] }));
}
async function stop(ws) {
  await Promise.all(ws.map((w) => new Promise((resolve) => (w.exitCode !== null ? resolve() : (w.once('exit', resolve), w.kill('SIGTERM'))))));
}
// CPU time (ms) of this process's waited-for children: cutime + cstime of /proc/self/stat, in ticks of 10 ms (Linux).
function cpuChildren() {
  const fields = readFileSync('/proc/self/stat', 'utf8').split(') ')[1].split(' ');
  return (Number(fields[13]) + Number(fields[14])) * 10;
}
let runNo = 0;
// Times `units` on `nWorkers` worker processes that are already attached to the run's queue and have started their
// unit threads, so process start-up (seconds on a loaded 2-core machine) is not charged to the queue.
async function timed(units, nWorkers) {
  const queueName = `bench-${runNo++}`;
  const ws = workers(nWorkers, queueName);
  const queue = new Queue(queueName, { connection, prefix: QUEUE_PREFIX });
  while ((await queue.getWorkers()).length < nWorkers) await new Promise((r) => setTimeout(r, 200));
  const warm = Array.from({ length: 2 * nWorkers }, (_, i) => ({ id: `w${i}`, kind: 'noop', payload: { bytes: 1, ms: 100, seed: i } }));
  await runOnQueue({ connection, queueName, units: warm, pollMs: 50, onResult() {} });
  const t0 = performance.now();
  await runOnQueue({ connection, queueName, units, pollMs: 50, onResult() {} });
  const ms = performance.now() - t0;
  await queue.close();
  await stop(ws);
  return ms;
}
const unitMs = QUICK ? 200 : 1000;
const n = QUICK ? 8 : 24;
// Calibrated once, here: every unit then does the same work, however many share a core.
const spinIterations = spinIterationsFor(unitMs);
const spinUnits = () => Array.from({ length: n }, (_, i) => ({ id: `s${i}`, kind: 'noop', payload: { bytes: 20_000, ms: unitMs, seed: i, spinIterations } }));

let localMs = performance.now();
for (const u of spinUnits()) await runUnit(UNIT_KINDS, u);
localMs = performance.now() - localMs;
const one = await timed(spinUnits(), 1);
const two = await timed(spinUnits(), 2);

const sim = QUICK ? 16 : 64;
const simUnits = Array.from({ length: sim * (QUICK ? 4 : 8) }, (_, i) => ({ id: `m${i}`, kind: 'noop', payload: { bytes: 20_000, ms: 250, seed: i } }));
// Real units: small-cnn zoo runs (quick protocol), one local worker thread vs one and two queue workers.
let zoo = null;
if (ZOO_RUNS > 0) {
  const dir = mkdtempSync(join(tmpdir(), 'metanet-bench-zoo-'));
  scratch.push(dir);
  const build = (out, extra) => {
    const t0 = performance.now();
    const r = spawnSync(process.execPath, [BIN, 'zoo', 'build', '--preset', 'small-cnn', '--quick', '--runs', String(ZOO_RUNS), '--no-wall-time', '--json', '--out', join(dir, out), ...extra], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(r.stderr);
    return performance.now() - t0;
  };
  // CPU seconds of the child builds (user + system), to tell "2 threads share one core" from "runs contend for memory".
  const cpuOf = (fn) => {
    const c0 = cpuChildren();
    const ms = fn();
    return { ms, cpuMs: cpuChildren() - c0 };
  };
  const queued = async (out, n) => {
    const ws = Array.from({ length: n }, () => spawn(process.execPath, [BIN, 'worker', '--queue', url], { stdio: 'ignore' }));
    await new Promise((r) => setTimeout(r, 3000)); // worker start-up, not charged to the queue
    const ms = await new Promise((resolve, reject) => {
      const t0 = performance.now();
      const c = spawn(process.execPath, [BIN, 'zoo', 'build', '--preset', 'small-cnn', '--quick', '--runs', String(ZOO_RUNS), '--no-wall-time', '--json', '--out', join(dir, out), '--queue', url], { stdio: 'ignore' });
      c.on('exit', (code) => (code === 0 ? resolve(performance.now() - t0) : reject(new Error(`zoo build --queue exited ${code}`))));
    });
    await stop(ws);
    return ms;
  };
  const l1 = cpuOf(() => build('local1', ['--workers', '1']));
  const l2 = cpuOf(() => build('local2', ['--workers', '2']));
  const local1 = l1.ms;
  const local2 = l2.ms;
  const queue1 = await queued('queue1', 1);
  const queue2 = await queued('queue2', 2);
  zoo = {
    runs: ZOO_RUNS,
    localMsPerRun1Worker: Math.round(local1 / ZOO_RUNS),
    localMsPerRun2Workers: Math.round(local2 / ZOO_RUNS),
    localCpuPercent1Worker: Math.round((100 * l1.cpuMs) / local1),
    localCpuPercent2Workers: Math.round((100 * l2.cpuMs) / local2),
    localSpeedup2Workers: +(local1 / local2).toFixed(3),
    queueMsPerRun1Worker: Math.round(queue1 / ZOO_RUNS),
    queueMsPerRun2Workers: Math.round(queue2 / ZOO_RUNS),
    overheadFraction: +((queue1 - local1) / local1).toFixed(4),
    speedup2Workers: +(queue1 / queue2).toFixed(3),
    note: 'each timing includes process start-up and data loading once per build (local) or per worker thread (queue)',
  };
}

const redis = new Redis(connection);
const cmd0 = Number((await redis.info('stats')).match(/total_commands_processed:(\d+)/)[1]);
const simMs = await timed(simUnits, sim);
const cmd1 = Number((await redis.info('stats')).match(/total_commands_processed:(\d+)/)[1]);
redis.disconnect();
server.kill('SIGTERM');

console.log(JSON.stringify({
  bench: 'queue',
  unit: { kind: 'noop (fixed work)', ms: unitMs, spinIterations, resultBytes: 20_000 },
  scaling: { units: n, unitsPerSec1: +(n / (one / 1000)).toFixed(3), unitsPerSec2: +(n / (two / 1000)).toFixed(3), speedup: +(one / two).toFixed(3) },
  overhead: { localMsPerUnit: +(localMs / n).toFixed(1), queueMsPerUnit: +(one / n).toFixed(1), overheadFraction: +((one - localMs) / localMs).toFixed(4) },
  zoo,
  simulation: { workers: sim, units: simUnits.length, unitMs: 250, wallMs: Math.round(simMs), completionsPerSec: +(simUnits.length / (simMs / 1000)).toFixed(1), redisCommandsPerSec: Math.round((cmd1 - cmd0) / (simMs / 1000)), idealCompletionsPerSec: +(sim / 0.25).toFixed(1) },
}, null, 2));
