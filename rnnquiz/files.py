"""Where problems come from: files, directories, stdin, and the bundled problems by name."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from .errors import ProblemError
from .yamlio import MAX_NUMBERS


def bundled_dir() -> Path | None:
    """The bundled problems: the repo's `problems/` (editable installs), else the wheel's copy."""
    here = Path(__file__).resolve().parent
    for candidate in (here.parent / "problems", here / "problems"):
        if candidate.is_dir():
            return candidate
    return None


def expand(paths: list[str]) -> list[str]:
    """Files, directories (their *.yaml, sorted), '-' and bundled names -> a list of sources.

    A directory with no problem file is an error of its own (reported, not silent).
    """
    out: list[str] = []
    for p in paths:
        if p == "-" or os.path.isfile(p):
            out.append(p)
        elif os.path.isdir(p):
            found = sorted(str(f) for f in Path(p).rglob("*") if f.suffix in (".yaml", ".yml")
                           and f.is_file())
            out.extend(found if found else [f"!empty-dir:{p}"])
        else:
            named = _bundled(p)
            out.append(named if named else p)
    return out


def _bundled(name: str) -> str | None:
    d = bundled_dir()
    if d is None or os.sep in name or "/" in name:
        return None
    for suffix in ("", ".yaml", ".yml"):
        f = d / f"{name}{suffix}"
        if f.is_file():
            return str(f)
    return None


def read_source(src: str) -> tuple[str, str]:
    """(display name, text) of a source; errors as ProblemError naming it."""
    if src.startswith("!empty-dir:"):
        raise ProblemError("no problem files (*.yaml) in this directory", file=src[11:])
    if src == "-":
        data = sys.stdin.buffer.read()
        name = "<stdin>"
    else:
        name = src
        if not os.path.exists(src):
            raise ProblemError("no such file, directory or bundled problem "
                               "(see `rnnquiz list`)", file=src)
        try:
            size = os.path.getsize(src)
            if size > 64 * 1024 * 1024:
                raise ProblemError("file is larger than 64 MiB", file=src)
            with open(src, "rb") as fh:
                data = fh.read()
        except OSError as err:
            raise ProblemError(f"cannot read: {err.strerror or err}", file=src) from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise ProblemError(f"not UTF-8 text (byte {err.start})", file=name) from None
    return name, text


def load_path(src: str, *, max_numbers: int | None = None) -> list:
    from .problem import load_text   # noqa: PLC0415
    sources = expand([src])
    problems = []
    for s in sources:
        name, text = read_source(s)
        problems.extend(load_text(text, name, max_numbers=max_numbers or MAX_NUMBERS))
    return problems
