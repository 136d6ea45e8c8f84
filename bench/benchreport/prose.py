"""The document's text: prose/NAME.md holds the blocks of one part of it.

A block starts at a line `<!-- name -->` and runs to the next one (text
before the first is a note to editors). A block is one line of the document
(a paragraph, a list item, a heading): its lines are joined with single
spaces, so wrap it freely. `${name}` is a value the code fills in
(string.Template; `$$` is a dollar sign); every value a block names must be
given, and the code gives no value a block does not use.
"""

import os
import re
from string import Template

FOLDER = os.path.join(os.path.dirname(os.path.abspath(__file__)), "prose")
MARKER = re.compile(r"^<!-- ([a-z0-9-]+) -->$")
_loaded = {}


def parse(text):
    """name -> Template of every block in one prose file's text."""
    blocks, name, lines = {}, None, []
    for line in text.splitlines() + ["<!-- end-of-file -->"]:
        m = MARKER.match(line.strip())
        if not m:
            if name is not None and line.strip():
                lines.append(line.strip())
            continue
        if name is not None:
            if name in blocks:
                raise ValueError("prose block '%s' defined twice" % name)
            blocks[name] = Template(" ".join(lines))
        name, lines = m.group(1), []
    return blocks


def blocks(part):
    if part not in _loaded:
        path = os.path.join(FOLDER, part + ".md")
        with open(path) as f:
            _loaded[part] = parse(f.read())
    return _loaded[part]


def placeholders(template):
    return {m.group("named") or m.group("braced")
            for m in template.pattern.finditer(template.template)
            if m.group("named") or m.group("braced")}


def text(part, name, **values):
    """Block NAME of prose/PART.md with VALUES filled in."""
    try:
        template = blocks(part)[name]
    except KeyError:
        raise KeyError("no block '%s' in %s" % (name, os.path.join(FOLDER, part + ".md")))
    unused = set(values) - placeholders(template)
    if unused:
        raise KeyError("block '%s' of prose/%s.md does not use %s" % (
            name, part, ", ".join(sorted(unused))))
    return template.substitute(values)
