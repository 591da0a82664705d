// Side-by-side timing on a shared, noisy machine: variants run interleaved
// (A B C A B C ...) after warm-up, so load spikes hit every variant alike;
// we report medians.

export function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

export const round = (x, d = 2) => (x == null || !Number.isFinite(x) ? null : Number(x.toFixed(d)));

/**
 * variants: { name: { setup?(): void, run(): void|Promise<void> } }. `setup` runs
 * before each timed call (e.g. switching kernels) and is not timed.
 * Returns { name: medianMs } (null for a variant that threw, with its error).
 */
export async function interleave(variants, { warmup = 2, reps = 7 } = {}) {
  const times = Object.fromEntries(Object.keys(variants).map((k) => [k, []]));
  const errors = {};
  for (let r = 0; r < warmup + reps; r++) {
    for (const [name, v] of Object.entries(variants)) {
      if (errors[name]) continue;
      try {
        v.setup?.();
        const t0 = performance.now();
        await v.run();
        const dt = performance.now() - t0;
        if (r >= warmup) times[name].push(dt);
      } catch (e) {
        errors[name] = String(e?.message ?? e).split('\n')[0];
      }
    }
  }
  const out = {};
  for (const name of Object.keys(variants)) out[name] = errors[name] ? { ms: null, error: errors[name] } : { ms: round(median(times[name])) };
  return out;
}
