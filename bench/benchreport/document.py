"""The document being written: its lines, its goals, and the state one
section leaves for the analysis after it."""

from dataclasses import dataclass
from typing import Optional

from . import prose


@dataclass
class Goal:
    key: str             # how later sections find it
    name: str            # as the goals table shows it
    target: str
    measured: str
    ok: Optional[bool]   # None: not measured


def status(ok):
    if ok is None:
        return "not measured"
    return "**met**" if ok else "**missed**"


def goals_table(goals):
    out = ["| goal | target | measured | status |", "|---|---|---|---|"]
    out += ["| %s | %s | %s | %s |" % (g.name, g.target, g.measured, status(g.ok)) for g in goals]
    return out


class Report:
    def __init__(self, results):
        self.res = results
        self.lines = []
        self.goals = []
        # Measurements a later section (analysis, proposals) reasons about.
        self.job, self.demo_report, self.prof = {}, None, None
        self.conv_rows, self.ext, self.thr = {}, {}, {}
        self.conv_single, self.single_ratios = {}, []
        self.train_cpp, self.train_py = {}, {}

    def add(self, *lines):
        self.lines.extend(lines)

    def say(self, part, block, **values):
        """A block of prose/PART.md as a paragraph (a blank line after it)."""
        self.add(prose.text(part, block, **values), "")

    def line(self, part, block, **values):
        """A block of prose/PART.md as one line (a list item: no blank line)."""
        self.add(prose.text(part, block, **values))

    def table(self, header, rows):
        self.add("| " + " | ".join(header) + " |", "|" + "---|" * len(header))
        for row in rows:
            self.add("| " + " | ".join(str(c) for c in row) + " |")
        self.add("")

    def goal(self, key, name, target, measured, ok):
        self.goals.append(Goal(key, name, target, measured, ok))

    def goal_of(self, key):
        return next((g for g in self.goals if g.key == key), None)
