/**
 * Level of detail for the explorer's edges. Zoomed out, each node keeps only its `STRONGEST_PER_NODE`
 * largest-magnitude incoming and outgoing pairs (819 of homework-cnn's 9,066): every node stays attached and the
 * weights that dominate show, where all 9,066 pairs over 214 nodes draw a solid mass. Zooming in past `DETAIL_RATIO`,
 * or hovering a node, draws the rest. Switching only flips `hidden` through sigma's edge reducer and re-uploads the
 * edges that changed (`refresh` with `partialGraph` and `skipIndexation`), never a full refresh.
 * Where the frame went: in headless Chromium (SwiftShader), a trace of 10 camera-move frames over every pair found
 * the GPU process executing WebGL for 10.8 s of about 12 s, the page waiting on the canvas read-back (ReadPixels)
 * for 10.2 s, and sigma's render at 6-17 ms of script a frame. Measured side by side (3 runs, load 14-16 on 2 cores):
 * every pair as a rectangle with sigma's edge picking 1,163 ms a frame, without the picking pass 373 ms (edge-pick.ts),
 * with the pairs outside the strongest on sigma's 1-pixel line program (`thin`) 100 ms, the strongest only 102 ms.
 * So the time is won by the picking and the line program; the level of detail is for reading the graph. The strongest
 * pairs keep the rectangle program, whose thickness shows the magnitude.
 */
import type Sigma from 'sigma';
import type { ViewEdgeAttributes, ViewGraph } from './view-graph';

/** How many incoming and how many outgoing pairs of each node stay drawn when zoomed out. */
export const STRONGEST_PER_NODE = 3;
/** Camera ratio (1 = the whole graph, smaller = zoomed in) at or below which every pair is drawn. */
export const DETAIL_RATIO = 0.5;

/** Nodes that hold one parameter per target (bias, γ, β): their pairs are ranked among themselves, from the source. */
const SIDE_NODES = new Set(['bias', 'gamma', 'beta']);

/**
 * Marks each node's `k` strongest incoming and `k` strongest outgoing pairs `strong` (drawn as rectangles at every
 * zoom) and the others `thin`. A neuron's incoming bias, γ and β pairs do not compete with its weights (γ starts at 1
 * and would take a slot in every channel of a normalised layer); each bias, γ or β node keeps its own `k` strongest
 * outgoing pairs instead. Returns how many pairs are strong.
 */
export function markStrongest(view: ViewGraph, k: number = STRONGEST_PER_NODE): number {
  const strong = new Set<string>();
  const top = (edges: string[]): void => {
    edges.sort((a, b) => Math.abs(view.getEdgeAttribute(b, 'value')) - Math.abs(view.getEdgeAttribute(a, 'value')));
    for (const e of edges.slice(0, k)) strong.add(e);
  };
  view.forEachNode((n) => {
    top(view.inEdges(n).filter((e) => !SIDE_NODES.has(view.getNodeAttribute(view.source(e), 'nodeType'))));
    top(view.outEdges(n));
  });
  view.forEachEdge((e, a) => {
    a.strong = strong.has(e);
    a.type = a.strong ? 'line' : 'thin';
  });
  return strong.size;
}

/** What the explorer draws now: a count for the page's note and the test. */
export interface DetailState {
  /** Pairs drawn now. */
  drawn: number;
  /** All pairs of the view graph. */
  total: number;
  /** True when every pair is drawn (zoomed in, or the level of detail switched off). */
  full: boolean;
}

/** The controller `attachLevelOfDetail` returns. */
export interface LevelOfDetail {
  /** The edge reducer to pass to sigma's settings (`edgeReducer`). */
  reducer(edge: string, attributes: ViewEdgeAttributes): ViewEdgeAttributes & { hidden: boolean };
  /** Starts following the camera; call once the renderer exists. */
  attach(renderer: Sigma): void;
  /** Draws every pair of `node` (hover), or none beyond the level's (null). */
  focus(node: string | null): void;
  /** Turns the level of detail off (every pair always drawn) or back on. */
  setEnabled(on: boolean): void;
  /** The current counts. */
  state(): DetailState;
  /** Whether `edge` is drawn now. */
  isDrawn(edge: string): boolean;
}

/** A level-of-detail controller over `view`; `onChange` hears every change of what is drawn. */
export function levelOfDetail(view: ViewGraph, onChange: (s: DetailState) => void = () => undefined): LevelOfDetail {
  let renderer: Sigma | null = null;
  let enabled = true;
  let zoomedIn = false;
  let focused: string | null = null;
  const weak = view.filterEdges((_e, a) => !a.strong);
  const strongCount = view.size - weak.length;
  const full = (): boolean => !enabled || zoomedIn;
  const isDrawn = (e: string): boolean => {
    if (full() || view.getEdgeAttribute(e, 'strong')) return true;
    return focused !== null && view.hasExtremity(e, focused);
  };
  const state = (): DetailState => {
    const focusExtra = focused !== null && !full() ? view.edges(focused).filter((e) => !view.getEdgeAttribute(e, 'strong')).length : 0;
    return { drawn: full() ? view.size : strongCount + focusExtra, total: view.size, full: full() };
  };
  const update = (edges: string[]): void => {
    if (renderer && edges.length) renderer.refresh({ partialGraph: { edges }, skipIndexation: true, schedule: true });
    onChange(state());
  };
  const weakOf = (node: string | null): string[] => (node === null ? [] : view.edges(node).filter((e) => !view.getEdgeAttribute(e, 'strong')));
  return {
    reducer: (e, a) => ({ ...a, hidden: !isDrawn(e) }),
    attach(r) {
      renderer = r;
      zoomedIn = r.getCamera().getState().ratio <= DETAIL_RATIO;
      r.getCamera().on('updated', (s) => {
        const now = s.ratio <= DETAIL_RATIO;
        if (now === zoomedIn) return;
        const before = full();
        zoomedIn = now;
        if (full() !== before) update(weak);
      });
      onChange(state());
    },
    focus(node) {
      if (node === focused) return;
      const changed = full() ? [] : [...weakOf(focused), ...weakOf(node)];
      focused = node;
      update(changed);
    },
    setEnabled(on) {
      if (on === enabled) return;
      const before = full();
      enabled = on;
      update(full() !== before ? weak : []);
    },
    state,
    isDrawn,
  };
}
