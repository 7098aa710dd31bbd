"""Standard output at the edge of the program: closed pipes, full disks, Ctrl-C, odd encodings.

    rnnquiz solve problems/ --json | head -1     ends quietly, with the batch's code so far
    rnnquiz schema > /dev/full                   one line: error: cannot write the output: ...
    Ctrl-C during solve --json                   ends quietly (130); every JSON line is whole
    PYTHONIOENCODING=ascii rnnquiz ... --json    still valid JSON (\\uXXXX escapes)

Both ways in (cli/__init__.py without click, cli/commands.py with it) run their command inside `guarded`.
"""

from __future__ import annotations

import codecs
import errno
import os
import sys

INTERRUPTED = 130          # the shell's code for a command ended by SIGINT (128 + 2)

# The code to end with if stdout closes before the command is done (a batch's worst so far,
# check's verdict); 0 until a command says otherwise.
pending_code = 0
_silenced = False


def _escape(err: UnicodeEncodeError):
    """A codec error handler: characters the encoding lacks become \\uXXXX (JSON's escapes,
    valid inside JSON strings, where alone such characters can occur; readable in text)."""
    out = []
    for ch in err.object[err.start:err.end]:
        n = ord(ch)
        if n > 0xFFFF:
            n -= 0x10000
            out.append(f"\\u{0xD800 + (n >> 10):04x}\\u{0xDC00 + (n & 0x3FF):04x}")
        else:
            out.append(f"\\u{n:04x}")
    return "".join(out), err.end


codecs.register_error("rnnquiz.escape", _escape)


def prepare() -> None:
    """Let stdout write what its encoding cannot as escapes, not a crash: any character in an
    ascii locale; in UTF-8, a file name's undecodable byte (a lone surrogate), which would
    otherwise go out raw and make the JSON Lines invalid UTF-8."""
    _sane_columns()
    out = sys.stdout
    if out is None:                          # started with stdout closed (`>&-`)
        _say("cannot write the output: stdout is closed")
        raise SystemExit(2)
    if not hasattr(out, "reconfigure"):
        return
    try:
        out.reconfigure(errors="rnnquiz.escape")
    except (ValueError, OSError, AttributeError):
        pass


NARROWEST = 40          # columns: narrower, a table cannot show a step (rich prints nothing at 0)


def _sane_columns() -> None:
    """COLUMNS=0, -5 or abc would make rich print nothing: such a value is ignored (the
    terminal's width, or 80 when piped), and one below NARROWEST raised to it."""
    value = os.environ.get("COLUMNS")
    if value is None:
        return
    try:
        n = int(value)
    except ValueError:
        n = 0
    if n <= 0:
        del os.environ["COLUMNS"]
    elif n < NARROWEST:
        os.environ["COLUMNS"] = str(NARROWEST)


def emit(text: str, out=None) -> None:
    """Write `text` in one go and flush it, with Ctrl-C held back until it is out,
    so a reader of JSON Lines never sees half a line."""
    out = out if out is not None else sys.stdout
    held = _hold_sigint()
    try:
        out.write(text)
        out.flush()
    finally:
        _release_sigint(held)


def _hold_sigint() -> bool:
    import signal   # noqa: PLC0415 (while writing only)
    if not hasattr(signal, "pthread_sigmask"):
        return False
    try:
        signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    except (ValueError, OSError):          # not the main thread
        return False
    return True


def _release_sigint(held: bool) -> None:
    if held:
        import signal   # noqa: PLC0415 (while writing only)
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})


def silence_stdout() -> None:
    """Point stdout at /dev/null, so the flush at exit cannot fail a second time."""
    global _silenced
    _silenced = True
    try:
        fd = sys.stdout.fileno()
    except (AttributeError, ValueError, OSError):
        return                               # not a real file (tests capture stdout)
    try:
        null = os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, fd)
        os.close(null)
    except OSError:
        pass


def _stdout_identity():
    try:
        st = os.fstat(sys.stdout.fileno())
    except (AttributeError, ValueError, OSError):
        return None
    return st.st_dev, st.st_ino


def _say(message: str) -> None:
    try:
        sys.stderr.write(f"error: {message}\n")
        sys.stderr.flush()
    except (OSError, ValueError, AttributeError):     # stderr closed too: the code tells
        pass


def guarded(run):
    """Run a command; a closed stdout, a failed write or Ctrl-C end it cleanly.

    Returns what `run` returns; ends the process (SystemExit) for the cases above.
    """
    before = _stdout_identity()
    try:
        result = run()
        sys.stdout.flush()
        return result
    except SystemExit as stop:
        try:
            sys.stdout.flush()
        except BaseException as err:   # noqa: BLE001 - handled as any failed write
            _end(err)
        if not _silenced and before is not None and _stdout_identity() not in (before, None):
            # rich met the closed pipe first: it points stdout at /dev/null and exits 1
            raise SystemExit(pending_code) from None
        raise stop from None
    except KeyboardInterrupt:
        silence_stdout()
        raise SystemExit(INTERRUPTED) from None
    except OSError as err:
        _end(err)


def _end(err: BaseException):
    if isinstance(err, KeyboardInterrupt):
        silence_stdout()
        raise SystemExit(INTERRUPTED) from None
    if isinstance(err, BrokenPipeError) or getattr(err, "errno", None) == errno.EPIPE:
        silence_stdout()
        raise SystemExit(pending_code) from None
    if isinstance(err, OSError):
        if err.errno in _WRITE_ERRORS or err.filename is None:
            silence_stdout()
            _say(f"cannot write the output: {err.strerror or err}")
        else:
            _say(f"{err.filename}: {err.strerror or err}")
        raise SystemExit(2) from None
    raise err


_WRITE_ERRORS = {errno.ENOSPC, errno.EIO, errno.EBADF, errno.EFBIG,
                 getattr(errno, "EDQUOT", errno.ENOSPC)}
