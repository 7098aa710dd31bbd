"""Result -> text: one registry of renderers, all reading the same working.

    table      the terminal (rich)                 render/table.py
    json       one JSON Lines object per problem   render/jsonl.py
    markdown   an answer key for CommonMark        render/markdown.py
    latex      a document pdflatex compiles        render/latex.py
    html       one self-contained page             render/html.py
    dot        the unrolled graph (Graphviz)       render/dot.py

A renderer is called once per result; formats that wrap a whole batch in one document
(LaTeX's preamble, the HTML page) write their head before the first result and their tail
in `finish`. Each module is imported on first use, so the JSON path never loads rich.
Display formatting (numbers.py, working.py, tex.py) lives here; the data lives in trace.py.
"""

from __future__ import annotations

import importlib
from io import StringIO
from typing import Any, Callable, TextIO

FORMATS = ("table", "json", "markdown", "latex", "html", "dot")


class Renderer:
    """One format: `renderer(result, out)` for each result, `renderer.finish(out)` at the end."""

    def __init__(self, name: str, module: str, function: str,
                 head: Callable[[Any, TextIO], None] | None = None,
                 tail: Callable[[TextIO], None] | None = None, **options):
        self.name, self.module, self.function = name, module, function
        self.head, self.tail = head, tail
        self.options = options              # math: how formulas are written (html, markdown)
        self._begun: set[int] = set()

    def __call__(self, result, out: TextIO) -> None:
        if self.head is not None and id(out) not in self._begun:
            self._begun.add(id(out))
            self.head(result, out)
        fn = getattr(importlib.import_module(f"{__name__}.{self.module}"), self.function)
        fn(result, out, **self.options)

    def finish(self, out: TextIO) -> None:
        if id(out) in self._begun:
            self._begun.discard(id(out))
            if self.tail is not None:
                self.tail(out)

    def fresh(self, **options) -> "Renderer":
        """A copy that has begun no document (each command or render() call gets one)."""
        return Renderer(self.name, self.module, self.function, self.head, self.tail,
                        **{**self.options, **options})

    def __repr__(self) -> str:
        return f"<renderer {self.name}>"


def _latex_head(_, out):
    from .latex import PREAMBLE   # noqa: PLC0415 (LaTeX only)
    out.write(PREAMBLE)


def _latex_tail(out):
    from .latex import END   # noqa: PLC0415 (LaTeX only)
    out.write(END)


def _latex_fragment_head(_, out):
    from .latex import FRAGMENT_HEAD   # noqa: PLC0415 (LaTeX only)
    out.write(FRAGMENT_HEAD)


def _html_head(r, out):
    from .html import page_head   # noqa: PLC0415 (HTML only)
    out.write(page_head(r))


def _html_tail(out):
    from .html import PAGE_TAIL   # noqa: PLC0415 (HTML only)
    out.write(PAGE_TAIL)


RENDERERS: dict[str, Renderer] = {
    "table": Renderer("table", "table", "render_table"),
    "json": Renderer("json", "jsonl", "render_json"),
    "markdown": Renderer("markdown", "markdown", "render_markdown"),
    "latex": Renderer("latex", "latex", "render_body", _latex_head, _latex_tail),
    "html": Renderer("html", "html", "render_section", _html_head, _html_tail),
    "dot": Renderer("dot", "dot", "render_dot"),
}
FRAGMENTS = {"latex": Renderer("latex", "latex", "render_body", _latex_fragment_head),
             "html": Renderer("html", "html", "render_fragment")}
# how formulas are written, for the formats that have a choice (the first is the default)
MATH = {"markdown": ("dollars", "parens", "none"), "html": ("html", "parens", "dollars")}


def renderer(name: str, fragment: bool = False, math: str | None = None) -> Renderer:
    """The renderer of a format; `fragment` gives LaTeX's or HTML's body without the document,
    `math` how Markdown and HTML write formulas (MATH)."""
    from ..errors import ProblemError   # noqa: PLC0415 (errors only)
    if name not in RENDERERS:
        raise ProblemError(f"unknown format {name!r}; expected one of {', '.join(FORMATS)}")
    options = {}
    if math is not None:
        if math not in MATH.get(name, ()):
            raise ProblemError(f"--math {math} is not for --format {name}; " + (
                f"expected one of {', '.join(MATH[name])}" if name in MATH
                else "it applies to markdown and html"))
        options["math"] = math
    return (FRAGMENTS.get(name, RENDERERS[name]) if fragment else RENDERERS[name]).fresh(**options)


def render(result, fmt: str = "table", *, fragment: bool = False, width: int = 100,
           math: str | None = None) -> str:
    """One result in a format, as a string (the API's `result.render(fmt)`)."""
    if fmt == "table":
        from .table import table_text   # noqa: PLC0415 (the table only)
        return table_text(result, width)
    out = StringIO()
    r = renderer(fmt, fragment, math)
    r(result, out)
    r.finish(out)
    return out.getvalue()


def notebook_html(result) -> str:
    """What Jupyter shows for a result: the working once, as an HTML table (no page)."""
    from .html import fragment   # noqa: PLC0415 (HTML only)
    return fragment(result)


def build_table(result):
    from .table import build_table as build   # noqa: PLC0415 (the table only)
    return build(result)


def render_table(result, out: TextIO) -> None:
    RENDERERS["table"](result, out)


def render_markdown(result, out: TextIO) -> None:
    RENDERERS["markdown"](result, out)


def render_json(result, out: TextIO) -> None:
    RENDERERS["json"](result, out)


EXTENSIONS = {"table": "txt", "json": "json", "markdown": "md", "latex": "tex", "html": "html",
              "dot": "dot"}


class FileWriter:
    """`solve --out-dir DIR`: each problem into its own file, DIR/<file stem>.<ext> (a file of
    several documents: <stem>_2.<ext>, ...), written to a temporary file and renamed into place,
    so a failure never leaves half a file. Prints each path written.

    No two problems of a batch share a name, whatever the files are called: a name already
    taken in this batch (a/p.yaml and b/p.yaml; p.yaml's second document and p_2.yaml; P and p,
    which a case-insensitive disk holds as one) takes the next free suffix. The files are the
    output, so a closed stdout (`| head -1`) stops the list of paths, never the files."""

    MAX_NAME = 255          # bytes in a file name on every common file system

    def __init__(self, name: str, directory: str, fragment: bool = False,
                 math: str | None = None, closed=lambda: None):
        self.render = renderer(name, fragment, math)
        self.directory, self.ext = directory, EXTENSIONS[name]
        self.taken: set[str] = set()
        self.listing = True              # stdout still takes the paths
        self.closed = closed             # what the command line does when stdout's reader left

    def path_for(self, result) -> str:
        import os   # noqa: PLC0415 (--out-dir only)
        import re   # noqa: PLC0415 (--out-dir only)
        p = result.problem
        stem = re.sub(r"\.ya?ml$", "", os.path.basename(p.file or p.type)) or p.type
        n = 1
        while True:
            name = self._fit(stem, "" if n == 1 else f"_{n}")
            if self._key(name) not in self.taken:
                self.taken.add(self._key(name))
                return os.path.join(self.directory, name)
            n += 1

    def _fit(self, stem: str, suffix: str) -> str:
        """stem + suffix + .ext, the stem cut (at a character) to fit a file name's bytes."""
        import os   # noqa: PLC0415 (--out-dir only)
        tail = f"{suffix}.{self.ext}"
        room = self.MAX_NAME - len(os.fsencode(tail))
        while len(os.fsencode(stem)) > room:
            stem = stem[:-1]
        return stem + tail

    @staticmethod
    def _key(name: str) -> str:
        import unicodedata   # noqa: PLC0415 (--out-dir only)
        return unicodedata.normalize("NFC", name).casefold()

    def __call__(self, result, out: TextIO) -> None:
        import os   # noqa: PLC0415 (--out-dir only)
        import tempfile   # noqa: PLC0415 (--out-dir only)
        path = self.path_for(result)
        os.makedirs(self.directory, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=self.directory, prefix=".rnnquiz-", suffix="." + self.ext)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                self.render(result, fh)
                self.render.finish(fh)
            mask = os.umask(0)
            os.umask(mask)
            os.chmod(tmp, 0o666 & ~mask)
            os.replace(tmp, path)
        except BaseException:
            os.unlink(tmp)
            raise
        self._list(path, out)

    def _list(self, path: str, out: TextIO) -> None:
        if not self.listing:
            return
        import errno   # noqa: PLC0415 (--out-dir only)
        try:
            out.write(path + "\n")
            out.flush()
        except OSError as err:
            if not isinstance(err, BrokenPipeError) and err.errno != errno.EPIPE:
                raise
            self.listing = False         # the reader left: the files go on being written
            self.closed()
