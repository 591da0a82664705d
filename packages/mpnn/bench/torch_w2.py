"""W2 reference in PyTorch 1.13 (CPU): the same GN blocks written the straightforward way
(concatenate [v_i, v_j, e, u] per edge, MLP, index_add_). Not a dependency: run it by hand
or via `node bench/mpnn.mjs --torch` to print the ratio side by side.

Debian's python3-torch calls whatever libblas.so.3 the alternatives system points at. With
only the reference BLAS installed its dense layers are about 6x slower (W2: 20 s instead of
3.2 s here), so install an optimised one first: apt-get install -y libopenblas0-pthread.
The JSON names the BLAS library that was loaded.

  python3 packages/mpnn/bench/torch_w2.py [--graph FILE] [--steps 3] [--threads N]

FILE (written by bench/mpnn.mjs) holds int32 N, E, G, then src[E], dst[E], nodeGraph[N],
edgeGraph[E]; without it, random indices of the W2 sizes are used. Prints one JSON line.
"""
import argparse, json, time, resource
import numpy as np
import torch
from torch import nn

p = argparse.ArgumentParser()
p.add_argument('--graph')
p.add_argument('--steps', type=int, default=3)
p.add_argument('--threads', type=int, default=0)
a = p.parse_args()
if a.threads > 0:
    torch.set_num_threads(a.threads)


def loaded_blas():
    """Path of the BLAS shared library mapped into this process (after torch's first matmul)."""
    torch.ones(2, 2) @ torch.ones(2, 2)
    with open('/proc/self/maps') as f:
        libs = {line.split()[-1] for line in f if 'blas' in line.lower() and '.so' in line}
    return sorted(libs)
torch.manual_seed(0)

if a.graph:
    raw = np.fromfile(a.graph, dtype=np.int32)
    N, E, G = int(raw[0]), int(raw[1]), int(raw[2])
    o = 3
    src = torch.from_numpy(raw[o:o + E].astype(np.int64)); o += E
    dst = torch.from_numpy(raw[o:o + E].astype(np.int64)); o += E
    ng = torch.from_numpy(raw[o:o + N].astype(np.int64)); o += N
    eg = torch.from_numpy(raw[o:o + E].astype(np.int64))
else:
    G, n1, e1 = 4, 214, 58474
    N, E = G * n1, G * e1
    src = torch.cat([torch.randint(0, n1, (e1,)) + g * n1 for g in range(G)])
    dst = torch.cat([torch.randint(0, n1, (e1,)) + g * n1 for g in range(G)])
    ng = torch.arange(G).repeat_interleave(n1)
    eg = torch.arange(G).repeat_interleave(e1)

H, HU, FN, FE = 32, 32, 41, 79

def mlp(i, o):
    return nn.Sequential(nn.Linear(i, H), nn.ReLU(), nn.Linear(H, o))

def seg_sum(x, idx, n):
    return torch.zeros(n, x.shape[1]).index_add_(0, idx, x)

class Block(nn.Module):
    def __init__(self):
        super().__init__()
        self.edge = mlp(2 * H + H + HU, H)
        self.msg = mlp(2 * H + H + HU, H)
        self.upd = mlp(H + H + HU, H)
        self.glob = mlp(H + H + HU, HU)
        self.ln_v = nn.LayerNorm(H)
        self.ln_u = nn.LayerNorm(HU)

    def forward(self, v, e, u):
        e = e + self.edge(torch.cat([v[dst], v[src], e, u[eg]], 1))
        m = self.msg(torch.cat([v[dst], v[src], e, u[eg]], 1))
        agg = seg_sum(m, dst, N)
        v = self.ln_v(v + self.upd(torch.cat([v, agg, u[ng]], 1)))
        u = self.ln_u(u + self.glob(torch.cat([seg_sum(v, ng, G), seg_sum(e, eg, G), u], 1)))
        return v, e, u

class GMN(nn.Module):
    def __init__(self):
        super().__init__()
        self.enc_v = nn.Linear(FN, H)
        self.enc_e = nn.Linear(FE, H)
        self.u0 = nn.Parameter(torch.zeros(1, HU))
        self.blocks = nn.ModuleList([Block() for _ in range(4)])
        self.phi_v = nn.Linear(H, H)
        self.phi_e = nn.Linear(H, H)
        self.rho = mlp(H + H + HU, 1)
        self.edge_head = mlp(2 * H + H + HU, 1)

    def forward(self, xv, xe):
        v, e, u = self.enc_v(xv), self.enc_e(xe), self.u0.expand(G, HU)
        for b in self.blocks:
            v, e, u = b(v, e, u)
        pv = seg_sum(torch.relu(self.phi_v(v)), ng, G)
        pe = seg_sum(torch.relu(self.phi_e(e)), eg, G)
        return self.rho(torch.cat([pv, pe, u], 1)), self.edge_head(torch.cat([v[dst], v[src], e, u[eg]], 1))

model = GMN()
opt = torch.optim.Adam(model.parameters(), lr=1e-3)
xv, xe = torch.randn(N, FN), torch.randn(E, FE)
times = []
for s in range(a.steps + 1):
    t0 = time.perf_counter()
    opt.zero_grad()
    g, ed = model(xv, xe)
    loss = ed.pow(2).mean() + g.pow(2).mean()
    loss.backward()
    opt.step()
    if s > 0:
        times.append((time.perf_counter() - t0) * 1000)
times.sort()
print(json.dumps({
    'variant': 'torch', 'torch': torch.__version__, 'threads': torch.get_num_threads(), 'blas': loaded_blas(), 'edges': E, 'nodes': N,
    'msPerStep': round(times[len(times) // 2]), 'msPerStepAll': [round(t) for t in times],
    'peakRssBytes': resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024,
}))
