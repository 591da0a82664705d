/**
 * The explorer's level of detail and edge picking without a browser: which pairs are strong, what is drawn at each
 * zoom and around a hovered node, which edges a switch re-uploads, and the point-to-segment distance picking uses.
 */
import { toGraphology, toParameterGraph } from '@metanet/graph';
import { architecture, paramInfos } from '@metanet/spec';
import type Sigma from 'sigma';
import { describe, expect, it } from 'vitest';
import { segmentDistance } from '../.vitepress/theme/explorer/edge-pick';
import { DETAIL_RATIO, STRONGEST_PER_NODE, levelOfDetail, type DetailState } from '../.vitepress/theme/explorer/level-of-detail';
import { toViewGraph, type ViewGraph } from '../.vitepress/theme/explorer/view-graph';

/** An MLP 6-8-4 with distinct weights: 18 nodes + 2 bias nodes, 6·8 + 8·4 + 12 bias pairs. */
function smallView(): ViewGraph {
  const spec = architecture('mlp:6-8-4');
  let k = 0;
  const params = paramInfos(spec).map((p) => Float32Array.from({ length: p.shape.reduce((a, b) => a * b, 1) }, () => Math.sin(++k * 1.7) * k / 50));
  return toViewGraph(toGraphology(toParameterGraph(spec, params), { spec }));
}

/** Stands in for sigma: a camera that can be moved, and a record of partial refreshes. */
function fakeRenderer(): { renderer: Sigma; refreshed: string[][]; zoom(ratio: number): void } {
  let state = { x: 0.5, y: 0.5, angle: 0, ratio: 1 };
  const listeners: ((s: typeof state) => void)[] = [];
  const refreshed: string[][] = [];
  const camera = { getState: () => state, on: (_: string, f: (s: typeof state) => void) => listeners.push(f) };
  const renderer = { getCamera: () => camera, refresh: (o: { partialGraph: { edges: string[] } }) => refreshed.push(o.partialGraph.edges) } as unknown as Sigma;
  return { renderer, refreshed, zoom(ratio) { state = { ...state, ratio }; for (const f of listeners) f(state); } };
}

describe('level of detail', () => {
  it('marks each node\'s strongest incoming and outgoing pairs, and only those; bias pairs rank at their source', () => {
    const view = smallView();
    const magnitude = (e: string): number => Math.abs(view.getEdgeAttribute(e, 'value'));
    const fromBias = (e: string): boolean => view.getNodeAttribute(view.source(e), 'nodeType') === 'bias';
    view.forEachNode((n) => {
      for (const edges of [view.inEdges(n).filter((e) => !fromBias(e)), view.outEdges(n)]) {
        const sorted = [...edges].sort((a, b) => magnitude(b) - magnitude(a));
        for (const e of sorted.slice(0, STRONGEST_PER_NODE)) expect(view.getEdgeAttribute(e, 'strong')).toBe(true);
      }
    });
    view.forEachEdge((e, a, s, t) => {
      const rank = (edges: string[]): number => edges.filter((o) => magnitude(o) > magnitude(e)).length;
      const strongSomewhere = rank(view.outEdges(s)) < STRONGEST_PER_NODE || (!fromBias(e) && rank(view.inEdges(t).filter((o) => !fromBias(o))) < STRONGEST_PER_NODE);
      expect(a.strong).toBe(strongSomewhere);
      expect(a.type).toBe(a.strong ? 'line' : 'thin');
    });
  });

  it('draws the strong pairs zoomed out, every pair zoomed in, and re-uploads only the weak ones', () => {
    const view = smallView();
    const strong = view.filterEdges((_e, a) => a.strong).length;
    expect(strong).toBeLessThan(view.size);
    const seen: DetailState[] = [];
    const lod = levelOfDetail(view, (s) => seen.push(s));
    const { renderer, refreshed, zoom } = fakeRenderer();
    lod.attach(renderer);
    expect(lod.state()).toEqual({ drawn: strong, total: view.size, full: false });
    expect(view.filterEdges((e) => lod.isDrawn(e)).length).toBe(strong);
    expect(view.filterEdges((e, a) => lod.reducer(e, a).hidden).length).toBe(view.size - strong);
    zoom(DETAIL_RATIO * 0.9);
    expect(lod.state()).toEqual({ drawn: view.size, total: view.size, full: true });
    expect(new Set(refreshed.at(-1))).toEqual(new Set(view.filterEdges((_e, a) => !a.strong)));
    const refreshes = refreshed.length;
    zoom(DETAIL_RATIO * 0.5);
    expect(refreshed.length).toBe(refreshes);
    zoom(1);
    expect(lod.state().drawn).toBe(strong);
    expect(seen.at(-1)).toEqual(lod.state());
  });

  it('draws every pair of a hovered node, and none of them once it is left', () => {
    const view = smallView();
    const lod = levelOfDetail(view);
    const { renderer, refreshed } = fakeRenderer();
    lod.attach(renderer);
    const node = view.nodes().find((n) => view.edges(n).some((e) => !view.getEdgeAttribute(e, 'strong'))) as string;
    const weak = view.edges(node).filter((e) => !view.getEdgeAttribute(e, 'strong'));
    const before = lod.state().drawn;
    lod.focus(node);
    expect(lod.state().drawn).toBe(before + weak.length);
    for (const e of view.edges(node)) expect(lod.isDrawn(e)).toBe(true);
    expect(new Set(refreshed.at(-1))).toEqual(new Set(weak));
    lod.focus(null);
    expect(lod.state().drawn).toBe(before);
    for (const e of weak) expect(lod.isDrawn(e)).toBe(false);
  });

  it('switched off, it draws every pair at every zoom', () => {
    const view = smallView();
    const lod = levelOfDetail(view);
    lod.attach(fakeRenderer().renderer);
    lod.setEnabled(false);
    expect(lod.state()).toEqual({ drawn: view.size, total: view.size, full: true });
    lod.setEnabled(true);
    expect(lod.state().full).toBe(false);
  });
});

describe('edge picking distance', () => {
  it('measures to the segment, its ends included', () => {
    expect(segmentDistance(5, 3, 0, 0, 10, 0)).toBeCloseTo(3);
    expect(segmentDistance(-4, 3, 0, 0, 10, 0)).toBeCloseTo(5);
    expect(segmentDistance(13, -4, 0, 0, 10, 0)).toBeCloseTo(5);
    expect(segmentDistance(1, 1, 2, 2, 2, 2)).toBeCloseTo(Math.SQRT2);
  });
});
