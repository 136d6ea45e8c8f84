"""The kernels behind the training step, alone, on one thread: the fp32 matrix
products of the GRU, mean-pool and Transformer steps (B = 32, T = 16, D = 512),
and the element-wise operators of Adam and the GRU cell. Run it under Debian's
python3-torch 1.13 and under .venv-torch2's 2.15 to compare the libraries the
two LibTorches call (1.13: OpenBLAS; 2.15: the wheel's MKL and MKL's vector
math), case by case; the engine calls the same ATen operators.

  OPENBLAS_NUM_THREADS=1 /usr/bin/python3 bench/torch2_kernels.py
  .venv-torch2/bin/python bench/torch2_kernels.py [--oneDNN]

Each figure is the median CPU time of one call (us) over 5 repetitions of
--min-time seconds. --oneDNN adds the same products through oneDNN's fp32
inner product (torch._C._nn.mkldnn_linear on an mkldnn input), which ATen
uses for no fp32 product on x86 by itself.
"""

import argparse
import statistics
import time

import torch

# (M, K, N) of torch.mm(M x K, K x N): GRU input projection over B*T = 512
# rows and its backward products (hidden 256: 3H = 768), the per-step hidden
# products, and the mean-pool embedding (512 -> 256) forward and backward.
GEMMS = [(512, 512, 768), (768, 512, 512), (32, 256, 768), (768, 32, 256), (32, 768, 256),
         (512, 512, 256), (256, 512, 512), (512, 512, 192)]


def cpu_us(fn, min_time):
    for _ in range(10):
        fn()
    reps = []
    for _ in range(5):
        n = 0
        c0 = time.process_time()
        while time.process_time() - c0 < min_time:
            fn()
            n += 1
        reps.append((time.process_time() - c0) / n * 1e6)
    return statistics.median(reps)


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--min-time", type=float, default=0.2)
    p.add_argument("--oneDNN", action="store_true")
    args = p.parse_args()
    torch.set_num_threads(1)
    torch.manual_seed(1)
    print("torch", torch.__version__)
    for m, k, n in GEMMS:
        a, b = torch.randn(m, k), torch.randn(k, n)
        line = "mm %dx%dx%d: %.1f us" % (m, k, n, cpu_us(lambda: torch.mm(a, b), args.min_time))
        if args.oneDNN:
            am, w = a.to_mkldnn(), b.t().contiguous()
            line += ", oneDNN %.1f us" % cpu_us(lambda: torch._C._nn.mkldnn_linear(am, w),
                                                args.min_time)
        print(line, flush=True)
    x = torch.rand(768, 512) + 0.1
    y = torch.rand(768, 512)
    o = torch.empty_like(x)
    for name, fn in [("sqrt", lambda: x.sqrt()), ("tanh", lambda: x.tanh()),
                     ("sigmoid", lambda: x.sigmoid()), ("div", lambda: x / 3.0),
                     ("add_", lambda: o.add_(y, alpha=0.1)),
                     ("addcmul_", lambda: o.addcmul_(y, y, value=0.001)),
                     ("addcdiv_", lambda: o.addcdiv_(y, x, value=-0.001)),
                     ("mul_", lambda: o.mul_(0.9))]:
        print("%s 768x512: %.1f us" % (name, cpu_us(fn, args.min_time)), flush=True)
    s, t = torch.rand(2), torch.rand(2)
    print("add of 2 elements (dispatch, from Python): %.2f us" %
          cpu_us(lambda: torch.add(s, t), args.min_time))


if __name__ == "__main__":
    main()
