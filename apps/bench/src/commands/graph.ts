import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { Command } from 'commander';
import { architecture, paramInfos, type NetSpec } from '@metanet/spec';
import { fromParameterGraph, graphStats, toGraphML, toGraphology, toParameterGraph, type GraphStats } from '@metanet/graph';
import { writeFileAtomic } from '@metanet/data/atomic';
import { CliUsageError } from '../errors';
import { resolveNet } from '../net-source';
import { emit, table } from '../output';

/** The flags that pick a net: a named architecture with seeded weights, or a saved net. */
export interface GraphSourceOptions {
  arch?: string;
  inChannels?: string;
  inputSize?: string;
  width?: string;
  seed?: string;
  net?: string;
  spec?: string;
}

interface GraphStatsOptions extends GraphSourceOptions {
  json?: boolean;
  export?: string[];
}

/** graphology keeps a JS object per edge (hundreds of bytes): beyond this, exports run out of memory. */
const MAX_EXPORT_EDGES = 2_000_000;

export function positiveInt(value: string | undefined, flag: string, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new CliUsageError(`${flag} must be a positive integer, got ${JSON.stringify(value)}`);
  return n;
}

/**
 * Seeded weights without tfjs (mulberry32): weights U(−1/√fanIn, 1/√fanIn) as PyTorch's default
 * init, biases likewise, γ = 1, β = 0. Enough for graph statistics and round-trip checks.
 */
export function seededWeights(spec: NetSpec, seed: number): Float32Array[] {
  let s = seed >>> 0;
  const uniform = (): number => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const infos = paramInfos(spec);
  let fanIn = 1;
  return infos.map((info) => {
    const n = info.shape.reduce((a, b) => a * b, 1);
    const out = new Float32Array(n);
    if (info.kind === 'gamma') return out.fill(1);
    if (info.kind === 'beta') return out;
    if (info.kind === 'weight') fanIn = n / (info.shape[0] as number);
    const bound = 1 / Math.sqrt(fanIn);
    for (let i = 0; i < n; i++) out[i] = (uniform() * 2 - 1) * bound;
    return out;
  });
}

export async function loadSource(opts: GraphSourceOptions): Promise<{ spec: NetSpec; params: Float32Array[]; source: Record<string, unknown> }> {
  if ((opts.arch === undefined) === (opts.net === undefined)) {
    throw new CliUsageError('give exactly one of --arch NAME or --net DIR (or a .onnx, model.json or .safetensors file)');
  }
  if (opts.net !== undefined) {
    const size = opts.inputSize === undefined ? undefined : positiveInt(opts.inputSize, '--input-size', 1);
    const net = await resolveNet(opts.net, { spec: opts.spec, input: size === undefined ? undefined : [size, size] });
    for (const note of net.notes) process.stderr.write(`${note}\n`);
    return { spec: net.spec, params: net.params, source: { net: opts.net, format: net.format } };
  }
  const arch = opts.arch as string;
  const archOpts = {
    inChannels: positiveInt(opts.inChannels, '--in-channels', 1),
    ...(opts.inputSize !== undefined ? { inputSize: positiveInt(opts.inputSize, '--input-size', 28) } : {}),
    ...(opts.width !== undefined ? { width: positiveInt(opts.width, '--width', 16) } : {}),
  };
  const seed = opts.seed === undefined ? 0 : Number(opts.seed);
  if (!Number.isInteger(seed)) throw new CliUsageError(`--seed must be an integer, got ${JSON.stringify(opts.seed)}`);
  const spec = architecture(arch, archOpts);
  return { spec, params: seededWeights(spec, seed), source: { arch, ...archOpts, seed } };
}

/** Whether two weight lists are equal bit for bit (the graph round trip is exact). */
export function sameBits(a: readonly Float32Array[], b: readonly Float32Array[]): boolean {
  if (a.length !== b.length) return false;
  return a.every((x, j) => {
    const y = b[j] as Float32Array;
    if (x.length !== y.length) return false;
    const xb = new Uint32Array(x.buffer, x.byteOffset, x.length);
    const yb = new Uint32Array(y.buffer, y.byteOffset, y.length);
    for (let k = 0; k < xb.length; k++) if (xb[k] !== yb[k]) return false;
    return true;
  });
}

function parseExport(raw: string[] | undefined): { format: 'graphml' | 'json'; file: string } | undefined {
  if (raw === undefined) return undefined;
  const [format, file] = raw;
  if (raw.length !== 2 || (format !== 'graphml' && format !== 'json') || !file) {
    throw new CliUsageError(`--export takes a format (graphml or json) and a file, e.g. --export graphml net.graphml; got ${JSON.stringify(raw.join(' '))}`);
  }
  return { format, file };
}

function human(spec: NetSpec, stats: GraphStats, exact: boolean, exported?: { format: string; file: string }): string {
  const nonZero = (rec: Record<string, number>): string[][] => Object.entries(rec).filter(([, n]) => n > 0).map(([t, n]) => [`  ${t}`, n.toLocaleString('en-US')]);
  return [
    `${spec.name ?? 'net'}: ${stats.numNodes.toLocaleString('en-US')} nodes, ${stats.numEdges.toLocaleString('en-US')} edges, ${stats.numParams.toLocaleString('en-US')} parameters`,
    `round trip graph → weights: ${exact ? 'exact (bit for bit)' : 'NOT EXACT'}`,
    '',
    'nodes by type',
    table(nonZero(stats.nodesByType)),
    'edges by type',
    table(nonZero(stats.edgesByType)),
    '',
    table([['layer', 'nodes', 'edges', 'params'], ...stats.layers.map((l) => [String(l.layer), String(l.nodes), String(l.edges), String(l.params)])]),
    ...(exported ? ['', `wrote ${exported.format} to ${exported.file}`] : []),
  ].join('\n');
}

/** Adds the flags that pick a net for `loadSource`: --arch (with its shape flags) or --net. */
export function sourceOptions(cmd: Command): Command {
  return cmd
    .option('--arch <name>', 'named architecture, e.g. homework-cnn, small-cnn, resnet-mini, mlp:784-64-32-10 (random seeded weights)')
    .option('--in-channels <c>', 'input channels for --arch', '1')
    .option('--input-size <n>', 'input height = width for --arch (or for a conv .safetensors --net without --spec)')
    .option('--width <c>', 'base width for small-cnn / resnet-mini')
    .option('--net <path>', 'a saved net (bundle dir), a .onnx, a Keras model.json or a .safetensors state dict')
    .option('--spec <file>', 'NetSpec JSON for a .safetensors --net whose spec cannot be inferred');
}

/** `metanet graph stats`: parameter-graph counts for a named architecture or a saved net. */
export function register(program: Command): void {
  const graph = program.command('graph').description('parameter graphs of networks (GMN input)');
  sourceOptions(
    graph.command('stats').description('node/edge counts by type and layer, parameter count, and whether graph → weights is exact'),
  )
    .option('--seed <n>', 'seed of the random weights for --arch', '0')
    .option('--json', 'machine-readable output')
    .option('--export <format_and_file...>', 'also write the graph: graphml FILE or json FILE (graphology JSON)')
    .action(async (opts: GraphStatsOptions) => {
      const exportTo = parseExport(opts.export);
      const { spec, params, source } = await loadSource(opts);
      const g = toParameterGraph(spec, params);
      const stats = graphStats(g);
      const exact = sameBits(params, fromParameterGraph(spec, g));
      if (exportTo) {
        if (g.numEdges > MAX_EXPORT_EDGES) {
          throw new CliUsageError(`the graph has ${g.numEdges} edges; --export handles at most ${MAX_EXPORT_EDGES} (use the typed arrays of @metanet/graph for larger nets)`);
        }
        const text = exportTo.format === 'graphml' ? toGraphML(g, { spec }) : JSON.stringify(toGraphology(g, { spec }).export());
        // A missing parent directory is created, as `train --out` does, rather than surfacing a raw ENOENT.
        mkdirSync(dirname(resolve(exportTo.file)), { recursive: true });
        writeFileAtomic(exportTo.file, text);
      }
      emit(opts, { source, name: spec.name ?? null, ...stats, roundTripExact: exact, ...(exportTo ? { exported: exportTo } : {}) }, () =>
        human(spec, stats, exact, exportTo),
      );
    });
}
