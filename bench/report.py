"""Writes docs/BENCHMARKS.md from the results of tools/bench.sh.

/usr/bin/python3 bench/report.py --results build/dev/bench-results --out docs/BENCHMARKS.md

The work is in bench/benchreport/: load.py reads the result files (Google
Benchmark JSON, bench/train_step.py's JSON, /usr/bin/time -v outputs, vidrnn
info --json, the load-average log), sections/ makes each section's tables and
evaluates the goals, prose/ holds the text as Markdown templates.
"""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from benchreport.cli import main  # noqa: E402

if __name__ == "__main__":
    main()
