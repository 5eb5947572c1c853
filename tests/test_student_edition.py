"""The student edition hides every solution, and loses nothing else."""
import json
import sys
import pathlib

import nbformat
import pytest
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

from conftest import ROOT

sys.path.insert(0, str(ROOT / "tools"))
import student_edition  # noqa: E402  (tools/ is a folder of scripts, not a package)

BOOK = pathlib.Path(__file__).resolve().parents[1] / "book"
NOTEBOOKS = sorted(BOOK.glob("*.ipynb"))


def read(path):
    return nbformat.read(path, as_version=4)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_no_solution_source_or_output_survives(path):
    original = read(path)
    student, removed = student_edition.strip_solutions(original)
    tagged = [c for c in original.cells if "solution" in c.metadata.get("tags", [])]
    assert tagged, f"{path.name} has exercises but no solution cells"
    assert all(c.id in removed for c in tagged)
    text = json.dumps(student)
    # Lines that also stand outside the solutions (plt.show(), imports...) prove nothing.
    kept = {line.strip() for c in original.cells if c.id not in removed
            for line in c.source.splitlines()}
    student_lines = {line.strip() for c in student.cells for line in c.source.splitlines()}
    for cell in removed.values():
        for line in cell.source.splitlines():
            if len(line.strip()) > 25 and line.strip() not in kept:
                assert line.strip() not in student_lines, f"{path.name}: solution line survives: {line}"
        for output in cell.get("outputs", []):
            for value in output.get("data", {}).values():
                chunk = value if isinstance(value, str) else "".join(value)
                if len(chunk) > 40:
                    assert chunk[:200] not in text, f"{path.name}: a solution output survives"
    stubs = [c for c in student.cells if c.metadata.get("student_edition", {}).get("stub")]
    assert len(stubs) == sum("{solution-start}" in c.source for c in original.cells)
    assert all(c.outputs == [] and c.execution_count is None for c in stubs)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_putting_the_solutions_back_gives_the_original(path):
    original = read(path)
    student, removed = student_edition.strip_solutions(original)
    assert student_edition.put_back(student, removed) == original


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_student_notebook_runs_up_to_its_first_stub(path):
    student, _ = student_edition.strip_solutions(read(path))
    first = next(i for i, c in enumerate(student.cells)
                 if c.metadata.get("student_edition", {}).get("stub"))
    student.cells = student.cells[:first + 1]
    client = NotebookClient(student, timeout=300, kernel_name="python3",
                            resources={"metadata": {"path": str(BOOK)}})
    with pytest.raises(CellExecutionError) as err:
        client.execute()
    assert "NotImplementedError" in str(err.value)
    # Every code cell before the stub ran, and none of them failed (cells tagged skip-execution,
    # such as a live widget, are meant to run only in Jupyter).
    ran = [c for c in student.cells[:first] if c.cell_type == "code"
           and "skip-execution" not in c.metadata.get("tags", [])]
    assert all(c.execution_count is not None for c in ran)
    assert not any(o.get("output_type") == "error" for c in ran for o in c.outputs)


def test_command_writes_a_folder_and_never_the_book(tmp_path):
    written = student_edition.make_student_edition(BOOK, tmp_path / "student")
    assert sorted(p.name for p in written) == [p.name for p in NOTEBOOKS]
    with pytest.raises(ValueError, match="out must differ from book"):
        student_edition.make_student_edition(BOOK, BOOK)


def test_unclosed_solution_block_is_refused():
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_markdown_cell("```{solution-start} ex-1\n:class: dropdown\n```"),
                nbformat.v4.new_code_cell("print(42)")]
    with pytest.raises(ValueError, match="ex-1 has no {solution-end}"):
        student_edition.strip_solutions(nb)
