// The PyTorch 1.13 reference the benchmarks compare against: Debian's python3-torch on one
// thread, like the wasm backend. Shared by bench:kernels, bench:mpnn and bench:train.
import { spawnSync } from 'node:child_process';

/** Debian's torch uses whatever libblas.so.3 is installed; the reference BLAS makes it several times slower, which would flatter the ratio. */
export function referenceBlasWarning(blas) {
  if (!Array.isArray(blas) || blas.some((p) => /openblas|mkl|blis|atlas/i.test(p))) return null;
  return 'torch ran on the reference BLAS; install libopenblas0-pthread for a fair comparison';
}

/**
 * Runs a reference script that prints one JSON line last, on one BLAS/OpenMP thread. Returns that
 * JSON (with `warning` when torch loaded the reference BLAS, also written to stderr under `label`),
 * or `{ failed: true, error }` with the tail of its stderr.
 */
export function runTorchScript(script, args, label, python = process.env.PYTHON ?? '/usr/bin/python3') {
  const r = spawnSync(python, [script, ...args], {
    encoding: 'utf8',
    env: { ...process.env, OPENBLAS_NUM_THREADS: '1', OMP_NUM_THREADS: '1' },
  });
  try {
    const out = JSON.parse(r.stdout.trim().split('\n').pop() ?? '');
    const warning = referenceBlasWarning(out.blas);
    if (warning) {
      out.warning = warning;
      process.stderr.write(`${label}: ${warning}\n`);
    }
    return out;
  } catch {
    return { failed: true, error: (r.stderr || '').split('\n').slice(-3).join(' | ').slice(0, 300) };
  }
}
