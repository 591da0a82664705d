"""PyTorch reference for the GN step in gn_step.mjs (same sizes, same maths).

Prints one JSON object: median milliseconds per step after warm-up
(`gn_step_torch.py REPS [THREADS]`), or with REPS=0 serves timed steps on stdin.
Reference only: metanet never depends on Python.
"""
import json
import statistics
import sys
import time

import torch


def loaded_blas() -> list:
    """The BLAS shared libraries mapped into this process (Debian's torch uses libblas.so.3)."""
    torch.ones(2, 2) @ torch.ones(2, 2)
    with open("/proc/self/maps") as f:
        return sorted({line.split()[-1] for line in f if "blas" in line.lower() and ".so" in line})


def main() -> None:
    n, e_count, d = 2000, 40000, 64
    reps = int(sys.argv[1]) if len(sys.argv) > 1 else 10
    threads = int(sys.argv[2]) if len(sys.argv) > 2 else torch.get_num_threads()
    torch.set_num_threads(threads)
    g = torch.Generator().manual_seed(1)
    x = torch.randn(n, d, generator=g)
    e = torch.randn(e_count, d, generator=g)
    src = torch.randint(0, n, (e_count,), generator=g)
    dst = torch.randint(0, n, (e_count,), generator=g)

    def lin(fan_in: int, fan_out: int) -> torch.nn.Parameter:
        return torch.nn.Parameter(torch.randn(fan_in, fan_out, generator=g) * (2 / (fan_in + fan_out)) ** 0.5)

    p = {k: lin(d, d) for k in ["w1dst", "w1src", "w1e", "w2", "v1x", "v1agg", "v2"]}
    for k in ["b1", "b2", "c1", "c2"]:
        p[k] = torch.nn.Parameter(torch.zeros(d))
    opt = torch.optim.Adam(p.values(), lr=1e-3)

    def step() -> float:
        opt.zero_grad()
        h1 = torch.relu((x @ p["w1dst"]).index_select(0, dst) + (x @ p["w1src"]).index_select(0, src) + e @ p["w1e"] + p["b1"])
        e_new = h1 @ p["w2"] + p["b2"]
        agg = torch.zeros(n, d).index_add_(0, dst, e_new)
        h2 = torch.relu(x @ p["v1x"] + agg @ p["v1agg"] + p["c1"])
        x_new = h2 @ p["v2"] + p["c2"]
        loss = (x_new ** 2).mean() + (e_new ** 2).mean()
        loss.backward()
        opt.step()
        return float(loss)

    for _ in range(3):
        step()
    if reps == 0:
        # Server mode for side-by-side timing: each input line "k" runs k steps
        # and answers with their times, so the caller can interleave with tfjs.
        print(json.dumps({"torch": torch.__version__, "threads": threads, "blas": loaded_blas()}), flush=True)
        for line in sys.stdin:
            k = int(line)
            out = []
            for _ in range(k):
                t0 = time.perf_counter()
                step()
                out.append((time.perf_counter() - t0) * 1000)
            print(json.dumps(out), flush=True)
        return
    times = []
    for _ in range(reps):
        t0 = time.perf_counter()
        step()
        times.append((time.perf_counter() - t0) * 1000)
    print(json.dumps({"torch": torch.__version__, "threads": threads, "gnStepMs": statistics.median(times)}))


if __name__ == "__main__":
    main()
