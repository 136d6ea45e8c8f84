"""The command line of bench/report.py (tools/bench.sh runs it)."""

import argparse
import os

from .load import read
from .render import ALONE, document, section

HERE = os.path.dirname(os.path.abspath(__file__))


def main(argv=None):
    p = argparse.ArgumentParser(prog="report.py",
                                description="Writes docs/BENCHMARKS.md from the results of "
                                            "tools/bench.sh.")
    p.add_argument("--results", required=True)
    p.add_argument("--out", required=True)
    p.add_argument("--notes", help="Markdown appended as the analysis section")
    p.add_argument("--cuda", default=os.path.join(HERE, "..", "..", "docs", "bench-cuda"),
                   help="results of bench/gpu/run.sh from a GPU machine (default: docs/bench-cuda)")
    p.add_argument("--torch2", default=os.path.join(HERE, "..", "..", "docs", "bench-torch2"),
                   help="results of tools/bench.sh --only torch2 (default: docs/bench-torch2)")
    p.add_argument("--section", choices=sorted(ALONE),
                   help="write only this section (with its goals) to --out")
    args = p.parse_args(argv)
    if args.section:
        text = section(args.section, args.results)
    else:
        notes = read(args.notes) if args.notes and os.path.exists(args.notes) else None
        text = document(args.results, args.cuda, notes, torch2_dir=args.torch2)
    with open(args.out, "w") as f:
        f.write(text)
