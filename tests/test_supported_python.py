"""The supported Pythons are stated once in pyproject.toml and once in the build backend that names them
on any other Python; the two must agree."""
import sys
import tomllib

from packaging.specifiers import SpecifierSet

from conftest import ROOT

sys.path.insert(0, str(ROOT / "tools"))
import build_backend  # noqa: E402  (tools/ is a folder of scripts, not a package)


def test_backend_and_requires_python_agree():
    spec = SpecifierSet(tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["requires-python"])
    for minor in range(6, 20):
        for patch in (0, 2, 9):
            version = (3, minor, patch)
            assert spec.contains(".".join(map(str, version))) == (build_backend.unsupported(version) is None)


def test_message_names_the_supported_versions_and_this_one():
    message = build_backend.unsupported((3, 10, 13))
    assert "3.11" in message and "3.12" in message and "3.13" in message and "3.10.13" in message
    assert build_backend.unsupported((3, 14, 0)) is not None
    assert build_backend.unsupported((3, 11, 0)) is None and build_backend.unsupported((3, 13, 5)) is None


def test_the_backend_is_the_one_pyproject_names():
    build = tomllib.loads((ROOT / "pyproject.toml").read_text())["build-system"]
    assert build["build-backend"] == "build_backend" and build["backend-path"] == ["tools"]
    assert callable(build_backend.build_editable) and callable(build_backend.prepare_metadata_for_build_wheel)
