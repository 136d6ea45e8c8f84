"""Accuracy holds in bf16: test accuracy of fp32 and bf16 runs of the same
configuration (arch, hidden), mean and sample standard deviation over seeds,
and whether the bf16 mean lies within one standard deviation of the fp32 mean.

  vidrnn --db STORE runs list --json > runs.json
  python3 bench/bf16_accuracy.py runs.json      # a Markdown table on stdout
"""

import json
import statistics
import sys


def main():
    runs = json.load(open(sys.argv[1]))
    cells = {}
    for r in runs:
        if r.get("status") != "completed" or r.get("accuracy") is None:
            continue
        key = (r["arch"], r["hidden"])
        cells.setdefault(key, {}).setdefault(r.get("precision") or "fp32", []).append(
            (r["seed"], r["accuracy"], r.get("train_seconds")))
    print("| arch | hidden | fp32 accuracy (n) | bf16 accuracy (n) | bf16 within 1 std of fp32 "
          "| fp32 / bf16 training time |")
    print("|---|---|---|---|---|---|")
    for (arch, hidden), by in sorted(cells.items()):
        def stat(p):
            acc = [a for _, a, _ in by.get(p, [])]
            if not acc:
                return None, None, 0
            return (statistics.mean(acc), statistics.stdev(acc) if len(acc) > 1 else None,
                    len(acc))
        fm, fs, fn = stat("fp32")
        bm, bs, bn = stat("bf16")
        within = "n/a"
        if fm is not None and bm is not None and fs is not None:
            within = "yes" if abs(bm - fm) <= fs else "no"
        ft = sum(t for _, _, t in by.get("fp32", []) if t)
        bt = sum(t for _, _, t in by.get("bf16", []) if t)
        fmt = lambda m, s, n: "-" if m is None else (
            "%.3f ± %.3f (%d)" % (m, s, n) if s is not None else "%.3f (%d)" % (m, n))
        print("| %s | %d | %s | %s | %s | %s |" % (
            arch, hidden, fmt(fm, fs, fn), fmt(bm, bs, bn), within,
            "%.2fx" % (ft / bt) if ft and bt and fn == bn else "-"))


if __name__ == "__main__":
    main()
