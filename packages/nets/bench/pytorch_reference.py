"""Reference: the same training in PyTorch 1.13 (Debian python3-torch), for the
side-by-side ratio with @metanet/nets. Not a dependency of anything.

  /usr/bin/python3 bench/pytorch_reference.py --arch homework-cnn --epochs 5 [--limit K] [--steps N] [--threads T]

Reads the Fashion-MNIST IDX .gz files itself (numpy + gzip), normalises as
@metanet/data does ((x/255 - 0.286) / 0.353), holds out 10% as validation and
prints one JSON line. With --steps N it only times N training steps (on random
images with --random, as bench/train.mjs does); --eval N times an eval-mode
forward over N random images instead; --profile adds the time per op family.
Every timing JSON names the BLAS library torch loaded.
"""
import argparse, gzip, json, os, time
import numpy as np
import torch
import torch.nn as nn

def read_idx(path):
    with gzip.open(path, 'rb') if path.endswith('.gz') else open(path, 'rb') as f:
        data = f.read()
    ndim = data[3]
    dims = [int.from_bytes(data[4 + 4 * i: 8 + 4 * i], 'big') for i in range(ndim)]
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * ndim).reshape(dims)

def load(data_dir, split, limit):
    prefix = 'train' if split == 'train' else 't10k'
    def find(kind):
        for name in (f'{prefix}-{kind}-idx{3 if kind == "images" else 1}-ubyte.gz', f'{prefix}-{kind}-idx{3 if kind == "images" else 1}-ubyte'):
            p = os.path.join(data_dir, name)
            if os.path.exists(p):
                return p
        raise SystemExit(f'{split} {kind} not found in {data_dir}')
    x = read_idx(find('images'))[:limit].astype(np.float32) / 255.0
    y = read_idx(find('labels'))[:limit].astype(np.int64)
    x = (x - 0.286) / 0.353
    return torch.from_numpy(x).unsqueeze(1), torch.from_numpy(y)

def homework_cnn(c=1, classes=10):
    def block(i, o):
        return [nn.Conv2d(i, o, 3, padding=1), nn.BatchNorm2d(o), nn.ReLU()]
    return nn.Sequential(*block(c, 32), nn.AvgPool2d(2), nn.Dropout(0.1),
                         *block(32, 64), nn.AvgPool2d(2), nn.Dropout(0.1),
                         *block(64, 64), nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Dropout(0.1),
                         nn.Linear(64, 32), nn.ReLU(), nn.Dropout(0.1), nn.Linear(32, classes))

def small_cnn(c=1, w=16, classes=10):
    return nn.Sequential(nn.Conv2d(c, w, 3, 2, 1), nn.ReLU(), nn.Conv2d(w, w, 3, 2, 1), nn.ReLU(),
                         nn.Conv2d(w, w, 3, 2, 1), nn.ReLU(), nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(w, classes))

def loaded_blas():
    """Path of the BLAS shared library mapped into this process (after torch's first matmul)."""
    torch.ones(2, 2) @ torch.ones(2, 2)
    with open('/proc/self/maps') as f:
        libs = {line.split()[-1] for line in f if 'blas' in line.lower() and '.so' in line}
    return sorted(libs)

# Op families of the per-op breakdown (bench/train.mjs names the same ones). torch
# 1.13 computes both conv gradients in one convolution_backward op. Matched in
# this order, so convolution_backward is not taken for the forward convolution.
FAMILIES = [
    ('convBackward', ('convolution_backward', 'conv2d_backward')),
    ('convForward', ('convolution', 'conv2d')),
    ('pooling', ('pool', 'aten::mean')),
    ('normalisation', ('batch_norm',)),
    ('activationsDropout', ('relu', 'threshold', 'clamp_min', 'dropout', 'bernoulli')),
    ('optimizer', ('Optimizer.step', 'aten::_foreach', 'aten::addcdiv', 'aten::addcmul', 'aten::lerp', 'aten::sqrt', 'aten::div_', 'aten::add_', 'aten::mul_')),
]

def family(name):
    for fam, keys in FAMILIES:
        if any(k in name for k in keys):
            return fam
    return 'other'

def profile_steps(model, opt, loss_fn, xb, yb, steps):
    """Self CPU ms per step per op family (nested ops count once, where they run)."""
    from torch.autograd import profiler
    with profiler.profile() as prof:
        for _ in range(steps):
            opt.zero_grad()
            loss_fn(model(xb), yb).backward()
            opt.step()
    out = {}
    for e in prof.key_averages():
        # Optimizer.step's own record holds its ops; attribute its children to it.
        out[family(e.key)] = out.get(family(e.key), 0.0) + e.self_cpu_time_total / 1000 / steps
    return {k: round(v, 2) for k, v in out.items()}

def accuracy(model, x, y, bs=256):
    model.eval()
    correct = 0
    with torch.no_grad():
        for i in range(0, len(x), bs):
            correct += (model(x[i:i + bs]).argmax(1) == y[i:i + bs]).sum().item()
    return correct / len(x)

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--arch', default='homework-cnn')
    ap.add_argument('--epochs', type=int, default=5)
    ap.add_argument('--limit', type=int, default=None)
    ap.add_argument('--steps', type=int, default=None)
    ap.add_argument('--batch-size', type=int, default=64)
    ap.add_argument('--lr', type=float, default=1e-3)
    ap.add_argument('--seed', type=int, default=0)
    ap.add_argument('--threads', type=int, default=1)
    ap.add_argument('--random', action='store_true')
    ap.add_argument('--eval', type=int, default=None)
    ap.add_argument('--profile', action='store_true')
    ap.add_argument('--data-dir', default=os.environ.get('METANET_DATA_DIR', '/usr/share/datasets/fashion-mnist'))
    a = ap.parse_args()
    torch.manual_seed(a.seed)
    torch.set_num_threads(a.threads)
    if a.random or a.eval:
        return timing_only(a)
    x, y = load(a.data_dir, 'train', a.limit)
    g = torch.Generator().manual_seed(a.seed)
    perm = torch.randperm(len(x), generator=g)
    n_val = max(1, len(x) // 10)
    xv, yv, xt, yt = x[perm[:n_val]], y[perm[:n_val]], x[perm[n_val:]], y[perm[n_val:]]
    model = homework_cnn() if a.arch == 'homework-cnn' else small_cnn()
    opt = torch.optim.Adam(model.parameters(), lr=a.lr, foreach=False)
    loss_fn = nn.CrossEntropyLoss()
    steps_per_epoch = (len(xt) + a.batch_size - 1) // a.batch_size
    if a.steps:
        model.train()
        t0 = None
        for s in range(a.steps + 2):
            if s == 2:
                t0 = time.perf_counter()  # two warm-up steps
            i = (s * a.batch_size) % len(xt)
            xb, yb = xt[i:i + a.batch_size], yt[i:i + a.batch_size]
            opt.zero_grad()
            loss_fn(model(xb), yb).backward()
            opt.step()
        per_step = (time.perf_counter() - t0) / a.steps
        print(json.dumps({'impl': 'pytorch', 'torch': torch.__version__, 'threads': a.threads, 'arch': a.arch, 'secondsPerStep': per_step}))
        return
    best, history = None, []
    for e in range(a.epochs):
        t0 = time.perf_counter()
        model.train()
        order = torch.randperm(len(xt), generator=g)
        for i in range(0, len(xt), a.batch_size):
            idx = order[i:i + a.batch_size]
            opt.zero_grad()
            loss_fn(model(xt[idx]), yt[idx]).backward()
            opt.step()
        val = accuracy(model, xv, yv)
        history.append({'epoch': e + 1, 'valAccuracy': val, 'seconds': time.perf_counter() - t0})
        if best is None or val > best[0]:
            best = (val, {k: v.clone() for k, v in model.state_dict().items()}, e + 1)
    model.load_state_dict(best[1])
    xs, ys = load(a.data_dir, 'test', a.limit)
    print(json.dumps({'impl': 'pytorch', 'torch': torch.__version__, 'threads': a.threads, 'arch': a.arch, 'trainSize': len(xt),
                      'epochs': a.epochs, 'bestEpoch': best[2], 'testAccuracy': accuracy(model, xs, ys), 'history': history}))

def timing_only(a):
    """Random images: --eval N times an eval-mode forward pass over N images; else --steps training steps."""
    model = homework_cnn() if a.arch == 'homework-cnn' else small_cnn()
    base = {'impl': 'pytorch', 'torch': torch.__version__, 'threads': torch.get_num_threads(), 'blas': loaded_blas(), 'arch': a.arch, 'batch': a.batch_size}
    if a.eval:
        x = torch.randn(a.eval, 1, 28, 28)
        model.eval()
        with torch.no_grad():
            model(x[:a.batch_size])
            t0 = time.perf_counter()
            for i in range(0, a.eval, a.batch_size):
                model(x[i:i + a.batch_size])
        print(json.dumps({**base, 'images': a.eval, 'seconds': time.perf_counter() - t0}))
        return
    opt = torch.optim.Adam(model.parameters(), lr=a.lr, foreach=False)
    loss_fn = nn.CrossEntropyLoss()
    xb, yb = torch.randn(a.batch_size, 1, 28, 28), torch.arange(a.batch_size) % 10
    model.train()
    for _ in range(2):  # warm-up
        opt.zero_grad()
        loss_fn(model(xb), yb).backward()
        opt.step()
    t0 = time.perf_counter()
    for _ in range(a.steps):
        opt.zero_grad()
        loss_fn(model(xb), yb).backward()
        opt.step()
    out = {**base, 'secondsPerStep': (time.perf_counter() - t0) / a.steps}
    if a.profile:
        out['msPerStepByOp'] = profile_steps(model, opt, loss_fn, xb, yb, max(1, a.steps // 2))
    print(json.dumps(out))

if __name__ == '__main__':
    main()
