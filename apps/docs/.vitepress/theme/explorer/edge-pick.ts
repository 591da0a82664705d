/**
 * Finds the drawn edge under the pointer in JavaScript instead of sigma's edge picking. Sigma's `enableEdgeEvents`
 * draws every edge a second time each frame into a picking texture; in headless Chromium (SwiftShader) that pass
 * tripled homework-cnn's frame interval with every pair drawn (1,163 ms a frame with it, 373 ms without; medians of
 * 3 runs side by side, load 14-16 on 2 cores). A hover or a click instead measures its distance to each drawn segment
 * on the screen: at most 9,066 segments, 0.6-1 ms (median, Node, same loaded machine), only when the pointer moves.
 */
import type Sigma from 'sigma';
import type { ViewGraph } from './view-graph';

/** Pixels around a drawn edge's half-thickness that still count as on it. */
export const PICK_TOLERANCE_PX = 3;

/** The drawn edge nearest to the viewport point (x, y) within its half-thickness plus the tolerance, or null. */
export function edgeAt(renderer: Sigma, view: ViewGraph, isDrawn: (edge: string) => boolean, x: number, y: number): string | null {
  const screen = new Map<string, { x: number; y: number }>();
  const at = (n: string): { x: number; y: number } => {
    let p = screen.get(n);
    if (!p) {
      p = renderer.graphToViewport({ x: view.getNodeAttribute(n, 'x'), y: view.getNodeAttribute(n, 'y') });
      screen.set(n, p);
    }
    return p;
  };
  let best: string | null = null;
  let bestDistance = Infinity;
  view.forEachEdge((e, a, s, t) => {
    if (!isDrawn(e)) return;
    const p = at(s);
    const q = at(t);
    const d = segmentDistance(x, y, p.x, p.y, q.x, q.y);
    const reach = (a.strong ? a.size / 2 : 0.5) + PICK_TOLERANCE_PX;
    if (d <= reach && d < bestDistance) {
      best = e;
      bestDistance = d;
    }
  });
  return best;
}

/** Distance from (x, y) to the segment (ax, ay)-(bx, by). */
export function segmentDistance(x: number, y: number, ax: number, ay: number, bx: number, by: number): number {
  const dx = bx - ax;
  const dy = by - ay;
  const length2 = dx * dx + dy * dy;
  const u = length2 === 0 ? 0 : Math.max(0, Math.min(1, ((x - ax) * dx + (y - ay) * dy) / length2));
  return Math.hypot(x - (ax + u * dx), y - (ay + u * dy));
}
