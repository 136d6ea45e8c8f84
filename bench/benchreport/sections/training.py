"""Sections 1 and 1b: the training step, C++ (bench_train) against Python
(bench/train_step.py), on all cores and on one thread."""

from ..common import (GOAL_CPP_VS_PY, RECURRENT, fmt_ms, fmt_x, train_cases)
from ..load import sizes_in

PROSE = "training"


def training(rep):
    cpp, py = {}, {}
    for g in rep.res.gbenches("train-cpp-*.json"):
        for name in g.samples:
            cpp[name] = {"ms": g.median_ms(name), "cpu": g.median_cpu_ms(name),
                         "params": g.median_counter(name, "params"), "n": g.count(name)}
    for p in rep.res.pybenches("train-py-*.json"):
        for name, res in p.results.items():
            py[name] = {"ms": res["median_ms"], "cpu": res.get("median_cpu_ms"),
                        "params": res.get("params"), "n": len(res["times_ms"])}
    hidden = sizes_in(list(cpp) + list(py))
    rows, ratios = [], []
    all_ok = True if cpp else None
    for arch, h, name, c, p in train_cases(hidden, cpp, py):
        if not c and not p:
            continue
        ratio = c["ms"] / p["ms"] if c and p and c["ms"] and p["ms"] else None
        cpu_ratio = c["cpu"] / p["cpu"] if c and p and c["cpu"] and p["cpu"] else None
        if arch in RECURRENT:
            ok = ratio is not None and ratio <= GOAL_CPP_VS_PY
            all_ok = all_ok and ok
            goal = "met" if ok else "missed"
            if ratio is not None:
                ratios.append((ratio, name))
        else:
            goal = "(not recurrent)"
        params = ""
        if c and p and c["params"] is not None and p["params"] is not None:
            same = int(c["params"]) == int(p["params"])
            params = ("{:,}".format(int(c["params"])) if same
                      else "%d / %d (differ!)" % (c["params"], p["params"]))
        rows.append([arch, h, params, fmt_ms(c["ms"] if c else None),
                     fmt_ms(p["ms"] if p else None), fmt_x(ratio), goal,
                     fmt_x(cpu_ratio),
                     "%s / %s" % (c["n"] if c else "-", p["n"] if p else "-")])
    rep.say(PROSE, "heading")
    rep.say(PROSE, "intro", goal="%.1f" % GOAL_CPP_VS_PY)
    rep.table(["arch", "hidden", "parameters", "C++", "Python", "C++/Python", "goal",
               "C++/Python CPU time", "repetitions C++ / Py"], rows)
    rep.goal("train", "C++ training step vs Python, every recurrent model",
             "<= %.1fx" % GOAL_CPP_VS_PY, ratio_range(ratios), all_ok)
    rep.train_cpp, rep.train_py = cpp, py


def ratio_range(ratios):
    """"0.70x to 0.95x (worst: gru/256)" from (ratio, case name) pairs."""
    if not ratios:
        return "n/a"
    worst = max(ratios)
    return "%s to %s (worst: %s)" % (fmt_x(min(ratios)[0]), fmt_x(worst[0]),
                                     worst[1].split("/", 1)[1])


def training_single(rep):
    """The same comparison on one thread (OPENBLAS_NUM_THREADS=1 too): CPU time
    measures the work and barely depends on other load on the machine."""
    cpp, py = {}, {}
    for g in rep.res.gbenches("train1-cpp-*.json"):
        for name in g.samples:
            cpp[name] = (g.median_ms(name), g.median_cpu_ms(name))
    for p in rep.res.pybenches("train1-py-*.json"):
        for name, res in p.results.items():
            py[name] = (res["median_ms"], res.get("median_cpu_ms"))
    if not cpp:
        return
    rows, ratios = [], []
    for arch, h, name, c, p in train_cases(sizes_in(cpp), cpp, py):
        if not c or not p:
            continue
        r = c[1] / p[1] if c[1] and p[1] else None
        if r and arch in RECURRENT:
            ratios.append(r)
        rows.append([arch, h, fmt_ms(c[1]), fmt_ms(p[1]), fmt_x(r),
                     fmt_x(c[0] / p[0] if c[0] and p[0] else None)])
    rep.say(PROSE, "single-heading")
    rep.say(PROSE, "single-intro")
    rep.table(["arch", "hidden", "C++ CPU time", "Python CPU time", "C++/Python CPU",
               "C++/Python wall"], rows)
    rep.single_ratios = ratios
