"""The instructor's path with nbgrader: course folder, student version, autograding, feedback, grades.

Fast tests (no kernel): the MyST -> plain Markdown conversion, the checks that refuse a chapter
which would give an answer away, the tools' refusal to write into book/, through a link or over
someone else's file, the nbgrader configuration itself, the Sphinx extension's marker filter,
and that every graded exercise of the book has a planted mistake in MISTAKES below.
(``GRADING_CHAPTERS="03 07"`` limits the slow tests to those chapters while you work on them.)

Slow tests (marked slow) run nbgrader 0.9.6 for real:

- on a tiny generated course: a cell that loops for ever costs only that cell; a correct
  function that prints a numpy warning keeps its points;
- on the book's chapters: the student version has no solution, no output, no MyST syntax and
  runs up to its first stub; then planted submissions are autograded, two course copies in
  parallel, each chapter once with all its students: every exercise gets full marks from the
  solutions; each classic mistake (one per submission) costs exactly its exercise and the
  feedback names it; a tampered check cell is reported and the original is graded; an endless
  loop in a function costs only that exercise; a syntax error, a deleted function and a file
  that is not JSON are reported and the rest of the class is graded.
"""
import ast
import concurrent.futures
import copy
import dataclasses
import html as htmllib
import importlib.util
import json
import os
import pathlib
import re
import shutil
import subprocess
import sys
import textwrap

import nbformat
import pytest

ROOT = pathlib.Path(__file__).resolve().parents[1]
BOOK = ROOT / "book"
GRADING = ROOT / "tools" / "grading"


def _load(name, path):
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


course_tool = _load("course", GRADING / "course.py")
myst_plain = sys.modules["myst_plain"]
course_grading = _load("course_grading", BOOK / "_ext" / "course_grading.py")


# === the planted mistakes ====================================================================
# One classic mistake per check of nnlib.checks: the buggy body of the student's function
# (written with the parameter names below; the planting binds them to the chapter's own), and
# the words the feedback must show (from the check's "Likely mistake" message).

@dataclasses.dataclass(frozen=True)
class Mistake:
    params: tuple
    body: str
    phrase: str


MISTAKES = {
    # Part A (nnlib/checks/lab.py)
    "check_forward": Mistake(("thetas", "X"), """
        import numpy as np
        a = X
        for theta in thetas:
            z = np.hstack([np.ones((a.shape[0], 1)), a]) @ theta.T
            a = 1 / (1 + np.exp(-z))
        return z                                  # the output sigmoid is missing
        """, "the sigmoid is missing on the output layer"),
    "check_predict": Mistake(("thetas", "X"), """
        import numpy as np
        import nnlib
        return np.argmax(nnlib.forward(thetas, X).h, axis=1) + 1      # the lab's 1..K
        """, "labels shifted by one"),
    "check_cost": Mistake(("thetas", "X", "y"), """
        import numpy as np
        import nnlib
        H = nnlib.forward(thetas, X).h
        Y = nnlib.one_hot(y, H.shape[1])
        return np.sum(-Y * np.log(H) - (1 - Y) * np.log(1 - H))        # no 1/m
        """, "missing 1/m"),
    "check_regularized_cost": Mistake(("thetas", "X", "y", "lam"), """
        import numpy as np
        import nnlib
        m = X.shape[0]
        return nnlib.cost(thetas, X, y) + lam / (2 * m) * sum(np.sum(t ** 2) for t in thetas)
        """, "the bias column is regularized"),
    "check_sigmoid_gradient": Mistake(("z",), """
        return z * (1 - z)                        # the a(1 - a) formula, fed with z
        """, "g' applied to activations"),
    "check_init_weights": Mistake(("L_in", "L_out"), """
        import numpy as np
        return np.random.default_rng().uniform(0, 0.12, size=(L_out, L_in + 1))
        """, "the range is not symmetric"),
    "check_gradient": Mistake(("thetas", "X", "y"), """
        import numpy as np
        m, K = X.shape[0], thetas[-1].shape[0]
        a = [np.hstack([np.ones((m, 1)), X])]
        for t in thetas[:-1]:
            a.append(np.hstack([np.ones((m, 1)), 1 / (1 + np.exp(-(a[-1] @ t.T)))]))
        h = 1 / (1 + np.exp(-(a[-1] @ thetas[-1].T)))
        d = h - np.eye(K)[y]
        grads = [None] * len(thetas)
        for l in range(len(thetas) - 1, -1, -1):
            grads[l] = d.T @ a[l] / m
            if l > 0:
                g = 1 / (1 + np.exp(-a[l][:, 1:]))          # g(a), where a(1 - a) belongs
                d = (d @ thetas[l][:, 1:]) * g * (1 - g)
        return grads
        """, "g' applied to activations"),
    "check_regularized_gradient": Mistake(("thetas", "X", "y", "lam"), """
        import nnlib
        m = X.shape[0]
        return [g + lam / m * t for g, t in zip(nnlib.gradient(thetas, X, y, 0.0), thetas)]
        """, "the bias column is regularized"),
    "check_numerical_gradient": Mistake(("f", "theta"), """
        import numpy as np
        eps = 1e-4
        f0 = f(theta)
        grad = np.zeros(theta.size)
        for i in range(theta.size):
            t = theta.copy()
            t[i] += eps
            grad[i] = (f(t) - f0) / eps           # forward difference
        return grad
        """, "one-sided difference"),
    # Part B (nnlib/checks/deeper.py)
    "check_softmax_cross_entropy": Mistake(("z", "y"), """
        import numpy as np
        m = z.shape[0]
        c = z.max(axis=1, keepdims=True)
        h = np.exp(z - c)
        h /= h.sum(axis=1, keepdims=True)
        J = np.sum(np.log(np.sum(np.exp(z - c), axis=1)) + c[:, 0] - z[np.arange(m), y])
        Y = np.zeros_like(z)
        Y[np.arange(m), y] = 1.0
        return J, (h - Y) / m                     # J lacks its 1/m
        """, "missing 1/m in J"),
    "check_hidden_delta": Mistake(("delta_next", "theta", "z", "activation"), """
        import numpy as np
        if activation == "relu":
            g_prime = (z > 0) * 1.0
        elif activation == "tanh":
            g_prime = 1 - np.tanh(z) ** 2
        else:
            s = 1 / (1 + np.exp(-z))
            g_prime = s * (1 - s)
        return (delta_next @ theta[:, :-1]) * g_prime   # drops the last column, not the bias
        """, "the wrong column is dropped"),
    "check_init_he": Mistake(("layer_sizes", "seed"), """
        import numpy as np
        rng = np.random.default_rng(seed)
        thetas = []
        for s_in, s_out in zip(layer_sizes[:-1], layer_sizes[1:]):
            W = np.zeros((s_out, s_in + 1))
            W[:, 1:] = rng.normal(0.0, np.sqrt(2.0 / s_out), size=(s_out, s_in))   # fan-out
            thetas.append(W)
        return thetas
        """, "fan-out instead of fan-in"),
    "check_momentum_step": Mistake(("theta", "v", "D", "lr", "momentum"), """
        v_new = momentum * v - lr * D
        return theta + v, v_new                   # moves by the old velocity
        """, "moves by the old velocity"),
    "check_dropout_forward": Mistake(("a", "rate", "rng"), """
        mask = (rng.random(a.shape) >= rate) * 1.0     # 0 or 1: the 1/q is missing
        return a * mask, mask
        """, "no 1/q scaling"),
    "check_dropout_backward": Mistake(("delta", "mask"), """
        return delta * (mask > 0)
        """, "the kept units' 1/q is missing"),
    "check_time_decay_rate": Mistake(("t", "lr", "decay"), """
        return lr / 1 + decay * t
        """, "operator precedence"),
}


# Where one check grades two exercises, the second gets another classic mistake (by grade_id).
OVERRIDES = {
    "train_cost-check": Mistake(("thetas", "X", "y", "lam"), """
        import nnlib
        return nnlib.cost(thetas, X, (y + 1) % thetas[-1].shape[0], lam)      # the 10 <-> 0 shift
        """, "labels shifted by one class"),
    "train_gradient-check": Mistake(("thetas", "X", "y", "lam"), """
        import numpy as np
        import nnlib
        grads = nnlib.gradient(thetas, X, y, lam)
        flat = np.concatenate([g.ravel() for g in grads])          # unrolled row by row ...
        out, k = [], 0
        for g in grads:
            out.append(flat[k:k + g.size].reshape(g.shape, order="F"))   # ... rolled by columns
            k += g.size
        return out
        """, "row/column-major unrolling mix-up"),
}


def mistake_for(exercise):
    return OVERRIDES.get(exercise.grade_id) or MISTAKES.get(exercise.check)


# === reading the chapters' graded exercises ==================================================

@dataclasses.dataclass
class Exercise:
    chapter: str            # "03_cost"
    grade_id: str           # the graded (check) cell
    points: float
    check: str              # "check_cost"
    function: str           # "cost"
    solution_id: str        # the solution cell that defines the function


def _meta(cell):
    return cell.get("metadata", {}).get("nbgrader", {})


def _check_call(source):
    """(check name, name of the function checked) of the first nnlib.checks.check_* call."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return None
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            if name.startswith("check_") and node.args and isinstance(node.args[0], ast.Name):
                return name, node.args[0].id
    return None


def _defines(source, function):
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return None
    return next((n for n in ast.walk(tree)
                 if isinstance(n, ast.FunctionDef) and n.name == function), None)


def graded_exercises(nb, chapter):
    """Every graded code cell of ``nb`` (points > 0) with the check and solution it belongs to."""
    found = []
    for i, cell in enumerate(nb.cells):
        meta = _meta(cell)
        if not (meta.get("grade") and cell.cell_type == "code" and float(meta.get("points", 0)) > 0):
            continue
        call = _check_call(cell.source)
        if call is None:
            found.append(Exercise(chapter, meta["grade_id"], float(meta["points"]), "", "", ""))
            continue
        check, function = call
        solution = next((c for c in reversed(nb.cells[:i]) if _meta(c).get("solution")
                         and c.cell_type == "code" and _defines(c.source, function)), None)
        found.append(Exercise(chapter, meta["grade_id"], float(meta["points"]), check, function,
                              _meta(solution)["grade_id"] if solution else ""))
    return found


def book_exercises():
    """chapter -> its graded exercises, for every chapter of the book with nbgrader cells."""
    out = {}
    for path in course_tool.chapters(BOOK):
        nb = nbformat.read(path, as_version=4)
        if course_tool.has_nbgrader_cells(nb):
            out[path.stem] = graded_exercises(nb, path.stem)
    return out


# === planting: a student's answers, right or wrong ============================================

MARKER = re.compile(r"^[ \t]*###[ \t]*(BEGIN|END) SOLUTION[ \t]*$")


def answer(source):
    """What a student who solved the cell hands in: the solution without nbgrader's markers."""
    return "\n".join(line for line in source.split("\n") if not MARKER.match(line))


def plant(source, function, mistake):
    """The solution cell ``source`` with ``function``'s solution region replaced by ``mistake``.

    The buggy body is written with the mistake's parameter names; a first line binds them to
    the chapter's own.  A cell may define several functions, each with its own region.
    """
    lines = source.split("\n")
    fdef = _defines(source, function)
    assert fdef is not None, f"no def {function} in the solution cell"
    body = textwrap.dedent(mistake.body).strip("\n").split("\n")
    begins = [i for i, line in enumerate(lines) if "BEGIN SOLUTION" in line]
    ends = [i for i, line in enumerate(lines) if "END SOLUTION" in line]
    for begin, end in zip(begins, ends):
        indent = re.match(r"[ \t]*", lines[begin]).group(0)
        # inside the function: after its def line, indented deeper, not past its end (a
        # trailing comment such as ### END SOLUTION is not part of the function's AST)
        if fdef.lineno - 1 < begin <= fdef.end_lineno and len(indent) > fdef.col_offset:
            actual = [a.arg for a in fdef.args.args][:len(mistake.params)]   # the rest: defaults
            assert len(actual) == len(mistake.params), \
                f"{function} takes {[a.arg for a in fdef.args.args]}, not {mistake.params}"
            binding = [] if list(mistake.params) == actual else [
                f"{', '.join(mistake.params)} = {', '.join(actual)}"]
            new = lines[:begin] + [indent + line for line in binding + body] + lines[end + 1:]
            return answer("\n".join(new))
    # the whole function is the solution: write it anew in its place
    pad = " " * fdef.col_offset
    new_def = [f"{pad}def {function}({', '.join(mistake.params)}):"] + [f"{pad}    {line}" for line in body]
    return answer("\n".join(lines[:fdef.lineno - 1] + new_def + lines[fdef.end_lineno:]))


def loop_forever(source, function):
    """The solution with an endless loop as the first statement of ``function`` (after its docstring)."""
    text = answer(source)
    first = _defines(text, function).body[0]
    docstring = (isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant)
                 and isinstance(first.value.value, str))
    lines = text.split("\n")
    at = first.end_lineno if docstring else first.lineno - 1
    lines[at:at] = [" " * first.col_offset + "while True:", " " * first.col_offset + "    pass"]
    return "\n".join(lines)


def submission(release, source, planted=None, edit=None):
    """A student's notebook: the release with every solution cell answered.

    ``planted`` maps a solution grade_id to its new source; ``edit(nb)`` changes the rest.
    """
    answers = {_meta(c)["grade_id"]: answer(c.source) for c in source.cells
               if _meta(c).get("solution")}
    answers.update(planted or {})
    nb = copy.deepcopy(release)
    for cell in nb.cells:
        meta = _meta(cell)
        if meta.get("solution"):
            cell.source = answers[meta["grade_id"]]
    if edit is not None:
        edit(nb)
    return nb


# === running nbgrader ===========================================================================

def nbgrader_env(threads=None):
    env = dict(os.environ)
    env["PATH"] = str(pathlib.Path(sys.executable).parent) + os.pathsep + env.get("PATH", "")
    if threads is not None:
        for var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
            env[var] = str(threads)
    return env


def nbgrader(course, *args, threads=None, check=True):
    run = subprocess.run([sys.executable, "-m", "nbgrader", *args], cwd=course,
                         capture_output=True, text=True, env=nbgrader_env(threads))
    if check:
        assert run.returncode == 0, f"nbgrader {' '.join(args)} failed:\n{run.stderr[-5000:]}"
    return run


def scores(course, chapter):
    """student -> {grade_id: (score, max_score)} for one chapter (assignment)."""
    from nbgrader.api import Gradebook
    out = {}
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gb:
        for sub in gb.assignment_submissions(chapter):
            nb = gb.find_submission_notebook(chapter, chapter, sub.student.id)
            out[sub.student.id] = {g.name: (g.score, g.max_score) for g in nb.grades}
    return out


def plain(path):
    """The text a reader sees in an HTML file, whitespace squeezed."""
    text = htmllib.unescape(re.sub(r"<[^>]+>", " ", path.read_text(encoding="utf-8")))
    return re.sub(r"\s+", " ", text)


def squeeze(text):
    return re.sub(r"\s+", " ", text)


def log_by_student(log):
    """student -> the lines nbgrader logged while sanitizing and grading that student's notebook."""
    out, student = {}, None
    for line in log.splitlines():
        m = re.search(r"(?:Sanitizing|Autograding) \S*[/\\](?:submitted|autograded)[/\\]([^/\\]+)[/\\]",
                      line)
        if m:
            student = m.group(1)
        m = re.search(r"error processing assignment: \S*submitted[/\\]([^/\\]+)[/\\]", line)
        if m:
            student = m.group(1)
        if student:
            out.setdefault(student, []).append(line)
    return {s: "\n".join(lines) for s, lines in out.items()}


# =================================================================================================
# Fast tests
# =================================================================================================

def _md(text):
    return nbformat.v4.new_markdown_cell(textwrap.dedent(text).strip("\n"))


def _glue_output(name, value):
    return nbformat.v4.new_output(
        "display_data", data={"application/papermill.record/text/plain": repr(value)},
        metadata={"scrapbook": {"name": name, "mime_prefix": "application/papermill.record/"}})


def _sol(source, grade_id, cell_type="code"):
    cell = (nbformat.v4.new_code_cell if cell_type == "code" else nbformat.v4.new_markdown_cell)(
        textwrap.dedent(source).strip("\n"))
    cell.metadata["nbgrader"] = {"grade": False, "grade_id": grade_id, "locked": False,
                                 "schema_version": 3, "solution": True, "task": False}
    return cell


def _check(source, grade_id, points):
    cell = nbformat.v4.new_code_cell(source)
    cell.metadata["nbgrader"] = {"grade": True, "grade_id": grade_id, "locked": True,
                                 "points": points, "schema_version": 3, "solution": False,
                                 "task": False}
    return cell


def tiny_chapter():
    """A small chapter written like the book's: MyST, glue, two graded exercises, one open one."""
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    setup = nbformat.v4.new_code_cell(
        "import numpy as np\nimport nnlib\nimport nnlib.checks\nfrom myst_nb import glue\n"
        "glue('answer', f'{6 * 7}', display=False)")
    setup.outputs = [_glue_output("answer", "42")]
    figure = nbformat.v4.new_code_cell("print('a figure would be drawn here')")
    figure.metadata["mystnb"] = {"figure": {"name": "fig-t-1", "caption": "The curve of g'."}}
    nb.cells = [
        _md("# 99. A tiny chapter\n\n(sec-intro)=\n## Why\n\nThe answer is {glue:text}`answer`."),
        setup,
        figure,
        _md("""
            ```{note}
            **Remember.** See {numref}`fig-t-1` and {ref}`the introduction <sec-intro>`,
            {ref}`ex-t-2` and {doc}`03_cost`.
            ```
            """),
        _md("""
            ```{exercise} The sigmoid gradient
            :label: ex-t-1

            Write `sigmoid_gradient(z)`.
            ```
            """),
        _md("```{solution-start} ex-t-1\n:class: dropdown\n```"),
        _sol('''
            def sigmoid_gradient(z):
                """g'(z) = g(z)(1 - g(z))."""
                ### BEGIN SOLUTION
                g = 1 / (1 + np.exp(-z))
                return g * (1 - g)
                ### END SOLUTION
            ''', "sigmoid-gradient"),
        _md("```{solution-end}\n```"),
        _check("nnlib.checks.check_sigmoid_gradient(sigmoid_gradient)", "sigmoid-gradient-check", 2),
        _md("""
            ```{exercise} Time-based decay
            :label: ex-t-2

            Write `decay_rate(t, lr, decay)`.
            ```
            """),
        _md("```{solution-start} ex-t-2\n:class: dropdown\n```"),
        _sol('''
            def decay_rate(t, lr, decay):
                """η_t = η_0 / (1 + d t)."""
                ### BEGIN SOLUTION
                return lr / (1 + decay * t)
                ### END SOLUTION
            ''', "decay"),
        _md("```{solution-end}\n```"),
        _check("nnlib.checks.check_time_decay_rate(decay_rate)", "decay-check", 1),
        _md("""
            :::{warning}
            Colon fences too.
            :::

            ```{exercise}
            :label: ex-t-3

            Why is the derivative largest at $z = 0$?
            ```
            """),
        _md("```{solution-start} ex-t-3\n:class: dropdown\n```"),
        _sol("Because g(0) = 1/2 maximizes g(1 - g): the unique secret sentence.", "ex-t-3-1",
             "markdown"),
        _sol("print('the secret code line of exercise 3')", "ex-t-3-2"),
        _md("```{solution-end}\n```"),
    ]
    return nb


def test_myst_becomes_plain_markdown():
    nb = tiny_chapter()
    ctx = myst_plain.notebook_context(nb, {"03_cost": "3. The cost function"})
    md = [myst_plain.plain_markdown(c.source, ctx) for c in nb.cells if c.cell_type == "markdown"]
    assert md[0] == "# 99. A tiny chapter\n\n## Why\n\nThe answer is 42."
    assert md[1] == ("> **Note**\n>\n> **Remember.** See Fig. 1 and the introduction,\n"
                     "> Exercise 2 (Time-based decay) and 3. The cost function.")
    assert md[2] == "### Exercise 1: The sigmoid gradient\n\nWrite `sigmoid_gradient(z)`."
    assert md[3] == "" and md[4] == ""                   # the solution markers are gone
    assert md[8].startswith("> **Warning**\n>\n> Colon fences too.\n\n### Exercise 3\n\nWhy is")


def test_myst_conversion_keeps_code_blocks_and_reports_what_it_does_not_know():
    ctx = myst_plain.Context(glue={"x": "1.5"})
    text = "```python\n{glue:text}`x` stays in code\n```\n```{unknownthing} Title\nbody {glue}`x`\n```"
    warnings = []
    out = myst_plain.plain_markdown(text, ctx, warnings.append)
    assert out == "```python\n{glue:text}`x` stays in code\n```\n**Title**\n\nbody 1.5"
    assert warnings == ["unknown directive {unknownthing}: its text is kept under a bold title"]


def test_admonition_text_on_the_fence_line_and_unnumbered_exercises():
    nb = nbformat.v4.new_notebook()
    nb.cells = [_md("```{exercise} Warm-up\n:label: ex-0\n:nonumber:\n\nTry.\n```"),
                _md("```{exercise} Main\n:label: ex-1\n\nDo.\n```"),
                _md("```{tip} Use {ref}`ex-0` first.\nThen {ref}`ex-1`.\n```")]
    ctx = myst_plain.notebook_context(nb)
    md = [myst_plain.plain_markdown(c.source, ctx) for c in nb.cells]
    assert md[0] == "### Exercise: Warm-up\n\nTry." and md[1] == "### Exercise 1: Main\n\nDo."
    assert md[2] == "> **Tip**\n>\n> Use Warm-up first.\n> Then Exercise 1 (Main)."


def test_a_value_glued_in_another_chapter_is_read_from_that_notebook(tmp_path):
    other = nbformat.v4.new_notebook()
    other.cells = [nbformat.v4.new_code_cell("glue('best', 'relu'); glue('acc', 0.9251)")]
    other.cells[0].outputs = [_glue_output("best", "relu"), _glue_output("acc", 0.9251)]
    nbformat.write(other, tmp_path / "10_deeper.ipynb")
    ctx = myst_plain.Context(doc_dir=tmp_path)
    assert myst_plain.plain_markdown("We keep {glue:text}`10_deeper.ipynb::best`.", ctx) == \
        "We keep relu."
    assert myst_plain.plain_markdown("{glue:text}`10_deeper.ipynb::best:s` at "
                                     "{glue:text}`10_deeper.ipynb::acc:.1%`", ctx) == "relu at 92.5%"
    with pytest.raises(myst_plain.MystError, match="no value glued under 'worst' in the stored "
                       "outputs of 10_deeper.ipynb"):
        myst_plain.plain_markdown("{glue:text}`10_deeper.ipynb::worst`", ctx)


def test_a_missing_glued_value_and_a_visible_solution_are_refused():
    with pytest.raises(myst_plain.MystError, match="no value glued under 'nope'"):
        myst_plain.plain_markdown("J = {glue:text}`nope`", myst_plain.Context())
    with pytest.raises(myst_plain.MystError, match="give the answer away"):
        myst_plain.plain_markdown("```{solution} ex-1\nThe answer.\n```", myst_plain.Context())


def test_course_notebook_drops_markers_and_outputs_and_captions_figures():
    out = course_tool.course_notebook(tiny_chapter(), "99_tiny")
    text = "\n".join(c.source for c in out.cells)
    assert "{solution" not in text and "```{" not in text and ":::{" not in text
    assert all(c.outputs == [] for c in out.cells if c.cell_type == "code")
    assert "*Fig. 1. The curve of g'.*" in [c.source for c in out.cells]
    written = [c for c in out.cells if _meta(c).get("grade_id") == "ex-t-3-1"][0]
    assert _meta(written)["grade"] is True and _meta(written)["points"] == 0   # nbgrader's rule


@pytest.mark.parametrize("change, message", [
    (lambda nb: nb.cells[16].metadata.pop("nbgrader"),
     "inside the solution block opened in cell 16 but not an nbgrader solution cell"),
    (lambda nb: nb.cells.pop(18), "has no {solution-end}"),
    (lambda nb: nb.cells.insert(2, nbformat.v4.new_code_cell("x = 1", metadata={"tags": ["solution"]})),
     "tagged 'solution' but not an nbgrader solution cell"),
    (lambda nb: nb.cells[2].update(source="### BEGIN SOLUTION\nx = 1\n### END SOLUTION"),
     "holds ### BEGIN SOLUTION but is not an nbgrader solution cell"),
    (lambda nb: _meta(nb.cells[11]).update(grade_id="sigmoid-gradient"), "is used twice"),
])
def test_a_chapter_that_would_give_an_answer_away_is_refused(change, message):
    nb = tiny_chapter()
    change(nb)
    with pytest.raises(ValueError, match=re.escape(message)):
        course_tool.course_notebook(nb, "99_tiny")


def test_a_glued_value_computed_by_a_solution_may_not_be_quoted_outside_it():
    nb = tiny_chapter()
    nb.cells[17].outputs = [_glue_output("secret", "3.25")]
    nb.cells.append(_md("The lazy network costs {glue:text}`secret:.1f`."))
    with pytest.raises(ValueError, match="quotes 'secret', which a solution computes"):
        course_tool.course_notebook(nb, "99_tiny")


@pytest.fixture
def fake_repo(tmp_path, monkeypatch):
    """A repository with a book of one tiny chapter; the tools think it is theirs."""
    repo = tmp_path / "repo"
    (repo / "book").mkdir(parents=True)
    nbformat.write(tiny_chapter(), repo / "book" / "99_tiny.ipynb")
    monkeypatch.setattr(course_tool, "REPO", repo)
    return repo


def test_init_writes_the_config_and_one_source_folder_per_chapter(fake_repo, tmp_path):
    lines = []
    written = course_tool.init(tmp_path / "course", fake_repo / "book", log=lines.append)
    assert written == [(tmp_path / "course" / "source" / "99_tiny" / "99_tiny.ipynb").resolve()]
    config = (tmp_path / "course" / "nbgrader_config.py").read_text()
    assert config == (GRADING / "nbgrader_config.py").read_text()
    # run again: its own files are rewritten without --force
    course_tool.init(tmp_path / "course", fake_repo / "book", log=lines.append)
    # an edited config is kept (and said so), --force replaces it
    (tmp_path / "course" / "nbgrader_config.py").write_text(config + "\nc.Execute.timeout = 5\n")
    course_tool.init(tmp_path / "course", fake_repo / "book", log=lines.append)
    assert lines[-2].startswith("kept ")
    assert "timeout = 5" in (tmp_path / "course" / "nbgrader_config.py").read_text()
    course_tool.init(tmp_path / "course", fake_repo / "book", force=True, log=lines.append)
    assert (tmp_path / "course" / "nbgrader_config.py").read_text() == config


@pytest.mark.parametrize("where", ["book", "book/course", "book/../book/x"])
def test_init_never_writes_into_the_book(fake_repo, where):
    before = sorted(p.name for p in (fake_repo / "book").iterdir())
    with pytest.raises(ValueError, match="inside the book's sources"):
        course_tool.init(fake_repo / where, fake_repo / "book", force=True, log=lambda m: None)
    assert sorted(p.name for p in (fake_repo / "book").iterdir()) == before


def test_init_never_writes_through_a_link(fake_repo, tmp_path):
    (tmp_path / "link").symlink_to(fake_repo / "book")
    with pytest.raises(ValueError, match="symbolic link"):
        course_tool.init(tmp_path / "link", fake_repo / "book", force=True, log=lambda m: None)
    course = tmp_path / "course"
    course.mkdir()
    (tmp_path / "elsewhere").mkdir()
    (course / "source").symlink_to(tmp_path / "elsewhere")
    with pytest.raises(ValueError, match="symbolic link"):
        course_tool.init(course, fake_repo / "book", force=True, log=lambda m: None)
    assert list((tmp_path / "elsewhere").iterdir()) == []
    (course / "source").unlink()
    (course / "source" / "99_tiny").mkdir(parents=True)
    (course / "source" / "99_tiny" / "99_tiny.ipynb").symlink_to(fake_repo / "book" / "99_tiny.ipynb")
    before = (fake_repo / "book" / "99_tiny.ipynb").read_bytes()
    with pytest.raises(ValueError, match="symbolic link"):
        course_tool.init(course, fake_repo / "book", force=True, log=lambda m: None)
    assert (fake_repo / "book" / "99_tiny.ipynb").read_bytes() == before


def test_init_never_overwrites_a_file_it_did_not_write_without_force(fake_repo, tmp_path):
    course = tmp_path / "course"
    (course / "source" / "99_tiny").mkdir(parents=True)
    mine = course / "source" / "99_tiny" / "99_tiny.ipynb"
    mine.write_text("the instructor's own edited version")
    with pytest.raises(ValueError, match="no tool wrote"):
        course_tool.init(course, fake_repo / "book", log=lambda m: None)
    assert mine.read_text() == "the instructor's own edited version"
    course_tool.init(course, fake_repo / "book", force=True, log=lambda m: None)
    assert json.loads(mine.read_text())["cells"]


def test_collect_places_loose_files_and_refuses_what_it_cannot_place(fake_repo, tmp_path):
    course = tmp_path / "course"
    course_tool.init(course, fake_repo / "book", log=lambda m: None)
    handin = tmp_path / "handin"
    (handin / "carol").mkdir(parents=True)
    (handin / "alice_99_tiny.ipynb").write_text('{"cells": []}')
    (handin / "bob-smith-99_tiny.ipynb").write_text('{"cells": [')                 # not JSON
    (handin / "carol" / "99_tiny (1).ipynb").write_text('{"cells": []}')
    (handin / "section-b" / "frank" / "99_tiny").mkdir(parents=True)           # nbgrader's layout
    (handin / "section-b" / "frank" / "99_tiny" / "99_tiny.ipynb").write_text('{"cells": []}')
    lines = []
    written = course_tool.collect(handin, course, log=lines.append)
    assert sorted(written) == [("alice", "99_tiny"), ("bob-smith", "99_tiny"), ("carol", "99_tiny"),
                               ("frank", "99_tiny")]
    assert (course / "submitted" / "carol" / "99_tiny" / "99_tiny.ipynb").read_text() == '{"cells": []}'
    assert "not valid JSON" in next(line for line in lines if "bob-smith" in line)
    # a second run replaces its own copies; a student's file it did not copy needs --force
    course_tool.collect(handin, course, log=lambda m: None)
    dave = course / "submitted" / "dave" / "99_tiny"
    dave.mkdir(parents=True)
    (dave / "99_tiny.ipynb").write_text("dave's own")
    (handin / "dave_99_tiny.ipynb").write_text('{"cells": []}')
    with pytest.raises(ValueError, match="no tool wrote"):
        course_tool.collect(handin, course, log=lambda m: None)
    assert (dave / "99_tiny.ipynb").read_text() == "dave's own"
    (handin / "dave_99_tiny.ipynb").unlink()
    # unplaceable names, and two files for one student and chapter, copy nothing
    (handin / "99_tiny.ipynb").write_text("{}")
    (handin / "erin_notes.ipynb").write_text("{}")
    (handin / "carol_99_tiny.ipynb").write_text("{}")
    with pytest.raises(ValueError) as err:
        course_tool.collect(handin, course, log=lambda m: None)
    assert "'' is not usable as a student id" in str(err.value)
    assert "erin_notes.ipynb: the file name must contain exactly one chapter name" in str(err.value)
    assert "are both carol's 99_tiny" in str(err.value)


def test_collect_never_writes_through_a_link(fake_repo, tmp_path):
    course = tmp_path / "course"
    course_tool.init(course, fake_repo / "book", log=lambda m: None)
    (tmp_path / "handin").mkdir()
    (tmp_path / "handin" / "alice_99_tiny.ipynb").write_text("{}")
    (course / "submitted").symlink_to(fake_repo / "book")
    with pytest.raises(ValueError, match="symbolic link"):
        course_tool.collect(tmp_path / "handin", course, log=lambda m: None)
    assert sorted(p.name for p in (fake_repo / "book").iterdir()) == ["99_tiny.ipynb"]


def test_the_command_line_reports_errors_without_a_traceback(fake_repo, capsys):
    assert course_tool.main(["init", str(fake_repo / "book" / "x")]) == 1
    assert "error: output folder" in capsys.readouterr().err


def _run_config(course):
    from traitlets.config import Config
    config = Config()
    code = (GRADING / "nbgrader_config.py").read_text()
    exec(compile(code, str(course / "nbgrader_config.py"), "exec"),
         {"get_config": lambda: config, "__file__": str(course / "nbgrader_config.py")})
    return config


def test_the_nbgrader_config_sets_the_timeouts_and_refuses_links(tmp_path):
    config = _run_config(tmp_path)
    assert config.Execute.timeout >= 120 and config.Execute.interrupt_on_timeout is True
    assert config.Execute.error_on_timeout["ename"] == "CellTimeoutError"
    (tmp_path / "feedback" / "alice").mkdir(parents=True)
    (tmp_path / "feedback" / "alice" / "03_cost").symlink_to(tmp_path)
    with pytest.raises(SystemExit, match="symbolic link"):
        _run_config(tmp_path)


def test_stderr_with_only_warnings_is_ignored_and_anything_else_is_kept(tmp_path):
    pattern = re.compile(_run_config(tmp_path).IgnorePattern.pattern)
    warning = ("/tmp/ipykernel_1/123.py:3: RuntimeWarning: overflow encountered in exp\n"
               "  g = 1 / (1 + np.exp(-z))\n")
    assert pattern.search(warning) and pattern.search(warning + warning.replace("Runtime", "User"))
    assert not pattern.search(warning + "Traceback (most recent call last):\n")
    assert not pattern.search("my own debugging output on stderr\n")


def test_the_html_extension_drops_only_marker_lines():
    code = "def f(x):\n    ### BEGIN SOLUTION\n    return x  # ### END SOLUTION here\n    ### END SOLUTION\n"
    assert course_grading.strip_markers(code) == "def f(x):\n    return x  # ### END SOLUTION here\n"
    assert course_grading.strip_markers("### BEGIN HIDDEN TESTS\nassert f(1)\n### END HIDDEN TESTS") \
        == "assert f(1)"


def test_planting_binds_the_chapters_parameter_names():
    source = textwrap.dedent('''
        def cost(weights, data, labels):
            """doc"""
            ### BEGIN SOLUTION
            return 1.0
            ### END SOLUTION
        ''').strip()
    planted = plant(source, "cost", Mistake(("thetas", "X", "y"), "return thetas", "x"))
    assert planted == ('def cost(weights, data, labels):\n    """doc"""\n'
                       "    thetas, X, y = weights, data, labels\n    return thetas")
    namespace = {}
    exec(planted, namespace)
    assert namespace["cost"](3, 4, 5) == 3
    two = textwrap.dedent('''
        def forward(a, rate, rng):
            ### BEGIN SOLUTION
            return "right forward"
            ### END SOLUTION


        def backward(delta, mask):
            ### BEGIN SOLUTION
            return "right backward"
            ### END SOLUTION
        ''').strip()
    namespace = {}
    exec(plant(two, "backward", Mistake(("delta", "mask"), "return 'wrong'", "x")), namespace)
    assert namespace["forward"](1, 2, 3) == "right forward" and namespace["backward"](1, 2) == "wrong"
    whole = "### BEGIN SOLUTION\ndef f(x):\n    return 1\n### END SOLUTION\ny = 2"
    namespace = {}
    exec(plant(whole, "f", Mistake(("z",), "return z", "x")), namespace)
    assert namespace["f"](5) == 5 and namespace["y"] == 2


@pytest.mark.parametrize("name, check, mistake", [
    *[(name, name, m) for name, m in MISTAKES.items()],
    *[(gid, None, m) for gid, m in OVERRIDES.items()]])
def test_each_planted_mistake_fails_its_check_with_its_phrase(name, check, mistake):
    import nnlib.checks
    if check is None:                     # an override: the check of the exercise it replaces
        check = {"train_cost-check": "check_regularized_cost",
                 "train_gradient-check": "check_regularized_gradient"}[name]
    source = f"def planted({', '.join(mistake.params)}):\n" + textwrap.indent(
        textwrap.dedent(mistake.body).strip("\n"), "    ")
    namespace = {}
    exec(source, namespace)
    with pytest.raises(AssertionError) as err:
        getattr(nnlib.checks, check)(namespace["planted"])
    assert squeeze(mistake.phrase) in squeeze(str(err.value)), str(err.value)


def test_every_graded_exercise_of_the_book_has_a_planted_mistake():
    exercises = [e for found in book_exercises().values() for e in found]
    missing = [f"{e.chapter} {e.grade_id}: " + (
        "no nnlib.checks.check_* call" if not e.check else
        f"no solution cell defines {e.function}()" if not e.solution_id else
        f"no mistake for {e.check} in MISTAKES") for e in exercises
        if not e.check or not e.solution_id or mistake_for(e) is None]
    assert not missing, "graded exercises the tests cannot plant a mistake in:\n" + "\n".join(missing)
    import nnlib.checks
    assert set(MISTAKES) <= set(nnlib.checks.__all__), "MISTAKES names a check nnlib lacks"


# =================================================================================================
# Slow tests: nbgrader for real
# =================================================================================================

@pytest.mark.slow
def test_tiny_course_cell_timeout_and_warnings(tmp_path, monkeypatch):
    """A cell that loops for ever costs that cell only; a numpy warning costs no points."""
    repo = tmp_path / "repo"
    (repo / "book").mkdir(parents=True)
    chapter = tiny_chapter()
    nbformat.write(chapter, repo / "book" / "99_tiny.ipynb")
    monkeypatch.setattr(course_tool, "REPO", repo)
    course = tmp_path / "course"
    course_tool.init(course, repo / "book", log=lambda m: None)
    nbgrader(course, "generate_assignment", "99_tiny")
    release = nbformat.read(course / "release" / "99_tiny" / "99_tiny.ipynb", as_version=4)
    source = nbformat.read(course / "source" / "99_tiny" / "99_tiny.ipynb", as_version=4)
    good = answer(next(c.source for c in source.cells if _meta(c).get("grade_id") == "decay"))
    students = {
        "ok": submission(release, source),
        "cellloop": submission(release, source, {"decay": good + "\nwhile True:\n    pass\n"}),
        "warns": submission(release, source, {"sigmoid-gradient": textwrap.dedent('''
            import warnings
            def sigmoid_gradient(z):
                warnings.warn("a harmless warning", RuntimeWarning)
                g = 1 / (1 + np.exp(-z))
                return g * (1 - g)
            ''')}),
    }
    for student, nb in students.items():
        (course / "submitted" / student / "99_tiny").mkdir(parents=True)
        nbformat.write(nb, course / "submitted" / student / "99_tiny" / "99_tiny.ipynb")
    run = nbgrader(course, "autograde", "99_tiny", "--Execute.timeout=15")
    got = scores(course, "99_tiny")
    full = {"sigmoid-gradient-check": (2.0, 2.0), "decay-check": (1.0, 1.0)}
    for student in students:
        assert {k: got[student][k] for k in full} == full, (student, got[student], run.stderr[-3000:])
    graded = nbformat.read(course / "autograded" / "cellloop" / "99_tiny" / "99_tiny.ipynb", as_version=4)
    errors = [o for c in graded.cells if c.cell_type == "code" for o in c.outputs
              if o.output_type == "error"]
    # the kernel's own KeyboardInterrupt, then nbgrader's error for the timeout, in that cell only
    timed_out = [i for i, c in enumerate(graded.cells) if c.cell_type == "code"
                 and any(o.output_type == "error" and o.ename != "NotImplementedError"
                         for o in c.outputs)]
    assert [o.ename for o in graded.cells[timed_out[0]].outputs if o.output_type == "error"] == \
        ["KeyboardInterrupt", "CellTimeoutError"] and len(timed_out) == 1, errors
    assert "did not finish within the grader's time limit" in json.dumps(errors)
    warned = nbformat.read(course / "autograded" / "warns" / "99_tiny" / "99_tiny.ipynb", as_version=4)
    assert not any(o.get("name") == "stderr" for c in warned.cells if c.cell_type == "code"
                   for o in c.outputs)


# --- the book's chapters ---------------------------------------------------------------------

@pytest.fixture(scope="module")
def course(tmp_path_factory):
    """The course folder of the book, with every chapter's student version generated."""
    folder = tmp_path_factory.mktemp("grading") / "course"
    # GRADING_CHAPTERS="07 10" limits the slow tests to some chapters (while writing them)
    written = course_tool.init(folder, names=os.environ.get("GRADING_CHAPTERS", "").split(),
                               log=lambda m: None)
    if not written:
        pytest.skip("no chapter of the book has nbgrader cells yet")
    nbgrader(folder, "generate_assignment", "*")
    assert sorted(p.name for p in (folder / "release").iterdir()) == \
        sorted(p.parent.name for p in written)
    return folder


def _chapters(course):
    return sorted(p.name for p in (course / "source").iterdir())


def _read(course, step, chapter):
    return nbformat.read(course / step / chapter / f"{chapter}.ipynb", as_version=4)


@pytest.mark.slow
def test_student_version_has_no_solution_no_output_and_no_myst(course):
    for chapter in _chapters(course):
        book = nbformat.read(BOOK / f"{chapter}.ipynb", as_version=4)
        release = _read(course, "release", chapter)
        kept = {line.strip() for c in book.cells if not _meta(c).get("solution")
                for line in c.source.splitlines()}
        student_lines = {line.strip() for c in release.cells for line in c.source.splitlines()}
        for cell in book.cells:
            if not _meta(cell).get("solution"):
                continue
            lines = cell.source.splitlines()
            begin = next((i for i, line in enumerate(lines) if "BEGIN SOLUTION" in line), None)
            if begin is not None:
                end = next(i for i, line in enumerate(lines) if "END SOLUTION" in line)
                lines = lines[begin:end + 1]
            for line in lines:
                line = line.strip()
                if len(line) > 3 and line not in kept:
                    assert line not in student_lines, f"{chapter}: solution line survives: {line}"
        for i, cell in enumerate(release.cells):
            where = f"{chapter}, cell {i + 1}"
            if cell.cell_type == "code":
                assert cell.outputs == [] and cell.execution_count is None, where
                continue
            assert not cell.get("attachments"), where
            for bad in ("```{", ":::{", "{glue", "{solution", "{exercise", "BEGIN SOLUTION"):
                assert bad not in cell.source, f"{where}: {bad!r} in\n{cell.source}"
            assert not re.search(r"\{[a-z][\w:-]*\}`", cell.source), f"{where}: a MyST role"
            assert not re.search(r"^\s*\([\w-]+\)=\s*$", cell.source, re.M), f"{where}: a target"


def _first_stub(nb):
    """Index of the first code cell nbgrader emptied (len(nb.cells) if there is none)."""
    return next((i for i, c in enumerate(nb.cells)
                 if c.cell_type == "code" and "raise NotImplementedError()" in c.source), len(nb.cells))


def _run_until_first_check(course, chapter):
    """The release notebook run up to its first stub and the check after it (or to its end)."""
    from nbclient import NotebookClient
    nb = _read(course, "release", chapter)
    stub = _first_stub(nb)
    check = next((i for i in range(stub + 1, len(nb.cells)) if _meta(nb.cells[i]).get("grade")
                  and nb.cells[i].cell_type == "code"), stub)
    nb.cells = nb.cells[:check + 1]
    NotebookClient(nb, timeout=600, kernel_name="python3", allow_errors=True,
                   resources={"metadata": {"path": str(course / "release" / chapter)}}).execute()
    return nb, stub, check


@pytest.mark.slow
def test_student_version_runs_up_to_its_first_stub(course):
    with concurrent.futures.ThreadPoolExecutor(2) as pool:
        runs = dict(zip(_chapters(course),
                        pool.map(lambda ch: _run_until_first_check(course, ch), _chapters(course))))
    for chapter, (nb, stub, check) in runs.items():
        errors = [(i, o) for i, c in enumerate(nb.cells) if c.cell_type == "code"
                  for o in c.outputs if o.output_type == "error"]
        ran = [c for c in nb.cells[:stub] if c.cell_type == "code"
               and "skip-execution" not in c.metadata.get("tags", [])]
        assert all(c.execution_count is not None for c in ran), chapter
        if stub == len(nb.cells):                       # no stub: everything runs
            assert not errors, f"{chapter}: {errors[0]}"
            continue
        assert errors, f"{chapter}: the first stub (cell {stub + 1}) raised nothing"
        first, output = errors[0]
        assert first in (stub, check) and output.ename == "NotImplementedError", \
            f"{chapter}: first error in cell {first + 1} ({output.ename}: {output.evalue}), " \
            f"the first stub is cell {stub + 1}"


@dataclasses.dataclass
class Plan:
    """Who hands in what: (student, chapter) -> (notebook or raw bytes, what was planted)."""
    submissions: dict
    mistakes: dict          # (student, chapter) -> Exercise planted wrong
    edge_chapter: str
    edge_exercise: Exercise


def make_plan(course):
    exercises = {ch: graded_exercises(_read(course, "source", ch), ch) for ch in _chapters(course)}
    graded = {ch: ex for ch, ex in exercises.items() if ex}
    missing = [f"{e.chapter} {e.grade_id}" for ex in graded.values() for e in ex
               if mistake_for(e) is None or not e.solution_id]
    assert not missing, f"no planted mistake for {missing}"
    subs, mistakes = {}, {}
    for ch, found in graded.items():
        release, source = _read(course, "release", ch), _read(course, "source", ch)
        sol = {_meta(c)["grade_id"]: c.source for c in source.cells if _meta(c).get("solution")}
        if len(found) < 2:         # else the other students' submissions show full marks
            subs[("solutions", ch)] = submission(release, source)
        for e in found:
            student = f"m-{e.grade_id}"
            planted = plant(sol[e.solution_id], e.function, mistake_for(e))
            subs[(student, ch)] = submission(release, source, {e.solution_id: planted})
            mistakes[(student, ch)] = e
    # the edge cases go to the first chapter with two graded exercises (cheap, and something
    # is left to grade)
    edge_ch = next((ch for ch, ex in graded.items() if len(ex) >= 2), next(iter(graded)))
    target = graded[edge_ch][0]
    release, source = _read(course, "release", edge_ch), _read(course, "source", edge_ch)
    sol = {_meta(c)["grade_id"]: c.source for c in source.cells if _meta(c).get("solution")}
    wrong = plant(sol[target.solution_id], target.function, mistake_for(target))

    def tamper(nb):
        cell = next(c for c in nb.cells if _meta(c).get("grade_id") == target.grade_id)
        cell.source = f'print("✓ {target.function}: matches nnlib on 5 cases")'

    def delete(nb):
        nb.cells = [c for c in nb.cells if _meta(c).get("grade_id") != target.solution_id]

    subs[("tamper", edge_ch)] = submission(release, source, {target.solution_id: wrong}, tamper)
    subs[("loop", edge_ch)] = submission(
        release, source, {target.solution_id: loop_forever(sol[target.solution_id], target.function)})
    subs[("syntax", edge_ch)] = submission(
        release, source, {target.solution_id: answer(sol[target.solution_id]).replace(
            f"def {target.function}(", f"def {target.function}((", 1)})
    subs[("deleted", edge_ch)] = submission(release, source, edit=delete)
    subs[("badjson", edge_ch)] = b'{"cells": [{"cell_type": "code", "source": "x = 1"'
    return Plan(subs, mistakes, edge_ch, target)


@dataclasses.dataclass
class Graded:
    plan: Plan
    scores: dict            # chapter -> student -> grade_id -> (score, max)
    logs: dict              # chapter -> nbgrader's log of autograde
    returncodes: dict       # chapter -> autograde's exit status
    folders: dict           # chapter -> the course copy it was graded in
    seconds: dict           # chapter -> seconds autograde took


def _grade_chapter(folder, chapter, students):
    import time
    start = time.perf_counter()
    run = nbgrader(folder, "autograde", chapter, threads=1, check=False)
    return run, time.perf_counter() - start


@pytest.fixture(scope="module")
def graded(course, pytestconfig):
    """Every planted submission autograded, with feedback: each chapter once, two at a time."""
    plan = make_plan(course)
    workers = [course.parent / "worker-1", course.parent / "worker-2"]
    for folder in workers:
        shutil.copytree(course, folder)
    chapters = sorted({ch for _, ch in plan.submissions}, reverse=True)   # later ones run longer
    for (student, ch), nb in plan.submissions.items():
        for folder in workers:
            target = folder / "submitted" / student / ch / f"{ch}.ipynb"
            target.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(nb, bytes):
                target.write_bytes(nb)
            else:
                nbformat.write(nb, target)
    queue = list(chapters)
    done = {}

    def work(folder):
        while queue:
            ch = queue.pop(0)
            students = sum(1 for _, c in plan.submissions if c == ch)
            done[ch] = (folder, *_grade_chapter(folder, ch, students))
        if any(f == folder for f, _, _ in done.values()):
            nbgrader(folder, "generate_feedback", "*")

    with concurrent.futures.ThreadPoolExecutor(len(workers)) as pool:
        list(pool.map(work, workers))
    reporter = pytestconfig.pluginmanager.get_plugin("terminalreporter")
    capture = pytestconfig.pluginmanager.get_plugin("capturemanager")
    if reporter is not None and capture is not None:
        with capture.global_and_fixture_disabled():
            reporter.write_line("")
            for ch, (folder, _, seconds) in sorted(done.items()):
                students = sum(1 for _, c in plan.submissions if c == ch)
                reporter.write_line(f"test_grading: autograde {ch}: {students} submissions in "
                                    f"{seconds:.0f} s ({folder.name}; load now "
                                    f"{os.getloadavg()[0]:.1f})")
    return Graded(plan, {ch: scores(f, ch) for ch, (f, _, _) in done.items()},
                  {ch: r.stderr for ch, (_, r, _) in done.items()},
                  {ch: r.returncode for ch, (_, r, _) in done.items()},
                  {ch: f for ch, (f, _, _) in done.items()},
                  {ch: s for ch, (_, _, s) in done.items()})


def _feedback(graded, student, chapter):
    return plain(graded.folders[chapter] / "feedback" / student / chapter / f"{chapter}.html")


def _exercise_scores(graded, chapter, student):
    exercises = graded_exercises(_read(graded.folders[chapter], "source", chapter), chapter)
    got = graded.scores[chapter][student]
    return {e.grade_id: got[e.grade_id] for e in exercises}


NORMAL = {"solutions"}


@pytest.mark.slow
def test_solutions_get_full_marks_on_every_exercise(graded):
    for chapter in graded.scores:
        exercises = graded_exercises(_read(graded.folders[chapter], "source", chapter), chapter)
        for e in exercises:
            right = [s for (s, ch) in graded.plan.submissions if ch == chapter
                     and (s in NORMAL or (s, ch) in graded.plan.mistakes)
                     and graded.plan.mistakes.get((s, ch)) != e]
            assert right, f"{chapter} {e.grade_id}: no submission has it right"
            for student in right:
                score = graded.scores[chapter][student][e.grade_id]
                assert score == (e.points, e.points), (
                    f"{chapter} {e.grade_id}: {student} (whose answer to it is the solution) "
                    f"got {score}\n{_feedback(graded, student, chapter)[-3000:]}")


@pytest.mark.slow
def test_each_classic_mistake_costs_exactly_its_exercise_and_is_named(graded):
    for (student, chapter), wrong in graded.plan.mistakes.items():
        got = _exercise_scores(graded, chapter, student)
        assert got[wrong.grade_id] == (0.0, wrong.points), (student, got)
        assert all(s == m for gid, (s, m) in got.items() if gid != wrong.grade_id), (student, got)
        text = _feedback(graded, student, chapter)
        phrase = squeeze(mistake_for(wrong).phrase)
        assert phrase in text, f"{student}: the feedback does not say {phrase!r}"


@pytest.mark.slow
def test_a_tampered_check_is_reported_and_the_original_is_graded(graded):
    ch, target = graded.plan.edge_chapter, graded.plan.edge_exercise
    log = log_by_student(graded.logs[ch])["tamper"]
    assert f"Attribute 'checksum' for cell {target.grade_id} has changed" in log
    original = next(c.source for c in _read(graded.folders[ch], "source", ch).cells
                    if _meta(c).get("grade_id") == target.grade_id)
    autograded = _read(graded.folders[ch], "autograded/tamper", ch)
    assert next(c.source for c in autograded.cells
                if _meta(c).get("grade_id") == target.grade_id) == original
    assert graded.scores[ch]["tamper"][target.grade_id] == (0.0, target.points)
    assert squeeze(mistake_for(target).phrase) in _feedback(graded, "tamper", ch)


@pytest.mark.slow
def test_an_endless_loop_in_a_function_costs_only_that_exercise(graded):
    ch, target = graded.plan.edge_chapter, graded.plan.edge_exercise
    got = _exercise_scores(graded, ch, "loop")
    assert got[target.grade_id] == (0.0, target.points)
    assert all(s == m for gid, (s, m) in got.items() if gid != target.grade_id), got
    text = _feedback(graded, "loop", ch)
    assert f"{target.function} did not finish within 20 s" in text or "did not finish within 20 s" in text
    assert "CellTimeoutError" not in text


@pytest.mark.slow
def test_broken_submissions_get_a_clear_message_and_the_class_is_graded(graded):
    ch, target = graded.plan.edge_chapter, graded.plan.edge_exercise
    assert graded.returncodes[ch] == 1                  # nbgrader says one submission failed
    log = graded.logs[ch]
    assert f"There was an error processing assignment '{ch}' for student 'badjson'" in log
    assert "JSONDecodeError" in log_by_student(log)["badjson"] or "NotJSONError" in log
    assert graded.scores[ch]["badjson"][target.grade_id][0] in (0.0, None)
    assert graded.scores[ch]["syntax"][target.grade_id] == (0.0, target.points)
    assert "SyntaxError" in _feedback(graded, "syntax", ch)
    assert graded.scores[ch]["deleted"][target.grade_id] == (0.0, target.points)
    assert f"name '{target.function}' is not defined" in _feedback(graded, "deleted", ch)
    students = {s for (s, c) in graded.plan.submissions if c == ch} - {"badjson"}
    for student in students:                            # everyone else has a graded notebook
        assert (graded.folders[ch] / "autograded" / student / ch / f"{ch}.ipynb").exists(), student
        assert (graded.folders[ch] / "feedback" / student / ch / f"{ch}.html").exists(), student


@pytest.mark.slow
def test_export_writes_a_row_per_student_and_chapter(graded):
    import csv
    for folder in set(graded.folders.values()):
        nbgrader(folder, "export")
        rows = list(csv.DictReader((folder / "grades.csv").open()))
        for ch, f in graded.folders.items():
            if f != folder:
                continue
            students = {s for (s, c) in graded.plan.submissions if c == ch}
            got = {r["student_id"]: float(r["score"]) for r in rows if r["assignment"] == ch}
            assert students <= set(got), (ch, students - set(got))
            if "badjson" in students:
                assert got["badjson"] == 0.0


@pytest.mark.slow
def test_the_html_book_shows_no_nbgrader_markers(html):
    pages = sorted(html.rglob("*.html"))
    solved = [p for p in pages if "check_cost" in p.read_text(encoding="utf-8")]
    assert solved, "no built page shows chapter 3's check: the test would prove nothing"
    for page in pages:
        text = page.read_text(encoding="utf-8")
        assert "BEGIN SOLUTION" not in text and "END SOLUTION" not in text, page
