/**
 * Parameter-graph statistics for every named architecture: node and edge counts by type,
 * whether graph → weights is exact, and the build time. Seeded weights need no tfjs.
 */
import { fromParameterGraph, graphStats, toParameterGraph } from '@metanet/graph';
import { architecture, listArchitectures } from '@metanet/spec';
import { sameBits, seededWeights } from '../../commands/graph';
import type { Section } from '../section';
import type { Json, Unit } from '../units';

/** The MLP pattern's instance, and homework-cnn on 3 channels (the design's CIFAR reference count). */
function variants(): Array<{ arch: string; inChannels: number }> {
  const names = listArchitectures().map((n) => (n.startsWith('mlp:') ? 'mlp:784-64-32-10' : n));
  return [...names.map((arch) => ({ arch, inChannels: 1 })), { arch: 'homework-cnn', inChannels: 3 }];
}

const unitId = (v: { arch: string; inChannels: number }): string => `graph/${v.arch.replace(/[^a-z0-9-]/gi, '_')}-c${v.inChannels}`;

async function graphUnit(unit: Unit): Promise<Json> {
  const arch = String(unit.params.arch);
  const inChannels = Number(unit.params.inChannels);
  const spec = architecture(arch, { inChannels });
  const params = seededWeights(spec, 0);
  const t0 = performance.now();
  const g = toParameterGraph(spec, params);
  const buildMs = performance.now() - t0;
  const stats = graphStats(g);
  const exact = sameBits(params, fromParameterGraph(spec, g));
  const nonZero = (r: Record<string, number>): Json => Object.fromEntries(Object.entries(r).filter(([, n]) => n > 0));
  return { arch, inChannels, nodes: stats.numNodes, edges: stats.numEdges, params: stats.numParams, nodesByType: nonZero(stats.nodesByType), edgesByType: nonZero(stats.edgesByType), roundTripExact: exact, buildMs };
}

interface GraphRow {
  arch: string;
  inChannels: number;
  nodes: number;
  edges: number;
  params: number;
  nodesByType: Record<string, number>;
  edgesByType: Record<string, number>;
  roundTripExact: boolean;
  buildMs: number;
}

const byType = (r: Record<string, number>): string => Object.entries(r).map(([t, n]) => `${t} ${n.toLocaleString('en-US')}`).join(', ');

export const graph: Section = {
  name: 'graph',
  title: 'Parameter graphs of the named architectures',
  plan: () => [variants().map((v) => ({ id: unitId(v), kind: 'graph-stats', params: v }))],
  executors: { 'graph-stats': graphUnit },
  summarize: (_s, results) => ({ architectures: variants().flatMap((v) => results.get(unitId(v)) ?? []) }),
  markdown(json) {
    const rows = (json as unknown as { architectures: GraphRow[] }).architectures;
    return [
      'Seeded weights (seed 0); the round trip inverts the graph back to weights and compares bit for bit.',
      '',
      '| architecture | in ch. | nodes | edges | params | nodes by type | edges by type | round trip | build (ms) |',
      '| --- | ---: | ---: | ---: | ---: | --- | --- | --- | ---: |',
      ...rows.map((r) =>
        `| ${r.arch} | ${r.inChannels} | ${r.nodes.toLocaleString('en-US')} | ${r.edges.toLocaleString('en-US')} | ${r.params.toLocaleString('en-US')} | ${byType(r.nodesByType)} | ${byType(r.edgesByType)} | ${r.roundTripExact ? 'exact' : '**NOT EXACT**'} | ${r.buildMs.toFixed(1)} |`,
      ),
    ].join('\n');
  },
};
