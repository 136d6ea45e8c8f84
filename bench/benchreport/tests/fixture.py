"""A complete, synthetic results folder of tools/bench.sh, for the report's test.

The real results (build/dev/bench-results) are not committed; this writes every
file bench/report.py reads, in the formats the benchmarks write them (Google
Benchmark JSON, bench/train_step.py's JSON, /usr/bin/time -v, the stall probe's
log, store_scale.sh's TSV and JSON lines), with made-up but plausible numbers
from a fixed seed, so the rendered document is the same on every machine.
"""

import json
import os
import random

ARCHS = ["lstm", "gru", "deep_lstm", "bilstm", "convlstm", "mean_pool"]
HIDDEN = [64, 256]
PARAMS = {"lstm": 148683, "gru": 111563, "deep_lstm": 280779, "bilstm": 297355,
          "convlstm": 2951051, "mean_pool": 67083}


class Writer:
    def __init__(self, root, seed=7):
        self.root = root
        self.rng = random.Random(seed)

    def path(self, name):
        p = os.path.join(self.root, name)
        os.makedirs(os.path.dirname(p), exist_ok=True)
        return p

    def text(self, name, text):
        with open(self.path(name), "w") as f:
            f.write(text)

    def json(self, name, doc, prefix=""):
        self.text(name, prefix + json.dumps(doc, indent=1, sort_keys=True) + "\n")

    def around(self, value, spread=0.05):
        return round(value * (1 + self.rng.uniform(-spread, spread)), 6)

    def gbench(self, name, cases, context=None, reps=3):
        """cases: (run_name, ms, counters) -> a Google Benchmark JSON file with
        `reps` iteration rows per case and an aggregate row that must be skipped."""
        rows = []
        for run, ms, counters in cases:
            full = run + "/min_time:0.500/repeats:%d/process_time/real_time" % reps
            for i in range(reps):
                row = {"name": full, "run_name": full, "run_type": "iteration",
                       "repetitions": reps, "repetition_index": i, "iterations": 10,
                       "real_time": self.around(ms) * 1e6, "cpu_time": self.around(ms * 1.9) * 1e6,
                       "time_unit": "ns"}
                row.update({k: self.around(v, 0.02) if isinstance(v, float) else v
                            for k, v in counters.items()})
                rows.append(row)
            rows.append({"name": full + "_median", "run_name": full, "run_type": "aggregate",
                         "real_time": 1.0, "cpu_time": 1.0, "time_unit": "ns"})
        ctx = {"shape": "batch=32 T=16 C=512 map=7x7", "vidrnn_blas":
               "/usr/lib/x86_64-linux-gnu/openblas-pthread/libblas.so.3"}
        ctx.update(context or {})
        self.json(name, {"context": ctx, "benchmarks": rows})

    def pybench(self, name, cases, context=None):
        results = []
        for run, ms, params in cases:
            times = sorted(self.around(ms) for _ in range(3))
            r = {"name": run, "times_ms": times, "median_ms": times[1],
                 "median_cpu_ms": self.around(ms * 1.8)}
            if params is not None:
                r["params"] = params
            results.append(r)
        ctx = {"torch": "1.13.1", "threads": 2,
               "blas": "/usr/lib/x86_64-linux-gnu/openblas-pthread/libblas.so.3"}
        ctx.update(context or {})
        self.json(name, {"context": ctx, "results": results})

    def time_v(self, name, wall_s, rss_kb, status=0):
        m, s = divmod(wall_s, 60)
        self.text(name, "\tCommand being timed: \"vidrnn\"\n"
                  "\tUser time (seconds): %.2f\n\tSystem time (seconds): %.2f\n"
                  "\tElapsed (wall clock) time (h:mm:ss or m:ss): %d:%05.2f\n"
                  "\tMaximum resident set size (kbytes): %d\n\tExit status: %d\n"
                  % (wall_s * 1.7, wall_s * 0.1, m, s, rss_kb, status))


def step_ms(arch, h):
    return {"lstm": 4.0, "gru": 3.5, "deep_lstm": 8.0, "bilstm": 8.5, "convlstm": 300.0,
            "mean_pool": 0.8}[arch] * (h / 64.0) ** 1.3


def write(root, cuda_root=None):
    w = Writer(root)
    w.text("mode.txt", "quick=0 hidden=64 256 repetitions=3\n")
    w.text("date.txt", "2026-11-30T09:00:00Z\n")
    w.text("uptime-start.txt", " 09:00:00 up 3 days, load average: 0.50, 0.40, 0.30\n")
    w.text("uptime-end.txt", " 10:00:00 up 3 days, load average: 1.50, 1.40, 1.30\n")
    w.text("reruns.txt", "2026-11-30T11:00:00Z sections store, load average: 0.2\n")
    w.text("loadavg.log", "".join("%d %.2f 0.50 0.40\n" % (1764493200 + 10 * i, 0.5 + i / 10)
                                  for i in range(12)))
    w.text("python-torch.txt", "1.13.1 3.11.2\n")
    w.text("versions.txt", "libtorch-dev 1.13.1+dfsg-4\nlibbenchmark-dev 1.7.1-1\n"
           "libopenblas0-pthread 0.3.21+ds-4\n")
    w.json("info.json", {"threads": 2, "blas": "libopenblas.so.0", "blas_threads": 1,
                         "libtorch": "1.13.1", "parallel_backend": "OpenMP", "mkldnn": True,
                         "native_bf16": "avx512_bf16",
                         "auto_bf16_from_hidden": {"lstm": 256, "gru": 256, "deep_lstm": 256,
                                                   "bilstm": 256, "convlstm": 64,
                                                   "mean_pool": None}})
    for name, rc in (("train-cpp-64", 0), ("store", 0), ("extract-real", 3)):
        w.text(name + ".rc", "%d\n" % rc)

    # 1 and 1b: the training step, C++ and Python, all threads and one thread.
    for prefix, scale in (("train", 1.0), ("train1", 1.7)):
        for h in HIDDEN:
            w.gbench("%s-cpp-%d.json" % (prefix, h),
                     [("train_step/%s/%d" % (a, h), step_ms(a, h) * scale,
                       {"params": float(PARAMS[a])}) for a in ARCHS])
            w.pybench("%s-py-%d.json" % (prefix, h),
                      [("train_step/%s/%d" % (a, h), step_ms(a, h) * scale * 1.1,
                        PARAMS[a] if a != "bilstm" else PARAMS[a] + 1) for a in ARCHS])

    # 2 and 2b: the ConvLSTM forms.
    forms = {"fast": 1.0, "reference": 1.45, "fast_unbind": 0.95, "fast_unbind_hoist": 0.8,
             "fast_unbind_hoist_cl": 0.82}
    ctx = {"diff_tolerance": "0.0001", "diff_ok": "true"}
    for h in HIDDEN:
        ctx.update({"diff/fast/%d/output" % h: "2.1e-06", "diff/fast/%d/gradient" % h: "0.0013",
                    "diff/fast/%d/gradient_scale" % h: "171.9"})
        for v in ("fast_unbind", "fast_unbind_hoist", "fast_unbind_hoist_cl"):
            ctx["diff/%s/%d/output" % (v, h)] = "3.4e-06"
    cases = [("convlstm/%s/%d" % (v, h), 200.0 * (h / 64.0) * f, {})
             for h in HIDDEN for v, f in forms.items()]
    w.gbench("convlstm.json", cases, ctx, reps=5)
    w.gbench("convlstm-1t.json", [(n, ms * 1.8, c) for n, ms, c in cases], reps=2)

    # bf16.
    for h in HIDDEN:
        w.gbench("bf16-train-%d.json" % h,
                 [("train_step%s/%s/%d" % (p, a, h), step_ms(a, h) * f, {})
                  for a in ARCHS for p, f in (("", 1.0), ("_bf16", 0.7))])
        w.pybench("bf16-py-%d.json" % h,
                  [("train_step%s/%s/%d" % (p, a, h), step_ms(a, h) * f, None)
                   for a in ("lstm", "convlstm") for p, f in (("", 1.1), ("_bf16", 0.9))])
        w.gbench("bf16-conv-%d.json" % h,
                 [("convlstm/%s/%d" % (v, h), 200.0 * (h / 64.0) * f, {})
                  for v, f in (("fast", 1.0), ("fast_bf16", 0.55))],
                 {"diff/fast_bf16/%d/output" % h: "0.0071"})
        w.pybench("bf16-ref-%d.json" % h, [("convlstm_reference/%d" % h,
                                            200.0 * (h / 64.0) * 1.6, None)])
    w.time_v("bf16-demo-fp32.time", 410.0, 1900000)
    w.time_v("bf16-demo-auto.time", 300.0, 1800000)
    for p, shift in (("fp32", 0.0), ("auto", 0.03)):
        runs = [{"arch": a, "hidden": h, "status": "completed",
                 "accuracy": round(0.7 + 0.01 * i + (shift if i % 3 == 0 else 0), 4),
                 "precision": "bf16" if p == "auto" and h >= 128 else "fp32",
                 "train_seconds": 10.0 + i}
                for i, (a, h) in enumerate((a, h) for a in ARCHS for h in (32, 128))]
        runs.append({"arch": "lstm", "hidden": 999, "status": "failed", "accuracy": None})
        w.json("bf16-demo-%s-runs.json" % p, runs)

    # 3 and 3r: extraction.
    for name, f in (("extract.json", 1.0), ("extract-passive.json", 1.1)):
        cases = []
        for s in (112, 224):
            base = 120.0 * 112 / s
            cases += [("extract/e2e/%d" % s, 11000.0 * s / 112,
                       {"fps": base * 0.8 * f, "decode_s": 2.5, "backbone_s": 9.0}),
                      ("extract/backbone/%d" % s, 9000.0, {"fps": base, "frames": 1408.0}),
                      ("extract/decode/%d" % s, 3000.0, {"fps": 700.0}),
                      ("extract/setup/%d" % s, 120.0, {})]
        w.gbench(name, cases, {"extract_clips": "88"})
    w.gbench("extract-real.json",
             [("extract/e2e/224", 30000.0, {"fps": 40.0, "decode_s": 6.0, "backbone_s": 25.0}),
              ("extract/backbone/224", 25000.0, {"fps": 42.0})], {"extract_clips": "44"}, reps=5)
    w.json("extract-real-peer.json", {"torch": "1.13.1", "batch": 8, "threads": 1, "fps": 39.5,
                                      "runs": [38.0, 39.5, 40.1]},
           prefix="loading mobilenet_v2\nwarm-up done\n")

    # 4: jobs under /usr/bin/time -v.
    w.time_v("demo.time", 612.3, 1500000)
    w.time_v("extract-full.time", 1800.0, 1200000)
    w.time_v("train-full.time", 4000.5, 2600000, status=0)
    w.json("demo-report.json", {"rows": [
        {"arch": a, "train_seconds": {"mean": 10.0 * (i + 1), "n": 4}} for i, a in enumerate(ARCHS)]
        + [{"arch": "chance", "reference": True}]})
    w.json("extract-full.log", {"clips": 1600, "frames_computed": 25600, "frames_per_second": 14.2,
                                "backbone_frames_per_second": 17.9, "decode_seconds": 400.0,
                                "backbone_seconds": 1430.0, "seconds": 1800.0},
           prefix="extracting 1600 clips\n")
    w.json("train-full.log", {"params": 2951051, "train_seconds": 3500.0}, prefix="epoch 1\n")

    # 5: the stall probe.
    w.text("gui-stall.display", "xvfb-run\n")
    w.text("gui-stall.log", "stage at 0.5 s: generate\nstall: 41.2 ms at 3.5 s (UI thread busy "
           "12.0 ms)\nstage at 20.1 s: extract\nstall: 35.0 ms at 25.5 s (UI thread busy 30.1 ms)\n"
           "stage at 60.7 s: train\nstall-probe: 9000 ticks, longest gap 41.2 ms, p99 12.5 ms, "
           "median 10.1 ms; the UI thread itself busy at most 30.1 ms\n")
    w.time_v("gui-stall.time", 95.0, 450000)

    # 7: the store at scale.
    cli = []
    for name, t0, grow in (("--version", 0.02, 0.0), ("runs list --limit 20", 0.05, 0.01),
                           ("runs list --json", 0.06, 1.2), ("store check", 0.1, 4.0)):
        for n in (0, 1000, 10000, 50000):
            cli.append("%s\tstore-%d\t%.3f\t%d\n" % (name, n, t0 + grow * n / 50000, 20 + n // 500))
    w.text("store-scale/cli.tsv", "".join(cli))
    for n in (1000, 10000, 50000):
        k = n / 1000.0
        lines = [{"action": "launch: window constructed", "ms": 100 + k},
                 {"action": "launch to usable", "ms": 300 + 10 * k, "max_stall_ms": 40 + k,
                  "max_busy_ms": 30 + k, "finished": True},
                 {"action": "sort by accuracy", "ms": 50 + k, "max_stall_ms": 20 + k / 2,
                  "max_busy_ms": 15.0},
                 {"action": "peak memory", "mb": 150 + 2 * k}]
        w.text("store-scale/workbench-%d.jsonl" % n,
               "".join(json.dumps(x) + "\n" for x in lines) + "not json\n")

    # 6: threads and BLAS.
    for blas, f in (("openblas", 1.0), ("openblas-cores", 1.4), ("openblas-ob1", 0.97),
                    ("openblas-ob1-passive", 0.9), ("reference", 2.5)):
        for t in ("1", "2"):
            tf = f * (1.0 if t == "2" else 1.6)
            w.gbench("threads-%s-%s-cpp.json" % (blas, t),
                     [("train_step/%s/256" % a, step_ms(a, 256) * tf, {}) for a in ("lstm", "gru")],
                     {"vidrnn_blas": "/usr/lib/x86_64-linux-gnu/%s/libblas.so.3" % blas})
            if blas != "openblas-ob1-passive":
                w.pybench("threads-%s-%s-py.json" % (blas, t),
                          [("train_step/%s/256" % a, step_ms(a, 256) * tf * 1.2, None)
                           for a in ("lstm", "gru")])

    # What dominates: bench/profile_step.py.
    def prof(step):
        return {"profiled_step_ms": step, "op_self_ms": step * 0.9, "op_calls_per_step": 812.0,
                "optimizer_step_ms": step * 0.05,
                "groups": {"gemm": {"share": 0.55}, "convolution": {"share": 0.1},
                           "other ops": {"share": 0.35}},
                "top": [{"op": "aten::addmm", "share": 0.4}, {"op": "aten::mm", "share": 0.15},
                        {"op": "aten::sigmoid", "share": 0.05}, {"op": "aten::tanh", "share": 0.01}]}
    w.json("profile.json", {"threads": 2, "train": {"lstm/256": prof(20.0), "gru/256": prof(17.0)},
                            "convlstm": {"64": {"fast": prof(210.0), "reference": prof(300.0)}}})

    # torch2: the step on LibTorch 1.13 and 2.15, C++ and Python, one thread;
    # extraction with both builds (2.15's bf16 LSTM slower than 1.13's here).
    w.text("python-torch2.txt", "2.15.0+cu130 3.11.2\n")
    for a in ARCHS:
        for h in HIDDEN:
            for side, f in (("113", 1.0), ("215", 0.9 if a != "lstm" else 1.2)):
                w.gbench("t2-cpp%s-%s-%d.json" % (side, a, h),
                         [("train_step/%s/%d" % (a, h), step_ms(a, h) * f, {}),
                          ("train_step_bf16/%s/%d" % (a, h), step_ms(a, h) * f * 0.6, {})])
            for p, pre in (("fp32", "train_step"), ("bf16", "train_step_bf16")):
                for side, f in (("113", 2.0), ("215", 1.5)):
                    w.pybench("t2-py%s-%s-%d-%s.json" % (side, a, h, p),
                              [("%s/%s/%d" % (pre, a, h), step_ms(a, h) * f, None)])
    for side, f in (("113", 1.0), ("215", 0.8)):
        w.gbench("t2-extract%s.json" % side, [("e2e/224", 900.0 * f, {"frames": 112}),
                                              ("backbone/224", 850.0 * f, {"frames": 112})],
                 context={"extract_clips": "14", "date": "2026-12-07T09:46:45+00:00"})
    # The backbone's peer from each Python (bench/extract_peer.py), fixed numbers.
    for side, torch, fps in (("113", "1.13.0a0", 55.0), ("215", "2.15.0+cu130", 57.5)):
        w.text("t2-extract-peer%s.json" % side, json.dumps(
            {"model": "resources/models/mobilenet_v2_quantized_features1280.pt", "size": 224,
             "batch": 64, "threads": 1, "frames": 112, "torch": torch, "fps": fps,
             "runs": [fps * 0.98, fps, fps * 1.01], "date": "2026-12-07T11:36:11+00:00"}) + "\n")
        w.text("t2-extract-peer%s.rc" % side, "0\n")
    # The slower rows measured again (why-slower/, a second round in round2/);
    # a Writer of their own, so that the files above keep their numbers.
    # The same with the engine's oneDNN Linear (onednn-linear/, round2/ too).
    for sub, seed in (("why-slower", 13), (os.path.join("why-slower", "round2"), 17),
                      ("onednn-linear", 19), (os.path.join("onednn-linear", "round2"), 23)):
        v = Writer(os.path.join(w.root, sub), seed=seed)
        v.text("date.txt", "2026-12-07T10:58:59Z\n")
        for a in ("gru", "mean_pool"):
            for side, f in (("113", 1.0), ("215", 1.1)):
                v.gbench("t2-cpp%s-%s-64.json" % (side, a),
                         [("train_step/%s/64" % a, step_ms(a, 64) * f, {}),
                          ("train_step_bf16/%s/64" % a, step_ms(a, 64) * f * 0.6, {})])
    # The GRU's own loop on 2.x (gru-loop/, round2/ too): faster on 2.15 in fp32.
    for sub, seed in (("gru-loop", 29), (os.path.join("gru-loop", "round2"), 31)):
        v = Writer(os.path.join(w.root, sub), seed=seed)
        v.text("date.txt", "2026-12-07T13:58:18Z\n")
        for h in (64, 256):
            for side, f in (("113", 1.0), ("215", 0.9)):
                v.gbench("t2-cpp%s-gru-%d.json" % (side, h),
                         [("train_step/gru/%d" % h, step_ms("gru", h) * f, {}),
                          ("train_step_bf16/gru/%d" % h, step_ms("gru", h) * 0.6, {})])

    if cuda_root:
        c = Writer(cuda_root, seed=11)
        c.text("machine.txt", "NVIDIA H200, 143771 MiB, 580.159.04\n16\n"
               "torch 2.11.0+cu130 cuda 13.0\n")
        c.text("date.txt", "2026-11-27T16:06:57Z\n")
        c.gbench("train-cpp-cuda.json", [("train_step/%s/%d" % (a, h), step_ms(a, h) / 10, {})
                                         for a in ARCHS for h in (64, 128, 256, 512)])
        c.pybench("train-py-cuda.json", [("train_step/%s/%d" % (a, h), step_ms(a, h) / 11, None)
                                         for a in ARCHS for h in (64, 128, 256, 512)])
        cctx = {"diff_ok": "true"}
        cctx.update({"diff/fast/%d/output" % h: "5.2e-06" for h in (64, 128)})
        c.gbench("convlstm-cuda.json", [("convlstm/%s/%d" % (v, h), 7.0 * f * h / 64, {})
                                        for h in (64, 128)
                                        for v, f in (("fast", 1.0), ("reference", 1.7))], cctx)
        c.json("gpu-check.json", {"runs": [
            {"arch": a, "hidden": 128, "device": d, "accuracy": 0.8787878787878788,
             "macro_f1": 0.855, "epochs": 15, "train_seconds": 0.5 + i}
            for i, (a, d) in enumerate((a, d) for a in ("lstm", "convlstm")
                                       for d in ("cuda:0", "cpu"))]})


CPUINFO = ("processor\t: 0\nmodel name\t: Test CPU @ 2.00GHz\nphysical id\t: 0\ncore id\t: 0\n\n"
           "processor\t: 1\nmodel name\t: Test CPU @ 2.00GHz\nphysical id\t: 0\ncore id\t: 1\n\n"
           "processor\t: 2\nmodel name\t: Test CPU @ 2.00GHz\nphysical id\t: 0\ncore id\t: 0\n\n"
           "processor\t: 3\nmodel name\t: Test CPU @ 2.00GHz\nphysical id\t: 0\ncore id\t: 1\n")


if __name__ == "__main__":
    import sys
    write(sys.argv[1], sys.argv[2] if len(sys.argv) > 2 else None)
