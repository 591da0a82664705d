import cliProgress from 'cli-progress';

/** A progress reporter: a bar with ETA on a TTY, sparse lines on stderr otherwise, nothing with --json. */
export interface Progress {
  update(done: number, info?: Record<string, string | number>): void;
  /** Changes the total, for work whose size is known only once it starts. */
  setTotal(total: number): void;
  stop(): void;
}

export interface ProgressOptions {
  label: string;
  total: number;
  /** Suppress all progress output (e.g. --json). */
  quiet?: boolean;
  /** Where to draw; default process.stderr (a TTY gets a bar, anything else sparse lines). */
  stream?: NodeJS.WriteStream | { write(s: string): unknown; isTTY?: boolean };
}

export function createProgress({ label, total: initialTotal, quiet, stream = process.stderr }: ProgressOptions): Progress {
  let total = initialTotal;
  if (quiet) return { update() {}, setTotal() {}, stop() {} };
  if (stream.isTTY) {
    // The bar is drawn at the first update, never before: a placeholder total
    // (work whose size is known only once it starts) would flash `0/1`.
    let bar: cliProgress.SingleBar | undefined;
    return {
      update(done, info) {
        if (!bar) {
          if (!(total > 0)) return;
          bar = new cliProgress.SingleBar(
            {
              format: `${label} [{bar}] {percentage}% | {value}/{total} | ETA {eta_formatted} | {info}`,
              stream: stream as NodeJS.WriteStream,
              hideCursor: true,
              etaBuffer: 20,
            },
            cliProgress.Presets.shades_classic,
          );
          bar.start(total, done, { info: formatInfo(info) });
          return;
        }
        bar.update(done, { info: formatInfo(info) });
      },
      setTotal(t) {
        total = t;
        bar?.setTotal(t);
      },
      stop() {
        bar?.stop();
      },
    };
  }
  // Not a terminal (CI, pipes): a line every 10 % keeps logs readable.
  const start = Date.now();
  let lastDecile = -1;
  return {
    update(done, info) {
      if (!(total > 0)) return;
      const decile = Math.floor((10 * done) / total);
      if (decile === lastDecile) return;
      lastDecile = decile;
      const elapsed = (Date.now() - start) / 1000;
      const eta = done > 0 ? (elapsed * (total - done)) / done : NaN;
      const etaText = Number.isFinite(eta) ? `, ETA ${eta.toFixed(0)}s` : '';
      stream.write(`${label}: ${done}/${total}${etaText}${info ? ` ${formatInfo(info)}` : ''}\n`);
    },
    setTotal(t) {
      total = t;
    },
    stop() {},
  };
}

function formatInfo(info?: Record<string, string | number>): string {
  if (!info) return '';
  return Object.entries(info)
    .map(([k, v]) => `${k} ${typeof v === 'number' ? (Number.isInteger(v) ? v : v.toFixed(4)) : v}`)
    .join(' ');
}

/** One bar at a time for work that runs in phases (a method's steps, then scoring, ...). */
export interface Phases {
  /** The bar of phase `label`: a new one when the label changes (the previous bar stops), else the current one with `total` applied. */
  phase(label: string, total: number): Progress;
  stop(): void;
}

export function createPhases(quiet: boolean | undefined, stream?: ProgressOptions['stream']): Phases {
  let current: { label: string; bar: Progress } | undefined;
  return {
    phase(label, total) {
      if (current?.label === label) {
        current.bar.setTotal(total);
        return current.bar;
      }
      current?.bar.stop();
      current = { label, bar: createProgress({ label, total, quiet, ...(stream && { stream }) }) };
      return current.bar;
    },
    stop() {
      current?.bar.stop();
      current = undefined;
    },
  };
}
