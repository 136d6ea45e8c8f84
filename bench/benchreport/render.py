"""The whole document, or one section of it, from a results folder."""

from . import prose
from .document import Report, goals_table
from .load import Results, load_summary, machine
from .sections.analysis import analysis, proposals
from .sections.bf16 import bf16
from .sections.convlstm import convlstm, convlstm_single
from .sections.cuda import cuda
from .sections.extraction import extraction, extraction_real
from .sections.failures import failures
from .sections.jobs import gui, jobs
from .sections.store import store_scale
from .sections.threads import profile, threads
from .sections.torch2 import torch2
from .sections.training import training, training_single

# What `--section NAME` writes alone (with its goals).
ALONE = {"bf16": bf16, "store": store_scale, "extract-real": extraction_real,
         "torch2": lambda rep: torch2(rep, rep.res.folder)}


def section(name, results):
    rep = Report(Results(results))
    ALONE[name](rep)
    return "\n".join(goals_table(rep.goals) + [""] + rep.lines)


def machine_rows(res, m, load):
    info = m.info
    return [
        ["CPU", m.cpu],
        ["cores / hardware threads", "%d / %d" % (m.cores, m.threads)],
        ["LibTorch intra-op threads (default, = cores)", info.get("threads", "n/a")],
        ["BLAS really loaded (`vidrnn info --json`)", "`%s`%s" % (
            info.get("blas", "n/a"),
            ", its own threads in the engine: %s" % info["blas_threads"]
            if info.get("blas_threads") is not None else "")],
        ["LibTorch", "%s (Debian libtorch-dev %s), parallel backend %s, oneDNN %s" % (
            info.get("libtorch", "n/a"), m.libtorch_pkg, info.get("parallel_backend", "n/a"),
            "yes" if info.get("mkldnn") else "no")],
        ["PyTorch (Python side)", "python3-torch %s, Python %s" % (m.python_torch, m.python)],
        ["OpenBLAS", m.openblas_pkg],
        ["Google Benchmark", prose.text("document", "google-benchmark",
                                        version=m.benchmark_pkg)],
        ["date (UTC)", (res.text("date.txt") or "n/a").strip()],
        ["load average during the run",
         prose.text("document", "load", mean="%.2f" % load.mean, min="%.2f" % load.min,
                    max="%.2f" % load.max, n=load.n) if load else "n/a"],
        ["sections rerun later (`--only`)",
         "; ".join((res.text("reruns.txt") or "none").strip().splitlines())],
        ["uptime at start / end", "%s / %s" % (
            (res.text("uptime-start.txt") or "").strip(),
            (res.text("uptime-end.txt") or "").strip())],
    ]


def document(results, cuda_dir=None, notes=None, cpuinfo="/proc/cpuinfo", torch2_dir=None):
    """docs/BENCHMARKS.md's text; NOTES: Markdown appended as the analysis section."""
    res = Results(results)
    quick = "quick=1" in (res.text("mode.txt") or "")
    rep = Report(res)
    training(rep)
    training_single(rep)
    convlstm(rep)
    convlstm_single(rep)
    bf16(rep)
    extraction(rep)
    extraction_real(rep)
    jobs(rep, quick)
    gui(rep)
    store_scale(rep)
    threads(rep)
    profile(rep)
    cuda(rep, cuda_dir)
    torch2(rep, torch2_dir)
    analysis(rep)
    proposals(rep)
    failures(rep)

    out = [prose.text("document", "title"), "",
           prose.text("document", "generated", quick=" --quick" if quick else ""), ""]
    if quick:
        out += [prose.text("document", "quick"), ""]
    out += [prose.text("document", "machine-heading"), ""]
    rows = machine_rows(res, machine(res, cpuinfo), load_summary(res))
    out += ["| | |", "|---|---|"] + ["| %s | %s |" % (a, b) for a, b in rows] + [""]
    out += [prose.text("document", "goals-heading"), ""]
    out += goals_table(rep.goals)
    out.append("")
    out += rep.lines
    if notes is not None:
        out += [notes.rstrip(), ""]
    return "\n".join(out)
