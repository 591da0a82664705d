/**
 * Frame time of the explorer. A pan, zoom or rotation only changes sigma's camera, and sigma answers a camera change
 * with a render of the buffers it already holds; `refresh()` instead re-indexes every node and edge and re-uploads
 * them, which only a change of the graph's data needs. So the frame time is measured the way a user's camera move
 * drives sigma: the camera rotates a little each animation frame and sigma renders on its own schedule. The cost of
 * a full `refresh()` per frame, the measure this function used to report, is returned beside it as `refreshMs`.
 */
import type Sigma from 'sigma';

/** Frame intervals of camera moves (median, 95th percentile), sigma's mean render time, and a full refresh's time, in ms. */
export interface FrameTimes {
  medianMs: number;
  p95Ms: number;
  renderMs: number;
  frames: number;
  /** Mean synchronous time of `renderer.refresh()` (re-index and re-upload everything, then render), over 5 calls. */
  refreshMs: number;
}

const REFRESHES = 5;

/** Measures `frames` camera-move frames, then `REFRESHES` full refreshes. */
export function measureFrames(renderer: Sigma, frames: number): Promise<FrameTimes> {
  const camera = renderer.getCamera();
  const start = camera.getState();
  const intervals: number[] = [];
  let renderTotal = 0;
  let renderStart = 0;
  const before = (): void => { renderStart = performance.now(); };
  const after = (): void => { renderTotal += performance.now() - renderStart; };
  renderer.on('beforeRender', before);
  renderer.on('afterRender', after);
  return new Promise((resolve) => {
    let last = performance.now();
    let k = 0;
    const step = (): void => {
      const now = performance.now();
      if (k > 0) intervals.push(now - last);
      last = now;
      if (k === frames) {
        renderer.off('beforeRender', before);
        renderer.off('afterRender', after);
        camera.setState(start);
        let refreshTotal = 0;
        for (let i = 0; i < REFRESHES; i++) {
          const t0 = performance.now();
          renderer.refresh();
          refreshTotal += performance.now() - t0;
        }
        intervals.sort((a, b) => a - b);
        const q = (p: number): number => intervals[Math.min(intervals.length - 1, Math.floor(p * intervals.length))] as number;
        resolve({ medianMs: q(0.5), p95Ms: q(0.95), renderMs: renderTotal / frames, frames, refreshMs: refreshTotal / REFRESHES });
        return;
      }
      // sigma schedules its render for this change now, so it runs in the next frame before `step`.
      camera.setState({ ...start, angle: start.angle + 0.01 * (k + 1) });
      k++;
      requestAnimationFrame(step);
    };
    requestAnimationFrame(step);
  });
}
