"""tools/safe_paths.py: never into book/, through a link, over another's file, or half-written."""
import importlib.util
import os
import pathlib

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[1]
_spec = importlib.util.spec_from_file_location("safe_paths", ROOT / "tools" / "safe_paths.py")
safe_paths = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(safe_paths)


@pytest.fixture
def repo(tmp_path):
    """A fake repository with a book/ folder holding one precious notebook."""
    (tmp_path / "book").mkdir()
    (tmp_path / "book" / "ch1.ipynb").write_text("solutions")
    return tmp_path


def test_output_dir_creates_a_new_folder_and_returns_it_resolved(repo):
    out = safe_paths.output_dir(repo / "a" / ".." / "handouts", repo)
    assert out == (repo / "handouts").resolve() and out.is_dir()


@pytest.mark.parametrize("where", ["book", "book/sub", "book/../book", "./book"])
def test_output_dir_refuses_book(repo, where):
    with pytest.raises(ValueError, match="inside the book's sources"):
        safe_paths.output_dir(repo / where, repo, force=True)


def test_output_dir_refuses_a_symlink_into_book(repo, tmp_path_factory):
    elsewhere = tmp_path_factory.mktemp("elsewhere")
    (elsewhere / "out").symlink_to(repo / "book")
    with pytest.raises(ValueError, match="symbolic link"):
        safe_paths.output_dir(elsewhere / "out", repo, force=True)
    # and a folder reached through a linked parent is judged by where it really is
    (elsewhere / "parent").symlink_to(repo)
    with pytest.raises(ValueError, match="inside the book's sources"):
        safe_paths.output_dir(elsewhere / "parent" / "book" / "x", repo, force=True)
    assert not (repo / "book" / "x").exists()


def test_output_dir_within_refuses_a_linked_folder_on_the_way(repo, tmp_path):
    course = tmp_path / "course"
    (course / "real").mkdir(parents=True)
    (course / "source").symlink_to(course / "real")
    with pytest.raises(ValueError, match=r"course/source is a symbolic link"):
        safe_paths.output_dir(course / "source" / "03_cost", repo, within=course)
    assert not (course / "real" / "03_cost").exists()
    with pytest.raises(ValueError, match="is not inside"):
        safe_paths.output_dir(tmp_path / "elsewhere", repo, within=course)
    out = safe_paths.output_dir(course / "real" / "03_cost", repo, within=course)
    assert out == (course / "real" / "03_cost").resolve() and out.is_dir()


def test_output_dir_refuses_a_file_and_a_foreign_nonempty_folder(repo):
    (repo / "notes.txt").write_text("x")
    with pytest.raises(ValueError, match="not a folder"):
        safe_paths.output_dir(repo / "notes.txt", repo)
    (repo / "student").mkdir()
    (repo / "student" / "my-work.ipynb").write_text("mine")
    with pytest.raises(ValueError, match="my-work.ipynb.*force=True"):
        safe_paths.output_dir(repo / "student", repo)
    assert safe_paths.output_dir(repo / "student", repo, force=True) == (repo / "student").resolve()


@pytest.mark.parametrize("bad", [None, 3, b"out", True, ""])
def test_output_dir_refuses_non_paths(repo, bad):
    with pytest.raises(ValueError, match="path"):
        safe_paths.output_dir(bad, repo)


def test_force_must_be_a_bool(repo):
    with pytest.raises(ValueError, match="force must be True or False"):
        safe_paths.output_dir(repo / "o", repo, force="no")
    with pytest.raises(ValueError, match="force must be True or False"):
        safe_paths.write_text(repo / "o.txt", "x", force=1)


def test_write_creates_records_and_rewrites_its_own_files(repo):
    out = safe_paths.output_dir(repo / "out", repo)
    safe_paths.write_text(out / "a.html", "first")
    assert (out / "a.html").read_text() == "first"
    assert safe_paths.manifest(out) == {"a.html"}
    safe_paths.write_text(out / "a.html", "second")          # its own file: no force needed
    safe_paths.write_bytes(out / "b.pdf", b"%PDF")
    assert (out / "a.html").read_text() == "second"
    assert safe_paths.manifest(out) == {"a.html", "b.pdf"}
    # a second run of the tool may use the folder again: it has a manifest
    assert safe_paths.output_dir(repo / "out", repo) == out


def test_write_refuses_a_file_it_did_not_create_unless_forced(repo):
    out = safe_paths.output_dir(repo / "out", repo)
    (out / "ch1.ipynb").write_text("a student's work")
    with pytest.raises(ValueError, match="refusing to overwrite .*ch1.ipynb.*force=True"):
        safe_paths.write_text(out / "ch1.ipynb", "stub")
    assert (out / "ch1.ipynb").read_text() == "a student's work"
    safe_paths.write_text(out / "ch1.ipynb", "stub", force=True)
    assert (out / "ch1.ipynb").read_text() == "stub"


def test_write_never_goes_through_a_symlink_even_with_force(repo):
    out = safe_paths.output_dir(repo / "out", repo)
    (out / "ch1.ipynb").symlink_to(repo / "book" / "ch1.ipynb")
    for force in (False, True):
        with pytest.raises(ValueError, match="symbolic link"):
            safe_paths.write_text(out / "ch1.ipynb", "stub", force=force)
    assert (repo / "book" / "ch1.ipynb").read_text() == "solutions"


def test_write_never_goes_into_a_hard_linked_file(repo):
    out = safe_paths.output_dir(repo / "out", repo)
    os.link(repo / "book" / "ch1.ipynb", out / "ch1.ipynb")
    with pytest.raises(ValueError, match="hard-linked"):
        safe_paths.write_text(out / "ch1.ipynb", "stub", force=True)
    assert (repo / "book" / "ch1.ipynb").read_text() == "solutions"


def test_a_linked_manifest_is_not_trusted_or_written(repo):
    out = safe_paths.output_dir(repo / "out", repo)
    (repo / "book" / "list").write_text("ch1.ipynb\n")
    (out / safe_paths.MANIFEST).symlink_to(repo / "book" / "list")
    assert safe_paths.manifest(out) == set()
    with pytest.raises(ValueError, match="is a link"):
        safe_paths.write_text(out / "new.txt", "x")
    assert (repo / "book" / "list").read_text() == "ch1.ipynb\n"


def test_write_refuses_the_manifest_a_folder_and_a_missing_folder(repo):
    out = safe_paths.output_dir(repo / "out", repo)
    with pytest.raises(ValueError, match="manifest"):
        safe_paths.write_text(out / safe_paths.MANIFEST, "x")
    (out / "sub").mkdir()
    with pytest.raises(ValueError, match="not a regular file"):
        safe_paths.write_text(out / "sub", "x", force=True)
    with pytest.raises(ValueError, match="does not exist"):
        safe_paths.write_text(out / "nowhere" / "x.txt", "x")


def test_write_checks_the_data_type(repo):
    out = safe_paths.output_dir(repo / "out", repo)
    with pytest.raises(ValueError, match="data must be bytes.*write_text"):
        safe_paths.write_bytes(out / "x", "text")
    with pytest.raises(ValueError, match="text must be a str.*write_bytes"):
        safe_paths.write_text(out / "x", b"bytes")


def test_a_failed_replace_leaves_the_old_file_and_no_temporary(repo, monkeypatch):
    out = safe_paths.output_dir(repo / "out", repo)
    safe_paths.write_text(out / "a.html", "old")

    def broken(src, dst):
        raise OSError("disk full")
    monkeypatch.setattr(safe_paths.os, "replace", broken)
    with pytest.raises(OSError, match="disk full"):
        safe_paths.write_text(out / "a.html", "new")
    assert (out / "a.html").read_text() == "old"
    assert sorted(p.name for p in out.iterdir()) == [safe_paths.MANIFEST, "a.html"]


def test_write_refuses_this_repositorys_book_even_without_output_dir():
    target = ROOT / "book" / "safe-paths-test-never-written.txt"
    with pytest.raises(ValueError, match="inside the book's sources"):
        safe_paths.write_text(target, "x", force=True)
    with pytest.raises(ValueError, match="inside the book's sources"):
        safe_paths.write_text(ROOT / "book" / ".." / "book" / target.name, "x", force=True)
    assert not target.exists()
