"""Where problems come from: files, directories, stdin, and the bundled problems by name."""

from __future__ import annotations

import os
import sys
from typing import TYPE_CHECKING

from ..errors import ProblemError
from .yamlio import MAX_BYTES, MAX_NUMBERS

if TYPE_CHECKING:
    from pathlib import Path


def bundled_dir() -> Path | None:
    """The bundled problems: the repo's `problems/` (editable installs), else the wheel's copy."""
    from pathlib import Path   # noqa: PLC0415 (start-up: a file given by its path needs none)
    package = Path(__file__).resolve().parent.parent
    for candidate in (package.parent / "problems", package / "problems"):
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
            found = sorted(_problem_files(p))
            out.extend(found if found else [f"!empty-dir:{p}"])
        else:
            named = _bundled(p)
            out.append(named if named else p)
    return out


def _problem_files(root: str) -> list[str]:
    """Every *.yaml and *.yml file under `root`, at any depth (Path.rglob recurses once per
    level, so a tree 1,200 folders deep ends in RecursionError); symbolic links to folders
    are not followed (a link to a parent would loop), as rglob does not follow them either."""
    from pathlib import Path   # noqa: PLC0415 (start-up: only a folder needs it)
    found, folders = [], [str(Path(root))]      # written as rglob wrote them: od/a, not ./od/a
    while folders:
        folder = folders.pop()
        try:
            entries = list(os.scandir(folder))
        except OSError:              # unreadable or vanished: skipped, as rglob skips it
            continue
        for e in entries:
            try:
                if e.is_dir(follow_symlinks=False):
                    folders.append(e.path)
                elif os.path.splitext(e.name)[1] in (".yaml", ".yml") and e.is_file():
                    found.append(e.path)
            except OSError:
                continue
    return found


def _bundled(name: str) -> str | None:
    d = bundled_dir()
    if d is None or os.sep in name or "/" in name:
        return None
    for suffix in ("", ".yaml", ".yml"):
        f = d / f"{name}{suffix}"
        if f.is_file():
            return str(f)
    return None


def _nearest_file(src: str) -> str:
    """`; did you mean problems/hinton_p3.yaml?` for a path or a bundled name mistyped."""
    from .spelling import nearest   # noqa: PLC0415 (on an error only)
    folder, base = os.path.split(src.rstrip("/\\") or src)
    try:
        here = [f for f in os.listdir(folder or ".") if f.endswith((".yaml", ".yml"))
                or os.path.isdir(os.path.join(folder or ".", f))]
    except OSError:
        here = []
    hit = nearest(base, here)
    if hit:
        return f"; did you mean {os.path.join(folder, hit)}?"
    d = bundled_dir()
    names = sorted(f.stem for f in d.glob("*.yaml")) if d is not None and not folder else []
    hit = nearest(base.removesuffix(".yaml").removesuffix(".yml"), names)
    return f"; did you mean {hit}?" if hit else ""


def read_source(src: str) -> tuple[str, str]:
    """(display name, text) of a source; errors as ProblemError naming it."""
    if src.startswith("!empty-dir:"):
        raise ProblemError("no problem files (*.yaml) in this directory", file=src[11:])
    if src == "-":
        name = "<stdin>"
        stream = getattr(sys.stdin, "buffer", None)
        if stream is None:
            raise ProblemError("stdin is closed; give a file, or pipe one in", file=name)
        try:
            data = read_bounded(stream, name)
        except OSError as err:
            raise ProblemError(f"cannot read: {err.strerror or err}", file=name) from None
    else:
        name = src
        if not os.path.exists(src):
            raise ProblemError("no such file, directory or bundled problem "
                               "(see `rnnquiz list`)" + _nearest_file(src), file=src)
        try:
            data = _read_file(src)
        except OSError as err:
            raise ProblemError(f"cannot read: {err.strerror or err}", file=src) from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise ProblemError(f"not UTF-8 text (byte {err.start})", file=name) from None
    return name, text


def read_bounded(stream, name: str) -> bytes:
    """At most MAX_BYTES from a stream, in chunks; more is refused by name (/dev/zero, a flood)."""
    chunks, total = [], 0
    while True:
        chunk = stream.read(min(1 << 20, MAX_BYTES + 1 - total))
        if not chunk:
            return b"".join(chunks)
        chunks.append(chunk)
        total += len(chunk)
        if total > MAX_BYTES:
            raise ProblemError(f"more than {MAX_BYTES // (1024 * 1024)} MiB to read; "
                               "a problem file is smaller", file=name)


def _read_file(path: str) -> bytes:
    """A file's bytes; a FIFO or device is opened without waiting for a writer and read
    with the same bound, so neither a FIFO nobody writes to nor /dev/zero can hang us."""
    if os.path.isfile(path):
        if os.path.getsize(path) > MAX_BYTES:
            raise ProblemError(f"file is larger than {MAX_BYTES // (1024 * 1024)} MiB", file=path)
        with open(path, "rb") as fh:
            return read_bounded(fh, path)
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0)
    fd = os.open(path, flags)
    try:
        if hasattr(os, "set_blocking"):
            os.set_blocking(fd, True)        # now wait for data, but only from a writer present
        with os.fdopen(fd, "rb", closefd=False) as fh:
            data = read_bounded(fh, path)
    finally:
        os.close(fd)
    if not data and not os.path.isfile(path):
        import stat   # noqa: PLC0415 (only when a read gives nothing)
        if stat.S_ISFIFO(os.stat(path).st_mode):
            raise ProblemError("a FIFO with nothing written to it (no writer)", file=path)
    return data


def write_atomic(path: str, text: str) -> None:
    """Write a file whole or not at all: a temporary file beside it, renamed into place."""
    import tempfile   # noqa: PLC0415 (start-up: only new, vary and --out-dir write)
    folder = os.path.dirname(os.path.abspath(path))
    fd, tmp = tempfile.mkstemp(prefix=".rnnquiz-", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise

