"""The causes of missed goals and the engine changes the measurements suggest,
from what the sections before left on the report (their text: prose/analysis.md)."""

import statistics

from ..common import (GOAL_CONVLSTM, GOAL_CPP_VS_PY, GOAL_EXTRACT, RECURRENT, fmt_ms, fmt_wall,
                      fmt_x, met)
from .. import prose
from .threads import outside_ms

PROSE = "analysis"


def text(block, **values):
    return prose.text(PROSE, block, **values)


def analysis(rep):
    rep.say(PROSE, "heading")
    rep.say(PROSE, "intro")
    training(rep)
    convlstm(rep)
    extraction(rep)
    threads(rep)
    jobs(rep)


def training(rep):
    ratios = sorted(c["ms"] / rep.train_py[n]["ms"] for n, c in rep.train_cpp.items()
                    if n in rep.train_py and n.split("/")[1] in RECURRENT and c["ms"]
                    and rep.train_py[n]["ms"])
    if not ratios:
        return
    rep.say(PROSE, "train-heading", goal="%.1f" % GOAL_CPP_VS_PY, outcome=met(rep.goal_of("train")))
    rep.line(PROSE, "train-measured", low=fmt_x(ratios[0]), high=fmt_x(ratios[-1]),
             median=fmt_x(statistics.median(ratios)))
    if rep.single_ratios:
        sr = sorted(rep.single_ratios)
        rep.line(PROSE, "train-single", low=fmt_x(sr[0]), high=fmt_x(sr[-1]),
                 median=fmt_x(statistics.median(sr)))
    rep.line(PROSE, "train-same-work")
    eq = []
    for arch in ("lstm", "gru"):
        c, p = rep.thr.get(("openblas-ob1", "2", arch)) or (None, None)
        cd, pd = rep.thr.get(("openblas", "2", arch)) or (None, None)
        if c and p and cd and pd:
            eq.append(text("train-blas-case", arch=arch.upper(), defaults=fmt_x(cd / pd),
                           one=fmt_x(c / p)))
    if eq:
        rep.line(PROSE, "train-blas", cases="; ".join(eq))
    if rep.prof:
        parts = []
        for name, r in rep.prof.get("train", {}).items():
            outside = outside_ms(r)
            parts.append("%s %.1f%% (%s of %s)" % (
                name, 100 * outside / r["profiled_step_ms"], fmt_ms(outside),
                fmt_ms(r["profiled_step_ms"])))
        rep.line(PROSE, "train-outside", cases=", ".join(parts))
    rep.say(PROSE, "train-beyond")


def convlstm(rep):
    if not rep.conv_rows:
        return
    rep.say(PROSE, "conv-heading", goal="%.1f" % GOAL_CONVLSTM,
            outcome=met(rep.goal_of("convlstm")))
    parts = [text("conv-measured-case", hidden=h, measured=fmt_x(r["ref"] / r["fast"]),
                  bound=fmt_x(r["bound"]))
             for h, r in sorted(rep.conv_rows.items()) if r["fast"] and r["ref"]]
    rep.line(PROSE, "conv-measured", cases="; ".join(parts))
    rep.line(PROSE, "conv-bound")
    exp = []
    for h, r in sorted(rep.conv_rows.items()):
        if r["fast"] and r.get("unbind") and r.get("unbind_hoist") and r["ref"]:
            exp.append(text(
                "conv-experiment-case", hidden=h, engine=fmt_x(r["ref"] / r["fast"]),
                unbind=fmt_x(r["ref"] / r["unbind"]), hoist=fmt_x(r["ref"] / r["unbind_hoist"]),
                channels_last=text("conv-experiment-channels-last",
                                   speedup=fmt_x(r["ref"] / r["unbind_hoist_cl"]))
                if r.get("unbind_hoist_cl") else ""))
    if exp:
        rep.line(PROSE, "conv-experiments", cases="; ".join(exp))
    one = []
    for h, t in sorted(rep.conv_single.items()):
        ref = t.get("reference")
        if ref and t.get("fast") and t.get("fast_unbind_hoist"):
            one.append(text(
                "conv-single-case", hidden=h, engine=fmt_x(ref / t["fast"]),
                unbind=fmt_x(ref / t["fast_unbind"]), hoist=fmt_x(ref / t["fast_unbind_hoist"]),
                bound=fmt_x((rep.conv_rows.get(h) or {}).get("bound")),
                channels_last=text("conv-single-channels-last",
                                   speedup=fmt_x(ref / t["fast_unbind_hoist_cl"]))
                if t.get("fast_unbind_hoist_cl") else ""))
    if one:
        rep.line(PROSE, "conv-single", cases="; ".join(one))
    rep.say(PROSE, "conv-close")


def extraction(rep):
    if not rep.ext:
        return
    rep.say(PROSE, "ext-heading", goal="%.1f" % GOAL_EXTRACT, outcome=met(rep.goal_of("extract")))
    for size, e in sorted(rep.ext.items()):
        if not (e["e2e"] and e["bb"] and e["frames"]):
            continue
        alone = e["frames"] / e["bb"]
        dec_share = e["bb"] / e["dec"] if e["dec"] else None
        rep.line(PROSE, "ext-size", size=size, ratio=fmt_x(e["ratio"]),
                 decode_share="%.0f%%" % (100 * dec_share) if dec_share else "n/a",
                 decode_fps="%.0f" % (e["dec"] or 0), backbone_fps="%.1f" % e["bb"],
                 in_backbone="%.1f" % (e["in_bb"] or 0), alone="%.1f" % alone,
                 slower="+%.0f%%" % (100 * ((e["in_bb"] or 0) / alone - 1)),
                 setup=fmt_ms(e["setup"]))
    rep.line(PROSE, "ext-interference")
    passive = [text("ext-passive-case", size=s, ratio=fmt_x(e["p_ratio"]),
                    backbone_fps="%.1f" % e["p_bb"])
               for s, e in sorted(rep.ext.items()) if e.get("p_ratio")]
    if passive:
        rep.line(PROSE, "ext-passive", cases="; ".join(passive))
    rep.say(PROSE, "ext-close")


def threads(rep):
    """Section 6 has no goal: what the engine's thread defaults cost."""
    t = rep.thr
    if not t:
        return

    def cpp(blas, n, arch):
        return (t.get((blas, n, arch)) or (None, None))[0]
    rep.say(PROSE, "threads-heading")
    for arch in ("lstm", "gru"):
        d1, d2 = cpp("openblas", "1", arch), cpp("openblas", "2", arch)
        c2 = cpp("openblas-cores", "2", arch)
        p2 = cpp("openblas-ob1-passive", "2", arch)
        r1 = cpp("reference", "1", arch)
        py2 = (t.get(("openblas", "2", arch)) or (None, None))[1]
        parts = []
        if d1 and d2:
            parts.append(text("threads-two", ratio=fmt_x(d2 / d1)))
        if d2 and c2:
            parts.append(text("threads-cores", cores=fmt_ms(c2), default=fmt_ms(d2),
                              ratio=fmt_x(c2 / d2)))
        if d2 and py2:
            parts.append(text("threads-python", python=fmt_ms(py2), ratio=fmt_x(d2 / py2)))
        if d2 and p2:
            parts.append(text("threads-passive", ratio=fmt_x(p2 / d2), passive=fmt_ms(p2),
                              default=fmt_ms(d2)))
        if d1 and r1:
            parts.append(text("threads-reference", ratio=fmt_x(r1 / d1)))
        if parts:
            rep.line(PROSE, "threads-arch", arch=arch.upper(), parts="; ".join(parts))
    rep.say(PROSE, "threads-why")


def jobs(rep):
    demo = rep.job.get("demo")
    if demo:
        rep.say(PROSE, "demo-heading", outcome=met(rep.goal_of("demo")))
        per_arch = {}
        for row in (rep.demo_report or {}).get("rows", []):
            if row.get("reference"):
                continue
            ts = row.get("train_seconds") or {}
            per_arch[row["arch"]] = per_arch.get(row["arch"], 0) + (ts.get("mean") or 0) * (
                ts.get("n") or 1)
        total = sum(per_arch.values())
        if total:
            rep.say(PROSE, "demo-per-arch", wall=fmt_wall(demo.wall_s), parts=", ".join(
                "%s %.0f s (%.0f%%)" % (k, v, 100 * v / total)
                for k, v in sorted(per_arch.items(), key=lambda kv: -kv[1])))
    if any([rep.job.get("extract-full"), rep.job.get("train-full")]):
        rep.say(PROSE, "peak-heading", outcome=met(rep.goal_of("peak")))
        rep.say(PROSE, "peak-why")


def proposals(rep):
    rep.say(PROSE, "proposals-heading")
    conv = []
    for h, r in sorted(rep.conv_rows.items()):
        if r["fast"] and r.get("unbind_hoist"):
            one = rep.conv_single.get(h) or {}
            conv.append(text(
                "proposal-unbind-case", hidden=h, fast=fmt_ms(r["fast"]),
                hoist=fmt_ms(r["unbind_hoist"]), speedup=fmt_x(r["fast"] / r["unbind_hoist"]),
                single=text("proposal-unbind-single", fast=fmt_ms(one["fast"]),
                            hoist=fmt_ms(one["fast_unbind_hoist"]),
                            speedup=fmt_x(one["fast"] / one["fast_unbind_hoist"]))
                if one.get("fast") and one.get("fast_unbind_hoist") else ""))
    if conv:
        cl = [fmt_x(r["unbind_hoist"] / r["unbind_hoist_cl"])
              for _, r in sorted(rep.conv_rows.items())
              if r.get("unbind_hoist") and r.get("unbind_hoist_cl")]
        rep.line(PROSE, "proposal-unbind", cases="; ".join(conv),
                 channels_last=", ".join(cl) or "n/a")
    t = rep.thr
    lstm_c = (t.get(("openblas-cores", "2", "lstm")) or (None,))[0]
    lstm_d = (t.get(("openblas", "2", "lstm")) or (None,))[0]
    lstm_p = (t.get(("openblas-ob1-passive", "2", "lstm")) or (None,))[0]
    if lstm_d and lstm_c:
        rep.line(PROSE, "proposal-blas", cores=fmt_ms(lstm_c), default=fmt_ms(lstm_d),
                 passive=" " + text("proposal-blas-passive", passive=fmt_ms(lstm_p))
                 if lstm_p else "")
    ext = ["size %d: %s -> %s" % (sz, fmt_x(e["ratio"]), fmt_x(e["p_ratio"]))
           for sz, e in sorted(rep.ext.items()) if e.get("ratio") and e.get("p_ratio")]
    if ext:
        rep.line(PROSE, "proposal-extract", cases="; ".join(ext))
    rep.add("")
