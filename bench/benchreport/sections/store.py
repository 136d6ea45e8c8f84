"""Section 7: the CLI and the workbench on stores of 0, 1k, 10k and 50k runs
(bench/store_scale.sh; goals of issue 16)."""

import json

from ..common import (GOAL_CLI_50K_EXTRA_S, GOAL_CLI_FAST_S, GOAL_JSON_PEAK_MB,
                      GOAL_WB_PEAK_MB, GOAL_WB_STALL_MS, GOAL_WB_USABLE_MS, STORE_SIZES)

PROSE = "store"


def read_cli(text):
    """cli.tsv (command, store, seconds, MB) -> names in order, times, peak MB."""
    times, mem, names = {}, {}, []
    for line in text.strip().splitlines():
        parts = line.split("\t")
        if len(parts) != 4:
            continue
        name, store, t, mb = parts
        n = int(store.split("-")[-1])
        if name not in names:
            names.append(name)
        times[(name, n)] = float(t)
        mem[(name, n)] = int(mb)
    return names, times, mem


def read_workbench(res, sizes):
    """store size -> the workbench's JSON lines (workbench-N.jsonl) for that store."""
    wb = {}
    for n in sizes:
        lines = res.text("store-scale/workbench-%d.jsonl" % n)
        if not lines:
            continue
        wb[n] = []
        for line in lines.splitlines():
            try:
                wb[n].append(json.loads(line))
            except ValueError:
                pass
    return wb


def store_scale(rep):
    cli = rep.res.text("store-scale/cli.tsv")
    rep.say(PROSE, "heading")
    if not cli:
        rep.say(PROSE, "not-run")
        return
    rep.say(PROSE, "intro")
    names, times, mem = read_cli(cli)
    sizes = [n for n in STORE_SIZES if any((name, n) in times for name in names)]
    rows = []
    for name in names:
        rows.append(["`vidrnn %s`" % name] +
                    ["%.2f s" % times[(name, n)] if (name, n) in times else "-"
                     for n in sizes] +
                    ["%d MB" % mem[(name, sizes[-1])] if (name, sizes[-1]) in mem else "-"])
    rep.table(["command"] + ["empty" if n == 0 else "%dk" % (n // 1000) for n in sizes] +
              ["peak memory at %dk" % (sizes[-1] // 1000)], rows)
    cli_goals(rep, names, times, mem, sizes)
    wb = read_workbench(rep.res, sizes)
    if wb:
        workbench(rep, wb)


def cli_goals(rep, names, times, mem, sizes):
    big = max(sizes)
    fast = [times[(name, n)] for name in ("--version", "runs list --limit 20")
            for n in sizes if (name, n) in times]
    if fast:
        rep.goal("cli-fast", "`vidrnn --version`, `runs list --limit 20`, any store",
                 "< %.2f s" % GOAL_CLI_FAST_S, "at most %.2f s" % max(fast),
                 max(fast) < GOAL_CLI_FAST_S)
    # store check reads every page by design, on request only: exempt like training.
    extra = [(name, times[(name, big)] - times[(name, 0)]) for name in names
             if name != "store check" and (name, big) in times and (name, 0) in times]
    if extra:
        worst = max(extra, key=lambda e: e[1])
        rep.goal("cli-extra", "Every CLI command at %dk within %.1f s of the empty store "
                 "(`store check` exempt: a full read on request)" % (
                     big // 1000, GOAL_CLI_50K_EXTRA_S),
                 "+%.1f s" % GOAL_CLI_50K_EXTRA_S,
                 "worst `%s` +%.2f s" % worst, worst[1] <= GOAL_CLI_50K_EXTRA_S)
    if ("runs list --json", big) in mem:
        m = mem[("runs list --json", big)]
        rep.goal("cli-json", "`runs list --json` peak memory at %dk" % (big // 1000),
                 "< %d MB" % GOAL_JSON_PEAK_MB, "%d MB" % m, m < GOAL_JSON_PEAK_MB)


def workbench(rep, wb):
    rep.say(PROSE, "workbench-intro")
    ns = sorted(wb)
    actions = [e["action"] for e in wb[ns[-1]] if "max_stall_ms" in e]
    rows = []
    for a in actions:
        row = [a]
        for n in ns:
            e = next((x for x in wb[n] if x.get("action") == a), None)
            row.append("%.0f / %.0f / %.0f ms" % (e["ms"], e["max_stall_ms"],
                                                  e.get("max_busy_ms", float("nan")))
                       if e else "-")
        rows.append(row)
    peak = {n: next((x["mb"] for x in wb[n] if x.get("action") == "peak memory"), None)
            for n in ns}
    rows.append(["peak memory (max RSS)"] + ["%.0f MB" % peak[n] if peak[n] else "-"
                                             for n in ns])
    constructed = {n: next((x["ms"] for x in wb[n]
                            if x.get("action") == "launch: window constructed"), None)
                   for n in ns}
    rep.table(["action: time / longest stall / busy"] + ["%dk" % (n // 1000) for n in ns], rows)
    if any(constructed.values()):
        rep.say(PROSE, "constructed", times=", ".join(
            "%.0f ms at %dk" % (constructed[n], n // 1000) for n in ns if constructed[n]))
    top = ns[-1]
    launch = next((x for x in wb[top] if x.get("action") == "launch to usable"), None)
    if launch:
        rep.goal("wb-usable", "Workbench usable after launch at %dk" % (top // 1000),
                 "< %.1f s" % (GOAL_WB_USABLE_MS / 1000.0), "%.2f s" % (launch["ms"] / 1000.0),
                 launch["ms"] < GOAL_WB_USABLE_MS and launch.get("finished"))
    worst = max((x for x in wb[top] if "max_stall_ms" in x), key=lambda x: x["max_stall_ms"])
    busiest = max((x for x in wb[top] if "max_busy_ms" in x),
                  key=lambda x: x["max_busy_ms"], default=None)
    rep.goal("wb-stall", "No UI-thread stall over %d ms at %dk, any listed action" % (
                 GOAL_WB_STALL_MS, top // 1000), "<= %d ms" % GOAL_WB_STALL_MS,
             "longest %.0f ms (%s)%s" % (
                 worst["max_stall_ms"], worst["action"],
                 "; most UI-thread CPU in one gap %.0f ms (%s)" % (
                     busiest["max_busy_ms"], busiest["action"]) if busiest else ""),
             worst["max_stall_ms"] <= GOAL_WB_STALL_MS)
    if peak.get(top):
        rep.goal("wb-peak", "Workbench peak memory at %dk" % (top // 1000),
                 "< %d MB" % GOAL_WB_PEAK_MB, "%.0f MB" % peak[top], peak[top] < GOAL_WB_PEAK_MB)
