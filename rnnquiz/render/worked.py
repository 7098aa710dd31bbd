"""The library's results: a trace's Result that renders itself (the trace below knows
nothing of formats, so it never imports the renderers)."""

from __future__ import annotations

from dataclasses import fields

from ..trace import Result
from . import notebook_html, render


class Worked(Result):
    """A result that renders itself: the API's `result.render(fmt)` and Jupyter's HTML (the
    trace below knows nothing of formats; the library's face hands these out)."""

    @classmethod
    def of(cls, result: Result) -> "Worked":
        worked = cls(**{f.name: getattr(result, f.name) for f in fields(Result)})
        worked.__dict__.update({k: v for k, v in vars(result).items() if k not in vars(worked)})
        return worked

    def render(self, fmt: str = "table", *, fragment: bool = False,
               math: str | None = None) -> str:
        """The working in any --format, as a string: table, json, markdown, latex, html, dot
        (`math`: how markdown and html write formulas, as `--math`)."""
        return render(self, fmt, fragment=fragment, math=math)

    def _repr_html_(self) -> str:
        """Jupyter shows the working once, as an HTML table."""
        return notebook_html(self)
