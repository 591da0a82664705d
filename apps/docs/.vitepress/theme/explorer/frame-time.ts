/**
 * Frame time of the explorer: rotates the camera a little each animation frame, forcing a full sigma render,
 * and reports the intervals between frames (what a user feels when panning) and the synchronous render time.
 */
import type Sigma from 'sigma';

/** Median and 95th-percentile frame interval and mean synchronous render time, in ms, over `frames` frames. */
export function measureFrames(renderer: Sigma, frames: number): Promise<{ medianMs: number; p95Ms: number; renderMs: number; frames: number }> {
  const camera = renderer.getCamera();
  const start = camera.getState();
  const intervals: number[] = [];
  let renderTotal = 0;
  return new Promise((resolve) => {
    let last = performance.now();
    let k = 0;
    const step = (): void => {
      const now = performance.now();
      if (k > 0) intervals.push(now - last);
      last = now;
      if (k === frames) {
        camera.setState(start);
        intervals.sort((a, b) => a - b);
        const q = (p: number): number => intervals[Math.min(intervals.length - 1, Math.floor(p * intervals.length))] as number;
        resolve({ medianMs: q(0.5), p95Ms: q(0.95), renderMs: renderTotal / frames, frames });
        return;
      }
      camera.setState({ ...start, angle: start.angle + 0.01 * (k + 1) });
      const t0 = performance.now();
      renderer.refresh();
      renderTotal += performance.now() - t0;
      k++;
      requestAnimationFrame(step);
    };
    requestAnimationFrame(step);
  });
}
