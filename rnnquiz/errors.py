"""The one exception type of rnnquiz, and how it reads as a one-line message.

An error about a key or a value also says how to write it right (`; did you mean h_init?`).
That advice reads every type's keys and notations (types/advice.py), and this module is the
ground every other one imports, so it is not given here, nor set here by another module: an
error keeps the reason as its raiser wrote it and its key path, and the library advises it
once, where it leaves: the pipeline's entry points (types/pipeline.py's `advising` on
load_path, load_text, from_dict and solve), rnnquiz.load, solve, check and vary, and the
command line, which prints every error through cli/sources.py's `said`.

Where an error's reason goes into another error, it goes in advised, as the user would have
read it. Below types/ (which cannot import the advice) the error is quoted, not copied: an
error caught on the way up and raised again at another key path, or inside a longer reason
(`as W_hh (tie.W): ...`), is `err.quoted(keys, before)`, whose reason is advised at the
boundary on the quoted error's own key path first. Above it, teaching/ and types/ embed
`advised(err).reason` or `said(err)` (types/advice.py).
"""

from __future__ import annotations


class ProblemError(ValueError):
    """A problem file (or a problem given as data) that cannot be solved as written.

    The message reads `FILE:LINE: KEY.PATH: what was expected`, with the parts that
    are unknown left out, so the CLI prints it as it is after `error: `. `reason` is the
    reason as written (the quoted error's at its end); `advised` says whether it carries its
    advice yet (types/advice.py's `advised` returns the error that does).
    """

    def __init__(self, message: str, *, file: str | None = None, line: int | None = None,
                 path: str | None = None, keys: tuple = (), quoting: ProblemError | None = None,
                 advised: bool = False):
        self.written = message             # this error's own words, before the quoted reason
        self.quoting = quoting
        self.reason = message + (quoting.reason if quoting is not None else "")
        self.advised = advised
        self.file = file
        self.line = line
        self.keys = tuple(keys)            # the key path as data, to find the line in the YAML
        self.path = path if path is not None else (key_path(self.keys) or None)
        super().__init__(self._compose())

    def _compose(self) -> str:
        where = ""
        if self.file:
            where = f"{self.file}:{self.line}: " if self.line else f"{self.file}: "
        elif self.line:
            where = f"line {self.line}: "
        key = f"{shorten(self.path)}: " if self.path else ""
        return printable(f"{where}{key}{shorten(self.reason)}")

    def located(self, *, file: str | None = None, line: int | None = None) -> ProblemError:
        """The same error with the file (and the line, where not known yet) filled in."""
        return ProblemError(self.written, file=self.file or file, line=self.line or line,
                            path=self.path, keys=self.keys, quoting=self.quoting,
                            advised=self.advised)

    def quoted(self, keys: tuple, before: str = "") -> ProblemError:
        """A new error at `keys` whose reason is `before` and then this one's (advised on this
        one's key path; without `before`, the same error re-keyed, advised on `keys`): the
        same mistake, named where the file writes it."""
        return ProblemError(before, keys=keys, quoting=self)


def key_path(keys: tuple) -> str:
    """('network', 'W_hh') -> network.W_hh; ('inputs', 2) -> inputs[2]."""
    out = ""
    for k in keys:
        if isinstance(k, int):
            # str() refuses past 4,300 digits
            out += f"[{k}]" if k.bit_length() <= 1000 else "[a very large number]"
        else:
            k = cut(str(k), ECHOED)
            out += f".{k}" if out else k
    return out


# What an error echoes of the file: a key, a value, a token. A longer run is cut, with its
# length said, so a 300 KB key cannot make a 300,000-character error line.
ECHOED = 60
LONGEST = 1000           # the reason as a whole, past which its middle is cut


def cut(text: str, n: int = ECHOED) -> str:
    """text up to n characters; longer: its first n, '…' and how long it was."""
    if len(text) <= n:
        return text
    return f"{text[:n]}… ({len(text):,} characters)"


def shorten(text: str) -> str:
    """Every quoted string and every run without spaces cut to ECHOED characters (with its
    length said), and the whole to about LONGEST characters."""
    if len(text) <= ECHOED:
        return text
    import re   # noqa: PLC0415 (errors only)
    # a quote opens an echoed value only where no letter stands before it, and closes it
    # only where none follows: the apostrophes of "PyTorch's h_0" quote nothing
    text = re.sub(r"(?<!\w)'([^'\n]{%d,})'(?!\w)|(?<!\w)\"([^\"\n]{%d,})\"(?!\w)"
                  % (ECHOED + 1, ECHOED + 1), lambda m: _quoted(m), text)
    text = re.sub(r"[^\s']{%d,}" % (2 * ECHOED + 1), lambda m: cut(m.group(0), ECHOED), text)
    if len(text) > LONGEST:
        head, tail = text[:LONGEST * 2 // 3], text[-LONGEST // 3:]
        text = f"{head} … ({len(text) - len(head) - len(tail):,} characters cut) … {tail}"
    return text


def _quoted(m) -> str:
    q = "'" if m.group(1) is not None else '"'
    inner = m.group(1) if m.group(1) is not None else m.group(2)
    return f"{q}{inner[:ECHOED]}…{q} ({len(inner):,} characters)"


def printable(text: str) -> str:
    """One line, safe for a terminal, where what is shown is what the file holds: control
    characters (newlines, ESC, ...) and invisible ones (a zero-width space, a no-break space,
    a soft hyphen, a byte-order mark: W_hh\u200b is not W_hh) as escapes."""
    if text.isprintable():
        return text
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in text)


# Unicode's bidirectional overrides and isolates reorder what a terminal shows
_BIDI = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def is_control(c: str) -> bool:
    """A character a terminal acts on instead of showing: C0, DEL, C1 and the bidirectional
    overrides (not a no-break space, a zero-width joiner or a line separator)."""
    import unicodedata   # noqa: PLC0415 (non-printable text only)
    return c in _BIDI or unicodedata.category(c) == "Cc"
