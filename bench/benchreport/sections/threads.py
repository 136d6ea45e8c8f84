"""Section 6 (the LSTM and GRU step under each thread and BLAS setting) and
the PyTorch profile of the step (bench/profile_step.py)."""

import os

from ..common import fmt_ms

PROSE = "threads"
BLAS = {
    "openblas": "OpenBLAS, defaults (engine: 1 own thread; PyTorch: 1 per core)",
    "openblas-cores": "OpenBLAS, OPENBLAS_NUM_THREADS=cores (the engine before it set the pool)",
    "openblas-ob1": "OpenBLAS, OPENBLAS_NUM_THREADS=1",
    "openblas-ob1-passive": "OpenBLAS, OPENBLAS_NUM_THREADS=1, OMP_WAIT_POLICY=PASSIVE",
    "reference": "reference BLAS",
}


def threads(rep):
    rows = []
    rep.thr = {}
    for blas, label in BLAS.items():
        for t in ("1", "2"):
            g = rep.res.gbench("threads-%s-%s-cpp.json" % (blas, t))
            p = rep.res.pybench("threads-%s-%s-py.json" % (blas, t))
            if not g.samples and not p.results:
                continue
            loaded = g.context.get("vidrnn_blas") or p.context.get("blas", "n/a")
            row = [label, t, "`%s`" % os.path.basename(loaded)]
            for arch in ("lstm", "gru"):
                name = "train_step/%s/256" % arch
                rep.thr[(blas, t, arch)] = (g.median_ms(name), p.median_ms(name))
                row += [fmt_ms(g.median_ms(name)),
                        fmt_ms(p.median_ms(name)) if p.results else "-"]
            rows.append(row)
    rep.say(PROSE, "heading")
    rep.say(PROSE, "intro")
    rep.table(["BLAS", "LibTorch threads", "mapped", "LSTM C++", "LSTM Python", "GRU C++",
               "GRU Python"], rows)


def outside_ms(r):
    """A profiled step's time outside ATen operators (interpreter, autograd, profiler)."""
    return max(0.0, r["profiled_step_ms"] - r["op_self_ms"])


def profile_row(case, r, adam):
    g = r["groups"]
    return [case, fmt_ms(r["profiled_step_ms"]), "%.0f" % r["op_calls_per_step"],
            "%.0f%%" % (100 * g.get("gemm", {}).get("share", 0)),
            "%.0f%%" % (100 * g.get("convolution", {}).get("share", 0)),
            "%.0f%%" % (100 * g.get("other ops", {}).get("share", 0)),
            fmt_ms(outside_ms(r)), adam,
            ", ".join("%s %.0f%%" % (t["op"].replace("aten::", ""), 100 * t["share"])
                      for t in r["top"][:3])]


def profile(rep):
    doc = rep.res.json("profile.json")
    if not doc:
        return
    rep.say(PROSE, "profile-heading")
    rep.say(PROSE, "profile-intro", threads=doc.get("threads", "?"))
    rows = [profile_row("train step " + name, r, fmt_ms(r.get("optimizer_step_ms")))
            for name, r in doc.get("train", {}).items()]
    for h, forms in doc.get("convlstm", {}).items():
        for form, r in forms.items():
            rows.append(profile_row("ConvLSTM %s %s fwd+bwd" % (form, h), r, "-"))
    rep.table(["case", "profiled step", "operator calls", "GEMM", "convolution",
               "other operators", "outside operators", "Adam step (incl.)",
               "top operators (self time)"], rows)
    rep.prof = doc
