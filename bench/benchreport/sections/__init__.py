"""One module per part of docs/BENCHMARKS.md; each function adds one section
(its text from prose/, its tables, its goals) to a document.Report."""
