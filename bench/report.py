"""Writes docs/BENCHMARKS.md from the results of tools/bench.sh.

/usr/bin/python3 bench/report.py --results build/dev/bench-results --out docs/BENCHMARKS.md

Reads the Google Benchmark JSON files (medians over the repetitions' per-step
real times), bench/train_step.py's JSON, /usr/bin/time -v outputs, vidrnn
info --json and the load-average log; evaluates the goals of issue 6.
"""

import argparse
import glob
import json
import os
import re
import statistics

GOAL_CPP_VS_PY = 0.8       # C++ step time / Python step time, every recurrent model
GOAL_CONVLSTM = 1.5        # reference time / fast-path time
GOAL_EXTRACT = 0.9         # end-to-end frames/s / backbone-only frames/s
GOAL_DEMO_S = 15 * 60
GOAL_PEAK_BYTES = 3e9      # 3 GB (decimal)
GOAL_STALL_MS = 50         # longest UI-thread gap during a demo-sized run
GOAL_BF16_SMALL = 2.0      # ConvLSTM step fp32 / bf16 at hidden 64-128
GOAL_BF16_LARGE = 1.5      # ... at hidden 256-512
GOAL_VS_REFERENCE = 2.0    # Python reference ConvLSTM (fp32) / engine ConvLSTM (auto)
GOAL_DEMO_AUTO = 1.3       # demo wall time fp32 / --precision auto
GOAL_CLI_FAST_S = 0.15     # --version and runs list --limit 20, any store
GOAL_CLI_50K_EXTRA_S = 0.5 # every CLI command at 50k against the empty store
GOAL_JSON_PEAK_MB = 200    # runs list --json at 50k
GOAL_WB_USABLE_MS = 1500   # workbench launch to usable at 50k
GOAL_WB_STALL_MS = 100     # longest UI-thread stall of any listed action
GOAL_WB_PEAK_MB = 500      # workbench peak memory at 50k
STORE_SIZES = [0, 1000, 10000, 50000]
RECURRENT = ["lstm", "gru", "deep_lstm", "bilstm", "convlstm"]
ARCHS = RECURRENT + ["mean_pool"]


def read(path, default=None):
    try:
        with open(path) as f:
            return f.read()
    except OSError:
        return default


def load_json(path):
    text = read(path)
    if not text:
        return None
    try:
        return json.loads(text)
    except ValueError:
        return None


def base_name(run_name):
    """train_step/lstm/64/min_time:0.500/repeats:5/process_time/real_time -> train_step/lstm/64"""
    keep = [s for s in run_name.split("/")
            if ":" not in s and s not in ("real_time", "manual_time", "process_time")]
    return "/".join(keep)


def to_ms(value, unit):
    return value * {"ns": 1e-6, "us": 1e-3, "ms": 1.0, "s": 1e3}[unit]


class GBench:
    """One Google Benchmark JSON file: per-name samples of time and counters."""

    def __init__(self, path):
        self.doc = load_json(path) or {}
        self.context = self.doc.get("context", {})
        self.samples = {}
        for b in self.doc.get("benchmarks", []):
            if b.get("run_type") != "iteration" or b.get("error_occurred"):
                continue
            name = base_name(b.get("run_name", b["name"]))
            s = dict(b)
            s["ms"] = to_ms(b["real_time"], b.get("time_unit", "ns"))
            s["cpu_ms"] = to_ms(b["cpu_time"], b.get("time_unit", "ns"))
            self.samples.setdefault(name, []).append(s)

    def median_ms(self, name):
        s = self.samples.get(name)
        return statistics.median(x["ms"] for x in s) if s else None

    def median_cpu_ms(self, name):
        s = self.samples.get(name)
        return statistics.median(x["cpu_ms"] for x in s) if s else None

    def median_counter(self, name, counter):
        s = [x[counter] for x in self.samples.get(name, []) if counter in x]
        return statistics.median(s) if s else None

    def count(self, name):
        return len(self.samples.get(name, []))

    def shape(self):
        """The bench's "shape" context ("batch=32 T=16 C=512 map=7x7") as a dict."""
        return dict(kv.split("=") for kv in self.context.get("shape", "").split() if "=" in kv)


class PyBench:
    def __init__(self, path):
        self.doc = load_json(path) or {}
        self.context = self.doc.get("context", {})
        self.results = {r["name"]: r for r in self.doc.get("results", [])}

    def median_ms(self, name):
        r = self.results.get(name)
        return r["median_ms"] if r else None


def parse_time_v(path):
    text = read(path)
    if not text:
        return None
    out = {}
    m = re.search(r"Elapsed \(wall clock\) time.*: (?:(\d+):)?(\d+):([\d.]+)", text)
    if m:
        h = int(m.group(1) or 0)
        out["wall_s"] = h * 3600 + int(m.group(2)) * 60 + float(m.group(3))
    m = re.search(r"Maximum resident set size \(kbytes\): (\d+)", text)
    if m:
        out["max_rss_bytes"] = int(m.group(1)) * 1024
    m = re.search(r"User time \(seconds\): ([\d.]+)", text)
    if m:
        out["user_s"] = float(m.group(1))
    m = re.search(r"System time \(seconds\): ([\d.]+)", text)
    if m:
        out["sys_s"] = float(m.group(1))
    m = re.search(r"Exit status: (\d+)", text)
    if m:
        out["status"] = int(m.group(1))
    return out


def train_cases(hidden, cpp, py):
    """Every (arch, hidden) training-step case with its C++ and Python results."""
    for arch in ARCHS:
        for h in hidden:
            name = "train_step/%s/%d" % (arch, h)
            yield arch, h, name, cpp.get(name), py.get(name)


def fmt_ms(v):
    if v is None:
        return "n/a"
    if v >= 1000:
        return "%.2f s" % (v / 1000)
    if v >= 100:
        return "%.0f ms" % v
    if v >= 10:
        return "%.1f ms" % v
    return "%.2f ms" % v


def fmt_x(v):
    return "n/a" if v is None else "%.2fx" % v


def fmt_bytes(v):
    return "n/a" if v is None else "%.2f GB" % (v / 1e9)


def fmt_wall(s):
    if s is None:
        return "n/a"
    m, sec = divmod(s, 60)
    return "%d min %02d s" % (m, sec) if m else "%.1f s" % s


def status(ok):
    if ok is None:
        return "not measured"
    return "**met**" if ok else "**missed**"


def machine(results):
    cpu = "unknown"
    cores = set()
    logical = 0
    physical = None
    core = None
    for line in (read("/proc/cpuinfo") or "").splitlines():
        key, _, value = line.partition(":")
        key, value = key.strip(), value.strip()
        if key == "model name" and cpu == "unknown":
            cpu = value
        elif key == "processor":
            logical += 1
        elif key == "physical id":
            physical = value
        elif key == "core id":
            core = value
            cores.add((physical, core))
    info = load_json(os.path.join(results, "info.json")) or {}
    py = (read(os.path.join(results, "python-torch.txt")) or "").split()
    versions = dict(line.split(None, 1) for line in
                    (read(os.path.join(results, "versions.txt")) or "").splitlines() if " " in line)
    return {
        "cpu": cpu,
        "cores": len(cores) or logical,
        "threads": logical,
        "info": info,
        "python_torch": py[0] if py else "n/a",
        "python": py[1] if len(py) > 1 else "n/a",
        "libtorch_pkg": versions.get("libtorch-dev", "n/a"),
        "benchmark_pkg": versions.get("libbenchmark-dev", "n/a"),
        "openblas_pkg": versions.get("libopenblas0-pthread", "n/a"),
    }


def load_summary(results):
    rows = []
    for line in (read(os.path.join(results, "loadavg.log")) or "").splitlines():
        parts = line.split()
        if len(parts) >= 2:
            rows.append(float(parts[1]))
    if not rows:
        return None
    return {"min": min(rows), "mean": statistics.mean(rows), "max": max(rows), "n": len(rows)}


class Report:
    def __init__(self, results):
        self.r = results
        self.lines = []
        self.goals = []   # (goal, target, measured, ok)
        self.job, self.demo_report, self.prof = {}, None, None
        self.conv_rows, self.ext, self.thr = {}, {}, {}
        self.conv_single, self.single_ratios = {}, []
        self.train_cpp, self.train_py = {}, {}

    def add(self, *lines):
        self.lines.extend(lines)

    def table(self, header, rows):
        self.add("| " + " | ".join(header) + " |", "|" + "---|" * len(header))
        for row in rows:
            self.add("| " + " | ".join(str(c) for c in row) + " |")
        self.add("")

    def rc(self, name):
        text = read(os.path.join(self.r, name + ".rc"))
        return None if text is None else int(text.strip() or 0)

    # --- sections ---------------------------------------------------------------
    def training(self):
        cpp, py = {}, {}
        for path in glob.glob(os.path.join(self.r, "train-cpp-*.json")):
            g = GBench(path)
            for name in g.samples:
                cpp[name] = {"ms": g.median_ms(name), "cpu": g.median_cpu_ms(name),
                             "params": g.median_counter(name, "params"), "n": g.count(name)}
        for path in glob.glob(os.path.join(self.r, "train-py-*.json")):
            for name, res in PyBench(path).results.items():
                py[name] = {"ms": res["median_ms"], "cpu": res.get("median_cpu_ms"),
                            "params": res.get("params"), "n": len(res["times_ms"])}
        hidden = sorted({int(n.split("/")[2]) for n in list(cpp) + list(py)})
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
        self.add("## 1. Training step", "",
                 "Forward, cross-entropy on the clip logits, backward, Adam step; batch 32, "
                 "T = 16, D = 512 (ConvLSTM: 512x7x7 maps), LibTorch threads = cores. C++: the "
                 "engine's models through `bench_train`; Python: the same models written in "
                 "PyTorch (`bench/train_step.py`; equal parameter counts check the "
                 "definitions). Median wall time per step over the repetitions; C++ and "
                 "Python runs alternate per case. The CPU-time ratio (all threads of "
                 "the process) is less sensitive to other load on the machine. Each side "
                 "runs with its defaults, as its users get it: the engine holds OpenBLAS's "
                 "own thread pool to one thread, PyTorch leaves it at one per core (section 6 "
                 "shows both sides with equal BLAS threads, and section 1b both on one "
                 "thread). Goal: C++ <= %.1fx Python for every recurrent model." %
                 GOAL_CPP_VS_PY, "")
        self.table(["arch", "hidden", "parameters", "C++", "Python", "C++/Python", "goal",
                    "C++/Python CPU time", "repetitions C++ / Py"], rows)
        worst = max(ratios) if ratios else None
        measured = ("%s to %s (worst: %s)" % (fmt_x(min(ratios)[0]), fmt_x(worst[0]),
                                              worst[1].split("/", 1)[1]) if ratios else "n/a")
        self.goals.append(["C++ training step vs Python, every recurrent model",
                           "<= %.1fx" % GOAL_CPP_VS_PY, measured, all_ok])
        self.train_cpp, self.train_py = cpp, py

    def training_single(self):
        """The same comparison on one thread (OPENBLAS_NUM_THREADS=1 too): CPU time
        measures the work and barely depends on other load on the machine."""
        cpp, py = {}, {}
        for path in glob.glob(os.path.join(self.r, "train1-cpp-*.json")):
            g = GBench(path)
            for name in g.samples:
                cpp[name] = (g.median_ms(name), g.median_cpu_ms(name))
        for path in glob.glob(os.path.join(self.r, "train1-py-*.json")):
            for name, res in PyBench(path).results.items():
                py[name] = (res["median_ms"], res.get("median_cpu_ms"))
        if not cpp:
            return
        rows, ratios = [], []
        hidden = sorted({int(n.split("/")[2]) for n in cpp})
        for arch, h, name, c, p in train_cases(hidden, cpp, py):
            if not c or not p:
                continue
            r = c[1] / p[1] if c[1] and p[1] else None
            if r and arch in RECURRENT:
                ratios.append(r)
            rows.append([arch, h, fmt_ms(c[1]), fmt_ms(p[1]), fmt_x(r),
                         fmt_x(c[0] / p[0] if c[0] and p[0] else None)])
        self.add("### 1b. The same on one thread (load-robust)", "",
                 "LibTorch threads 1 and OPENBLAS_NUM_THREADS=1 on both sides: the CPU time of "
                 "a single-threaded step is the work it does and changes little with other "
                 "load on the machine, unlike the wall time of two threads on two shared "
                 "cores.", "")
        self.table(["arch", "hidden", "C++ CPU time", "Python CPU time", "C++/Python CPU",
                    "C++/Python wall"], rows)
        self.single_ratios = ratios

    def convlstm_single(self):
        g = GBench(os.path.join(self.r, "convlstm-1t.json"))
        if not g.samples:
            return
        shape = g.shape()
        rows = []
        self.conv_single = {}
        for h in sorted({int(n.split("/")[2]) for n in g.samples}):
            t = {v: g.median_cpu_ms("convlstm/%s/%d" % (v, h)) for v in
                 ("fast", "reference", "fast_unbind", "fast_unbind_hoist", "fast_unbind_hoist_cl")}
            self.conv_single[h] = t
            ref = t["reference"]
            rows.append([h, fmt_ms(t["fast"]), fmt_ms(ref),
                         fmt_x(ref / t["fast"] if ref and t["fast"] else None),
                         fmt_x(flop_bound(shape, h))] +
                        ["%s (%s)" % (fmt_ms(t[v]), fmt_x(ref / t[v])) if ref and t[v] else "-"
                         for v in ("fast_unbind", "fast_unbind_hoist", "fast_unbind_hoist_cl")])
        self.add("### 2b. The same on one thread (load-robust)", "",
                 "CPU time per forward + backward with LibTorch threads 1 and "
                 "OPENBLAS_NUM_THREADS=1; speed-ups over the reference.", "")
        self.table(["hidden", "fast", "reference", "speed-up", "FLOP bound", "fast_unbind",
                    "fast_unbind_hoist", "fast_unbind_hoist_cl"], rows)

    def convlstm(self):
        g = GBench(os.path.join(self.r, "convlstm.json"))
        hidden = sorted({int(n.split("/")[2]) for n in g.samples})
        shape = g.shape()
        rows, speedups = [], []
        self.conv_rows = {}
        for h in hidden:
            fast = g.median_ms("convlstm/fast/%d" % h)
            ref = g.median_ms("convlstm/reference/%d" % h)
            sp = ref / fast if fast and ref else None
            if sp is not None:
                speedups.append((sp, h))
            bound = flop_bound(shape, h)
            d_out = g.context.get("diff/fast/%d/output" % h)
            d_grad = g.context.get("diff/fast/%d/gradient" % h)
            d_scale = g.context.get("diff/fast/%d/gradient_scale" % h)
            tol = float(g.context.get("diff_tolerance", "1e-4"))
            ok = d_out is not None and float(d_out) <= tol
            exp = []
            for v in ("fast_unbind", "fast_unbind_hoist", "fast_unbind_hoist_cl"):
                t = g.median_ms("convlstm/%s/%d" % (v, h))
                d = g.context.get("diff/%s/%d/output" % (v, h))
                exp.append("%s (%s; diff %.2g)" % (fmt_ms(t), fmt_x(ref / t if ref else None),
                                                  float(d)) if t and d else "-")
            self.conv_rows[h] = {"fast": fast, "ref": ref, "bound": bound}
            for v in ("unbind", "unbind_hoist", "unbind_hoist_cl"):
                self.conv_rows[h][v] = g.median_ms("convlstm/fast_%s/%d" % (v, h))
            rows.append([h, fmt_ms(fast), fmt_ms(ref), fmt_x(sp), fmt_x(bound),
                         "%.2g (%s)" % (float(d_out), "ok" if ok else "FAILED") if d_out else "n/a",
                         "%.2g of %.2g" % (float(d_grad), float(d_scale)) if d_grad else "n/a"]
                        + exp + [g.count("convlstm/fast/%d" % h)])
        self.add("## 2. ConvLSTM: fast path against the straightforward form", "",
                 "`ConvLSTMImpl::forward` (input-to-gates convolution of all frames in one "
                 "call) against `forward_reference` (one convolution over cat(x, h) per step), "
                 "forward + backward (gradient of a fixed random tensor) of one ConvLSTM layer "
                 "on the same module and input: %s. The largest absolute difference of the "
                 "outputs must stay <= 1e-4 (checked by the bench, which fails otherwise); "
                 "gradients are shown against the largest gradient. Speed-up = reference / "
                 "fast. \"FLOP bound\": the speed-up if both forms ran their convolutions at "
                 "the same FLOP rate (the fast path skips the gradient of the input frames and "
                 "the first step's hidden convolution; it does not do less of anything else). "
                 "The last three columns are experiments in the bench, not the engine "
                 "(`fastExperiment` in bench_convlstm.cpp), each with its speed-up over the "
                 "reference and its output difference: per-step gates from one "
                 "`x_gates.unbind(1)` instead of a `select` per step (`fast_unbind`), plus the "
                 "weight halves narrowed once per forward instead of per step "
                 "(`fast_unbind_hoist`), plus channels-last format (`fast_unbind_hoist_cl`). "
                 "Goal: fast >= %.1fx faster."
                 % (g.context.get("shape", "?"), GOAL_CONVLSTM), "")
        self.table(["hidden", "fast", "reference", "speed-up", "FLOP bound",
                    "max abs diff output", "max abs diff gradients", "fast_unbind",
                    "fast_unbind_hoist", "fast_unbind_hoist_cl", "repetitions"], rows)
        ok = all(sp >= GOAL_CONVLSTM for sp, _ in speedups) if speedups else None
        measured = ", ".join("%s at %d" % (fmt_x(sp), h) for sp, h in speedups) or "n/a"
        if g.context.get("diff_ok") == "false":
            ok, measured = False, measured + " (outputs differ!)"
        self.goals.append(["ConvLSTM fast path vs straightforward form", ">= %.1fx" % GOAL_CONVLSTM,
                           measured, ok])
        self.conv = g

    def bf16(self):
        """Mixed precision (tools/bench.sh section bf16): the training step of every
        architecture in fp32 and bf16, the ConvLSTM layer in fp32, bf16 and as the
        reference Python ConvLSTM runs it, and the demo with --precision fp32/auto."""
        train = {}
        for path in glob.glob(os.path.join(self.r, "bf16-train-*.json")):
            g = GBench(path)
            for name in g.samples:
                train[name] = g.median_ms(name)
        py = {}
        for path in glob.glob(os.path.join(self.r, "bf16-py-*.json")):
            for name, res in PyBench(path).results.items():
                py[name] = res["median_ms"]
        conv, ref, diffs = {}, {}, {}
        conv_shape = {}
        for path in glob.glob(os.path.join(self.r, "bf16-conv-*.json")):
            g = GBench(path)
            conv_shape = g.shape()
            for name in g.samples:
                conv[name] = g.median_ms(name)
            for key, value in g.context.items():
                if key.startswith("diff/fast_bf16/") and key.endswith("/output"):
                    diffs[int(key.split("/")[2])] = float(value)
        for path in glob.glob(os.path.join(self.r, "bf16-ref-*.json")):
            for name, res in PyBench(path).results.items():
                ref[int(name.split("/")[1])] = res["median_ms"]
        demo = {p: parse_time_v(os.path.join(self.r, "bf16-demo-%s.time" % p))
                for p in ("fp32", "auto")}
        if not train and not conv and not any(demo.values()):
            return
        info = load_json(os.path.join(self.r, "info.json")) or {}
        self.add("## bf16: mixed precision", "",
                 "Native bf16 on this CPU (`vidrnn info`): %s. `--precision bf16` computes the "
                 "convolutions and matrix products in bf16 with fp32 master weights; the "
                 "ConvLSTM keeps its gates, their nonlinearities and its cell state in fp32, "
                 "the loss is fp32. `auto` takes bf16 where the step below is at least 1.2x "
                 "faster and the accuracy holds (docs/performance.md, \"Mixed precision\"; "
                 "the column "
                 "\"auto takes\" is the binary's rule, `vidrnn info`). Load: other "
                 "processes shared the two cores (see the machine table); each ratio comes "
                 "from runs next to each other in time." % info.get("native_bf16", "n/a"), "")
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
            hs = sorted({int(n.split("/")[2]) for n in train if n.split("/")[1] == arch})
            for h in hs:
                f = train.get("train_step/%s/%d" % (arch, h))
                b = train.get("train_step_bf16/%s/%d" % (arch, h))
                pf = py.get("train_step/%s/%d" % (arch, h))
                pb = py.get("train_step_bf16/%s/%d" % (arch, h))
                sp = f / b if f and b else None
                rows.append([arch, h, fmt_ms(f), fmt_ms(b), fmt_x(sp), auto_takes(arch, h),
                             fmt_ms(pf), fmt_ms(pb), fmt_x(pf / pb if pf and pb else None)])
        if rows:
            self.add("### Training step, fp32 against bf16", "",
                     "`bench_train --precisions=fp32,bf16` (the trainer's step: forward, "
                     "cross-entropy, backward, Adam), batch 32, T = 16, D = 512 (ConvLSTM "
                     "512x7x7); median wall time. Python: `bench/train_step.py` in fp32 and "
                     "under `torch.autocast(dtype=torch.bfloat16)` (where measured).", "")
            self.table(["arch", "hidden", "fp32", "bf16", "fp32/bf16", "auto takes",
                        "Python fp32", "Python autocast bf16", "Python fp32/bf16"], rows)
        rows, small_ok, large_ok, ref_ok = [], None, None, None
        speed, versus = [], []
        for h in sorted({int(n.split("/")[2]) for n in conv}):
            f = conv.get("convlstm/fast/%d" % h)
            b = conv.get("convlstm/fast_bf16/%d" % h)
            r = ref.get(h)
            sp = f / b if f and b else None
            vs = r / b if r and b else None
            goal = GOAL_BF16_SMALL if h <= 128 else GOAL_BF16_LARGE
            if sp is not None:
                ok = sp >= goal
                speed.append((sp, h, ok))
            if vs is not None:
                versus.append((vs, h, vs >= GOAL_VS_REFERENCE))
            flops = fast_path_flops(conv_shape, h)
            rate = lambda ms: "%.0f" % (flops / ms / 1e6) if flops and ms else "n/a"
            rows.append([h, fmt_ms(f), fmt_ms(b), fmt_x(sp), ">= %.1fx" % goal,
                         "%s / %s" % (rate(f), rate(b)), fmt_ms(r),
                         fmt_x(vs), fmt_x(r / f if r and f else None),
                         "%.2g" % diffs[h] if h in diffs else "n/a"])
        if rows:
            self.add("### ConvLSTM layer: engine fp32, engine bf16, the reference Python ConvLSTM",
                     "", "Forward + backward of one ConvLSTM layer (batch 32, T = 16, 512x7x7 "
                     "maps), as section 2: the engine's fast path in fp32 and in bf16 "
                     "(`bench_convlstm --bf16`), and the reference ConvLSTM in Python, fp32 as "
                     "users run it (`bench/convlstm_reference.py`: ndrplz/ConvLSTM_pytorch's "
                     "module, the one the study links), one hidden size after the other in "
                     "one run. GFLOP/s: the fast path's convolution FLOPs (forward, weight "
                     "gradients, the hidden state's input gradient) over the time; this "
                     "CPU's measured convolution ceilings are about 190-250 GFLOP/s in fp32 "
                     "and 355-445 in bf16 (docs/performance.md, \"Mixed precision\"), a ratio "
                     "of about 1.8. "
                     "Last column: largest |bf16 output - fp32 reference-form output| "
                     "(outputs are tanh-bounded, |h| < 1).", "")
            self.table(["hidden", "engine fp32", "engine bf16", "fp32/bf16", "goal",
                        "GFLOP/s fp32 / bf16", "Python reference (fp32)", "reference / engine bf16",
                        "reference / engine fp32", "bf16 output diff"], rows)
            if speed:
                self.goals.append(["ConvLSTM step bf16 vs fp32 (engine)",
                                   ">= %.1fx at 64-128, >= %.1fx at 256-512" % (
                                       GOAL_BF16_SMALL, GOAL_BF16_LARGE),
                                   ", ".join("%s at %d" % (fmt_x(x), h) for x, h, _ in speed),
                                   all(ok for _, _, ok in speed)])
            if versus:
                self.goals.append(["ConvLSTM step (engine, auto = bf16) vs the reference Python "
                                   "ConvLSTM (fp32)", ">= %.1fx" % GOAL_VS_REFERENCE,
                                   ", ".join("%s at %d" % (fmt_x(x), h) for x, h, _ in versus),
                                   all(ok for _, _, ok in versus)])
        if demo["fp32"] and demo["auto"]:
            wf, wa = demo["fp32"]["wall_s"], demo["auto"]["wall_s"]
            self.add("### The demo, fp32 against auto", "",
                     "`vidrnn demo --precision fp32` and `--precision auto` (the default) into "
                     "fresh stores over one feature cache extracted beforehand, under "
                     "`/usr/bin/time -v`.", "")
            self.table(["precision", "wall time", "peak memory"],
                       [[p, fmt_wall(demo[p]["wall_s"]), fmt_bytes(demo[p].get("max_rss_bytes"))]
                        for p in ("fp32", "auto")])
            acc = self.demo_accuracy()
            self.goals.append(["`vidrnn demo --precision auto` vs fp32", ">= %.1fx faster" %
                               GOAL_DEMO_AUTO, "%s (%s -> %s)%s" % (
                                   fmt_x(wf / wa), fmt_wall(wf), fmt_wall(wa),
                                   "; mean test accuracy %.3f -> %.3f" % acc if acc else ""),
                               wf / wa >= GOAL_DEMO_AUTO])

    def demo_accuracy(self):
        """The two demos' accuracy tables side by side (bench.sh keeps each
        store's `runs list --json`); returns the two mean accuracies."""
        runs = {}
        for p in ("fp32", "auto"):
            data = load_json(os.path.join(self.r, "bf16-demo-%s-runs.json" % p))
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
        self.add("Test accuracy of each cell in the two demos (one run per cell, seed 0; with "
                 "33 test clips one clip is 0.030):", "")
        self.table(["arch", "hidden", "fp32", "auto took", "auto", "auto - fp32",
                    "training time fp32 / auto"], rows)
        self.add("Mean over the %d cells: fp32 %.3f, auto %.3f; cells that differ by more "
                 "than one test clip: %d." % (len(cells), mf, ma,
                                              sum(abs(d) > 0.031 for d in diffs)), "")
        return mf, ma

    def extraction(self):
        g = GBench(os.path.join(self.r, "extract.json"))
        gp = GBench(os.path.join(self.r, "extract-passive.json"))
        sizes = sorted({int(n.split("/")[2]) for n in g.samples})
        rows, ratios = [], []
        self.ext = {}
        for s in sizes:
            e = {
                "e2e": g.median_counter("extract/e2e/%d" % s, "fps"),
                "bb": g.median_counter("extract/backbone/%d" % s, "fps"),
                "dec": g.median_counter("extract/decode/%d" % s, "fps"),
                "frames": g.median_counter("extract/backbone/%d" % s, "frames"),
                "in_dec": g.median_counter("extract/e2e/%d" % s, "decode_s"),
                "in_bb": g.median_counter("extract/e2e/%d" % s, "backbone_s"),
                "wall": g.median_ms("extract/e2e/%d" % s),
                "setup": g.median_ms("extract/setup/%d" % s),
                "p_e2e": gp.median_counter("extract/e2e/%d" % s, "fps"),
                "p_bb": gp.median_counter("extract/backbone/%d" % s, "fps"),
            }
            self.ext[s] = e
            ratio = e["e2e"] / e["bb"] if e["e2e"] and e["bb"] else None
            e["ratio"] = ratio
            if ratio is not None:
                ratios.append((ratio, s))
            passive = (e["p_e2e"] / e["p_bb"]) if e["p_e2e"] and e["p_bb"] else None
            e["p_ratio"] = passive
            rows.append([s, "%d" % e["frames"] if e["frames"] else "n/a",
                         "%.1f" % e["e2e"] if e["e2e"] else "n/a",
                         "%.1f" % e["bb"] if e["bb"] else "n/a", fmt_x(ratio),
                         "%.0f" % e["dec"] if e["dec"] else "n/a",
                         "%.1f s / %.1f s / %.1f s / %.2f s" % (
                             e["wall"] / 1000, e["in_dec"], e["in_bb"], (e["setup"] or 0) / 1000)
                         if e["wall"] and e["in_dec"] is not None else "n/a",
                         "%.1f / %.1f (%s)" % (e["p_e2e"], e["p_bb"], fmt_x(passive))
                         if passive else "-",
                         g.count("extract/e2e/%d" % s)])
        self.add("## 3. Feature extraction", "",
                 "Built-in ResNet-18 (not pretrained), T = 16, on %s clips of the small demo "
                 "preset (160x120 MJPG). End to end: `vidrnn::extractFeatures` into an empty "
                 "cache (decode and preprocess in one thread beside inference, backbone, cache "
                 "files), frames/s over its wall time, as `vidrnn extract` reports it. Backbone "
                 "only: `Backbone::forward` on the same frames decoded beforehand, in the same "
                 "batches. Decode only: `decodeClip` alone, one thread. The e2e run's own "
                 "split: wall / decoder-thread seconds / seconds inside the backbone / building "
                 "the backbone (measured apart). Last column, an experiment: the same with "
                 "OMP_WAIT_POLICY=PASSIVE. Goal: end to end >= %.1fx backbone only."
                 % (g.context.get("extract_clips", "?"), GOAL_EXTRACT), "")
        self.table(["size", "frames", "end to end frames/s", "backbone only frames/s",
                    "ratio", "decode only frames/s", "e2e: wall / decode / backbone / set-up",
                    "PASSIVE: e2e / backbone frames/s (ratio)", "repetitions"], rows)
        ok = all(r >= GOAL_EXTRACT for r, _ in ratios) if ratios else None
        measured = ", ".join("%s at %d" % (fmt_x(r), s) for r, s in ratios) or "n/a"
        self.goals.append(["Extraction end to end vs backbone only", ">= %.1fx" % GOAL_EXTRACT,
                           measured, ok])

    def extraction_real(self):
        g = GBench(os.path.join(self.r, "extract-real.json"))
        if not g.samples:
            return
        peer = load_json_tail(os.path.join(self.r, "extract-real-peer.json")) or {}
        name = "extract/%s/224"
        e2e = [x["fps"] for x in g.samples.get(name % "e2e", []) if "fps" in x]
        bb = [x["fps"] for x in g.samples.get(name % "backbone", []) if "fps" in x]
        m_e2e = statistics.median(e2e) if e2e else None
        m_bb = statistics.median(bb) if bb else None
        ratio = m_e2e / m_bb if m_e2e and m_bb else None
        p_fps = peer.get("fps")
        spread = lambda xs: "%.1f-%.1f" % (min(xs), max(xs)) if xs else "n/a"
        rows = [
            ["end to end (`vidrnn::extractFeatures`, empty cache)",
             "%.1f" % m_e2e if m_e2e else "n/a", spread(e2e), len(e2e),
             "%.1f s / %.1f s / %.1f s" % (
                 g.median_ms(name % "e2e") / 1000,
                 g.median_counter(name % "e2e", "decode_s") or 0,
                 g.median_counter(name % "e2e", "backbone_s") or 0)
             if g.median_ms(name % "e2e") else "n/a"],
            ["backbone only (`Backbone::forward`, frames decoded beforehand)",
             "%.1f" % m_bb if m_bb else "n/a", spread(bb), len(bb), ""],
            ["python3-torch %s, same file, batch %s, %s thread (`bench/extract_peer.py`)" % (
                peer.get("torch", "?"), peer.get("batch", "?"), peer.get("threads", "?")),
             "%.1f" % p_fps if p_fps else "n/a", spread(peer.get("runs") or []),
             len(peer.get("runs") or []), ""],
        ]
        self.add("## 3b. Extraction on real clips with the bundled pretrained backbone", "",
                 "The %s labelled clips of `../shared/data/real-clips` (320x240 to 640x360; "
                 "MPEG-4 AVI, H.264 MP4; 40-420 frames), T = 8, 224 px, `mobilenet_v2` "
                 "(ImageNet-pretrained int8, 1280-d vectors), one LibTorch thread, one decoder "
                 "thread beside inference. Engine rows: `bench_extract`, the two interleaved, "
                 "%d repetitions; python3-torch: the same TorchScript file on batches of the "
                 "same shape (forward and dequantize, no decoding). End to end: %s backbone "
                 "only (goal >= %.1fx); engine backbone %s python3-torch's."
                 % (g.context.get("extract_clips", "?"), len(e2e), fmt_x(ratio), GOAL_EXTRACT,
                    fmt_x(m_bb / p_fps) if m_bb and p_fps else "n/a"), "")
        self.table(["what", "frames/s (median)", "range", "repetitions",
                    "e2e: wall / decoder thread / in backbone"], rows)
        self.goals.append(["Extraction on real clips (pretrained backbone), end to end vs "
                           "backbone only", ">= %.1fx" % GOAL_EXTRACT,
                           fmt_x(ratio) if ratio else "n/a",
                           ratio >= GOAL_EXTRACT if ratio else None])

    def jobs(self, quick):
        self.add("## 4. Demo main job and memory at UCF11 scale", "")
        if quick and not os.path.exists(os.path.join(self.r, "demo.time")):
            self.add("Skipped under `--quick` (add it with `--quick --only 4`).", "")
            self.goals.append(["`vidrnn demo` wall time", "<= 15 min", "skipped (--quick)", None])
            self.goals.append(["Peak memory at UCF11 scale", "<= 3 GB", "skipped (--quick)", None])
            return
        self.add("`/usr/bin/time -v` (wall time, maximum resident set size). The demo runs "
                 "with its default settings in a temporary folder with an empty feature "
                 "cache; the full preset (UCF11 scale) is generated once into "
                 "build/bench-data/full.", "")
        rows = []
        jobs = [("demo", "`vidrnn demo` (small preset: generate, extract, sweep of 24 runs)"),
                ("generate-full", "`vidrnn data generate --preset full`"),
                ("extract-full", "`vidrnn extract --data full --size 112`"),
                ("train-full", "`vidrnn train --arch convlstm --hidden 64 --epochs 1 --size 112 "
                               "--data full`")]
        self.job = {}
        for name, label in jobs:
            t = parse_time_v(os.path.join(self.r, name + ".time"))
            self.job[name] = t
            if t is None:
                if name == "generate-full":
                    rows.append([label, "reused", "", "", ""])
                continue
            rows.append([label, fmt_wall(t.get("wall_s")), "%.0f s" % (t.get("user_s", 0) +
                         t.get("sys_s", 0)), fmt_bytes(t.get("max_rss_bytes")),
                         "ok" if t.get("status", 1) == 0 else "exit %s" % t.get("status")])
        self.table(["job", "wall", "CPU (user+sys)", "max RSS", "status"], rows)
        demo = self.job.get("demo")
        ok = None
        if demo and "wall_s" in demo:
            ok = demo.get("status") == 0 and demo["wall_s"] <= GOAL_DEMO_S
        self.goals.append(["`vidrnn demo` wall time", "<= 15 min",
                           fmt_wall(demo.get("wall_s")) if demo else "n/a", ok])
        peaks = [(self.job[n] or {}).get("max_rss_bytes") for n in ("extract-full", "train-full")]
        peaks = [p for p in peaks if p]
        okm = max(peaks) <= GOAL_PEAK_BYTES if len(peaks) == 2 else None
        self.goals.append(["Peak memory at UCF11 scale (extract, ConvLSTM train)", "<= 3 GB",
                           " / ".join(fmt_bytes(p) for p in peaks) or "n/a", okm])
        self.demo_report = load_json(os.path.join(self.r, "demo-report.json"))
        ex = load_json_tail(os.path.join(self.r, "extract-full.log"))
        tr = load_json_tail(os.path.join(self.r, "train-full.log"))
        if ex:
            self.add("UCF11-scale extraction: %s clips, %s frames, %.1f frames/s end to end, "
                     "%.1f in the backbone (decoder thread %.0f s, backbone %.0f s of %.0f s)." % (
                         ex.get("clips"), ex.get("frames_computed"),
                         ex.get("frames_per_second", 0), ex.get("backbone_frames_per_second", 0),
                         ex.get("decode_seconds", 0), ex.get("backbone_seconds", 0),
                         ex.get("seconds", 0)), "")
        if tr:
            self.add("ConvLSTM epoch at UCF11 scale: %s parameters, training %.0f s (the rest of "
                     "the job's wall time: loading features, test evaluation, checkpoint)." % (
                         "{:,}".format(tr.get("params", 0)), tr.get("train_seconds", 0)), "")

    def gui(self):
        """Section 5: the workbench's stall probe (ui/instruments/stallprobe.cpp) during a
        demo-sized run in the window (tools/bench.sh, gui-stall.log)."""
        log = read(os.path.join(self.r, "gui-stall.log"))
        self.add("## 5. GUI: UI-thread stalls during a demo-sized run", "")
        if log is None:
            self.add("Not run (section 5).", "")
            self.goals.append(["Longest UI-thread stall", "<= %d ms" % GOAL_STALL_MS, "not run",
                               None])
            return
        display = (read(os.path.join(self.r, "gui-stall.display")) or "").strip()
        summary = re.search(r"(\d+) ticks, longest gap ([\d.]+) ms, p99 ([\d.]+) ms, median "
                            r"([\d.]+) ms; the UI thread itself busy at most ([\d.]+) ms", log)
        stalls = [(float(g), float(t), float(b)) for g, t, b in re.findall(
            r"stall: ([\d.]+) ms at ([\d.]+) s \(UI thread busy ([\d.]+) ms", log)]
        stages = re.findall(r"stage at ([\d.]+) s: (.*)", log)
        t = parse_time_v(os.path.join(self.r, "gui-stall.time")) or {}
        self.add("`vidrnn-workbench --stall-probe` (%s): the window generates the small demo, "
                 "extracts its features and trains a GRU and an LSTM (h128, 64 px, 12 frames, 15 "
                 "epochs) through its run queue, as a user would; a 10 ms timer on the UI thread "
                 "notes every gap between its ticks. \"Busy\" is the UI thread's own CPU time "
                 "within the gap: a long gap with little of it is time the thread waited." % (
                     "under Xvfb" if display == "xvfb-run" else "offscreen platform"), "")
        if not summary:
            self.add("The probe printed no summary (exit %s); see gui-stall.log." %
                     t.get("status", "?"), "")
            self.goals.append(["Longest UI-thread stall", "<= %d ms" % GOAL_STALL_MS,
                               "no result", False])
            return
        ticks, longest, p99, median, busy = summary.groups()
        longest = float(longest)
        self.table(["ticks", "longest gap", "p99", "median", "UI thread busy in one gap (max)",
                    "gaps over 30 ms", "wall", "max RSS"],
                   [[ticks, "%.1f ms" % longest, "%s ms" % p99, "%s ms" % median, "%s ms" % busy,
                     str(len(stalls)), fmt_wall(t.get("wall_s")),
                     fmt_bytes(t.get("max_rss_bytes"))]])
        if stages:
            self.add("Stages: " + "; ".join("%s at %s s" % (name, at) for at, name in stages) +
                     ".", "")
        if stalls:
            worst = sorted(stalls, reverse=True)[:5]
            self.add("Longest gaps: " + "; ".join(
                "%.1f ms at %.1f s (busy %.1f ms)" % w for w in worst) + ".", "")
        ok = longest <= GOAL_STALL_MS and t.get("status", 0) == 0
        self.goals.append(["Longest UI-thread stall (demo-sized run in the window)",
                           "<= %d ms" % GOAL_STALL_MS, "%.1f ms (p99 %s ms)" % (longest, p99), ok])

    def store_scale(self):
        """Section 7: the CLI and the workbench on stores of 0, 1k, 10k and 50k runs
        (bench/store_scale.sh; goals of issue 16)."""
        d = os.path.join(self.r, "store-scale")
        cli = read(os.path.join(d, "cli.tsv"))
        self.add("## 7. The run store at 1k, 10k and 50k runs", "")
        if not cli:
            self.add("Not run (section store: `bash tools/bench.sh --only store`).", "")
            return
        self.add("`bash bench/store_scale.sh`: one real run (GRU h32, 3 epochs on the tiny demo) "
                 "cloned with all its rows (`bench_store_scale --grow`, the SQL of "
                 "`tests/storegrow.h`) into stores of 1k, 10k and 50k runs. CLI: median of 3 wall "
                 "times, peak memory (max RSS, GNU time) of the largest of the three.", "")
        times, mem = {}, {}
        names = []
        for line in cli.strip().splitlines():
            parts = line.split("\t")
            if len(parts) != 4:
                continue
            name, store, t, mb = parts
            n = int(store.split("-")[-1])
            if name not in names:
                names.append(name)
            times[(name, n)] = float(t)
            mem[(name, n)] = int(mb)
        sizes = [n for n in STORE_SIZES if any((name, n) in times for name in names)]
        rows = []
        for name in names:
            rows.append(["`vidrnn %s`" % name] +
                        ["%.2f s" % times[(name, n)] if (name, n) in times else "-"
                         for n in sizes] +
                        ["%d MB" % mem[(name, sizes[-1])] if (name, sizes[-1]) in mem else "-"])
        self.table(["command"] + ["empty" if n == 0 else "%dk" % (n // 1000) for n in sizes] +
                   ["peak memory at %dk" % (sizes[-1] // 1000)], rows)
        big = max(sizes)
        fast = [times[(name, n)] for name in ("--version", "runs list --limit 20")
                for n in sizes if (name, n) in times]
        if fast:
            self.goals.append(["`vidrnn --version`, `runs list --limit 20`, any store",
                               "< %.2f s" % GOAL_CLI_FAST_S, "at most %.2f s" % max(fast),
                               max(fast) < GOAL_CLI_FAST_S])
        # store check reads every page by design, on request only: exempt like training.
        extra = [(name, times[(name, big)] - times[(name, 0)]) for name in names
                 if name != "store check" and (name, big) in times and (name, 0) in times]
        if extra:
            worst = max(extra, key=lambda e: e[1])
            self.goals.append(["Every CLI command at %dk within %.1f s of the empty store "
                               "(`store check` exempt: a full read on request)" % (
                                   big // 1000, GOAL_CLI_50K_EXTRA_S),
                               "+%.1f s" % GOAL_CLI_50K_EXTRA_S,
                               "worst `%s` +%.2f s" % worst, worst[1] <= GOAL_CLI_50K_EXTRA_S])
        if ("runs list --json", big) in mem:
            m = mem[("runs list --json", big)]
            self.goals.append(["`runs list --json` peak memory at %dk" % (big // 1000),
                               "< %d MB" % GOAL_JSON_PEAK_MB, "%d MB" % m,
                               m < GOAL_JSON_PEAK_MB])
        wb = {}
        for n in sizes:
            lines = read(os.path.join(d, "workbench-%d.jsonl" % n))
            if not lines:
                continue
            wb[n] = []
            for line in lines.splitlines():
                try:
                    wb[n].append(json.loads(line))
                except ValueError:
                    pass
        if not wb:
            return
        self.add("Workbench (`bench_store_scale --workbench`, offscreen, 1400x900): each action "
                 "once, its wall time until the window shows the result, the longest gap of a "
                 "10 ms UI-thread timer meanwhile (`StallProbe`) and the UI thread's own CPU "
                 "time within that gap (busy: the stall without the time spent waiting for a "
                 "core); one process per store. \"Launch\" includes constructing the window.", "")
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
        self.table(["action: time / longest stall / busy"] + ["%dk" % (n // 1000) for n in ns],
                   rows)
        if any(constructed.values()):
            self.add("Of the launch, constructing the window took " + ", ".join(
                "%.0f ms at %dk" % (constructed[n], n // 1000) for n in ns if constructed[n]) +
                ".", "")
        top = ns[-1]
        launch = next((x for x in wb[top] if x.get("action") == "launch to usable"), None)
        if launch:
            self.goals.append(["Workbench usable after launch at %dk" % (top // 1000),
                               "< %.1f s" % (GOAL_WB_USABLE_MS / 1000.0),
                               "%.2f s" % (launch["ms"] / 1000.0),
                               launch["ms"] < GOAL_WB_USABLE_MS and launch.get("finished")])
        worst = max((x for x in wb[top] if "max_stall_ms" in x), key=lambda x: x["max_stall_ms"])
        busiest = max((x for x in wb[top] if "max_busy_ms" in x),
                      key=lambda x: x["max_busy_ms"], default=None)
        self.goals.append(["No UI-thread stall over %d ms at %dk, any listed action" % (
                               GOAL_WB_STALL_MS, top // 1000), "<= %d ms" % GOAL_WB_STALL_MS,
                           "longest %.0f ms (%s)%s" % (
                               worst["max_stall_ms"], worst["action"],
                               "; most UI-thread CPU in one gap %.0f ms (%s)" % (
                                   busiest["max_busy_ms"], busiest["action"]) if busiest else ""),
                           worst["max_stall_ms"] <= GOAL_WB_STALL_MS])
        if peak.get(top):
            self.goals.append(["Workbench peak memory at %dk" % (top // 1000),
                               "< %d MB" % GOAL_WB_PEAK_MB, "%.0f MB" % peak[top],
                               peak[top] < GOAL_WB_PEAK_MB])

    def threads(self):
        rows = []
        self.thr = {}
        for blas in ("openblas", "openblas-cores", "openblas-ob1", "openblas-ob1-passive",
                     "reference"):
            for t in ("1", "2"):
                g = GBench(os.path.join(self.r, "threads-%s-%s-cpp.json" % (blas, t)))
                p = PyBench(os.path.join(self.r, "threads-%s-%s-py.json" % (blas, t)))
                if not g.samples and not p.results:
                    continue
                loaded = g.context.get("vidrnn_blas") or p.context.get("blas", "n/a")
                label = {"openblas": "OpenBLAS, defaults (engine: 1 own thread; PyTorch: "
                                     "1 per core)",
                         "openblas-cores": "OpenBLAS, OPENBLAS_NUM_THREADS=cores (the engine "
                                           "before it set the pool)",
                         "openblas-ob1": "OpenBLAS, OPENBLAS_NUM_THREADS=1",
                         "openblas-ob1-passive": "OpenBLAS, OPENBLAS_NUM_THREADS=1, "
                                                 "OMP_WAIT_POLICY=PASSIVE",
                         "reference": "reference BLAS"}[blas]
                row = [label, t, "`%s`" % os.path.basename(loaded)]
                for arch in ("lstm", "gru"):
                    name = "train_step/%s/256" % arch
                    self.thr[(blas, t, arch)] = (g.median_ms(name), p.median_ms(name))
                    row += [fmt_ms(g.median_ms(name)),
                            fmt_ms(p.median_ms(name)) if p.results else "-"]
                rows.append(row)
        self.add("## 6. Threads and BLAS", "",
                 "The LSTM and GRU training step at hidden 256 (shapes as in 1). Threads: "
                 "LibTorch intra-op threads (`--threads`, `torch.set_num_threads`). The "
                 "reference BLAS is selected per process with LD_LIBRARY_PATH (BLAS and "
                 "LAPACK directories of the reference packages), the system alternative "
                 "untouched; the BLAS column is the library really mapped into the C++ "
                 "process.", "")
        self.table(["BLAS", "LibTorch threads", "mapped", "LSTM C++", "LSTM Python", "GRU C++",
                    "GRU Python"], rows)

    def profile(self):
        doc = load_json(os.path.join(self.r, "profile.json"))
        if not doc:
            return
        self.add("## What dominates (PyTorch profiler, same ATen kernels as the engine)", "",
                 "`bench/profile_step.py`, %s threads: self CPU time of the operators per "
                 "step, grouped; GEMM = mm/addmm/bmm (the BLAS), convolution = oneDNN; "
                 "\"outside operators\" = profiled step time minus operator time (Python, "
                 "autograd bookkeeping, profiler). Profiler overhead inflates small "
                 "operators; read shares, not absolute times." % doc.get("threads", "?"), "")
        rows = []
        for name, r in doc.get("train", {}).items():
            g = r["groups"]
            outside = max(0.0, r["profiled_step_ms"] - r["op_self_ms"])
            rows.append(["train step " + name, fmt_ms(r["profiled_step_ms"]),
                         "%.0f" % r["op_calls_per_step"],
                         "%.0f%%" % (100 * g.get("gemm", {}).get("share", 0)),
                         "%.0f%%" % (100 * g.get("convolution", {}).get("share", 0)),
                         "%.0f%%" % (100 * g.get("other ops", {}).get("share", 0)),
                         fmt_ms(outside), fmt_ms(r.get("optimizer_step_ms")),
                         ", ".join("%s %.0f%%" % (t["op"].replace("aten::", ""), 100 * t["share"])
                                   for t in r["top"][:3])])
        for h, forms in doc.get("convlstm", {}).items():
            for form, r in forms.items():
                g = r["groups"]
                outside = max(0.0, r["profiled_step_ms"] - r["op_self_ms"])
                rows.append(["ConvLSTM %s %s fwd+bwd" % (form, h), fmt_ms(r["profiled_step_ms"]),
                             "%.0f" % r["op_calls_per_step"],
                             "%.0f%%" % (100 * g.get("gemm", {}).get("share", 0)),
                             "%.0f%%" % (100 * g.get("convolution", {}).get("share", 0)),
                             "%.0f%%" % (100 * g.get("other ops", {}).get("share", 0)),
                             fmt_ms(outside), "-",
                             ", ".join("%s %.0f%%" % (t["op"].replace("aten::", ""),
                                                      100 * t["share"]) for t in r["top"][:3])])
        self.table(["case", "profiled step", "operator calls", "GEMM", "convolution",
                    "other operators", "outside operators", "Adam step (incl.)",
                    "top operators (self time)"], rows)
        self.prof = doc

    # --- analysis: causes of missed goals, from the measurements above ----------
    def analysis(self):
        a = self.add
        a("## Why goals are missed and what would close them", "")
        a("Derived from the tables above (this run's numbers); the reasoning is in "
          "bench/report.py next to the text it generates.", "")
        goal = {g[0]: g for g in self.goals}

        # 1. C++ vs Python
        ratios = sorted(c["ms"] / self.train_py[n]["ms"] for n, c in self.train_cpp.items()
                        if n in self.train_py and n.split("/")[1] in RECURRENT and c["ms"]
                        and self.train_py[n]["ms"])
        g = goal.get("C++ training step vs Python, every recurrent model")
        if ratios:
            a("### C++ training step <= %.1fx Python: %s" % (
                GOAL_CPP_VS_PY, "met" if g and g[3] else "missed"), "")
            a("- Measured: C++/Python between %s and %s, median %s over the recurrent cases." % (
                fmt_x(ratios[0]), fmt_x(ratios[-1]), fmt_x(statistics.median(ratios))))
            if self.single_ratios:
                sr = sorted(self.single_ratios)
                a("- On one thread (section 1b, CPU time, little affected by other load): "
                  "between %s and %s, median %s." % (fmt_x(sr[0]), fmt_x(sr[-1]),
                                                     fmt_x(statistics.median(sr))))
            a("- Both sides run the same work: `torch::nn::LSTM`/`GRU` and `nn.LSTM`/`GRU` "
              "dispatch to the same `aten::lstm`/`aten::gru` (on CPU: one GEMM for the input "
              "projection of all steps, then a GEMM and pointwise gate operators per step), "
              "the same oneDNN convolutions for ConvLSTM, the same autograd engine (C++ on "
              "both sides) and the same BLAS library. What differs is the Python "
              "interpreter around a few dozen calls per step (module calls, the loss, "
              "Adam's loop over the parameters), and the BLAS's own threads: the engine "
              "holds OpenBLAS's pool to one thread, PyTorch leaves one per core beside its "
              "OpenMP threads.")
            eq = []
            for arch in ("lstm", "gru"):
                c, p_ = self.thr.get(("openblas-ob1", "2", arch)) or (None, None)
                cd, pd = self.thr.get(("openblas", "2", arch)) or (None, None)
                if c and p_ and cd and pd:
                    eq.append("%s 256: %s with each side's defaults, %s with one OpenBLAS "
                              "thread on both" % (arch.upper(), fmt_x(cd / pd), fmt_x(c / p_)))
            if eq:
                a("- So the ratio at 2 threads is mostly the BLAS setting (section 6): " +
                  "; ".join(eq) + ". A PyTorch user who sets OPENBLAS_NUM_THREADS=1 gets "
                  "most of it; vidrnn sets it for its users.")
            if self.prof:
                parts = []
                for name, r in self.prof.get("train", {}).items():
                    outside = max(0.0, r["profiled_step_ms"] - r["op_self_ms"])
                    parts.append("%s %.1f%% (%s of %s)" % (
                        name, 100 * outside / r["profiled_step_ms"], fmt_ms(outside),
                        fmt_ms(r["profiled_step_ms"])))
                a("- Time outside ATen operators in the Python step (interpreter, autograd "
                  "bookkeeping and the profiler's own cost, so an upper bound of what C++ can "
                  "save): " + ", ".join(parts) + ". So by language alone C++ can at best be "
                  "a few per cent faster (section 1b, one thread on both sides, shows it).")
            a("- Beyond the BLAS setting, what would widen the gap is doing less work than "
              "PyTorch's eager kernels, "
              "which the engine could do and a plain PyTorch script does not: a fused "
              "LSTM/GRU cell (one kernel for the gate arithmetic, forward and backward; the "
              "profile's \"other operators\" share is its ceiling), oneDNN's RNN primitive "
              "(LibTorch >= 2.0 uses it for CPU LSTMs; Debian's 1.13 does not have it), or "
              "bf16 arithmetic (this CPU has AVX512-BF16; results change).", "")

        # 2. ConvLSTM
        g = goal.get("ConvLSTM fast path vs straightforward form")
        if self.conv_rows:
            a("### ConvLSTM fast path >= %.1fx the straightforward form: %s" % (
                GOAL_CONVLSTM, "met" if g and g[3] else "missed"), "")
            parts = []
            for h, r in sorted(self.conv_rows.items()):
                if r["fast"] and r["ref"]:
                    parts.append("hidden %d: %s measured, %s FLOP bound" % (
                        h, fmt_x(r["ref"] / r["fast"]), fmt_x(r["bound"])))
            a("- " + "; ".join(parts) + ".")
            a("- The FLOP bound is the ceiling of batching: the fast path does the same "
              "convolutions, only in a different grouping. It saves the input gradient of "
              "the frames (the reference's convolution over cat(x, h) computes it because h "
              "needs one) and the first step's hidden convolution; nothing else. At 7x7 maps "
              "and batch 32 one step's convolution is already a large GEMM (1,568 rows), so "
              "batching 16 steps does not raise the FLOP rate noticeably. The bound falls "
              "with the hidden size because the hidden part, which stays per step, grows.")
            exp = []
            for h, r in sorted(self.conv_rows.items()):
                if r["fast"] and r.get("unbind") and r.get("unbind_hoist") and r["ref"]:
                    exp.append("hidden %d: engine %s, unbind %s, unbind + hoist %s%s" % (
                        h, fmt_x(r["ref"] / r["fast"]), fmt_x(r["ref"] / r["unbind"]),
                        fmt_x(r["ref"] / r["unbind_hoist"]),
                        ", + channels-last %s" % fmt_x(r["ref"] / r["unbind_hoist_cl"])
                        if r.get("unbind_hoist_cl") else ""))
            if exp:
                a("- Where the fast path fell short of that bound, the profile (`fill_`, "
                  "`add`, `copy_` on whole tensors) showed why: per-step views whose backward "
                  "is O(T) each. `x_gates.select(1, t)` per step made autograd allocate a "
                  "zero-filled gradient of the whole [B,T,4h,H,W] gate tensor for every step "
                  "and sum the T of them; the engine now takes all steps' gates from one "
                  "`unbind(1)` (the `fast_unbind` column's form, so the engine and "
                  "`fast_unbind` columns differ only by noise). `conv->weight.narrow` per step "
                  "still does the same with a whole [4h,C+h,3,3] weight gradient "
                  "(`fast_unbind_hoist` narrows once per forward). Measured speed-up over the "
                  "reference: " + "; ".join(exp) + ".")
            one = []
            for h, t in sorted(self.conv_single.items()):
                ref = t.get("reference")
                if ref and t.get("fast") and t.get("fast_unbind_hoist"):
                    one.append("hidden %d: engine %s, unbind %s, unbind + hoist %s (bound %s)%s" % (
                        h, fmt_x(ref / t["fast"]), fmt_x(ref / t["fast_unbind"]),
                        fmt_x(ref / t["fast_unbind_hoist"]),
                        fmt_x((self.conv_rows.get(h) or {}).get("bound")),
                        ", channels-last %s" % fmt_x(ref / t["fast_unbind_hoist_cl"])
                        if t.get("fast_unbind_hoist_cl") else ""))
            if one:
                a("- On one thread (section 2b, CPU time, robust to the machine's load): "
                  + "; ".join(one) + ". With both fixes the fast path reaches the FLOP bound; "
                  "channels-last adds nothing.")
            a("- Reaching 1.5x needs cheaper arithmetic than the reference, not a "
              "different grouping: bf16 convolutions (AVX512-BF16 on this CPU, outputs then "
              "differ by more than 1e-4), or Winograd 3x3 (not selectable through LibTorch "
              "1.13's convolution). Or the goal restated against the FLOP bound.", "")

        # 3. Extraction
        g = goal.get("Extraction end to end vs backbone only")
        if self.ext:
            a("### Extraction end to end >= %.1fx backbone only: %s" % (
                GOAL_EXTRACT, "met" if g and g[3] else "missed"), "")
            for size, e in sorted(self.ext.items()):
                if not (e["e2e"] and e["bb"] and e["frames"]):
                    continue
                alone = e["frames"] / e["bb"]
                dec_share = e["bb"] / e["dec"] if e["dec"] else None
                a("- Size %d: %s. Decoding costs %s of the backbone's time (decode only %.0f "
                  "frames/s on one thread against %.1f for the backbone on all cores), yet "
                  "inside the end-to-end run the backbone took %.1f s against %.1f s alone "
                  "(%s), and building the backbone took %s." % (
                      size, fmt_x(e["ratio"]),
                      "%.0f%%" % (100 * dec_share) if dec_share else "n/a",
                      e["dec"] or 0, e["bb"], e["in_bb"] or 0, alone,
                      "+%.0f%%" % (100 * ((e["in_bb"] or 0) / alone - 1)),
                      fmt_ms(e["setup"])))
            a("- So what dominates the loss is interference, not decoding work: the "
              "decoder thread takes a core from one of the two OpenMP threads, and every "
              "oneDNN parallel region then waits for the preempted thread; libgomp's "
              "spinning threads make the decoder wait longer for a core. With other load on "
              "the machine the effect grows.")
            pas = ["size %d: %s (backbone alone %.1f frames/s)" % (
                s, fmt_x(e["p_ratio"]), e["p_bb"])
                for s, e in sorted(self.ext.items()) if e.get("p_ratio")]
            if pas:
                a("- Measured with OMP_WAIT_POLICY=PASSIVE (idle OpenMP threads sleep at "
                  "once): " + "; ".join(pas) + ".")
            a("- What would close it: let the decoder run without stalling inference "
              "(passive OpenMP waiting, or the decoder at a lower scheduling priority), "
              "decode only the sampled frames (OpenCV's FFmpeg `grab()` decodes every frame; "
              "the demo clips have 24-32 frames for 16 samples), and keep the backbone "
              "built once per process rather than per call.", "")

        # 6. Threads and BLAS (no goal; what the engine's defaults cost)
        t = self.thr
        def cpp(blas, n, arch):
            return (t.get((blas, n, arch)) or (None, None))[0]
        if t:
            a("### Threads and BLAS (section 6)", "")
            for arch in ("lstm", "gru"):
                d1, d2 = cpp("openblas", "1", arch), cpp("openblas", "2", arch)
                c2 = cpp("openblas-cores", "2", arch)
                o2, p2 = cpp("openblas-ob1", "2", arch), cpp("openblas-ob1-passive", "2", arch)
                r1 = cpp("reference", "1", arch)
                py2 = (t.get(("openblas", "2", arch)) or (None, None))[1]
                parts = []
                if d1 and d2:
                    parts.append("2 threads take %s of the 1-thread time" % fmt_x(d2 / d1))
                if d2 and c2:
                    parts.append("OpenBLAS's pool at one thread per core (as before the engine "
                                 "set it) takes %s against %s at 2 threads (%s)" % (
                                     fmt_ms(c2), fmt_ms(d2), fmt_x(c2 / d2)))
                if d2 and py2:
                    parts.append("PyTorch at its defaults %s (C++ %s of it)" % (
                        fmt_ms(py2), fmt_x(d2 / py2)))
                if d2 and p2:
                    parts.append("with OMP_WAIT_POLICY=PASSIVE as well: %s of the default "
                                 "(%s against %s)" % (fmt_x(p2 / d2), fmt_ms(p2), fmt_ms(d2)))
                if d1 and r1:
                    parts.append("the reference BLAS is %s slower than OpenBLAS at 1 thread" %
                                 fmt_x(r1 / d1))
                if parts:
                    a("- %s 256, C++: %s." % (arch.upper(), "; ".join(parts)))
            a("- LibTorch's thread setting does not reach OpenBLAS: OpenBLAS (pthread "
              "build) starts its own pool of one thread per core, so at \"2 threads\" up to "
              "4 threads spin for 2 cores, and at \"1 thread\" OpenBLAS still uses 2. The "
              "engine's `configureThreads` therefore holds that pool to one thread "
              "(`openblas_set_num_threads`, found with dlsym: libblas.so.3 may be another "
              "BLAS) unless OPENBLAS_NUM_THREADS or GOTO_NUM_THREADS is set; "
              "PyTorch does not, which is part of the ratio in section 1 at 2 threads. The "
              "GEMMs of a recurrent step are small (batch 32 rows), where OpenBLAS's threading "
              "costs more than it brings. libgomp's threads spin after each parallel region; "
              "on a machine shared with other work a descheduled thread stalls every barrier, "
              "which is what PASSIVE avoids.", "")

        # 4. Demo and memory
        demo = self.job.get("demo")
        if demo:
            g = goal.get("`vidrnn demo` wall time")
            a("### Demo <= 15 min: %s" % ("met" if g and g[3] else "missed"), "")
            per_arch = {}
            for row in (self.demo_report or {}).get("rows", []):
                if row.get("reference"):
                    continue
                ts = row.get("train_seconds") or {}
                per_arch[row["arch"]] = per_arch.get(row["arch"], 0) + (ts.get("mean") or 0) * (
                    ts.get("n") or 1)
            total = sum(per_arch.values())
            if total:
                a("- Training seconds per architecture (sum over its runs, from the demo's "
                  "store): " + ", ".join("%s %.0f s (%.0f%%)" % (k, v, 100 * v / total)
                                         for k, v in sorted(per_arch.items(),
                                                            key=lambda kv: -kv[1])) +
                  "; wall time of the whole job %s." % fmt_wall(demo.get("wall_s")), "")
        full = [self.job.get("extract-full"), self.job.get("train-full")]
        if any(full):
            g = goal.get("Peak memory at UCF11 scale (extract, ConvLSTM train)")
            a("### Peak memory at UCF11 scale <= 3 GB: %s" % (
                "met" if g and g[3] else "missed"), "")
            a("- Extraction keeps a bounded queue of decoded clips (8) and one batch of "
              "frames; training preloads a split's features only when they fit in 768 MiB "
              "and streams them otherwise, so neither grows with the data set.", "")

    def proposals(self):
        a = self.add
        a("## Engine changes these measurements suggest", "")
        conv = []
        for h, r in sorted(self.conv_rows.items()):
            if r["fast"] and r.get("unbind_hoist"):
                one = self.conv_single.get(h) or {}
                conv.append("hidden %d: %s -> %s per forward+backward on 2 threads (%s "
                            "faster)%s" % (
                                h, fmt_ms(r["fast"]), fmt_ms(r["unbind_hoist"]),
                                fmt_x(r["fast"] / r["unbind_hoist"]),
                                ", %s -> %s CPU on one thread (%s)" % (
                                    fmt_ms(one["fast"]), fmt_ms(one["fast_unbind_hoist"]),
                                    fmt_x(one["fast"] / one["fast_unbind_hoist"]))
                                if one.get("fast") and one.get("fast_unbind_hoist") else ""))
        if conv:
            cl = ["%s" % fmt_x(r["unbind_hoist"] / r["unbind_hoist_cl"])
                  for _, r in sorted(self.conv_rows.items())
                  if r.get("unbind_hoist") and r.get("unbind_hoist_cl")]
            a("1. `ConvLSTMImpl::forward` takes the step gates from one `x_gates.unbind(1)` "
              "(made: the engine's fast path is now the `fast_unbind` column's form); "
              "passing `step` the weight halves narrowed once per forward is not made yet. "
              "Same outputs (section 2); " + "; ".join(conv) + ". Channels-last on top: %s "
              "(no gain worth the conversions)." % (", ".join(cl) or "n/a"))
        t = self.thr
        lstm_c = (t.get(("openblas-cores", "2", "lstm")) or (None,))[0]
        lstm_d = (t.get(("openblas", "2", "lstm")) or (None,))[0]
        lstm_p = (t.get(("openblas-ob1-passive", "2", "lstm")) or (None,))[0]
        if lstm_d and lstm_c:
            a("2. `configureThreads` holds OpenBLAS's own pool to one thread (made): LSTM 256 "
              "step at 2 threads %s -> %s.%s" % (
                  fmt_ms(lstm_c), fmt_ms(lstm_d),
                  " With OMP_WAIT_POLICY=PASSIVE too: %s. libgomp reads that variable once, "
                  "so the CLI and GUI mains would set it (unless the user did) before the "
                  "first LibTorch call (not made)." % fmt_ms(lstm_p) if lstm_p else ""))
        ext = ["size %d: %s -> %s" % (sz, fmt_x(e["ratio"]), fmt_x(e["p_ratio"]))
               for sz, e in sorted(self.ext.items()) if e.get("ratio") and e.get("p_ratio")]
        if ext:
            a("3. Extraction: the same passive waiting keeps the decoder thread from stalling "
              "the backbone (end to end / backbone only: %s); decoding only the sampled "
              "frames (seek instead of `grab()` for intra-only codecs such as MJPG) would "
              "cut the decoder's work by a third to a half on the demo clips." % "; ".join(ext))
        a("")

    def cuda(self, cuda_dir):
        """Sections 1 and 2 on a lent GPU (bench/gpu/run.sh on the device machine;
        its results are committed under docs/bench-cuda/), and the engine's
        trainer there on CUDA beside the same runs on that machine's CPU."""
        if not cuda_dir or not os.path.isdir(cuda_dir):
            return
        machine_txt = (read(os.path.join(cuda_dir, "machine.txt")) or "").strip().splitlines()
        cpp = GBench(os.path.join(cuda_dir, "train-cpp-cuda.json"))
        py = PyBench(os.path.join(cuda_dir, "train-py-cuda.json"))
        conv = GBench(os.path.join(cuda_dir, "convlstm-cuda.json"))
        when = (read(os.path.join(cuda_dir, "date.txt")) or "").strip()
        self.add("## CUDA (a lent GPU)", "",
                 "Run by `bench/gpu/run.sh` on a machine lent for a few minutes (%s; %s): the "
                 "engine's LibTorch sources built there against PyTorch's bundled LibTorch "
                 "(%s), the trainer's sources linked into the three programs below. Same "
                 "shapes as sections 1 and 2; each timed step ends with "
                 "`torch::cuda::synchronize` / `torch.cuda.synchronize`. Results: "
                 "`docs/bench-cuda/`." % ("; ".join(machine_txt[:1]) or "?", when or "date n/a",
                                          " ".join(machine_txt[2:3]) or "?"), "")
        rows, ratios, all_ok = [], [], True if cpp.samples else None
        for arch, h, name, c, p_ in train_cases([64, 128, 256, 512], cpp.samples, py.results):
            c_ms = cpp.median_ms(name)
            p_ms = py.median_ms(name)
            if c_ms is None and p_ms is None:
                continue
            ratio = c_ms / p_ms if c_ms and p_ms else None
            if arch in RECURRENT:
                ok = ratio is not None and ratio <= GOAL_CPP_VS_PY
                all_ok = all_ok and ok
                if ratio is not None:
                    ratios.append((ratio, name))
                goal = "met" if ok else "missed"
            else:
                goal = "(not recurrent)"
            rows.append([arch, h, fmt_ms(c_ms), fmt_ms(p_ms), fmt_x(ratio), goal])
        self.add("### 1 on CUDA: training step", "")
        self.table(["arch", "hidden", "C++", "Python", "C++/Python", "goal"], rows)
        if ratios:
            worst = max(ratios)
            self.goals.append(["C++ training step vs Python on CUDA, every recurrent model",
                               "<= %.1fx" % GOAL_CPP_VS_PY, "%s to %s (worst: %s)" % (
                                   fmt_x(min(ratios)[0]), fmt_x(worst[0]),
                                   worst[1].split("/", 1)[1]), all_ok])
        rows, speedups = [], []
        for h in sorted({int(n.split("/")[2]) for n in conv.samples}):
            fast = conv.median_ms("convlstm/fast/%d" % h)
            ref = conv.median_ms("convlstm/reference/%d" % h)
            d_out = conv.context.get("diff/fast/%d/output" % h)
            sp = ref / fast if fast and ref else None
            if sp is not None:
                speedups.append((sp, h))
            rows.append([h, fmt_ms(fast), fmt_ms(ref), fmt_x(sp),
                         "%.2g" % float(d_out) if d_out else "n/a"])
        if rows:
            self.add("### 2 on CUDA: ConvLSTM fast path against the straightforward form", "")
            self.table(["hidden", "fast", "reference", "speed-up", "max abs diff output"], rows)
            ok = all(sp >= GOAL_CONVLSTM for sp, _ in speedups) if speedups else None
            if conv.context.get("diff_ok") == "false":
                ok = False
            self.goals.append(["ConvLSTM fast path vs straightforward form on CUDA",
                               ">= %.1fx" % GOAL_CONVLSTM,
                               ", ".join("%s at %d" % (fmt_x(sp), h) for sp, h in speedups),
                               ok])
        runs = (load_json(os.path.join(cuda_dir, "gpu-check.json")) or {}).get("runs", [])
        if runs:
            self.add("### The trainer on CUDA and on that machine's CPU", "",
                     "`gpu_check`: the engine's `train()` (Adam, early stopping on the "
                     "validation loss, best epoch restored, test evaluation) on real features "
                     "of the small demo preset (built-in ResNet-18 at 64 px, T = 12, groups "
                     "split), hidden 128, up to 15 epochs, batch 16. Training time is the fit "
                     "loop as the store records it.", "")
            self.table(["arch", "hidden", "device", "accuracy", "macro F1", "epochs",
                        "train time"],
                       [[r["arch"], r["hidden"], r["device"], "%.3f" % r["accuracy"],
                         "%.3f" % r["macro_f1"], r["epochs"], fmt_wall(r["train_seconds"])]
                        for r in runs])

    def failures(self):
        bad = []
        for path in sorted(glob.glob(os.path.join(self.r, "*.rc"))):
            rc = int((read(path) or "0").strip() or 0)
            if rc != 0:
                bad.append("`%s` exited with status %d (log: %s)" % (
                    os.path.basename(path)[:-3], rc, os.path.basename(path)[:-3] + ".log"))
        if bad:
            self.add("## Failed steps", "")
            self.add(*["- " + b for b in bad])
            self.add("")


def flop_bound(shape, h):
    """Reference FLOPs / fast-path FLOPs of one ConvLSTM layer, forward + backward.

    Per convolution over k input channels: forward F(k), weight gradient F(k),
    input gradient F(k). The reference convolves cat(x, h) (C + h channels) at
    every step and, h needing a gradient, computes the input gradient of all
    C + h channels. The fast path convolves x once (no input gradient: frames
    are constants) and h at steps 2..T (forward, weight and input gradient).
    """
    try:
        c, t = int(shape["C"]), int(shape["T"])
    except (KeyError, ValueError):
        return None
    reference = 3.0 * (c + h)
    fast = 2.0 * c + 3.0 * h * (t - 1) / t
    return reference / fast


def fast_path_flops(shape, h):
    """Convolution FLOPs of one forward + backward of the engine's ConvLSTM fast
    path (see flop_bound): 2 x 9 x 4h x map^2 x B x T per input channel and
    pass, over 2C passes for x (forward, weight gradient) and 3h(T-1)/T for h."""
    try:
        b, t, c = int(shape["batch"]), int(shape["T"]), int(shape["C"])
        m = int(shape["map"].split("x")[0])
    except (KeyError, ValueError):
        return None
    return 2.0 * 9 * 4 * h * m * m * b * t * (2.0 * c + 3.0 * h * (t - 1) / t)


def load_json_tail(path):
    """The JSON document a --json command printed (its last top-level object)."""
    text = read(path)
    if not text:
        return None
    start = text.find("\n{")
    start = 0 if text.startswith("{") else start + 1 if start >= 0 else -1
    if start < 0:
        return None
    try:
        return json.loads(text[start:])
    except ValueError:
        return None


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--results", required=True)
    p.add_argument("--out", required=True)
    p.add_argument("--notes", help="Markdown appended as the analysis section")
    p.add_argument("--cuda", default=os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                                  "..", "docs", "bench-cuda"),
                   help="results of bench/gpu/run.sh from a GPU machine (default: docs/bench-cuda)")
    p.add_argument("--section", choices=["bf16", "store", "extract-real"],
                   help="write only this section (with its goals) to --out")
    args = p.parse_args()
    r = args.results
    if args.section:
        rep = Report(r)
        {"bf16": rep.bf16, "store": rep.store_scale,
         "extract-real": rep.extraction_real}[args.section]()
        out = ["| goal | target | measured | status |", "|---|---|---|---|"]
        out += ["| %s | %s | %s | %s |" % (g[0], g[1], g[2], status(g[3])) for g in rep.goals]
        with open(args.out, "w") as f:
            f.write("\n".join(out + [""] + rep.lines))
        return
    quick = "quick=1" in (read(os.path.join(r, "mode.txt")) or "")
    m = machine(r)
    info = m["info"]
    load = load_summary(r)

    rep = Report(r)
    rep.training()
    rep.training_single()
    rep.convlstm()
    rep.convlstm_single()
    rep.bf16()
    rep.extraction()
    rep.extraction_real()
    rep.jobs(quick)
    rep.gui()
    rep.store_scale()
    rep.threads()
    rep.profile()
    rep.cuda(args.cuda)
    rep.analysis()
    rep.proposals()
    rep.failures()
    body = rep.lines

    out = ["# Benchmarks", "",
           "Generated by `bash tools/bench.sh%s` (do not edit by hand: rerun it). Raw "
           "results: build/dev/bench-results/." % (" --quick" if quick else ""), ""]
    if quick:
        out += ["**Quick run**: fewer hidden sizes, repetitions and clips; no demo or "
                "UCF11-scale jobs. Use the full run for decisions.", ""]
    out += ["## Machine", ""]
    rows = [
        ["CPU", m["cpu"]],
        ["cores / hardware threads", "%d / %d" % (m["cores"], m["threads"])],
        ["LibTorch intra-op threads (default, = cores)", info.get("threads", "n/a")],
        ["BLAS really loaded (`vidrnn info --json`)", "`%s`%s" % (
            info.get("blas", "n/a"),
            ", its own threads in the engine: %s" % info["blas_threads"]
            if info.get("blas_threads") is not None else "")],
        ["LibTorch", "%s (Debian libtorch-dev %s), parallel backend %s, oneDNN %s" % (
            info.get("libtorch", "n/a"), m["libtorch_pkg"], info.get("parallel_backend", "n/a"),
            "yes" if info.get("mkldnn") else "no")],
        ["PyTorch (Python side)", "python3-torch %s, Python %s" % (m["python_torch"], m["python"])],
        ["OpenBLAS", m["openblas_pkg"]],
        ["Google Benchmark", "%s (Debian's build warns \"Library was built as DEBUG\": that is "
                             "the harness, not the timed code)" % m["benchmark_pkg"]],
        ["date (UTC)", (read(os.path.join(r, "date.txt")) or "n/a").strip()],
        ["load average during the run", ("1-min load %.2f mean, %.2f min, %.2f max over %d "
                                         "samples (the benchmarks themselves add 1-2)" % (
                                             load["mean"], load["min"], load["max"], load["n"]))
         if load else "n/a"],
        ["sections rerun later (`--only`)",
         "; ".join((read(os.path.join(r, "reruns.txt")) or "none").strip().splitlines())],
        ["uptime at start / end", "%s / %s" % (
            (read(os.path.join(r, "uptime-start.txt")) or "").strip(),
            (read(os.path.join(r, "uptime-end.txt")) or "").strip())],
    ]
    out += ["| | |", "|---|---|"] + ["| %s | %s |" % (a, b) for a, b in rows] + [""]
    out += ["## Goals", ""]
    out += ["| goal | target | measured | status |", "|---|---|---|---|"]
    for g in rep.goals:
        out.append("| %s | %s | %s | %s |" % (g[0], g[1], g[2], status(g[3])))
    out.append("")
    out += body
    if args.notes and os.path.exists(args.notes):
        out += [read(args.notes).rstrip(), ""]
    with open(args.out, "w") as f:
        f.write("\n".join(out))


if __name__ == "__main__":
    main()
