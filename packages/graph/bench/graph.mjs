// Benchmark: build and invert the parameter graph of a ResNet-18-sized net (~11M params),
// against copying its weights once, plus memory per edge. Runs against dist/ (build first:
// `npm run bench:graph` at the root). Prints one JSON document.
//
// Timings on a shared machine are noisy: copy, build and invert are interleaved in every
// repetition and the medians compared, so the ratios are measured side by side.
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { performance } from 'node:perf_hooks';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { paramInfos } from '@metanet/spec';
import { edgeValues, fromParameterGraph, toParameterGraph } from '../dist/index.js';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc');

const reps = Number(process.env.BENCH_REPS ?? 7);

/** CIFAR ResNet-18: conv3×3-BN-ReLU 64, 4 stages of 2 BasicBlocks (64, 128, 256, 512), GAP, dense 10. */
const spec = {
  version: 1,
  name: 'resnet18-cifar',
  input: [32, 32, 3],
  layers: [
    { type: 'conv2d', filters: 64, kernel: 3, padding: 1, bias: false },
    { type: 'batchnorm' },
    { type: 'activation', fn: 'relu' },
    ...[64, 128, 256, 512].flatMap((f, s) => [
      { type: 'residual', filters: f, stride: s === 0 ? 1 : 2 },
      { type: 'residual', filters: f },
    ]),
    { type: 'globalavgpool' },
    { type: 'dense', units: 10 },
  ],
};

let seed = 12345;
const params = paramInfos(spec).map((info) => {
  const n = info.shape.reduce((a, b) => a * b, 1);
  const a = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0;
    a[i] = seed / 2 ** 32 - 0.5;
  }
  return a;
});
const numParams = params.reduce((n, p) => n + p.length, 0);

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const time = (fn) => {
  const t0 = performance.now();
  const out = fn();
  return [performance.now() - t0, out];
};

// Peak-memory mode (a child process, so nothing else has raised the high-water mark yet):
// the rise of max RSS across one cold build, per edge, and nothing else.
if (process.env.GRAPH_BENCH_PEAK === '1') {
  gc();
  const before = process.resourceUsage().maxRSS;
  const g = toParameterGraph(spec, params);
  const after = process.resourceUsage().maxRSS;
  process.stdout.write(JSON.stringify({ peakRssBytesPerEdge: ((after - before) * 1024) / g.numEdges }));
  process.exit(0);
}
const peak = JSON.parse(
  execFileSync(process.execPath, [fileURLToPath(import.meta.url)], { env: { ...process.env, GRAPH_BENCH_PEAK: '1' }, encoding: 'utf8' }),
);

// The same measurements in a child whose malloc asks for transparent huge pages
// (glibc's tunable, read at process start; Linux with THP in 'madvise' mode). Diagnostic:
// it shows how much of a fresh build is the kernel faulting in 4 KB pages.
const thpMode = (() => {
  try {
    return /\[(\w+)\]/.exec(readFileSync('/sys/kernel/mm/transparent_hugepage/enabled', 'utf8'))?.[1] ?? null;
  } catch {
    return null;
  }
})();
const glibc = process.report?.getReport?.().header?.glibcVersionRuntime ?? null;
const hugePages =
  process.env.GRAPH_BENCH_CHILD === '1' || glibc === null || thpMode !== 'madvise' || process.env.GLIBC_TUNABLES
    ? null
    : JSON.parse(
        execFileSync(process.execPath, [fileURLToPath(import.meta.url)], {
          env: { ...process.env, GRAPH_BENCH_CHILD: '1', GLIBC_TUNABLES: 'glibc.malloc.hugetlb=1' },
          encoding: 'utf8',
          maxBuffer: 1 << 24,
        }),
      );

// Warm-up (JIT) on the full size.
toParameterGraph(spec, params);
gc();

const numEdgesHint = toParameterGraph(spec, params).numEdges;
/** The memory floor of the layout: allocate and write E×5 float32 + 2×E int32 once. */
const touchFloor = () => {
  const a = new Float32Array(numEdgesHint * 5);
  const b = new Int32Array(2 * numEdgesHint);
  a.fill(1);
  b.fill(1);
  return a.length + b.length;
};

/** The weights copied into one fresh flat vector (44 MB: fresh pages, like the graph's arrays). */
const flatCopy = () => {
  const out = new Float32Array(numParams);
  let o = 0;
  for (const p of params) {
    out.set(p, o);
    o += p.length;
  }
  return out;
};

const copyMs = [];
const flatCopyMs = [];
const floorMs = [];
const buildMs = [];
const invertMs = [];
const invertValuesMs = [];
const buildIntoMs = [];
let exact = true;
let graph;
// Every measurement starts from a GC so each allocates fresh memory under the same conditions.
for (let r = 0; r < reps; r++) {
  graph = undefined;
  gc();
  copyMs.push(time(() => params.map((p) => p.slice()))[0]);
  gc();
  flatCopyMs.push(time(flatCopy)[0]);
  gc();
  floorMs.push(time(touchFloor)[0]);
  gc();
  const [b, g] = time(() => toParameterGraph(spec, params));
  buildMs.push(b);
  graph = g;
  const [inv, back] = time(() => fromParameterGraph(spec, g));
  invertMs.push(inv);
  // Rebuilding into the previous graph's arrays (a zoo sharing a spec): no fresh pages.
  buildIntoMs.push(time(() => toParameterGraph(spec, params, { into: g }))[0]);
  const values = edgeValues(g);
  invertValuesMs.push(time(() => fromParameterGraph(spec, values))[0]);
  if (r === 0) {
    for (let j = 0; j < params.length && exact; j++) {
      const x = new Uint32Array(params[j].buffer);
      const y = new Uint32Array(back[j].buffer);
      for (let k = 0; k < x.length; k++) if (x[k] !== y[k]) { exact = false; break; }
    }
  }
}

const E = graph.numEdges;
const N = graph.numNodes;
const arrayBytes = graph.edgeFeatures.byteLength + graph.edgeIndex.byteLength + graph.nodeFeatures.byteLength;

const result = {
  benchmark: 'graph',
  net: spec.name,
  params: numParams,
  nodes: N,
  edges: E,
  reps,
  node: process.version,
  copyWeightsMs: +median(copyMs).toFixed(2),
  copyWeightsFlatMs: +median(flatCopyMs).toFixed(2),
  memoryFloorMs: +median(floorMs).toFixed(2),
  buildMs: +median(buildMs).toFixed(2),
  buildIntoMs: +median(buildIntoMs).toFixed(2),
  invertMs: +median(invertMs).toFixed(2),
  invertFromEdgeValuesMs: +median(invertValuesMs).toFixed(2),
  // Ratios of medians, and medians of per-repetition ratios (copy and build measured back to back).
  buildOverCopy: +(median(buildMs) / median(copyMs)).toFixed(2),
  buildOverCopyPaired: +median(buildMs.map((b, r) => b / copyMs[r])).toFixed(2),
  invertOverCopy: +(median(invertMs) / median(copyMs)).toFixed(2),
  buildOverFlatCopyPaired: +median(buildMs.map((b, r) => b / flatCopyMs[r])).toFixed(2),
  buildIntoOverCopy: +(median(buildIntoMs) / median(copyMs)).toFixed(2),
  buildIntoOverCopyPaired: +median(buildIntoMs.map((b, r) => b / copyMs[r])).toFixed(2),
  buildOverMemoryFloor: +(median(buildMs) / median(floorMs)).toFixed(2),
  roundTripExact: exact,
  bytesPerEdge: {
    // The graph's arrays (exact), and the measured rise of peak RSS over one cold build.
    typedArrays: +(arrayBytes / E).toFixed(2),
    peakRss: +peak.peakRssBytesPerEdge.toFixed(2),
  },
  targets: { buildOverCopy: 20, bytesPerEdge: 40 },
  samplesMs: { copy: copyMs.map((x) => +x.toFixed(2)), flatCopy: flatCopyMs.map((x) => +x.toFixed(2)), floor: floorMs.map((x) => +x.toFixed(2)), build: buildMs.map((x) => +x.toFixed(2)), buildInto: buildIntoMs.map((x) => +x.toFixed(2)), invert: invertMs.map((x) => +x.toFixed(2)) },
};
// The target compares with the per-tensor copy (the stricter baseline).
result.meetsTargets = result.buildOverCopyPaired <= 20 && result.bytesPerEdge.peakRss <= 40;
result.transparentHugePages = thpMode;
if (hugePages !== null) {
  const keys = ['copyWeightsMs', 'copyWeightsFlatMs', 'memoryFloorMs', 'buildMs', 'buildIntoMs', 'invertMs', 'buildOverCopy', 'buildOverCopyPaired', 'buildOverFlatCopyPaired', 'buildIntoOverCopyPaired', 'buildOverMemoryFloor', 'meetsTargets'];
  result.withGlibcHugePages = { GLIBC_TUNABLES: 'glibc.malloc.hugetlb=1', ...Object.fromEntries(keys.map((k) => [k, hugePages[k]])) };
}
process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
