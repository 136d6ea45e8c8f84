"""Reading the results of tools/bench.sh: Google Benchmark JSON (medians over
the repetitions' per-step real times), bench/train_step.py's JSON,
/usr/bin/time -v outputs, vidrnn info --json, the load-average log."""

import glob
import json
import os
import re
import statistics
from dataclasses import dataclass, field, fields
from typing import Optional


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


def base_name(run_name):
    """train_step/lstm/64/min_time:0.500/repeats:5/process_time/real_time -> train_step/lstm/64"""
    keep = [s for s in run_name.split("/")
            if ":" not in s and s not in ("real_time", "manual_time", "process_time")]
    return "/".join(keep)


def to_ms(value, unit):
    return value * {"ns": 1e-6, "us": 1e-3, "ms": 1.0, "s": 1e3}[unit]


def sizes_in(names):
    """The sizes in names such as train_step/lstm/64 or extract/e2e/112 (the third part)."""
    return sorted({int(n.split("/")[2]) for n in names})


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

    def counter_values(self, name, counter):
        return [x[counter] for x in self.samples.get(name, []) if counter in x]

    def count(self, name):
        return len(self.samples.get(name, []))

    def shape(self):
        """The bench's "shape" context ("batch=32 T=16 C=512 map=7x7") as a dict."""
        return dict(kv.split("=") for kv in self.context.get("shape", "").split() if "=" in kv)


class PyBench:
    """One JSON file of bench/train_step.py (or a script writing its format)."""

    def __init__(self, path):
        self.doc = load_json(path) or {}
        self.context = self.doc.get("context", {})
        self.results = {r["name"]: r for r in self.doc.get("results", [])}

    def median_ms(self, name):
        r = self.results.get(name)
        return r["median_ms"] if r else None


@dataclass
class TimeV:
    """What /usr/bin/time -v wrote; a field is None where its line is missing."""
    wall_s: Optional[float] = None
    max_rss_bytes: Optional[int] = None
    user_s: Optional[float] = None
    sys_s: Optional[float] = None
    status: Optional[int] = None

    def __bool__(self):
        return any(getattr(self, f.name) is not None for f in fields(self))


def parse_time_v(path):
    text = read(path)
    if not text:
        return None
    out = TimeV()
    m = re.search(r"Elapsed \(wall clock\) time.*: (?:(\d+):)?(\d+):([\d.]+)", text)
    if m:
        h = int(m.group(1) or 0)
        out.wall_s = h * 3600 + int(m.group(2)) * 60 + float(m.group(3))
    m = re.search(r"Maximum resident set size \(kbytes\): (\d+)", text)
    if m:
        out.max_rss_bytes = int(m.group(1)) * 1024
    m = re.search(r"User time \(seconds\): ([\d.]+)", text)
    if m:
        out.user_s = float(m.group(1))
    m = re.search(r"System time \(seconds\): ([\d.]+)", text)
    if m:
        out.sys_s = float(m.group(1))
    m = re.search(r"Exit status: (\d+)", text)
    if m:
        out.status = int(m.group(1))
    return out


@dataclass
class Machine:
    cpu: str
    cores: int
    threads: int
    info: dict = field(default_factory=dict)
    python_torch: str = "n/a"
    python: str = "n/a"
    libtorch_pkg: str = "n/a"
    benchmark_pkg: str = "n/a"
    openblas_pkg: str = "n/a"


def machine(results, cpuinfo="/proc/cpuinfo"):
    """This machine's CPU (from cpuinfo) and what bench.sh noted of its software."""
    cpu = "unknown"
    cores = set()
    logical = 0
    physical = None
    for line in (read(cpuinfo) or "").splitlines():
        key, _, value = line.partition(":")
        key, value = key.strip(), value.strip()
        if key == "model name" and cpu == "unknown":
            cpu = value
        elif key == "processor":
            logical += 1
        elif key == "physical id":
            physical = value
        elif key == "core id":
            cores.add((physical, value))
    py = (results.text("python-torch.txt") or "").split()
    versions = dict(line.split(None, 1) for line in
                    (results.text("versions.txt") or "").splitlines() if " " in line)
    return Machine(cpu=cpu, cores=len(cores) or logical, threads=logical,
                   info=results.json("info.json") or {},
                   python_torch=py[0] if py else "n/a",
                   python=py[1] if len(py) > 1 else "n/a",
                   libtorch_pkg=versions.get("libtorch-dev", "n/a"),
                   benchmark_pkg=versions.get("libbenchmark-dev", "n/a"),
                   openblas_pkg=versions.get("libopenblas0-pthread", "n/a"))


@dataclass
class LoadSummary:
    """The 1-min load average over the run (bench.sh samples it every 10 s)."""
    min: float
    mean: float
    max: float
    n: int


def load_summary(results):
    rows = []
    for line in (results.text("loadavg.log") or "").splitlines():
        parts = line.split()
        if len(parts) >= 2:
            rows.append(float(parts[1]))
    if not rows:
        return None
    return LoadSummary(min=min(rows), mean=statistics.mean(rows), max=max(rows), n=len(rows))


class Results:
    """A results folder of tools/bench.sh (or of bench/gpu/run.sh)."""

    def __init__(self, folder):
        self.folder = folder

    def path(self, name):
        return os.path.join(self.folder, name)

    def text(self, name, default=None):
        return read(self.path(name), default)

    def json(self, name):
        return load_json(self.path(name))

    def json_tail(self, name):
        return load_json_tail(self.path(name))

    def exists(self, name):
        return os.path.exists(self.path(name))

    def gbench(self, name):
        return GBench(self.path(name))

    def pybench(self, name):
        return PyBench(self.path(name))

    def gbenches(self, pattern):
        return [GBench(p) for p in glob.glob(self.path(pattern))]

    def pybenches(self, pattern):
        return [PyBench(p) for p in glob.glob(self.path(pattern))]

    def time_v(self, name):
        return parse_time_v(self.path(name))

    def exit_codes(self):
        """(step, status) of every step bench.sh recorded (NAME.rc), by name."""
        out = []
        for path in sorted(glob.glob(self.path("*.rc"))):
            out.append((os.path.basename(path)[:-3], int((read(path) or "0").strip() or 0)))
        return out
