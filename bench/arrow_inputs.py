#!/usr/bin/env python3
"""Exploration for issue 25, not part of vidrnn: which inputs let a small
recurrent model tell a real clip from the same clip played backwards?

Two parts, both read-only on their inputs:

  frames ARROW_DIR [--mode absdiff|app|both] [--seeds 5] [--epochs 60]
      Decodes every clip of the arrow-of-time set (ARROW_DIR/forward/*.avi,
      ARROW_DIR/backward/*.avi, groups gNN; built as docs/BENCHMARKS.md,
      "Real footage: the arrow of time", says) to 64x48 grey frames, and
      trains LSTM, GRU and a mean-pool baseline (hidden 64, Adam 1e-3,
      batch 8, dropout 0.3, no early stopping) in PyTorch on T = 16 steps per
      clip, 5 seeds, 9 random held-out groups per seed. Per step:
        absdiff  |frame(s+1) - frame(s)| averaged over a 6x8 grid (48-d): the
                 same multiset of steps for a clip and its reversal, so only
                 their order can separate the classes
        app      frame(s) on the 6x8 grid (48-d)
        both     the two, 96-d
      Prints test accuracy (mean and per seed) and order reliance (accuracy
      minus accuracy with the steps shuffled by one fixed permutation).

  drift CACHE_DIR SIGN_CLASS
      Reads vidrnn's feature cache (*.feat: 16 x 1280 MobileNetV2 features
      per clip, float32, at the end of the file) and asks whether the change
      of a clip's features over time points the same way across clips:
      D = mean(steps 8-15) - mean(steps 0-7), sign-flipped for clips of the
      class that is not SIGN_CLASS (e.g. Fwd for the arrow set, OutIn for the
      two-scene order set). Prints the mean cosine of D between clips of
      different groups, and the leave-one-group-out accuracy of the rule
      "sign of D . mean D of the other groups".

Needs numpy and (for frames) torch and ffmpeg. One thread:
  python3 bench/arrow_inputs.py frames /tmp/arrow25 --mode absdiff
  python3 bench/arrow_inputs.py drift /tmp/arrow25/cache Fwd
"""
import argparse, glob, os, random, re, subprocess, sys
import numpy as np

T, GH, GW, W, H = 16, 6, 8, 64, 48


def decode(arrow_dir):
    clips = {}
    for cls in ['forward', 'backward']:
        for f in sorted(glob.glob(f'{arrow_dir}/{cls}/*.avi')):
            raw = subprocess.run(['ffmpeg', '-nostdin', '-loglevel', 'error', '-i', f, '-vf',
                                  f'scale={W}:{H},format=gray', '-f', 'rawvideo', '-'],
                                 capture_output=True, check=True).stdout
            a = np.frombuffer(raw, np.uint8).reshape(-1, H, W).astype(np.float32) / 255
            clips[(cls, os.path.basename(f).split('_')[2])] = a
    return clips


def grid(x):
    return x.reshape(GH, H // GH, GW, W // GW).mean((1, 3)).ravel()


def steps(a, mode):
    idx = np.round(np.arange(T) * (a.shape[0] - 2) / (T - 1)).astype(int)
    out = []
    for s in idx:
        d = grid(np.abs(a[s + 1] - a[s]))
        x = {'absdiff': d, 'app': grid(a[s]), 'both': np.concatenate([d, grid(a[s])])}[mode]
        out.append(x)
    return np.stack(out)


def frames(args):
    import torch
    torch.set_num_threads(1)
    clips = decode(args.arrow_dir)
    keys = sorted(clips)
    groups = sorted({g for _, g in keys})
    X = {k: steps(clips[k], args.mode) for k in keys}
    mu = np.mean([X[k] for k in keys], axis=(0, 1))
    sd = np.std([X[k] for k in keys], axis=(0, 1)) + 1e-6
    X = {k: (v - mu) / sd for k, v in X.items()}

    class Model(torch.nn.Module):
        def __init__(self, arch, d, h=64):
            super().__init__()
            self.arch = arch
            self.r = {'lstm': lambda: torch.nn.LSTM(d, h, batch_first=True),
                      'gru': lambda: torch.nn.GRU(d, h, batch_first=True),
                      'mean': lambda: torch.nn.Linear(d, h)}[arch]()
            self.o = torch.nn.Linear(h, 2)
            self.dp = torch.nn.Dropout(0.3)

        def forward(self, x):
            z = torch.relu(self.r(x)).mean(1) if self.arch == 'mean' else self.r(x)[0][:, -1]
            return self.o(self.dp(z))

    def tensors(ks):
        return (torch.tensor(np.stack([X[k] for k in ks]), dtype=torch.float32),
                torch.tensor([k[0] == 'backward' for k in ks]).long())

    for arch in ['lstm', 'gru', 'mean']:
        accs, rels = [], []
        for seed in range(args.seeds):
            gs = groups[:]
            random.Random(seed).shuffle(gs)
            test = set(gs[:9])
            Xtr, ytr = tensors([k for k in keys if k[1] not in test])
            Xte, yte = tensors([k for k in keys if k[1] in test])
            torch.manual_seed(seed)
            m = Model(arch, Xtr.shape[2])
            opt = torch.optim.Adam(m.parameters(), 1e-3)
            for _ in range(args.epochs):
                m.train()
                perm = torch.randperm(len(ytr))
                for i in range(0, len(ytr), 8):
                    b = perm[i:i + 8]
                    opt.zero_grad()
                    torch.nn.functional.cross_entropy(m(Xtr[b]), ytr[b]).backward()
                    opt.step()
            m.eval()
            with torch.no_grad():
                acc = (m(Xte).argmax(1) == yte).float().mean().item()
                p = torch.randperm(T, generator=torch.Generator().manual_seed(seed))
                sacc = (m(Xte[:, p]).argmax(1) == yte).float().mean().item()
            accs.append(acc)
            rels.append(acc - sacc)
        print(f'{args.mode} {arch}: accuracy {np.mean(accs):.3f} {np.round(accs, 3).tolist()} '
              f'order reliance {np.mean(rels):.3f}', flush=True)


def drift(args):
    feats = {}
    for f in glob.glob(f'{args.cache_dir}/**/*.feat', recursive=True):
        b = open(f, 'rb').read()
        m = re.match(r'v_(\w+?)_g(\d+)_c(\d+)-', os.path.basename(f))
        feats[m.groups()] = np.frombuffer(b[-T * 1280 * 4:], np.float32).reshape(T, 1280)
    keys = sorted(feats)
    sign = np.array([1.0 if k[0] == args.sign_class else -1.0 for k in keys])
    D = np.stack([feats[k][T // 2:].mean(0) - feats[k][:T // 2].mean(0) for k in keys]) * sign[:, None]
    g = np.array([k[1] for k in keys])
    Dn = D / np.linalg.norm(D, axis=1, keepdims=True)
    iu = np.triu_indices(len(keys), 1)
    other = g[iu[0]] != g[iu[1]]
    cos = (Dn @ Dn.T)[iu][other]
    hits = [float(D[i] @ D[g != g[i]].mean(0) > 0) for i in range(len(keys))]
    step = np.mean([np.linalg.norm(np.diff(feats[k], axis=0), axis=1).mean() for k in keys])
    print(f'{len(keys)} clips, {len(set(g))} groups: |D| {np.linalg.norm(D, axis=1).mean():.2f}, '
          f'|x(t+1) - x(t)| {step:.2f}; cos(D_i, D_j) across groups {cos.mean():+.3f} '
          f'(sd {cos.std():.3f}); leave-one-group-out sign accuracy {np.mean(hits):.3f}')


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest='cmd', required=True)
    f = sub.add_parser('frames')
    f.add_argument('arrow_dir')
    f.add_argument('--mode', choices=['absdiff', 'app', 'both'], default='absdiff')
    f.add_argument('--seeds', type=int, default=5)
    f.add_argument('--epochs', type=int, default=60)
    d = sub.add_parser('drift')
    d.add_argument('cache_dir')
    d.add_argument('sign_class')
    args = ap.parse_args()
    frames(args) if args.cmd == 'frames' else drift(args)


if __name__ == '__main__':
    sys.exit(main())
