"""The student edition of the book: every exercise solution replaced by a stub.

For instructors who hand the notebooks out::

    python tools/student_edition.py            # book/*.ipynb -> student/*.ipynb

A solution is the block of cells between a ``{solution-start}`` markdown cell and its
``{solution-end}`` cell (sphinx-exercise's gated solutions); its code cells carry the tag
``solution``.  In the student edition the block becomes one markdown cell that says where
the answer goes and one code cell that raises :class:`NotImplementedError`, with no output.
Everything else is left exactly as it is, so the notebook still runs up to the first stub.
The removed cells are kept in the stub's metadata under ``student_edition`` as cell ids,
and :func:`put_back` restores the original from the stub and the original cells.
"""
import argparse
import copy
import pathlib
import re

import nbformat

TAG = "solution"
_START = re.compile(r"^(?:`{3,}|:{3,})\{solution-start\}\s*(\S+)", re.MULTILINE)
_END = re.compile(r"^(?:`{3,}|:{3,})\{solution-end\}", re.MULTILINE)


def _text(cell):
    return cell.source if isinstance(cell.source, str) else "".join(cell.source)


def _stub(label, removed):
    note = nbformat.v4.new_markdown_cell(
        f"**Your solution to exercise {label}.** Replace the `raise` line below with your code.")
    code = nbformat.v4.new_code_cell(
        f"# Exercise {label}: write your solution here, then run the cell.\n"
        f'raise NotImplementedError("exercise {label} is yours to solve")')
    note.metadata["student_edition"] = {"label": label, "replaces": [c.id for c in removed]}
    code.metadata["student_edition"] = {"label": label, "stub": True}
    note.id, code.id = f"{removed[0].id}-stub", f"{removed[0].id}-stub-code"
    return [note, code]


def strip_solutions(nb):
    """Replace every gated solution block of ``nb`` by a stub.

    Parameters
    ----------
    nb : nbformat.NotebookNode

    Returns
    -------
    student : nbformat.NotebookNode
        A copy with stubs in place of the solutions.
    removed : dict
        Cell id -> the original cell, for every cell taken out.
    """
    if not isinstance(nb, nbformat.NotebookNode) or "cells" not in nb:
        raise ValueError(f"nb must be a notebook read by nbformat; got {type(nb).__name__}")
    student = copy.deepcopy(nb)
    cells, removed, block, label = [], {}, None, None
    for cell in nb.cells:
        start = _START.search(_text(cell)) if cell.cell_type == "markdown" else None
        if block is None and start:
            if _text(cell)[:start.start()].strip():
                raise ValueError(f"cell {cell.id}: put {{solution-start}} {start.group(1)} in a "
                                 "markdown cell of its own, so the student edition can drop it")
            block, label = [cell], start.group(1)
        elif block is not None:
            block.append(cell)
            if cell.cell_type == "markdown" and _END.search(_text(cell)):
                cells += _stub(label, block)
                removed.update({c.id: copy.deepcopy(c) for c in block})
                block = None
        else:
            if TAG in cell.metadata.get("tags", []):
                raise ValueError(f"cell {cell.id} is tagged {TAG!r} but is outside a "
                                 "{solution-start} ... {solution-end} block")
            cells.append(copy.deepcopy(cell))
    if block is not None:
        raise ValueError(f"the solution of exercise {label} has no {{solution-end}} cell")
    student.cells = cells
    return student, removed


def put_back(student, removed):
    """Undo :func:`strip_solutions`: swap each stub for the cells it replaced.

    Parameters
    ----------
    student : nbformat.NotebookNode
    removed : dict
        Cell id -> original cell, as returned by :func:`strip_solutions`.

    Returns
    -------
    nbformat.NotebookNode
    """
    nb = copy.deepcopy(student)
    cells = []
    for cell in student.cells:
        info = cell.metadata.get("student_edition", {})
        if "replaces" in info:
            cells += [copy.deepcopy(removed[i]) for i in info["replaces"]]
        elif not info.get("stub"):
            cells.append(copy.deepcopy(cell))
    nb.cells = cells
    return nb


def make_student_edition(book="book", out="student"):
    """Write the student edition of every notebook in ``book`` to ``out``.

    Parameters
    ----------
    book : str or path, default "book"
        Folder of the chapter notebooks (left untouched).
    out : str or path, default "student"
        Folder to write to; created if needed.  Must not be ``book``.

    Returns
    -------
    list of pathlib.Path
        The notebooks written.
    """
    book, out = pathlib.Path(book), pathlib.Path(out)
    if not book.is_dir():
        raise ValueError(f"book must be a folder of notebooks; got {book}")
    if out.resolve() == book.resolve():
        raise ValueError(f"out must differ from book ({book}): the student edition never "
                         "overwrites the chapters")
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for path in sorted(book.glob("*.ipynb")):
        student, _ = strip_solutions(nbformat.read(path, as_version=4))
        nbformat.write(student, out / path.name)
        written.append(out / path.name)
    return written


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--book", default="book", help="folder of the chapter notebooks")
    parser.add_argument("--out", default="student", help="folder for the student notebooks")
    args = parser.parse_args(argv)
    for path in make_student_edition(args.book, args.out):
        print(f"wrote {path}")


if __name__ == "__main__":
    main()
