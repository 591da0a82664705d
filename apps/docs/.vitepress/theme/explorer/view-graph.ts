/**
 * The graph sigma draws, built from the full parameter graph (a graphology MultiDirectedGraph with one edge per
 * parameter). Design choice: one visual edge per (source, target) pair, not curved parallel edges. A 3×3 conv
 * puts 9 parallel edges between every channel pair; as curves they fan into an unreadable bundle, and they would
 * make sigma draw 58,474 edges for homework-cnn instead of 9,066 pairs. The side panel lists the pair's kernel
 * entries (kh, kw, value) instead, which is what a reader wants to see of a kernel anyway. Zoomed out, only each
 * node's strongest pairs are drawn (level-of-detail.ts).
 * Layout by layer: x is the node's `layer` feature, y its rank within the layer. Bias, γ and β nodes share their
 * targets' layer; they sit a third of a layer to the left, below, so their edges do not run along the column.
 */
import { DirectedGraph } from 'graphology';
import type { ParameterGraphology } from '@metanet/graph';
import { markStrongest } from './level-of-detail';
import { NEGATIVE, NODE_COLORS, POSITIVE } from './node-colors';

/** Attributes of a visual edge: the parameter edges (keys into the full graph) it stands for. */
export interface ViewEdgeAttributes {
  entries: string[];
  /** The entry of largest magnitude: its sign gives the colour. */
  value: number;
  size: number;
  color: string;
  /** Among its nodes' strongest pairs (drawn at every zoom); see level-of-detail.ts. */
  strong: boolean;
  /** Sigma's edge program: `line` (rectangles, thickness = magnitude) for strong pairs, `thin` (1 px lines) otherwise. */
  type: 'line' | 'thin';
}

/** Attributes of a visual node, as sigma reads them. */
export interface ViewNodeAttributes {
  x: number;
  y: number;
  size: number;
  color: string;
  label: string;
  type?: never;
  nodeType: string;
}

/** The view graph sigma renders. */
export type ViewGraph = DirectedGraph<ViewNodeAttributes, ViewEdgeAttributes>;

const TYPE_ORDER = ['input', 'hidden', 'output', 'spatial', 'head', 'gamma', 'beta', 'bias'];
const SIDE_NODES = new Set(['gamma', 'beta', 'bias']);

/** One visual edge per node pair, laid out by layer; colour = sign, thickness = magnitude; strongest pairs marked. */
export function toViewGraph(full: ParameterGraphology): ViewGraph {
  const view: ViewGraph = new DirectedGraph();
  const byLayer = new Map<number, string[]>();
  full.forEachNode((n, a) => {
    const list = byLayer.get(a.layer) ?? [];
    list.push(n);
    byLayer.set(a.layer, list);
  });
  const tallest = Math.max(...[...byLayer.values()].map((l) => l.length));
  const layerGap = Math.max(8, tallest / Math.max(1, byLayer.size - 1)) * 1.4;
  for (const [layer, nodes] of byLayer) {
    nodes.sort((a, b) => TYPE_ORDER.indexOf(full.getNodeAttribute(a, 'type')) - TYPE_ORDER.indexOf(full.getNodeAttribute(b, 'type')) || Number(a) - Number(b));
    nodes.forEach((n, i) => {
      const a = full.getNodeAttributes(n);
      view.addNode(n, {
        x: (layer - (SIDE_NODES.has(a.type) ? 0.35 : 0)) * layerGap,
        y: -(i - (nodes.length - 1) / 2),
        size: nodes.length > 200 ? 2 : 5,
        color: NODE_COLORS[a.type] ?? '#999',
        label: a.label ?? `${a.type} ${n}`,
        nodeType: a.type,
      });
    });
  }
  let maxAbs = 0;
  full.forEachEdge((e, a, s, t) => {
    const k = `${s}>${t}`;
    maxAbs = Math.max(maxAbs, Math.abs(a.value));
    if (view.hasEdge(k)) {
      const v = view.getEdgeAttributes(k);
      v.entries.push(e);
      if (Math.abs(a.value) > Math.abs(v.value)) v.value = a.value;
    } else {
      view.addDirectedEdgeWithKey(k, s, t, { entries: [e], value: a.value, size: 0, color: '', strong: false, type: 'thin' });
    }
  });
  view.forEachEdge((_k, v) => {
    v.size = 0.3 + 2.7 * (Math.abs(v.value) / (maxAbs || 1));
    v.color = v.value >= 0 ? POSITIVE : NEGATIVE;
  });
  markStrongest(view);
  return view;
}
