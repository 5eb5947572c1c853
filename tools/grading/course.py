"""Make the nbgrader course folder from the book, and gather students' loose notebooks into it.

The book's notebooks (book/NN_name.ipynb, with solutions and nbgrader cell metadata) are the
source of the course; each chapter is one nbgrader assignment, named like its notebook::

    python tools/grading/course.py init course            # course/nbgrader_config.py,
                                                          # course/source/03_cost/03_cost.ipynb, ...
    cd course && nbgrader generate_assignment 03_cost     # course/release/03_cost/03_cost.ipynb
    python tools/grading/course.py collect handins course # loose files -> course/submitted/...

``init`` writes, for every chapter that has nbgrader cells, the instructor version that nbgrader
starts from: the chapter with its MyST syntax turned into plain Markdown (see myst_plain.py),
the ``{solution-start}``/``{solution-end}`` marker cells dropped, the figure captions written
under their figures, and no outputs.  It refuses a chapter that would give an answer away (a
cell inside a solution block, or tagged ``solution``, that nbgrader would not empty; a glued
value computed by a solution and quoted outside it).

``collect`` copies hand-ins named ``<student>_<chapter>.ipynb`` (or ``<student>/<chapter>.ipynb``,
or ``<student>/<anything with the chapter's name>.ipynb``) to nbgrader's layout
``submitted/<student>/<chapter>/<chapter>.ipynb``, and says which files it could not place.

Both write only through tools/safe_paths.py: never into book/, never through a link, never
over a file they did not write unless --force.
"""
import argparse
import copy
import json
import pathlib
import re
import sys

import nbformat
from nbgrader.nbgraderformat import MetadataValidator, ValidationError

HERE = pathlib.Path(__file__).resolve().parent
REPO = HERE.parents[1]
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))
import safe_paths  # noqa: E402  (tools/ is a folder of scripts; safe_paths sits in it)
import myst_plain  # noqa: E402

CONFIG = HERE / "nbgrader_config.py"
STUDENT_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9.@+-]*(?:_[A-Za-z0-9.@+-]+)*$")
_START = re.compile(r"^(?:`{3,}|:{3,})\{solution-start\}", re.M)
_END = re.compile(r"^(?:`{3,}|:{3,})\{solution-end\}", re.M)


def _text(cell):
    return cell.source if isinstance(cell.source, str) else "".join(cell.source)


def nbgrader_meta(cell):
    """The cell's nbgrader metadata (an empty dict if it has none)."""
    return cell.get("metadata", {}).get("nbgrader", {})


def is_solution(cell):
    return bool(nbgrader_meta(cell).get("solution"))


def has_nbgrader_cells(nb):
    return any(nbgrader_meta(c) for c in nb.cells)


def chapters(book):
    """The chapter notebooks of the book, in order: book/NN_name.ipynb."""
    return sorted(p for p in pathlib.Path(book).glob("[0-9][0-9]_*.ipynb"))


# --- checking a chapter -------------------------------------------------------------------

def problems(nb, name):
    """What would make the student version of ``nb`` wrong: a list of messages, empty if none."""
    found, ids, block = [], {}, None
    glue_in_solutions = set()
    for i, cell in enumerate(nb.cells):
        meta, where = nbgrader_meta(cell), f"{name}, cell {i + 1}"
        text = _text(cell)
        if meta:
            grade_id = meta.get("grade_id")
            if not grade_id:
                found.append(f"{where}: nbgrader metadata without a grade_id")
            elif grade_id in ids:
                found.append(f"{where}: grade_id {grade_id!r} is used twice "
                             f"(also cell {ids[grade_id] + 1})")
            else:
                ids[grade_id] = i
            if meta.get("grade") and cell.cell_type == "code" and not meta.get("points"):
                found.append(f"{where}: graded cell {grade_id!r} has no points")
        if cell.cell_type == "markdown" and _START.search(text):
            block = i
            continue
        if cell.cell_type == "markdown" and _END.search(text):
            if block is None:
                found.append(f"{where}: {{solution-end}} without a {{solution-start}}")
            block = None
            continue
        if block is not None and not is_solution(cell):
            found.append(f"{where}: inside the solution block opened in cell {block + 1} but not an "
                         "nbgrader solution cell, so students would get it; give it nbgrader "
                         "metadata with \"solution\": true")
        if "solution" in cell.metadata.get("tags", []) and not is_solution(cell):
            found.append(f"{where}: tagged 'solution' but not an nbgrader solution cell")
        if "BEGIN SOLUTION" in text and not is_solution(cell):
            found.append(f"{where}: holds ### BEGIN SOLUTION but is not an nbgrader solution cell")
        if is_solution(cell) and cell.cell_type == "code":
            glue_in_solutions |= {o.metadata["scrapbook"]["name"] for o in cell.get("outputs", [])
                                  if "scrapbook" in o.get("metadata", {})}
    if block is not None:
        found.append(f"{name}: the solution block opened in cell {block + 1} has no {{solution-end}}")
    for i, cell in enumerate(nb.cells):
        if cell.cell_type == "markdown" and not is_solution(cell):
            for used in re.findall(r"\{glue(?::\w*)?\}`([^`]+)`", _text(cell)):
                doc, key, _ = myst_plain.glue_key(used)
                if doc is None and key in glue_in_solutions:
                    found.append(f"{name}, cell {i + 1}: quotes {key!r}, which a solution computes; "
                                 "the student version would give the answer away")
    return found


# --- the instructor version nbgrader starts from -----------------------------------------

def course_notebook(nb, name, doc_titles=None, warn=None, doc_dir=REPO / "book"):
    """The chapter as nbgrader's source: plain Markdown, no marker cells, no outputs.

    Parameters
    ----------
    nb : nbformat.NotebookNode
        The chapter from book/, executed (its stored outputs hold the glued values).
    name : str
        The chapter's name, for messages.
    doc_titles : dict, optional
        Document name -> title, for ``{doc}`` roles.
    warn : callable, optional
        Receives a message for each piece of MyST kept as plain text.
    doc_dir : pathlib.Path, default the repository's book/
        Where the other chapters are (for values glued in one and quoted in another).

    Returns
    -------
    nbformat.NotebookNode

    Raises
    ------
    ValueError
        If :func:`problems` finds anything, or the MyST cannot be converted safely.
    """
    found = problems(nb, name)
    if found:
        raise ValueError(f"{name} cannot become an assignment:\n  " + "\n  ".join(found))
    warn = warn or (lambda message: None)
    ctx = myst_plain.notebook_context(nb, doc_titles, doc_dir)
    out = copy.deepcopy(nb)
    cells = []
    for i, cell in enumerate(nb.cells):
        cell = copy.deepcopy(cell)
        if cell.cell_type == "markdown":
            try:
                cell.source = myst_plain.plain_markdown(
                    _text(cell), ctx, lambda m, i=i: warn(f"{name}, cell {i + 1}: {m}"),
                    solution_ok=is_solution(cell))
            except myst_plain.MystError as err:
                raise ValueError(f"{name}, cell {i + 1}: {err}") from None
            if not cell.source.strip() and not nbgrader_meta(cell):
                continue
            meta = nbgrader_meta(cell)
            if meta.get("solution") and not meta.get("grade"):
                # nbgrader accepts a written answer only as a manually graded cell; an
                # ungraded one is a manually graded cell worth 0 points
                meta.update(grade=True, points=0)
            cells.append(cell)
            continue
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
            cell.metadata.pop("execution", None)
        cells.append(cell)
        figure = cell.metadata.get("mystnb", {}).get("figure", {})
        if figure.get("caption") and not is_solution(cell):
            number = ctx.numbers.get(figure.get("name", ""), "Figure")
            cells.append(nbformat.v4.new_markdown_cell(f"*{number}. {figure['caption']}*"))
    out.cells = cells
    try:
        MetadataValidator().validate_nb(out)
    except ValidationError as err:
        raise ValueError(f"{name}: nbgrader refuses its metadata: {err.message}") from None
    return out


def _write_notebook(path, nb, force):
    nbformat.validate(nb)
    safe_paths.write_text(path, nbformat.writes(nb) + "\n", force=force)


def init(course, book=REPO / "book", names=None, force=False, log=print):
    """Write COURSE/nbgrader_config.py and COURSE/source/<chapter>/<chapter>.ipynb.

    Parameters
    ----------
    course : str or pathlib.Path
        The course folder; created if missing; never inside book/ or a link.
    book : str or pathlib.Path, default the repository's book/
    names : list of str, optional
        Chapters to write ("03_cost" or "03"); default every chapter with nbgrader cells.
    force : bool, default False
        Also overwrite files no course tool wrote, and a changed nbgrader_config.py.
    log : callable, default print

    Returns
    -------
    list of pathlib.Path
        The notebooks written.
    """
    book = pathlib.Path(book)
    course = safe_paths.output_dir(course, REPO, force=force)
    config = course / "nbgrader_config.py"
    shipped = CONFIG.read_text(encoding="utf-8")
    if config.exists() and not config.is_symlink() and config.read_text(encoding="utf-8") != shipped \
            and not force:
        log(f"kept {config}: it differs from the course's tools/grading/{CONFIG.name} "
            "(--force replaces it)")
    else:
        safe_paths.write_text(config, shipped, force=force)
        log(f"wrote {config}")
    available = chapters(book)
    if names:
        wanted = []
        for n in names:
            match = [p for p in available if p.stem == n or p.stem.split("_")[0] == n]
            if not match:
                raise ValueError(f"no chapter {n!r} in {book} (chapters: "
                                 f"{', '.join(p.stem for p in available)})")
            wanted += match
    else:
        wanted = available
    titles = myst_plain.document_titles(book)
    written, errors = [], []
    for path in wanted:
        nb = nbformat.read(path, as_version=4)
        if not has_nbgrader_cells(nb):
            if names:
                errors.append(f"{path.stem} has no nbgrader cells yet")
            else:
                log(f"skipped {path.stem}: no nbgrader cells yet")
            continue
        try:
            source = course_notebook(nb, path.stem, titles, warn=lambda m: log(f"warning: {m}"),
                                     doc_dir=book)
        except ValueError as err:
            errors.append(str(err))
            continue
        folder = course / "source" / path.stem
        folder = safe_paths.output_dir(folder, REPO, force=force, within=course)
        target = folder / path.name
        _write_notebook(target, source, force)
        log(f"wrote {target}")
        written.append(target)
    if errors:
        raise ValueError("\n".join(errors))
    return written


# --- loose hand-ins -> submitted/<student>/<chapter>/<chapter>.ipynb --------------------------

def _placement(path, handin, chapter_names):
    """(student, chapter) for one handed-in file, or a message saying why not."""
    rel = path.relative_to(handin)
    stem = rel.stem
    hits = [c for c in chapter_names if c in stem]
    if len(rel.parts) >= 3 and rel.parts[-2] in chapter_names:          # student/chapter/x.ipynb
        hits = [rel.parts[-2]]
    if len(hits) != 1:
        return (f"{rel}: the file name must contain exactly one chapter name "
                f"({', '.join(chapter_names)})")
    chapter = hits[0]
    folders = [p for p in rel.parts[:-1] if p != chapter]
    if folders:                      # .../<student>/x.ipynb or .../<student>/<chapter>/x.ipynb
        student = folders[-1]
    else:
        student = stem.replace(chapter, "").strip("_-. ")
    if not STUDENT_ID.match(student):
        return (f"{rel}: {student!r} is not usable as a student id (letters, digits, . @ + - _; "
                "name the file <student>_<chapter>.ipynb or put it in a folder named after "
                "the student)")
    return student, chapter


def collect(handin, course, force=False, log=print):
    """Copy loose notebooks into nbgrader's submitted/<student>/<chapter>/<chapter>.ipynb.

    Parameters
    ----------
    handin : str or pathlib.Path
        A folder of hand-ins: ``<student>_<chapter>.ipynb`` files, or one folder per student.
    course : str or pathlib.Path
        The course folder made by :func:`init` (its source/ names the chapters).
    force : bool, default False
        Also overwrite submissions that this tool did not copy there.
    log : callable, default print

    Returns
    -------
    dict
        (student, chapter) -> path written.

    Raises
    ------
    ValueError
        If a file cannot be placed (no or two chapter names, a bad student id), or two files
        name the same student and chapter.  Nothing is copied then.
    """
    handin, course = pathlib.Path(handin), pathlib.Path(course)
    if not handin.is_dir():
        raise ValueError(f"handin must be a folder of notebooks; got {handin}")
    source = course / "source"
    if not source.is_dir():
        raise ValueError(f"{course} has no source/ folder; run `course.py init {course}` first")
    names = sorted(p.name for p in source.iterdir() if p.is_dir())
    placed, errors = {}, []
    for path in sorted(handin.rglob("*.ipynb")):
        if ".ipynb_checkpoints" in path.parts:
            continue
        if path.is_symlink():
            errors.append(f"{path.relative_to(handin)}: a symbolic link; hand in the file itself")
            continue
        where = _placement(path, handin, names)
        if isinstance(where, str):
            errors.append(where)
        elif where in placed:
            errors.append(f"{path.relative_to(handin)} and {placed[where].relative_to(handin)} are "
                          f"both {where[0]}'s {where[1]}; keep one")
        else:
            placed[where] = path
    if errors:
        raise ValueError("cannot collect:\n  " + "\n  ".join(errors))
    course = safe_paths.output_dir(course, REPO, force=True)    # init's folder: it has a manifest
    written = {}
    for (student, chapter), path in sorted(placed.items()):
        folder = course / "submitted" / student / chapter
        folder = safe_paths.output_dir(folder, REPO, force=force, within=course)
        data = path.read_bytes()
        note = ""
        try:
            nb = json.loads(data.decode("utf-8"))
            if not isinstance(nb, dict) or "cells" not in nb:
                note = "  (WARNING: not a notebook; autograde will fail on it)"
        except (UnicodeDecodeError, ValueError) as err:
            note = f"  (WARNING: not valid JSON, {err}; autograde will fail on it)"
        target = safe_paths.write_bytes(folder / f"{chapter}.ipynb", data, force=force)
        log(f"{student:>16s}  {chapter}  <- {path.relative_to(handin)}{note}")
        written[(student, chapter)] = target
    return written


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("init", help="write COURSE/nbgrader_config.py and COURSE/source/ from book/")
    p.add_argument("course", help="the course folder (outside book/)")
    p.add_argument("chapters", nargs="*", help="chapters to write (03_cost or 03); default all "
                   "with nbgrader cells")
    p.add_argument("--book", default=str(REPO / "book"), help="folder of the chapter notebooks")
    p.add_argument("--force", action="store_true",
                   help="overwrite files no course tool wrote, and a changed nbgrader_config.py")
    p = sub.add_parser("collect", help="copy loose hand-ins to COURSE/submitted/<student>/<chapter>/")
    p.add_argument("handin", help="folder of <student>_<chapter>.ipynb files or student folders")
    p.add_argument("course", help="the course folder made by init")
    p.add_argument("--force", action="store_true", help="overwrite submissions collect did not write")
    args = parser.parse_args(argv)
    try:
        if args.command == "init":
            init(args.course, args.book, args.chapters, args.force)
        else:
            collect(args.handin, args.course, args.force)
    except ValueError as err:
        print(f"error: {err}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
