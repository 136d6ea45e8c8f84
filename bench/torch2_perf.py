"""Where the engine's training step spends its CPU time on LibTorch 1.13
(build/dev) and on 2.15 (build/torch2): `perf record` of bench_train on one
thread for one case in each build, the samples grouped by what ran (the BLAS's
matrix products, vector math, oneDNN, ATen's own kernels with dispatch and
autograd, libc, the kernel), each group's share times the measured median CPU
time of a step. The dynamic loader's samples (start-up) are left out; the
rest of set-up (model, data, warm-up) is a small part of a run of --min-time
seconds and is counted with the steps.

  python3 bench/torch2_perf.py --case gru/256 [--case mean_pool/64 ...]
      [--precision fp32|bf16] [--min-time 3] [--step-ms 1.13=MS,2.15=MS]

Without --step-ms the median CPU time of the recorded run itself is used.
Needs perf (linux-perf) and both builds' bench_train.
"""

import argparse
import collections
import json
import os
import subprocess
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
BUILDS = (("1.13", "build/dev"), ("2.15", "build/torch2"))


def group(symbol):
    if "sgemm" in symbol or "mkl_blas" in symbol:
        return "GEMM (BLAS)"
    if "mkl_vml" in symbol or "Sleef" in symbol:
        return "vector math (MKL VML / Sleef)"
    if "dnnl" in symbol or "[unknown]" in symbol or "ideep" in symbol:
        return "oneDNN (library and JIT code)"
    if "ld-linux" in symbol:
        return None
    if "[k]" in symbol:
        return "kernel (page faults, ...)"
    if "libc.so" in symbol:
        return "libc (malloc, memcpy, ...)"
    return "ATen kernels, dispatch, autograd"


def record(build, arch, hidden, precision, min_time, tmp):
    data = os.path.join(tmp, "perf.data")
    env = dict(os.environ, OPENBLAS_NUM_THREADS="1")
    out = subprocess.run(
        ["perf", "record", "-q", "-F", "2000", "-o", data,
         os.path.join(ROOT, build, "bench", "bench_train"), "--archs=" + arch,
         "--hidden=%d" % hidden, "--precisions=" + precision, "--threads=1", "--repetitions=1",
         "--min-time=%g" % min_time, "--benchmark_format=json"],
        env=env, capture_output=True, text=True, check=True).stdout
    step_ms = json.loads(out)["benchmarks"][0]["cpu_time"]
    report = subprocess.run(["perf", "report", "-i", data, "--no-children", "--sort", "dso,sym",
                             "-n", "-q", "-g", "none"], capture_output=True, text=True,
                            check=True).stdout
    samples = collections.Counter()
    for line in report.splitlines():
        parts = line.split(None, 2)
        if len(parts) < 3 or not parts[0].endswith("%"):
            continue
        g = group(parts[2])
        if g:
            samples[g] += int(parts[1])
    total = sum(samples.values())
    return step_ms, {g: n / total for g, n in samples.items()}


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--case", action="append", required=True, help="ARCH/HIDDEN")
    p.add_argument("--precision", default="fp32")
    p.add_argument("--min-time", type=float, default=3.0)
    p.add_argument("--step-ms", action="append", default=[],
                   help="1.13=MS,2.15=MS per --case, in order (measured elsewhere)")
    args = p.parse_args()
    for i, case in enumerate(args.case):
        arch, hidden = case.split("/")
        given = {}
        if i < len(args.step_ms):
            given = dict(kv.split("=") for kv in args.step_ms[i].split(","))
        shares, steps = {}, {}
        with tempfile.TemporaryDirectory() as tmp:
            for side, build in BUILDS:
                recorded, shares[side] = record(build, arch, int(hidden), args.precision,
                                                args.min_time, tmp)
                steps[side] = float(given.get(side, recorded))
        print("%s/%s %s: ms per step (share x step), 1.13 | 2.15 | difference" % (
            arch, hidden, args.precision))
        groups = sorted(set(shares["1.13"]) | set(shares["2.15"]),
                        key=lambda g: -shares["2.15"].get(g, 0))
        for g in groups:
            a = shares["1.13"].get(g, 0) * steps["1.13"]
            b = shares["2.15"].get(g, 0) * steps["2.15"]
            print("  %-34s %7.3f %7.3f %+7.3f" % (g, a, b, b - a))
        print("  %-34s %7.3f %7.3f %+7.3f" % ("step", steps["1.13"], steps["2.15"],
                                               steps["2.15"] - steps["1.13"]), flush=True)


if __name__ == "__main__":
    main()
