"""Where the time of a training step goes: PyTorch's profiler over a few steps
of the models of bench/train_step.py (the same ATen kernels the engine calls),
self CPU time per operator, grouped into GEMM (BLAS), convolution (oneDNN),
optimizer, elementwise and other; and the number of operator calls per step,
which is what a C++ caller saves Python overhead on.

Also profiles the two ConvLSTM forms of bench_convlstm (batched input-to-gates
convolution vs one convolution over cat(x, h) per step), forward + backward.

/usr/bin/python3 bench/profile_step.py --out build/dev/bench-results/profile.json
"""

import argparse
import json
import os
import sys
import time

import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import train_step  # noqa: E402


GEMM = {"aten::mm", "aten::addmm", "aten::bmm", "aten::matmul", "aten::_addmm_activation"}


def group_of(name):
    if "conv" in name:
        return "convolution"
    if name in GEMM:
        return "gemm"
    return "other ops"


def profile(fn, steps):
    fn()  # warm-up
    with torch.autograd.profiler.profile() as prof:
        t0 = time.perf_counter()
        for _ in range(steps):
            fn()
        wall = (time.perf_counter() - t0) / steps * 1000
    ops, groups, calls, optimizer = {}, {}, 0, 0.0
    for e in prof.key_averages():
        if e.key.startswith("Optimizer.step"):
            optimizer += e.cpu_time_total / 1000 / steps
        if e.key.startswith("autograd::engine") or e.key.startswith("Optimizer."):
            # ranges, not operators: their time is in the operators below them
            continue
        self_ms = e.self_cpu_time_total / 1000 / steps
        ops[e.key] = {"self_ms": self_ms, "calls": e.count / steps}
        g = group_of(e.key)
        groups[g] = groups.get(g, 0) + self_ms
        calls += e.count / steps
    total = sum(groups.values()) or 1
    top = sorted(ops.items(), key=lambda kv: -kv[1]["self_ms"])[:8]
    return {
        "profiled_step_ms": wall,
        "op_self_ms": total,
        "optimizer_step_ms": optimizer,
        "op_calls_per_step": calls,
        "groups": {k: {"ms": v, "share": v / total} for k, v in sorted(groups.items(),
                                                                        key=lambda kv: -kv[1])},
        "top": [{"op": k, "self_ms": v["self_ms"], "calls": v["calls"],
                 "share": v["self_ms"] / total} for k, v in top],
    }


def train_case(arch, hidden, args):
    torch.manual_seed(1)
    model = train_step.make_model(arch, 512, hidden)
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    x = (torch.randn(32, 16, 512, 7, 7) if arch == "convlstm" else torch.randn(32, 16, 512))
    lengths = torch.full((32,), 16, dtype=torch.long)
    labels = torch.randint(0, 11, (32,))

    def step():
        opt.zero_grad()
        clip, _ = model(x, lengths)
        F.cross_entropy(clip, labels).backward()
        opt.step()
    return profile(step, args.steps if arch != "convlstm" else 1)


def convlstm_forms(hidden, args):
    torch.manual_seed(7)
    cell = train_step.ConvLSTMCell(512, hidden)
    x = torch.randn(32, 16, 512, 7, 7)
    grad = torch.randn(32, 16, hidden, 7, 7)

    def reference():
        h = c = None
        outs = []
        for t in range(16):
            h, c = cell(x[:, t], h, c)
            outs.append(h)
        torch.stack(outs, 1).backward(grad)

    def fast():
        w_x = cell.conv.weight[:, :512]
        w_h = cell.conv.weight[:, 512:]
        xg = F.conv2d(x.flatten(0, 1), w_x, cell.conv.bias, padding=1)
        xg = xg.view(32, 16, 4 * hidden, 7, 7)
        h = c = None
        outs = []
        for t in range(16):
            g = xg[:, t] if h is None else xg[:, t] + F.conv2d(h, w_h, padding=1)
            i, f, o, gg = g.chunk(4, 1)
            i, f, o, gg = torch.sigmoid(i), torch.sigmoid(f), torch.sigmoid(o), torch.tanh(gg)
            c = i * gg if c is None else f * c + i * gg
            h = o * torch.tanh(c)
            outs.append(h)
        torch.stack(outs, 1).backward(grad)

    return {"reference": profile(reference, 1), "fast": profile(fast, 1)}


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--threads", type=int, default=0)
    p.add_argument("--steps", type=int, default=5)
    p.add_argument("--train", default="lstm:256,gru:256,bilstm:256,lstm:64,convlstm:64")
    p.add_argument("--convlstm", default="64")
    p.add_argument("--out")
    args = p.parse_args()
    torch.set_num_threads(args.threads if args.threads > 0 else (os.cpu_count() or 1))
    torch.set_num_interop_threads(1)
    doc = {"threads": torch.get_num_threads(), "train": {}, "convlstm": {}}
    for item in filter(None, args.train.split(",")):
        arch, hidden = item.split(":")
        doc["train"]["%s/%s" % (arch, hidden)] = r = train_case(arch, int(hidden), args)
        print("profile train %s/%s: %.1f ms, %.0f op calls/step, %s" % (
            arch, hidden, r["profiled_step_ms"], r["op_calls_per_step"],
            ", ".join("%s %.0f%%" % (k, v["share"] * 100) for k, v in r["groups"].items())),
            flush=True)
    for h in filter(None, args.convlstm.split(",")):
        doc["convlstm"][h] = r = convlstm_forms(int(h), args)
        for form, v in r.items():
            print("profile convlstm %s %s: %.1f ms, %s" % (
                h, form, v["profiled_step_ms"],
                ", ".join("%s %.0f%%" % (k, g["share"] * 100) for k, g in v["groups"].items())),
                flush=True)
    if args.out:
        with open(args.out, "w") as f:
            json.dump(doc, f, indent=1)


if __name__ == "__main__":
    main()
