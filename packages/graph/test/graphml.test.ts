import { describe, expect, it } from 'vitest';
import { architecture } from '@metanet/spec';
import { toGraphML, toParameterGraph } from '../src/index';
import { COVERAGE_SPECS, seededParams } from './helpers';

interface Element {
  name: string;
  attrs: Record<string, string>;
  text: string;
  children: Element[];
}

/** A strict little XML reader: balanced tags, quoted attributes, only the five entities. */
function parseXml(xml: string): Element {
  const body = xml.replace(/^<\?xml[^?]*\?>\s*/, '');
  const root: Element = { name: '#root', attrs: {}, text: '', children: [] };
  const stack: Element[] = [root];
  const token = /<(\/?)([A-Za-z_][\w:.-]*)((?:\s+[\w:.-]+="[^"<]*")*)\s*(\/?)>|([^<]+)/gy;
  let m: RegExpExecArray | null;
  let pos = 0;
  while (pos < body.length && (m = token.exec(body))) {
    pos = token.lastIndex;
    const top = stack[stack.length - 1] as Element;
    if (m[5] !== undefined) {
      if (/&(?!(amp|lt|gt|quot|apos);)/.test(m[5])) throw new Error(`bad entity in ${m[5]}`);
      top.text += m[5].replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, '&');
      continue;
    }
    if (m[1]) {
      if (top.name !== m[2]) throw new Error(`</${m[2]}> closes <${top.name}>`);
      stack.pop();
      continue;
    }
    const attrs: Record<string, string> = {};
    for (const a of (m[3] ?? '').matchAll(/([\w:.-]+)="([^"]*)"/g)) attrs[a[1] as string] = a[2] as string;
    const el: Element = { name: m[2] as string, attrs, text: '', children: [] };
    top.children.push(el);
    if (!m[4]) stack.push(el);
  }
  if (pos !== body.length) throw new Error(`unparsable XML at ${pos}: ${body.slice(pos, pos + 40)}`);
  if (stack.length !== 1) throw new Error(`unclosed <${stack[stack.length - 1]?.name}>`);
  return root;
}

describe('toGraphML', () => {
  it('writes valid GraphML that parses back to the same node and edge counts and values', () => {
    for (const spec of [architecture('small-cnn', { width: 2, inputSize: 6 }), COVERAGE_SPECS.attention!]) {
      const params = seededParams(spec);
      const g = toParameterGraph(spec, params);
      const doc = parseXml(toGraphML(g, { spec }));
      const graphml = doc.children[0] as Element;
      expect(graphml.name).toBe('graphml');
      const graph = graphml.children.find((c) => c.name === 'graph') as Element;
      expect(graph.attrs.edgedefault).toBe('directed');
      const nodes = graph.children.filter((c) => c.name === 'node');
      const edges = graph.children.filter((c) => c.name === 'edge');
      expect([nodes.length, edges.length]).toEqual([g.numNodes, g.numEdges]);
      const ids = new Set(nodes.map((n) => n.attrs.id));
      for (const e of edges) expect(ids.has(e.attrs.source) && ids.has(e.attrs.target)).toBe(true);
      // Values read back through Math.fround are the float32 weights, bit for bit.
      const first = edges[0] as Element;
      const value = first.children.find((c) => c.attrs.key === 'd4')?.text;
      expect(Math.fround(Number(value))).toBe(params[0]![0]);
    }
  });

  it('escapes names', () => {
    const spec = { ...architecture('mlp:2-1'), name: 'a<b & "c"' };
    const xml = toGraphML(toParameterGraph(spec, seededParams(spec)), { spec });
    expect(xml).toContain('id="a&lt;b &amp; &quot;c&quot;"');
    expect(() => parseXml(xml)).not.toThrow();
  });
});
