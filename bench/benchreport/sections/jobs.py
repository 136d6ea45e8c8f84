"""Sections 4 and 5: the demo and the UCF11-scale jobs under /usr/bin/time -v,
and the workbench's stall probe (ui/instruments/stallprobe.cpp) during a
demo-sized run in the window (tools/bench.sh, gui-stall.log)."""

import re

from ..common import (GOAL_DEMO_S, GOAL_PEAK_BYTES, GOAL_STALL_MS, fmt_bytes, fmt_wall)
from .. import prose

PROSE = "jobs"
JOBS = ("demo", "generate-full", "extract-full", "train-full")


def jobs(rep, quick):
    res = rep.res
    rep.say(PROSE, "heading")
    if quick and not res.exists("demo.time"):
        rep.say(PROSE, "skipped")
        rep.goal("demo", "`vidrnn demo` wall time", "<= 15 min", "skipped (--quick)", None)
        rep.goal("peak", "Peak memory at UCF11 scale", "<= 3 GB", "skipped (--quick)", None)
        return
    rep.say(PROSE, "intro")
    rows = []
    rep.job = {}
    for name in JOBS:
        label = prose.text(PROSE, "job-" + name)
        t = res.time_v(name + ".time")
        rep.job[name] = t
        if t is None:
            if name == "generate-full":
                rows.append([label, "reused", "", "", ""])
            continue
        rows.append([label, fmt_wall(t.wall_s), "%.0f s" % ((t.user_s or 0) + (t.sys_s or 0)),
                     fmt_bytes(t.max_rss_bytes),
                     "ok" if t.status == 0 else "exit %s" % t.status])
    rep.table(["job", "wall", "CPU (user+sys)", "max RSS", "status"], rows)
    demo = rep.job.get("demo")
    ok = None
    if demo and demo.wall_s is not None:
        ok = demo.status == 0 and demo.wall_s <= GOAL_DEMO_S
    rep.goal("demo", "`vidrnn demo` wall time", "<= 15 min",
             fmt_wall(demo.wall_s) if demo else "n/a", ok)
    peaks = [rep.job[n].max_rss_bytes for n in ("extract-full", "train-full") if rep.job[n]]
    peaks = [p for p in peaks if p]
    okm = max(peaks) <= GOAL_PEAK_BYTES if len(peaks) == 2 else None
    rep.goal("peak", "Peak memory at UCF11 scale (extract, ConvLSTM train)", "<= 3 GB",
             " / ".join(fmt_bytes(p) for p in peaks) or "n/a", okm)
    rep.demo_report = res.json("demo-report.json")
    ex = res.json_tail("extract-full.log")
    tr = res.json_tail("train-full.log")
    if ex:
        rep.say(PROSE, "extract-full", clips=ex.get("clips"), frames=ex.get("frames_computed"),
                fps="%.1f" % ex.get("frames_per_second", 0),
                backbone_fps="%.1f" % ex.get("backbone_frames_per_second", 0),
                decode_s="%.0f" % ex.get("decode_seconds", 0),
                backbone_s="%.0f" % ex.get("backbone_seconds", 0),
                seconds="%.0f" % ex.get("seconds", 0))
    if tr:
        rep.say(PROSE, "train-full", params="{:,}".format(tr.get("params", 0)),
                seconds="%.0f" % tr.get("train_seconds", 0))


def gui(rep):
    res = rep.res
    log = res.text("gui-stall.log")
    rep.say(PROSE, "gui-heading")
    if log is None:
        rep.say(PROSE, "gui-not-run")
        rep.goal("stall", "Longest UI-thread stall", "<= %d ms" % GOAL_STALL_MS, "not run", None)
        return
    display = (res.text("gui-stall.display") or "").strip()
    summary = re.search(r"(\d+) ticks, longest gap ([\d.]+) ms, p99 ([\d.]+) ms, median "
                        r"([\d.]+) ms; the UI thread itself busy at most ([\d.]+) ms", log)
    stalls = [(float(g), float(t), float(b)) for g, t, b in re.findall(
        r"stall: ([\d.]+) ms at ([\d.]+) s \(UI thread busy ([\d.]+) ms", log)]
    stages = re.findall(r"stage at ([\d.]+) s: (.*)", log)
    t = res.time_v("gui-stall.time")
    rep.say(PROSE, "gui-intro", display=prose.text(
        PROSE, "gui-xvfb" if display == "xvfb-run" else "gui-offscreen"))
    if not summary:
        rep.say(PROSE, "gui-no-summary",
                status=t.status if t and t.status is not None else "?")
        rep.goal("stall", "Longest UI-thread stall", "<= %d ms" % GOAL_STALL_MS, "no result",
                 False)
        return
    ticks, longest, p99, median, busy = summary.groups()
    longest = float(longest)
    rep.table(["ticks", "longest gap", "p99", "median", "UI thread busy in one gap (max)",
               "gaps over 30 ms", "wall", "max RSS"],
              [[ticks, "%.1f ms" % longest, "%s ms" % p99, "%s ms" % median, "%s ms" % busy,
                str(len(stalls)), fmt_wall(t.wall_s if t else None),
                fmt_bytes(t.max_rss_bytes if t else None)]])
    if stages:
        rep.say(PROSE, "gui-stages",
                stages="; ".join("%s at %s s" % (name, at) for at, name in stages))
    if stalls:
        worst = sorted(stalls, reverse=True)[:5]
        rep.say(PROSE, "gui-gaps",
                gaps="; ".join("%.1f ms at %.1f s (busy %.1f ms)" % w for w in worst))
    ok = longest <= GOAL_STALL_MS and (t.status if t and t.status is not None else 0) == 0
    rep.goal("stall", "Longest UI-thread stall (demo-sized run in the window)",
             "<= %d ms" % GOAL_STALL_MS, "%.1f ms (p99 %s ms)" % (longest, p99), ok)
