"""nnlib's build backend: setuptools', after a check that this Python is one the course supports.

pip builds the project (the ``-e .`` line of requirements.txt) before it resolves a single pin, so on an
unsupported Python this message is the first and only error, instead of a resolver error about some
unrelated pin (on Python 3.10: "No matching distribution found for contourpy==1.3.3").  ``-e .`` first in
requirements.txt with ``requires-python`` alone would not do: pip looks up every pin before it checks the
project's Requires-Python.  SUPPORTED must agree with ``requires-python`` in pyproject.toml
(tests/test_supported_python.py checks).
"""
import sys

SUPPORTED = ((3, 11), (3, 13))  # the oldest and the newest supported minor version


def unsupported(version_info=sys.version_info):
    """The message for an unsupported Python, or None for a supported one."""
    if SUPPORTED[0] <= tuple(version_info[:2]) <= SUPPORTED[1]:
        return None
    this = ".".join(str(part) for part in version_info[:3])
    return (f"nnlib and this course support Python 3.11 (3.11.0 or later), 3.12 and 3.13; this is Python "
            f"{this} ({sys.executable}). Make the venv again with a supported Python, for example: "
            f"rm -rf .venv && python3.12 -m venv .venv")


if unsupported():
    raise SystemExit(unsupported())

from setuptools.build_meta import *  # noqa: E402,F403  (the backend proper is setuptools')
