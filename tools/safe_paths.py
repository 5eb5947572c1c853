"""Write a tool's output files without ever damaging someone else's.

The course's tools (the PDF handout writer, the nbgrader wrapper, ...) write files into a
folder the user names on the command line.  A wrong ``--out`` must never cost anyone their
work, so every tool writes through the three functions here::

    from safe_paths import output_dir, write_text

    out = output_dir(args.out, repo_root)                 # refuses book/ and links
    write_text(out / "chapter-01.html", html, force=args.force)

The promises:

1. **Never into the book.**  :func:`output_dir` refuses a folder that is, or is inside, the
   repository's ``book/`` folder, however it is reached (``..``, a symbolic link, a different
   spelling on a case-insensitive disk), and :func:`write_bytes` refuses any file in this
   repository's ``book/`` even when it was not given a folder made by :func:`output_dir`.
   ``force`` does not change this.
2. **Never through a link.**  A target that is a symbolic link, or a file with more than one
   hard link (``st_nlink > 1``, so writing "into" it would change another path too), is
   refused, also with ``force``: remove the link first.  Because every write ends with
   :func:`os.replace`, even a link planted after the check is replaced, not written through.
3. **Never over a file the tool did not create.**  Every folder a tool writes into gets a
   small manifest, ``.nnlib-output``, listing the files the tools wrote there.  An existing
   file not listed there (a student's own notebook, say) is overwritten only with
   ``force=True``.
4. **Never half a file.**  Data goes to a temporary file in the same folder, which is flushed
   to disk and then renamed over the target in one step (:func:`os.replace`); if anything fails,
   the temporary file is removed and the old file is left as it was.
"""
import os
import pathlib
import tempfile

MANIFEST = ".nnlib-output"
#: The book's sources in the repository these tools belong to: off limits to every write.
BOOK = pathlib.Path(__file__).resolve().parents[1] / "book"
_HEADER = "# files written here by the course's tools (tools/safe_paths.py); one per line\n"


def _as_path(value, name):
    if isinstance(value, bool) or not isinstance(value, (str, os.PathLike)):
        raise ValueError(f"{name} must be a path (str or pathlib.Path); "
                         f"got {type(value).__name__} {value!r}")
    if str(value) == "":
        raise ValueError(f"{name} must be a path; got the empty string")
    return pathlib.Path(value)


def _as_bool(value, name):
    if not isinstance(value, bool):
        raise ValueError(f"{name} must be True or False; got {type(value).__name__} {value!r}")
    return value


def _inside(path, folder):
    """True if ``path`` (resolved) is ``folder`` or inside it, compared by the disk's own identity."""
    if not folder.exists():
        return False
    for candidate in [path, *path.parents]:
        if candidate.exists() and os.path.samefile(candidate, folder):
            return True
    return False


def manifest(folder):
    """The names of the files the tools wrote in ``folder``.

    Parameters
    ----------
    folder : str or pathlib.Path

    Returns
    -------
    set of str
        File names (no folder part); empty if ``folder`` has no manifest.
    """
    path = _as_path(folder, "folder") / MANIFEST
    if not path.is_file() or path.is_symlink():
        return set()
    lines = path.read_text(encoding="utf-8").splitlines()
    return {line for line in lines if line and not line.startswith("#")}


def output_dir(path, repo_root, *, force=False, within=None):
    """Check (and create) the folder a tool will write into.

    Parameters
    ----------
    path : str or pathlib.Path
        The folder the user asked for; created, with its parents, if missing.
    repo_root : str or pathlib.Path
        The repository's top folder; ``repo_root/book`` is off limits.
    force : bool, default False
        Also accept an existing, non-empty folder that no tool has written into
        (one without a manifest).  Never allows ``book/`` or a symbolic link.
    within : str or pathlib.Path, optional
        A folder that holds ``path`` (a course folder, say): then every folder
        between the two must be a real folder, not a symbolic link, too.

    Returns
    -------
    pathlib.Path
        The folder, absolute and resolved.

    Raises
    ------
    ValueError
        If ``path`` is in ``book/``, is a symbolic link (or, with ``within``, a folder
        between the two is), is not a folder, or holds files no tool wrote and
        ``force`` is False.
    """
    path, repo_root = _as_path(path, "path"), _as_path(repo_root, "repo_root")
    force = _as_bool(force, "force")
    links = [path]                         # the folders that must not be symbolic links
    if within is not None:
        within = _as_path(within, "within")
        if not path.is_relative_to(within):
            raise ValueError(f"output folder {path} is not inside {within}")
        parts = path.relative_to(within).parts
        links = [within.joinpath(*parts[:i]) for i in range(1, len(parts) + 1)]
    for link in links:
        if link.is_symlink():
            raise ValueError(f"output folder {link} is a symbolic link (to {os.readlink(link)}); "
                             "name the real folder instead")
    resolved = path.resolve()
    book = repo_root.resolve() / "book"
    if _inside(resolved, book):
        raise ValueError(f"output folder {path} is inside the book's sources ({book}); "
                         "tools never write there; choose a folder outside book/")
    if resolved.exists() and not resolved.is_dir():
        raise ValueError(f"output folder {path} exists and is not a folder")
    resolved.mkdir(parents=True, exist_ok=True)
    others = sorted(p.name for p in resolved.iterdir() if p.name != MANIFEST)
    if others and not (resolved / MANIFEST).exists() and not force:
        raise ValueError(f"output folder {path} already holds files no tool wrote "
                         f"({', '.join(others[:3])}{', ...' if len(others) > 3 else ''}); "
                         "choose a new folder, or pass force=True (--force) to write there anyway")
    return resolved


def _check_target(path, force):
    if _inside(path.parent.resolve(), BOOK):
        raise ValueError(f"refusing to write {path}: it is inside the book's sources ({BOOK}); "
                         "tools never write there")
    if path.name == MANIFEST:
        raise ValueError(f"{path}: {MANIFEST} is the tools' manifest; choose another file name")
    if not path.parent.is_dir():
        raise ValueError(f"cannot write {path}: folder {path.parent} does not exist "
                         "(make it with output_dir first)")
    if path.parent.is_symlink():
        raise ValueError(f"cannot write {path}: its folder is a symbolic link")
    if path.is_symlink():
        raise ValueError(f"refusing to write {path}: it is a symbolic link "
                         f"(to {os.readlink(path)}); remove the link first")
    if not path.exists():
        return
    if not path.is_file():
        raise ValueError(f"refusing to write {path}: it exists and is not a regular file")
    if path.stat().st_nlink > 1:
        raise ValueError(f"refusing to write {path}: it is hard-linked to "
                         f"{path.stat().st_nlink - 1} other path(s), which would change too; "
                         "remove it first")
    if path.name not in manifest(path.parent) and not force:
        raise ValueError(f"refusing to overwrite {path}: no tool wrote it (it is not in "
                         f"{path.parent / MANIFEST}); pass force=True (--force) to replace it")


def _replace_atomically(path, data):
    """Write ``data`` to a temporary file beside ``path``, then rename it over ``path``."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        pathlib.Path(tmp).unlink(missing_ok=True)
        raise


def _record(path):
    """Add ``path``'s name to its folder's manifest (after the file itself is in place)."""
    names = manifest(path.parent)
    if path.name in names:
        return
    target = path.parent / MANIFEST
    if target.is_symlink() or (target.exists() and target.stat().st_nlink > 1):
        raise ValueError(f"{target} is a link; remove it first")
    text = _HEADER + "".join(f"{name}\n" for name in sorted(names | {path.name}))
    _replace_atomically(target, text.encode("utf-8"))


def write_bytes(path, data, *, force=False):
    """Write ``data`` to ``path`` atomically, refusing links and files no tool wrote.

    Parameters
    ----------
    path : str or pathlib.Path
        The file to write; its folder must exist (see :func:`output_dir`).
    data : bytes, bytearray or memoryview
    force : bool, default False
        Also overwrite an existing regular file that no tool wrote.  Never writes
        through a symbolic link or into a hard-linked file.

    Returns
    -------
    pathlib.Path
        ``path``, now holding ``data`` and listed in its folder's manifest.

    Raises
    ------
    ValueError
        If ``path`` is a link, a folder, has no folder, or is someone else's file
        and ``force`` is False.  Nothing is written then.
    """
    path = _as_path(path, "path")
    force = _as_bool(force, "force")
    if not isinstance(data, (bytes, bytearray, memoryview)):
        raise ValueError(f"data must be bytes; got {type(data).__name__} "
                         "(use write_text for a str)")
    _check_target(path, force)
    _replace_atomically(path, bytes(data))
    _record(path)
    return path


def write_text(path, text, *, force=False, encoding="utf-8"):
    """Write the string ``text`` to ``path``; see :func:`write_bytes` for the guarantees.

    Parameters
    ----------
    path : str or pathlib.Path
    text : str
    force : bool, default False
    encoding : str, default "utf-8"

    Returns
    -------
    pathlib.Path
    """
    if not isinstance(text, str):
        raise ValueError(f"text must be a str; got {type(text).__name__} "
                         "(use write_bytes for bytes)")
    return write_bytes(path, text.encode(encoding), force=force)
