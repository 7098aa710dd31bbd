"""Exports for learning management systems: one registry of three formats.

    moodle        Moodle XML, one file                     teaching/export/moodle.py
    canvas        IMS QTI 1.2 zip as Canvas imports it     teaching/export/canvas.py
    prairielearn  one question folder per exercise         teaching/export/prairielearn.py

Each writer takes the format-neutral exercises of items.py and a path, and writes everything
into a temporary file or folder beside that path, renamed into place at the end: an error
half-way leaves nothing behind (never a partial write).
"""

from __future__ import annotations

import importlib
import os
import shutil
import tempfile
from typing import Callable

from ...errors import ProblemError
from ...types import load_path

# format -> (module, whether the output is a folder)
FORMATS: dict[str, tuple[str, bool]] = {
    "moodle": ("moodle", False),
    "canvas": ("canvas", False),
    "prairielearn": ("prairielearn", True),
}


def exercises(paths, *, variants: Callable | None = None, seed: int | None = None) -> list:
    """The exercises of files, folders or loaded problems; `variants(problem)` (when given)
    returns the problems drawn with `seed`, exported in place of the exercise itself."""
    from .items import exercise   # noqa: PLC0415 (the items load once paths are read)
    problems = []
    for path in paths:
        problems.extend(load_path(str(path)) if isinstance(path, (str, os.PathLike)) else [path])
    if not problems:
        raise ProblemError("nothing to export")
    return [exercise(p, variants(p) if variants else None, seed) for p in problems]


def write(fmt: str, exes: list, out: str) -> list[str]:
    """Write the exercises in a format to `out` (a file, or a folder for prairielearn);
    returns the notes for the instructor (what the format cannot hold)."""
    if fmt not in FORMATS:
        raise ProblemError(f"unknown export format {fmt!r}; expected one of "
                           f"{', '.join(FORMATS)}")
    module, folder = FORMATS[fmt]
    writer = importlib.import_module(f"{__name__}.{module}").write
    out = os.fspath(out)
    parent = os.path.dirname(os.path.abspath(out))
    if not os.path.isdir(parent):
        raise ProblemError("the folder to write into does not exist", file=parent)
    if folder and os.path.exists(out) and not os.path.isdir(out):
        raise ProblemError("expected a folder, found a file", file=out)
    if not folder and os.path.isdir(out):
        raise ProblemError("expected a file name, found a folder", file=out)
    try:
        if folder:
            return _write_folder(writer, exes, out)
        return _write_file(writer, exes, out, parent)
    except OSError as err:
        raise ProblemError(f"cannot write: {err.strerror or err}", file=out) from None


def _write_file(writer, exes, out: str, parent: str) -> list[str]:
    fd, tmp = tempfile.mkstemp(prefix=".rnnquiz-", dir=parent)
    os.close(fd)
    try:
        notes = writer(exes, tmp) or []
        os.replace(tmp, out)
        return notes
    finally:
        if os.path.exists(tmp):
            os.remove(tmp)


def _write_folder(writer, exes, out: str) -> list[str]:
    """PrairieLearn's questions go into `out` (made if missing): each question folder is
    written whole into a temporary folder, then renamed in, replacing its earlier export."""
    os.makedirs(out, exist_ok=True)
    tmp = tempfile.mkdtemp(prefix=".rnnquiz-", dir=out)
    try:
        names, notes = writer(exes, tmp)
        for name in names:
            target = os.path.join(out, name)
            if os.path.isdir(target):
                shutil.rmtree(target)
            os.replace(os.path.join(tmp, name), target)
        return notes
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def export(paths, fmt: str, out, *, variants: Callable | None = None,
           seed: int | None = None) -> tuple[list, list]:
    """Load, solve and write: the API behind `rnnquiz export`. Returns the exercises and the
    notes for the instructor."""
    exes = exercises(paths, variants=variants, seed=seed)
    return exes, write(fmt, exes, out)
