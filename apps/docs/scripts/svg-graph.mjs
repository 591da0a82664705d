/**
 * A tiny SVG renderer for small parameter graphs, for the Concepts figures. Layout by layer (x = the node's
 * `layer` feature, y = its rank in that layer), parallel edges (conv kernel positions) as quadratic curves
 * fanned out around the straight line, colour = sign and width = |value| as in the explorer.
 */
import { EDGE_FEATURE_DIM, EDGE_TYPES, NODE_FEATURE_DIM, NODE_TYPES } from '@metanet/graph';
import { NEGATIVE, NODE_COLORS, POSITIVE } from '../.vitepress/theme/explorer/node-colors.ts';


/** The graph as an SVG string, with a legend of the node types it contains. */
export function graphToSvg(graph, { width = 640, height = 360, title = '' } = {}) {
  const N = graph.numNodes;
  const E = graph.numEdges;
  const layer = (n) => graph.nodeFeatures[n * NODE_FEATURE_DIM];
  const type = (n) => NODE_TYPES[graph.nodeFeatures[n * NODE_FEATURE_DIM + 2]];
  const layers = new Map();
  for (let n = 0; n < N; n++) {
    const l = layer(n);
    if (!layers.has(l)) layers.set(l, []);
    layers.get(l).push(n);
  }
  const maxLayer = Math.max(...layers.keys());
  const pos = new Array(N);
  for (const [l, nodes] of layers) {
    nodes.forEach((n, i) => {
      // Bias, γ and β nodes sit a third of a layer to the left of their targets, as in the explorer.
      const side = ['bias', 'gamma', 'beta'].includes(type(n)) ? 0.35 : 0;
      pos[n] = [60 + ((l - side) / Math.max(1, maxLayer)) * (width - 120), 40 + ((i + 0.5) / nodes.length) * (height - 80)];
    });
  }
  let maxAbs = 0;
  for (let e = 0; e < E; e++) maxAbs = Math.max(maxAbs, Math.abs(graph.edgeFeatures[e * EDGE_FEATURE_DIM]));
  const pairCount = new Map();
  const pairSeen = new Map();
  const key = (e) => `${graph.edgeIndex[e]}-${graph.edgeIndex[E + e]}`;
  for (let e = 0; e < E; e++) pairCount.set(key(e), (pairCount.get(key(e)) ?? 0) + 1);
  const parts = [];
  for (let e = 0; e < E; e++) {
    const [x1, y1] = pos[graph.edgeIndex[e]];
    const [x2, y2] = pos[graph.edgeIndex[E + e]];
    const k = key(e);
    const i = pairSeen.get(k) ?? 0;
    pairSeen.set(k, i + 1);
    const n = pairCount.get(k);
    const v = graph.edgeFeatures[e * EDGE_FEATURE_DIM];
    const color = v >= 0 ? POSITIVE : NEGATIVE;
    const w = (0.4 + 2.6 * (Math.abs(v) / (maxAbs || 1))).toFixed(2);
    const t = EDGE_TYPES[graph.edgeFeatures[e * EDGE_FEATURE_DIM + 2]];
    const off = (i - (n - 1) / 2) * 14;
    const [mx, my] = [(x1 + x2) / 2, (y1 + y2) / 2];
    const len = Math.hypot(x2 - x1, y2 - y1) || 1;
    const [cx, cy] = [mx - ((y2 - y1) / len) * off, my + ((x2 - x1) / len) * off];
    parts.push(`<path d="M${x1.toFixed(1)},${y1.toFixed(1)} Q${cx.toFixed(1)},${cy.toFixed(1)} ${x2.toFixed(1)},${y2.toFixed(1)}" stroke="${color}" stroke-width="${w}" fill="none" opacity="0.75"><title>${t} edge ${e}: ${v.toFixed(3)}</title></path>`);
  }
  const present = new Set();
  for (let n = 0; n < N; n++) {
    const [x, y] = pos[n];
    present.add(type(n));
    parts.push(`<circle cx="${x.toFixed(1)}" cy="${y.toFixed(1)}" r="7" fill="${NODE_COLORS[type(n)]}" stroke="#222" stroke-width="0.8"><title>node ${n} (${type(n)}, layer ${layer(n)})</title></circle>`);
  }
  [...present].forEach((t, i) => {
    parts.push(`<circle cx="${14 + i * 90}" cy="${height - 12}" r="5" fill="${NODE_COLORS[t]}"/><text x="${22 + i * 90}" y="${height - 8}" font-size="11" font-family="sans-serif">${t}</text>`);
  });
  const heading = title ? `<text x="10" y="18" font-size="13" font-family="sans-serif">${title}</text>` : '';
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img"><rect width="100%" height="100%" fill="#fff"/>${heading}${parts.join('')}</svg>\n`;
}
