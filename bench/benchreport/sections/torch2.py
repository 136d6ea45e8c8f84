"""Section torch2 (tools/bench.sh section torch2): the training step of every
architecture, fp32 and bf16, on one thread, on Debian's LibTorch 1.13 and on
PyTorch's LibTorch 2.15 (preset torch2), C++ and Python; and extraction on the
real clips with both builds. Results of a run are kept under docs/bench-torch2/
(the full document reads them from there, like the CUDA section)."""

import os

from .. import prose
from ..common import RECURRENT, fmt_ms, fmt_x, ratio
from ..load import Results, load_summary

PROSE = "torch2"
GOAL_215_VS_113 = 1.0   # engine step on 2.15 / on 1.13 (CPU time): not slower
WHY = "why-slower"      # the investigation of the slower rows, when its results are there
AFTER = "onednn-linear"  # the same rows with the engine's oneDNN Linear on 2.x
GRU_LOOP = "gru-loop"    # the GRU's own loop on 2.x, and the bf16 rows measured again
ENGINE_BATCH = 64  # bench_extract's --batch (the torch2 loop keeps its default)


def _cpu(gbench_by_side, side, name):
    g = gbench_by_side.get(side)
    return g.median_cpu_ms(name) if g else None


def _engine_cases(res):
    """(arch, hidden) -> {"cpp113": GBench, "cpp215": GBench} of a results folder."""
    cases = {}
    for side in ("113", "215"):
        for g in res.gbenches("t2-cpp%s-*.json" % side):
            for name in g.samples:
                _, arch, h = name.split("/")
                cases.setdefault((arch, int(h)), {})["cpp" + side] = g
    return cases


def torch2(rep, folder):
    if not folder or not os.path.isdir(folder):
        return
    res = Results(folder)
    cases = _engine_cases(res)
    if not cases:
        return
    py = {}      # (side, name) -> median CPU ms
    for side in ("113", "215"):
        for p in res.pybenches("t2-py%s-*.json" % side):
            for name, r in p.results.items():
                py[(side, name)] = r.get("median_cpu_ms", r["median_ms"])
    versions = {side: (res.text(f) or "?").split()[0]
                for side, f in (("113", "python-torch.txt"), ("215", "python-torch2.txt"))}
    rep.say(PROSE, "heading")
    # `bench.sh --only torch2` again into the same folder replaces every
    # result of the section and notes itself in reruns.txt: its date is then
    # the results' date.
    date = (res.text("date.txt") or "date n/a").strip()
    reruns = [line.split()[0] for line in (res.text("reruns.txt") or "").splitlines()
              if "torch2" in line]
    if reruns:
        date = "%s, run again in full at %s" % (date, reruns[-1])
    rep.say(PROSE, "intro", date=date, py113=versions["113"], py215=versions["215"])
    rows, slower, behind = [], [], []
    order = {a: i for i, a in enumerate(RECURRENT + ["mean_pool", "transformer"])}
    for arch, h in sorted(cases, key=lambda c: (order.get(c[0], 99), c[0], c[1])):
        sides = cases[(arch, h)]
        for prec, prefix in (("fp32", "train_step"), ("bf16", "train_step_bf16")):
            name = "%s/%s/%d" % (prefix, arch, h)
            e113 = _cpu(sides, "cpp113", name)
            e215 = _cpu(sides, "cpp215", name)
            p113 = py.get(("113", name))
            p215 = py.get(("215", name))
            if e113 is None and e215 is None:
                continue
            r_engine = ratio(e215, e113)        # > 1: 2.15 slower
            r_vs_py = ratio(e215, p215)         # < 1: engine ahead of Python
            if r_engine is not None and r_engine > GOAL_215_VS_113 * 1.05:
                slower.append("%s/%d %s %s" % (arch, h, prec, fmt_x(r_engine)))
            if arch in RECURRENT and r_vs_py is not None and r_vs_py >= 1.0:
                behind.append("%s/%d %s %s" % (arch, h, prec, fmt_x(r_vs_py)))
            rows.append([arch, h, prec, fmt_ms(e113), fmt_ms(e215), fmt_x(ratio(e113, e215)),
                         fmt_ms(p113), fmt_ms(p215), fmt_x(ratio(p215, e215))])
    rep.say(PROSE, "train-heading")
    rep.table(["arch", "hidden", "precision", "engine 1.13", "engine 2.15",
               "1.13 / 2.15", "Python 1.13", "Python 2.15", "Python 2.15 / engine 2.15"], rows)
    rep.say(PROSE, "train-after")
    rep.goal("torch2-engine", "Engine step on LibTorch 2.15 (CPU) vs 1.13, every architecture",
             "not slower (within 5%)",
             "slower: " + ", ".join(slower) if slower else "none slower", not slower)
    rep.goal("torch2-vs-python", "Engine step on 2.15 vs PyTorch 2.15 Python, every recurrent model",
             "ahead (< 1.0x)",
             "behind: " + ", ".join(behind) if behind else "ahead everywhere", not behind)
    _why_slower(rep, os.path.join(folder, WHY), os.path.join(folder, AFTER),
                os.path.join(folder, GRU_LOOP))
    ext = {side: res.gbench("t2-extract%s.json" % side) for side in ("113", "215")}
    ext_rows = []
    for what in ("e2e", "backbone"):
        vals = {}
        for side, g in ext.items():
            names = [n for n in (g.samples if g else {}) if "/%s/" % what in "/%s/" % n]
            vals[side] = g.median_ms(names[0]) if names else None
        if any(v is not None for v in vals.values()):
            ext_rows.append([what, fmt_ms(vals["113"]), fmt_ms(vals["215"]),
                             fmt_x(ratio(vals["113"], vals["215"]))])
    if ext_rows:
        rep.say(PROSE, "extract-heading")
        rep.say(PROSE, "extract-intro")
        rep.table(["bench_extract (14 clips)", "1.13", "2.15", "1.13 / 2.15"],
                  ext_rows)
    _per_frame(rep, res, ext)


def _backbone(g):
    """The name of bench_extract's backbone row (extract/backbone/224), or None."""
    return next((n for n in g.samples if "/backbone/" in "/%s/" % n), None)


def _engine_batches(g):
    """The engine's backbone batches as bench_extract forms them (whole clips,
    flushed at >= ENGINE_BATCH frames), e.g. "64 + 48", from its frames counter
    and clip count; None when the clips do not all have the same frames."""
    name = _backbone(g)
    frames = g.median_counter(name, "frames") if name else None
    clips = int(g.context.get("extract_clips", 0) or 0)
    if not frames or not clips or int(frames) % clips:
        return None
    per, batches, pending = int(frames) // clips, [], 0
    for _ in range(clips):
        pending += per
        if pending >= ENGINE_BATCH:
            batches.append(pending)
            pending = 0
    if pending:
        batches.append(pending)
    return " + ".join(str(b) for b in batches)


def _peer_batches(peer):
    """bench/extract_peer.py's batches ("64 + 48") from its JSON."""
    frames, batch = peer.get("frames"), peer.get("batch")
    if not frames or not batch:
        return None
    sizes = [batch] * (frames // batch) + ([frames % batch] if frames % batch else [])
    return " + ".join(str(b) for b in sizes)


def _fmt_frame(ms):
    return "n/a" if ms is None else "%.1f ms (%.1f frames/s)" % (ms, 1000.0 / ms)


def _per_frame(rep, res, ext):
    """The backbone per frame: the engine (bench_extract's backbone row) beside
    bench/extract_peer.py under each Python (t2-extract-peer{113,215}.json), the
    same TorchScript file on batches of the same shapes."""
    peer = {side: res.json_tail("t2-extract-peer%s.json" % side) or {} for side in ("113", "215")}
    if not any(p.get("fps") for p in peer.values()):
        return
    engine, python = {}, {}
    for side in ("113", "215"):
        g = ext[side]
        name = _backbone(g)
        ms = g.median_ms(name) if name else None
        frames = g.median_counter(name, "frames") if name else None
        engine[side] = ms / frames if ms and frames else None
        fps = peer[side].get("fps")
        python[side] = 1000.0 / fps if fps else None
    batches = {"engine": _engine_batches(ext["113"]) or _engine_batches(ext["215"]),
               "python": _peer_batches(peer["113"]) or _peer_batches(peer["215"])}
    rows = [[prose.text(PROSE, "frame-engine"), batches["engine"] or "n/a",
             _fmt_frame(engine["113"]), _fmt_frame(engine["215"]),
             fmt_x(ratio(engine["113"], engine["215"]))],
            [prose.text(PROSE, "frame-python"), batches["python"] or "n/a",
             _fmt_frame(python["113"]), _fmt_frame(python["215"]),
             fmt_x(ratio(python["113"], python["215"]))],
            [prose.text(PROSE, "frame-ratio"), "",
             fmt_x(ratio(python["113"], engine["113"])),
             fmt_x(ratio(python["215"], engine["215"])), ""]]
    rep.say(PROSE, "frame-intro", py113=peer["113"].get("torch", "?"),
            py215=peer["215"].get("torch", "?"),
            engine_date=next((g.context["date"] for g in ext.values() if g.context.get("date")),
                             "date n/a"),
            peer_date=peer["113"].get("date") or peer["215"].get("date") or "date n/a",
            repetitions=len(peer["113"].get("runs") or peer["215"].get("runs") or []) or "?")
    rep.table(["backbone per frame (one thread)", "batches", "1.13", "2.15", "1.13 / 2.15"],
              rows)
    rep.say(PROSE, "frame-after")




def _load(runs):
    """"MIN-MAX" of the 1-minute load averages logged over the runs, or "n/a"."""
    loads = [s for s in (load_summary(r) for r in runs) if s]
    if not loads:
        return "n/a"
    return "%.1f-%.1f" % (min(s.min for s in loads), max(s.max for s in loads))


def _rounds(folder):
    """Results of a folder and of its round2/ when there."""
    runs = [Results(folder)]
    if os.path.isdir(os.path.join(folder, "round2")):
        runs.append(Results(os.path.join(folder, "round2")))
    return runs


def _ratios(again, arch, h, name):
    """"1.13 / 2.15" of each round, comma-separated."""
    return ", ".join(fmt_x(ratio(_cpu(r.get((arch, h), {}), "cpp113", name),
                                 _cpu(r.get((arch, h), {}), "cpp215", name))) for r in again)


def _case_rows(cases_by_round):
    """One row per case and precision of rounds of engine results: both
    builds' step (first round) and "1.13 / 2.15" of each round."""
    rows = []
    order = {a: i for i, a in enumerate(RECURRENT + ["mean_pool", "transformer"])}
    for arch, h in sorted(cases_by_round[0], key=lambda c: (order.get(c[0], 99), c[0], c[1])):
        for prec, prefix in (("fp32", "train_step"), ("bf16", "train_step_bf16")):
            name = "%s/%s/%d" % (prefix, arch, h)
            sides = cases_by_round[0][(arch, h)]
            rows.append([arch, h, prec, fmt_ms(_cpu(sides, "cpp113", name)),
                         fmt_ms(_cpu(sides, "cpp215", name)),
                         _ratios(cases_by_round, arch, h, name)])
    return rows


def _gru_loop(rep, folder):
    """The GRU's own loop on 2.x at the study's sizes, and the bf16 rows that
    read slower in the main run, measured again (GRU_LOOP/, GRU_LOOP/round2/)."""
    if not os.path.isdir(folder):
        return
    runs = _rounds(folder)
    rows = _case_rows([_engine_cases(r) for r in runs])
    if not rows:
        return
    rep.say(PROSE, "why-gru", date=(runs[0].text("date.txt") or "date n/a").strip(),
            rounds=len(runs), load=_load(runs))
    rep.table(["arch", "hidden", "precision", "engine 1.13", "engine 2.15", "1.13 / 2.15"], rows)
    rep.say(PROSE, "why-gru-after")


def _why_slower(rep, folder, after_folder, gru_folder):
    """The slower rows measured again (WHY/ and WHY/round2/, the torch2 loop's
    engine commands for those architectures), with the engine's oneDNN Linear
    (AFTER/, AFTER/round2/) beside the main run, then with the GRU's own loop
    (GRU_LOOP/), and what the investigation found (prose)."""
    if not os.path.isdir(folder):
        return
    runs = _rounds(folder)
    again = [_engine_cases(r) for r in runs]
    after_runs = _rounds(after_folder) if os.path.isdir(after_folder) else []
    after = [_engine_cases(r) for r in after_runs]
    rows = []
    order = {a: i for i, a in enumerate(RECURRENT + ["mean_pool", "transformer"])}
    for arch, h in sorted(again[0], key=lambda c: (order.get(c[0], 99), c[0], c[1])):
        for prec, prefix in (("fp32", "train_step"), ("bf16", "train_step_bf16")):
            name = "%s/%s/%d" % (prefix, arch, h)
            row = [arch, h, prec, _ratios(again, arch, h, name)]
            if after:
                sides = after[0].get((arch, h), {})
                row += [fmt_ms(_cpu(sides, "cpp113", name)), fmt_ms(_cpu(sides, "cpp215", name)),
                        _ratios(after, arch, h, name)]
            rows.append(row)
    if not rows:
        return
    rep.say(PROSE, "why-heading")
    rep.say(PROSE, "why-intro", date=(runs[0].text("date.txt") or "date n/a").strip(),
            rounds=len(runs), load=_load(runs))
    header = ["arch", "hidden", "precision", "1.13 / 2.15 before"]
    if after:
        header += ["engine 1.13 after", "engine 2.15 after", "1.13 / 2.15 after"]
    rep.table(header, rows)
    for block in ("why-gemm", "why-attribution", "why-rest"):
        rep.say(PROSE, block)
    if after:
        rep.say(PROSE, "why-engine", date=(after_runs[0].text("date.txt") or "date n/a").strip(),
                rounds=len(after_runs), load=_load(after_runs))
    _gru_loop(rep, gru_folder)
    rep.say(PROSE, "why-close")
