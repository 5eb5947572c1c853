"""Hide nbgrader's markers in the HTML book.

The chapters' solution cells carry nbgrader's region markers, so that nbgrader can cut the
solution out of the students' notebooks::

    def cost(thetas, X, y):
        \"\"\"...\"\"\"
        ### BEGIN SOLUTION
        ...
        ### END SOLUTION

A reader of the book needs the code, not the markers: this extension removes every line that
is only such a marker (``### BEGIN SOLUTION``, ``### END SOLUTION``, ``### BEGIN HIDDEN
TESTS``, ``### END HIDDEN TESTS``) from the code cells of the notebooks before the page is
written.  The notebooks themselves, and the copy the download button serves, keep them.
"""
import re

from docutils import nodes

MARKER = re.compile(r"^[ \t]*#{2,}[ \t]*(?:BEGIN|END)[ \t]+(?:SOLUTION|HIDDEN TESTS)[ \t]*$")


def strip_markers(text):
    """``text`` without the lines that are only an nbgrader region marker."""
    lines = text.split("\n")
    kept = [line for line in lines if not MARKER.match(line)]
    return text if len(kept) == len(lines) else "\n".join(kept)


def _code_cells(doctree):
    for block in doctree.findall(nodes.literal_block):
        parent = block.parent
        if isinstance(parent, nodes.container) and "cell_input" in parent.get("classes", []):
            yield block


def hide_markers(app, doctree):
    for block in _code_cells(doctree):
        old = block.astext()
        new = strip_markers(old)
        if new != old:
            block.children = [nodes.Text(new)]
            block.rawsource = new


def setup(app):
    app.connect("doctree-read", hide_markers)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
