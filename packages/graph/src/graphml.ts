/**
 * GraphML export (XML, readable by Gephi, yEd, networkx, graphology-graphml). Built as an array
 * of lines joined once; parallel conv edges are kept (GraphML allows multigraphs).
 */
import type { NetSpec } from '@metanet/spec';
import { toGraphology } from './graphology';
import type { ParameterGraph } from './types';

const XML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };

function esc(s: string): string {
  return s.replace(/[&<>"']/g, (c) => XML_ESCAPES[c] as string);
}

const KEYS: ReadonlyArray<[id: string, domain: 'node' | 'edge', name: string, type: string]> = [
  ['d0', 'node', 'layer', 'int'],
  ['d1', 'node', 'ioIndex', 'int'],
  ['d2', 'node', 'type', 'string'],
  ['d3', 'node', 'label', 'string'],
  ['d4', 'edge', 'value', 'double'],
  ['d5', 'edge', 'layer', 'int'],
  ['d6', 'edge', 'type', 'string'],
  ['d7', 'edge', 'kh', 'int'],
  ['d8', 'edge', 'kw', 'int'],
  ['d9', 'edge', 'param', 'string'],
  ['d10', 'edge', 'paramIndex', 'int'],
];

/** Options of `toGraphML`. */
export interface ToGraphMLOptions {
  /** Adds node labels (spec layer and role), as in toGraphology. */
  spec?: NetSpec;
}

/**
 * The graph as a GraphML document. Values are written as the shortest decimal that reads back
 * to the same float32 through a double, so a reader that applies Math.fround recovers them bit for bit
 * (NaN payloads excepted).
 */
export function toGraphML(graph: ParameterGraph, options: ToGraphMLOptions = {}): string {
  const g = toGraphology(graph, options);
  const lines: string[] = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<graphml xmlns="http://graphml.graphdrawing.org/xmlns" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">',
  ];
  for (const [id, domain, name, type] of KEYS) lines.push(`  <key id="${id}" for="${domain}" attr.name="${name}" attr.type="${type}"/>`);
  const name = g.getAttribute('name');
  lines.push(`  <graph id="${esc(name ?? 'G')}" edgedefault="directed">`);
  g.forEachNode((key, a) => {
    const label = a.label === undefined ? '' : `<data key="d3">${esc(a.label)}</data>`;
    lines.push(`    <node id="n${key}"><data key="d0">${a.layer}</data><data key="d1">${a.ioIndex}</data><data key="d2">${a.type}</data>${label}</node>`);
  });
  g.forEachEdge((key, a, source, target) => {
    const param = a.param === undefined ? '' : `<data key="d9">${esc(a.param)}</data><data key="d10">${a.paramIndex}</data>`;
    lines.push(
      `    <edge id="e${key}" source="n${source}" target="n${target}"><data key="d4">${a.value}</data><data key="d5">${a.layer}</data><data key="d6">${a.type}</data><data key="d7">${a.kh}</data><data key="d8">${a.kw}</data>${param}</edge>`,
    );
  });
  lines.push('  </graph>', '</graphml>', '');
  return lines.join('\n');
}
