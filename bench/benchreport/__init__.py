"""docs/BENCHMARKS.md from the results of tools/bench.sh (bench/report.py runs it).

load.py reads the result files into records, sections/ turns them into one
section of the document each (tables and goals), prose/ holds the text around
the tables as Markdown templates, document.py puts the document together.
"""
