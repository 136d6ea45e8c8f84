"""Section bf16 (tools/bench.sh section bf16): the training step of every
architecture in fp32 and bf16, the ConvLSTM layer in fp32, bf16 and as the
reference Python ConvLSTM runs it, and the demo with --precision fp32/auto."""

from ..common import (ARCHS, GOAL_BF16_LARGE, GOAL_BF16_SMALL, GOAL_DEMO_AUTO,
                      GOAL_VS_REFERENCE, fmt_bytes, fmt_ms, fmt_wall, fmt_x, ratio)
from ..load import sizes_in
from .convlstm import fast_path_flops

PROSE = "bf16"


def bf16(rep):
    res = rep.res
    train = {}
    for g in res.gbenches("bf16-train-*.json"):
        for name in g.samples:
            train[name] = g.median_ms(name)
    py = {}
    for p in res.pybenches("bf16-py-*.json"):
        for name, r in p.results.items():
            py[name] = r["median_ms"]
    conv, ref, diffs = {}, {}, {}
    conv_shape = {}
    for g in res.gbenches("bf16-conv-*.json"):
        conv_shape = g.shape()
        for name in g.samples:
            conv[name] = g.median_ms(name)
        for key, value in g.context.items():
            if key.startswith("diff/fast_bf16/") and key.endswith("/output"):
                diffs[int(key.split("/")[2])] = float(value)
    for p in res.pybenches("bf16-ref-*.json"):
        for name, r in p.results.items():
            ref[int(name.split("/")[1])] = r["median_ms"]
    demo = {p: res.time_v("bf16-demo-%s.time" % p) for p in ("fp32", "auto")}
    if not train and not conv and not any(demo.values()):
        return
    info = res.json("info.json") or {}
    rep.say(PROSE, "heading")
    rep.say(PROSE, "intro", native=info.get("native_bf16", "n/a"))
    training_table(rep, info, train, py)
    convlstm_table(rep, conv, ref, diffs, conv_shape)
    if demo["fp32"] and demo["auto"]:
        wf, wa = demo["fp32"].wall_s, demo["auto"].wall_s
        rep.say(PROSE, "demo-heading")
        rep.say(PROSE, "demo-intro")
        rep.table(["precision", "wall time", "peak memory"],
                  [[p, fmt_wall(demo[p].wall_s), fmt_bytes(demo[p].max_rss_bytes)]
                   for p in ("fp32", "auto")])
        acc = demo_accuracy(rep)
        rep.goal("bf16-demo", "`vidrnn demo --precision auto` vs fp32",
                 ">= %.1fx faster" % GOAL_DEMO_AUTO, "%s (%s -> %s)%s" % (
                     fmt_x(wf / wa), fmt_wall(wf), fmt_wall(wa),
                     "; mean test accuracy %.3f -> %.3f" % acc if acc else ""),
                 wf / wa >= GOAL_DEMO_AUTO)


def training_table(rep, info, train, py):
    # What --precision auto takes, from the binary's own rule (`vidrnn info`:
    # the smallest hidden size from which each architecture goes bf16).
    rule = info.get("auto_bf16_from_hidden") or {}
    native = not str(info.get("native_bf16", "none")).startswith("none")

    def auto_takes(arch, h):
        if arch not in rule:
            return "n/a"
        return "bf16" if native and rule[arch] is not None and h >= rule[arch] else "fp32"

    rows = []
    for arch in ARCHS:
        for h in sizes_in(n for n in train if n.split("/")[1] == arch):
            f = train.get("train_step/%s/%d" % (arch, h))
            b = train.get("train_step_bf16/%s/%d" % (arch, h))
            pf = py.get("train_step/%s/%d" % (arch, h))
            pb = py.get("train_step_bf16/%s/%d" % (arch, h))
            rows.append([arch, h, fmt_ms(f), fmt_ms(b), fmt_x(ratio(f, b)), auto_takes(arch, h),
                         fmt_ms(pf), fmt_ms(pb), fmt_x(ratio(pf, pb))])
    if rows:
        rep.say(PROSE, "train-heading")
        rep.say(PROSE, "train-intro")
        rep.table(["arch", "hidden", "fp32", "bf16", "fp32/bf16", "auto takes",
                   "Python fp32", "Python autocast bf16", "Python fp32/bf16"], rows)


def convlstm_table(rep, conv, ref, diffs, conv_shape):
    rows, speed, versus = [], [], []
    for h in sizes_in(conv):
        f = conv.get("convlstm/fast/%d" % h)
        b = conv.get("convlstm/fast_bf16/%d" % h)
        r = ref.get(h)
        sp = ratio(f, b)
        vs = ratio(r, b)
        goal = GOAL_BF16_SMALL if h <= 128 else GOAL_BF16_LARGE
        if sp is not None:
            speed.append((sp, h, sp >= goal))
        if vs is not None:
            versus.append((vs, h, vs >= GOAL_VS_REFERENCE))
        flops = fast_path_flops(conv_shape, h)

        def rate(ms):
            return "%.0f" % (flops / ms / 1e6) if flops and ms else "n/a"
        rows.append([h, fmt_ms(f), fmt_ms(b), fmt_x(sp), ">= %.1fx" % goal,
                     "%s / %s" % (rate(f), rate(b)), fmt_ms(r),
                     fmt_x(vs), fmt_x(ratio(r, f)),
                     "%.2g" % diffs[h] if h in diffs else "n/a"])
    if not rows:
        return
    rep.say(PROSE, "conv-heading")
    rep.say(PROSE, "conv-intro")
    rep.table(["hidden", "engine fp32", "engine bf16", "fp32/bf16", "goal",
               "GFLOP/s fp32 / bf16", "Python reference (fp32)", "reference / engine bf16",
               "reference / engine fp32", "bf16 output diff"], rows)
    if speed:
        rep.goal("bf16-convlstm", "ConvLSTM step bf16 vs fp32 (engine)",
                 ">= %.1fx at 64-128, >= %.1fx at 256-512" % (GOAL_BF16_SMALL, GOAL_BF16_LARGE),
                 ", ".join("%s at %d" % (fmt_x(x), h) for x, h, _ in speed),
                 all(ok for _, _, ok in speed))
    if versus:
        rep.goal("bf16-reference", "ConvLSTM step (engine, auto = bf16) vs the reference Python "
                 "ConvLSTM (fp32)", ">= %.1fx" % GOAL_VS_REFERENCE,
                 ", ".join("%s at %d" % (fmt_x(x), h) for x, h, _ in versus),
                 all(ok for _, _, ok in versus))


def demo_accuracy(rep):
    """The two demos' accuracy tables side by side (bench.sh keeps each
    store's `runs list --json`); returns the two mean accuracies."""
    runs = {}
    for p in ("fp32", "auto"):
        data = rep.res.json("bf16-demo-%s-runs.json" % p)
        if not data:
            return None
        runs[p] = {(r["arch"], r["hidden"]): r for r in data
                   if r.get("status") == "completed" and r.get("accuracy") is not None}
    cells = sorted(set(runs["fp32"]) & set(runs["auto"]),
                   key=lambda k: (ARCHS.index(k[0]) if k[0] in ARCHS else 99, k[1]))
    if not cells:
        return None
    rows, diffs = [], []
    for arch, h in cells:
        f, a = runs["fp32"][(arch, h)], runs["auto"][(arch, h)]
        d = a["accuracy"] - f["accuracy"]
        diffs.append(d)
        rows.append([arch, h, "%.3f" % f["accuracy"], a.get("precision") or "fp32",
                     "%.3f" % a["accuracy"], "%+.3f" % d,
                     "%.1f s / %.1f s" % (f.get("train_seconds") or 0,
                                          a.get("train_seconds") or 0)])
    mf = sum(runs["fp32"][c]["accuracy"] for c in cells) / len(cells)
    ma = sum(runs["auto"][c]["accuracy"] for c in cells) / len(cells)
    rep.say(PROSE, "accuracy-intro")
    rep.table(["arch", "hidden", "fp32", "auto took", "auto", "auto - fp32",
               "training time fp32 / auto"], rows)
    rep.say(PROSE, "accuracy-mean", cells=len(cells), fp32="%.3f" % mf, auto="%.3f" % ma,
            differ=sum(abs(d) > 0.031 for d in diffs))
    return mf, ma
