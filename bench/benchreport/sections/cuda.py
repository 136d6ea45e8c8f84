"""Sections 1 and 2 on a lent GPU (bench/gpu/run.sh on the device machine;
its results are committed under docs/bench-cuda/), and the engine's trainer
there on CUDA beside the same runs on that machine's CPU."""

import os

from ..common import (GOAL_CONVLSTM, GOAL_CPP_VS_PY, RECURRENT, fmt_ms, fmt_wall, fmt_x,
                      ratio, train_cases)
from ..load import Results, sizes_in
from .training import ratio_range

PROSE = "cuda"


def cuda(rep, cuda_dir):
    if not cuda_dir or not os.path.isdir(cuda_dir):
        return
    res = Results(cuda_dir)
    machine_txt = (res.text("machine.txt") or "").strip().splitlines()
    cpp = res.gbench("train-cpp-cuda.json")
    py = res.pybench("train-py-cuda.json")
    conv = res.gbench("convlstm-cuda.json")
    when = (res.text("date.txt") or "").strip()
    rep.say(PROSE, "heading")
    rep.say(PROSE, "intro", machine="; ".join(machine_txt[:1]) or "?", date=when or "date n/a",
            torch=" ".join(machine_txt[2:3]) or "?")
    rows, ratios, all_ok = [], [], True if cpp.samples else None
    for arch, h, name, _, _ in train_cases([64, 128, 256, 512], cpp.samples, py.results):
        c_ms = cpp.median_ms(name)
        p_ms = py.median_ms(name)
        if c_ms is None and p_ms is None:
            continue
        r = ratio(c_ms, p_ms)
        if arch in RECURRENT:
            ok = r is not None and r <= GOAL_CPP_VS_PY
            all_ok = all_ok and ok
            if r is not None:
                ratios.append((r, name))
            goal = "met" if ok else "missed"
        else:
            goal = "(not recurrent)"
        rows.append([arch, h, fmt_ms(c_ms), fmt_ms(p_ms), fmt_x(r), goal])
    rep.say(PROSE, "train-heading")
    rep.table(["arch", "hidden", "C++", "Python", "C++/Python", "goal"], rows)
    if ratios:
        rep.goal("cuda-train", "C++ training step vs Python on CUDA, every recurrent model",
                 "<= %.1fx" % GOAL_CPP_VS_PY, ratio_range(ratios), all_ok)
    convlstm(rep, conv)
    runs = (res.json("gpu-check.json") or {}).get("runs", [])
    if runs:
        rep.say(PROSE, "trainer-heading")
        rep.say(PROSE, "trainer-intro")
        rep.table(["arch", "hidden", "device", "accuracy", "macro F1", "epochs", "train time"],
                  [[r["arch"], r["hidden"], r["device"], "%.3f" % r["accuracy"],
                    "%.3f" % r["macro_f1"], r["epochs"], fmt_wall(r["train_seconds"])]
                   for r in runs])


def convlstm(rep, conv):
    rows, speedups = [], []
    for h in sizes_in(conv.samples):
        fast = conv.median_ms("convlstm/fast/%d" % h)
        ref = conv.median_ms("convlstm/reference/%d" % h)
        d_out = conv.context.get("diff/fast/%d/output" % h)
        sp = ratio(ref, fast)
        if sp is not None:
            speedups.append((sp, h))
        rows.append([h, fmt_ms(fast), fmt_ms(ref), fmt_x(sp),
                     "%.2g" % float(d_out) if d_out else "n/a"])
    if not rows:
        return
    rep.say(PROSE, "convlstm-heading")
    rep.table(["hidden", "fast", "reference", "speed-up", "max abs diff output"], rows)
    ok = all(sp >= GOAL_CONVLSTM for sp, _ in speedups) if speedups else None
    if conv.context.get("diff_ok") == "false":
        ok = False
    rep.goal("cuda-convlstm", "ConvLSTM fast path vs straightforward form on CUDA",
             ">= %.1fx" % GOAL_CONVLSTM,
             ", ".join("%s at %d" % (fmt_x(sp), h) for sp, h in speedups), ok)

