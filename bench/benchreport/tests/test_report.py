"""bench/report.py on a synthetic results folder (fixture.py) against the
documents it rendered when the report was split out of one file (expected/):
the split, and any later change to the code, must leave them byte for byte.

    python3 bench/benchreport/tests/test_report.py            # CTest: bench_report
    python3 bench/benchreport/tests/test_report.py --update   # after a deliberate change

--update rewrites expected/ from the current code: review its diff like code.
"""

import glob
import os
import shutil
import subprocess
import sys
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
BENCH = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, BENCH)

from benchreport import prose, render  # noqa: E402
from benchreport.tests import fixture  # noqa: E402

EXPECTED = os.path.join(HERE, "expected")
NOTES = "Some notes.\n\nSecond paragraph.\n\n"


def variants(root):
    """Results folders beside the complete one, each taking other branches."""
    full = os.path.join(root, "res")
    cuda = os.path.join(root, "cuda")
    fixture.write(full, cuda)
    os.makedirs(os.path.join(root, "empty"))
    quick = os.path.join(root, "quick")
    shutil.copytree(full, quick)
    with open(os.path.join(quick, "mode.txt"), "w") as f:
        f.write("quick=1 hidden=64 256 repetitions=3\n")
    shutil.rmtree(os.path.join(quick, "store-scale"))
    for name in ("demo.time", "gui-stall.log", "profile.json"):
        os.remove(os.path.join(quick, name))
    odd = os.path.join(root, "odd")
    shutil.copytree(full, odd)
    with open(os.path.join(full, "gui-stall.log")) as f:
        log = [line for line in f if "stall-probe:" not in line]
    with open(os.path.join(odd, "gui-stall.log"), "w") as f:
        f.writelines(log)
    with open(os.path.join(odd, "gui-stall.display"), "w") as f:
        f.write("offscreen\n")
    conv = os.path.join(odd, "convlstm.json")
    with open(conv) as f:
        text = f.read().replace('"diff_ok": "true"', '"diff_ok": "false"')
    with open(conv, "w") as f:
        f.write(text)
    for pattern in ("bf16-demo-auto-runs.json", "extract-passive.json", "train1-*.json",
                    "convlstm-1t.json"):
        for path in glob.glob(os.path.join(odd, pattern)):
            os.remove(path)
    return {"full": (full, cuda, NOTES), "empty": (os.path.join(root, "empty"), None, None),
            "quick": (quick, None, None), "odd": (odd, cuda, None)}


class ReportTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="bench-report-")
        cls.cpuinfo = os.path.join(cls.tmp, "cpuinfo")
        with open(cls.cpuinfo, "w") as f:
            f.write(fixture.CPUINFO)
        cls.variants = variants(cls.tmp)

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp)

    def rendered(self):
        """name -> text of every document and section the fixture gives."""
        out = {}
        for name, (results, cuda, notes) in self.variants.items():
            out[name] = render.document(results, cuda, notes, cpuinfo=self.cpuinfo,
                                        torch2_dir=results if name == "full" else None)
        for name in render.ALONE:
            out["section-" + name] = render.section(name, self.variants["full"][0])
        return out

    def test_documents_as_expected(self):
        for name, text in self.rendered().items():
            with self.subTest(document=name):
                with open(os.path.join(EXPECTED, name + ".md")) as f:
                    self.assertEqual(text, f.read())

    def test_every_prose_block_is_used(self):
        used = set()
        original = prose.text

        def noting(part, block, **values):
            used.add((part, block))
            return original(part, block, **values)
        prose.text = noting
        try:
            self.rendered()
        finally:
            prose.text = original
        defined = set()
        for path in glob.glob(os.path.join(prose.FOLDER, "*.md")):
            part = os.path.basename(path)[:-3]
            defined |= {(part, block) for block in prose.blocks(part)}
        self.assertEqual(sorted(defined - used), [])

    def test_prose_values_checked(self):
        with self.assertRaisesRegex(KeyError, "goal"):
            prose.text("training", "intro")
        with self.assertRaisesRegex(KeyError, "does not use extra"):
            prose.text("training", "intro", goal="0.8", extra="x")
        with self.assertRaisesRegex(KeyError, "no block 'nothing'"):
            prose.text("training", "nothing")

    def test_prose_blocks_join_wrapped_lines(self):
        blocks = prose.parse("note\n<!-- a -->\nfirst\n  second ${x}\n\n<!-- b -->\n## B\n")
        self.assertEqual(blocks["a"].substitute(x="1"), "first second 1")
        self.assertEqual(blocks["b"].template, "## B")
        with self.assertRaisesRegex(ValueError, "twice"):
            prose.parse("<!-- a -->\none\n<!-- a -->\ntwo\n")

    def test_command_line(self):
        """bench/report.py keeps tools/bench.sh's command line."""
        results, cuda, _ = self.variants["full"]
        out = os.path.join(self.tmp, "cli.md")
        notes = os.path.join(self.tmp, "notes.md")
        with open(notes, "w") as f:
            f.write(NOTES)
        report = os.path.join(BENCH, "report.py")
        subprocess.run([sys.executable, report, "--results", results, "--cuda", cuda,
                        "--notes", notes, "--out", out], check=True)
        with open(out) as f:
            # The command line reads docs/bench-torch2 unless told otherwise.
            torch2 = os.path.join(BENCH, "..", "docs", "bench-torch2")
            self.assertEqual(f.read(), render.document(results, cuda, NOTES, torch2_dir=torch2))
        subprocess.run([sys.executable, report, "--results", results, "--section", "store",
                        "--out", out], check=True)
        with open(out) as f:
            self.assertEqual(f.read(), render.section("store", results))
        bad = subprocess.run([sys.executable, report, "--results", results, "--out", out,
                              "--section", "nothing"], capture_output=True, text=True)
        self.assertEqual(bad.returncode, 2)
        self.assertIn("invalid choice", bad.stderr)


def update():
    t = ReportTest
    t.setUpClass()
    try:
        os.makedirs(EXPECTED, exist_ok=True)
        for name, text in t.rendered(t()).items():
            with open(os.path.join(EXPECTED, name + ".md"), "w") as f:
                f.write(text)
    finally:
        t.tearDownClass()


if __name__ == "__main__":
    if sys.argv[1:] == ["--update"]:
        update()
    else:
        unittest.main()
