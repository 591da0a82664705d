/**
 * Where the e2e test clicks to pin a node of the explorer and pick one of its hidden pairs. `clickPlan` runs in the page
 * (passed to `page.evaluate`, so it closes over nothing) and reads the explorer's graphs and sigma's display data.
 */
/** A point in canvas pixels. */
export interface Point { x: number; y: number }

/** What the click-through test clicks, computed in the page from the explorer's own graphs and sigma's display data. */
export interface ClickPlan {
  nodeId: string;
  /** Where the node is, in canvas pixels. */
  node: Point;
  /** Its pairs that the zoomed-out view hides. */
  hiddenPairs: string[];
  /** A point on one of those pairs, more than 4 px from every other pair drawn while the node is pinned and 10 px from every node. */
  onPair: Point;
  /** That pair as the side panel should list it: its title and one row (tensor, index, value, kh, kw) per parameter. */
  pair: { title: string; entries: string[][] };
  /** A point more than 8 px from every pair drawn while the node is pinned and 10 px from every node. */
  empty: Point;
}

/**
 * Runs in the page: picks the first channel (more than 60 pairs) with a hidden pair that can be pointed at alone once
 * the channel is pinned, and on its hidden pairs the point farthest from every other pair drawn then.
 */
export function clickPlan(): ClickPlan {
  const x = (window as unknown as { __metanetExplorer: {
    graph: { getEdgeAttributes(e: string): { param?: string; paramIndex?: number; value: number; kh: number; kw: number; type: string } };
    view: { nodes(): string[]; edges(n?: string): string[]; degree(n: string): number; extremities(e: string): [string, string]; getNodeAttribute(n: string, k: string): number | string; getEdgeAttribute(e: string, k: string): unknown };
    renderer: { getEdgeDisplayData(e: string): { hidden: boolean } | undefined; graphToViewport(p: Point): Point; getDimensions(): { width: number; height: number } };
  } }).__metanetExplorer;
  const screen = new Map(x.view.nodes().map((n) => [n, x.renderer.graphToViewport({ x: x.view.getNodeAttribute(n, 'x') as number, y: x.view.getNodeAttribute(n, 'y') as number })]));
  const pos = (n: string): Point => screen.get(n) as Point;
  const distance = (p: Point, a: Point, b: Point): number => {
    const dx = b.x - a.x;
    const dy = b.y - a.y;
    const u = Math.max(0, Math.min(1, ((p.x - a.x) * dx + (p.y - a.y) * dy) / (dx * dx + dy * dy || 1)));
    return Math.hypot(p.x - (a.x + u * dx), p.y - (a.y + u * dy));
  };
  const { width, height } = x.renderer.getDimensions();
  const nodePoints = [...screen.values()];
  // Distance of p to the nearest listed pair, or 0 within 10 px of a node (its disc takes the pointer) or of the border.
  const clearance = (p: Point, pairs: string[]): number => {
    if (p.x < 10 || p.y < 10 || p.x > width - 10 || p.y > height - 10) return 0;
    if (nodePoints.some((q) => Math.hypot(p.x - q.x, p.y - q.y) < 10)) return 0;
    let d = Infinity;
    for (const e of pairs) {
      const [s, t] = x.view.extremities(e);
      d = Math.min(d, distance(p, pos(s), pos(t)));
    }
    return d;
  };
  const drawn = x.view.edges().filter((e) => x.renderer.getEdgeDisplayData(e)?.hidden === false);
  const candidates = x.view.nodes().filter((n) => x.view.getNodeAttribute(n, 'nodeType') === 'hidden' && x.view.degree(n) > 60);
  // Picking takes the nearest drawn pair: on the chosen one, every other must be farther by more than the pointer's rounding.
  const CLEAR_PX = 4;
  for (const nodeId of candidates) {
    let best: ClickPlan | null = null;
    let bestClearance = CLEAR_PX;
    const hiddenPairs = x.view.edges(nodeId).filter((e) => x.renderer.getEdgeDisplayData(e)?.hidden === true);
    const pinned = [...drawn, ...hiddenPairs];
    // Picking reaches at most 1.5 + 3 px from a pair: 8 px from every pair is empty stage.
    const empty = [{ x: 12, y: 12 }, { x: width - 12, y: 12 }, { x: 12, y: height - 12 }, { x: width - 12, y: height - 12 }].find((p) => clearance(p, pinned) > 8);
    if (!empty) continue;
    for (const e of hiddenPairs) {
      const [s, t] = x.view.extremities(e);
      const a = pos(s);
      const b = pos(t);
      const others = pinned.filter((o) => o !== e);
      for (let i = 1; i < 20; i++) {
        const onPair = { x: a.x + (b.x - a.x) * i / 20, y: a.y + (b.y - a.y) * i / 20 };
        const c = clearance(onPair, others);
        if (c <= bestClearance) continue;
        bestClearance = c;
        const entries = (x.view.getEdgeAttribute(e, 'entries') as string[]).map((k) => {
          const p = x.graph.getEdgeAttributes(k);
          return [p.param ?? `(${p.type}, no parameter)`, String(p.paramIndex ?? -1), p.value.toPrecision(4), String(p.kh), String(p.kw)];
        });
        const title = `${x.view.getNodeAttribute(s, 'label')} → ${x.view.getNodeAttribute(t, 'label')}`;
        best = { nodeId, node: pos(nodeId), hiddenPairs: hiddenPairs.sort(), onPair, pair: { title, entries }, empty };
      }
    }
    if (best) return best;
  }
  throw new Error('no hidden pair of a channel can be pointed at alone');
}
