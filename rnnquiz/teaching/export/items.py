"""A solved exercise as format-neutral items: what Moodle, Canvas and PrairieLearn writers share.

One `Exercise` per problem document, holding one `Item` per variant (the exercise itself when
no variants are asked for). An item has its question in words (HTML), its parts (each a number,
an integer, a matrix of numbers, a word or a choice, with the answer at full precision and the
tolerance of SPEC 2), the working as HTML feedback (math as `\\( TeX \\)` for MathJax) and a
stable id: uuid5 of the source file, the document's index and the seed, so a re-export keeps
the question's identity. Built from the registry's load and solve, the question in words and the
renderers.
"""

from __future__ import annotations

import math
import uuid
from dataclasses import dataclass, field, replace
from html import escape
from typing import Any

from ...types import TYPES, solve
from ...errors import ProblemError

# the namespace of every id we derive: changing it would give every exported question a new identity
NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "https://pypi.org/project/rnnquiz/export")


@dataclass
class Part:
    """One answer box: `kind` number | integer | matrix | word | token | choice."""

    label: str
    kind: str
    answer: Any                      # float, int, list of rows (matrix), str, or option numbers
    digits: int | None = None        # ask.digits: decimal places
    options: list[str] = field(default_factory=list)   # word and choice: what is offered

    def cells(self) -> list[tuple[str, Any]]:
        """(label, value) of every number of the part: a matrix one a component."""
        if self.kind != "matrix":
            return [(self.label, self.answer)]
        rows = self.answer
        if len(rows) == 1:
            return [(f"{self.label}[{j}]", v) for j, v in enumerate(rows[0], 1)]
        if all(len(row) == 1 for row in rows):
            return [(f"{self.label}[{i}]", row[0]) for i, row in enumerate(rows, 1)]
        return [(f"{self.label}[{i},{j}]", v) for i, row in enumerate(rows, 1)
                for j, v in enumerate(row, 1)]

    @property
    def comparison(self) -> str:
        """PrairieLearn's name for how the part is graded: decdig, sigfig or exact."""
        if self.kind in ("integer", "word", "token", "choice"):
            return "exact"
        return "decdig" if self.digits is not None else "sigfig"


def number_text(v) -> str:
    """A number at full precision, written out without an exponent (every reader takes it)."""
    if isinstance(v, int) and not isinstance(v, bool):
        return str(v)
    text = repr(float(v))
    if "e" in text or "E" in text:
        from decimal import Decimal   # noqa: PLC0415 (e-notation numbers only)
        text = format(Decimal(text), "f")
    return text


def tolerance(value: float, digits: int | None, kind: str = "number") -> float:
    """SPEC 2: ±0.5·10^-d with digits d; else three significant digits, ±0.5·10^(⌊log10|a|⌋-2)
    (0 counts as order 1); counts exactly."""
    if kind == "integer":
        return 0.0
    if digits is not None:
        return 0.5 * 10.0 ** -digits
    order = math.floor(math.log10(abs(value))) if value else 0
    return 0.5 * 10.0 ** (order - 2)


@dataclass
class Item:
    """One variant of an exercise, ready for any format."""

    id: str
    name: str
    question_html: str
    parts: list[Part]
    feedback_html: str
    seed: int | None = None


@dataclass
class Exercise:
    """One problem document and its variants (a Moodle category, a Canvas group, a PL question)."""

    id: str
    name: str
    source: str
    index: int
    type: str
    items: list[Item]
    tags: list[str] = field(default_factory=list)


def stable_id(source: str, index: int, seed: int | None, variant: int | None = None) -> str:
    """uuid5 of the source file, the document's index and the seed (SPEC 2); a variant's own
    id adds its number among the variants of that seed."""
    key = f"{source_key(source)}#{index}#{'' if seed is None else seed}"
    if variant is not None:
        key += f"#{variant}"
    return str(uuid.uuid5(NAMESPACE, key))


def source_key(source: str) -> str:
    """The file as the id sees it: relative to the current folder where it lies inside it, else
    its name alone, so that the same file exported from elsewhere (or a bundled problem by its
    name) keeps its id."""
    import os   # noqa: PLC0415 (ids only)
    from ...problem.files import bundled_dir   # noqa: PLC0415 (export only)
    if source.startswith("<"):
        return source
    bundled = bundled_dir()
    if bundled is not None:
        # a bundled problem is problems/NAME wherever the package was installed: the wheel's
        # copy and the checkout's file are one exercise
        inside = os.path.relpath(os.path.realpath(source), os.path.realpath(bundled))
        if inside.split(os.sep)[0] != os.pardir:
            return "problems/" + inside.replace("\\", "/")
    try:
        rel = os.path.relpath(os.path.abspath(source))
    except ValueError:                  # another drive
        rel = os.pardir
    if rel.split(os.sep)[0] == os.pardir:
        rel = os.path.basename(source)
    return rel.replace("\\", "/")


def exercise(problem, variants: list | None = None, seed: int | None = None) -> Exercise:
    """The exercise of one loaded problem; `variants` are the problems `vary` drew from it with
    `seed` (without them, the exercise itself)."""
    source = problem.file or "<data>"
    index = int(getattr(problem, "doc_index", None) or 0)
    if variants:
        items = [item(p, source, index, seed, k) for k, p in enumerate(variants, 1)]
    else:
        items = [item(problem, source, index, None)]
    tags = ["rnnquiz", problem.type]
    if getattr(problem, "notation", None):
        tags.append(str(problem.notation))
    return Exercise(id=stable_id(source, index, seed), name=_name(problem), source=source,
                    index=index, type=problem.type, items=items, tags=tags)


def item(problem, source: str, index: int, seed: int | None, k: int | None = None) -> Item:
    """One variant (the k-th of a seed): solved, its question in words, its parts, its working
    as feedback."""
    from ...render.worked import Worked   # noqa: PLC0415 (the worked answer: items only)
    from ..question import full_question   # noqa: PLC0415 (items only)
    r = Worked.of(solve(problem))
    name = _name(problem)
    if k is not None and f"(variant {k}," not in name:     # vary's titles say it already
        name += f" (variant {k})"
    question = f"<p>{escape(full_question(problem, r))}</p>"
    if problem.options:
        question = f"<p>{escape(problem.question)}</p>"
    quiet = replace(r, expected=None, agrees=None)       # the working, not a verdict on the file
    feedback = quiet.render("html", fragment=True, math="parens")
    return Item(id=stable_id(source, index, seed, k), name=name, question_html=question,
                parts=parts(problem, r), feedback_html=feedback, seed=seed)


def parts(problem, r) -> list[Part]:
    """The answer boxes of a result: `parts` of the JSON where the question has several,
    else the answer itself."""
    j = r.to_json()
    digits = getattr(getattr(problem, "ask", None), "digits", None)
    if problem.options:
        return [Part(r.question if len(r.question) < 60 else "answer", "choice",
                     list(problem.correct), options=list(problem.options))]
    if isinstance(j.get("parts"), list):
        return [p for entry in j["parts"]
                for p in _boxes(problem, entry.get("question") or entry.get("quantity", "part"),
                                entry["answer"], entry.get("digits", digits))]
    return _boxes(problem, r.question, j["answer"], digits)


def _module(problem):
    """The problem's type module: its hooks say how its answers are graded (COUNTS, WORDS)."""
    return TYPES[problem.type]


def _boxes(problem, label: str, answer, digits) -> list[Part]:
    if isinstance(answer, str):
        words = list(getattr(_module(problem), "WORDS", ()))
        if answer in words:
            return [Part(label, "word", answer, options=words)]
        return [Part(label, "token", answer)]
    if isinstance(answer, bool) or answer is None:
        raise _error(problem, "the answer overflowed float64 (null in the JSON) or is not a "
                              "number: nothing to export")
    if isinstance(answer, (int, float)):
        counts = getattr(_module(problem), "COUNTS", False)
        kind = "integer" if counts and float(answer).is_integer() else "number"
        return [Part(label, kind, int(answer) if kind == "integer" else answer, digits)]
    if isinstance(answer, dict):
        return [p for k, v in answer.items() for p in _boxes(problem, f"{label}: {k}", v, digits)]
    if isinstance(answer, list) and answer and all(isinstance(e, str) for e in answer):
        return [Part(f"{label} [{i}]", "token", e) for i, e in enumerate(answer, 1)]
    if answer == []:
        raise _error(problem, "the answer is empty: nothing to export")
    if _has_none(answer):
        raise _error(problem, "the answer overflowed float64 (null in the JSON): nothing to "
                              "export as a number")
    depth = _depth(answer)
    if depth == 1:
        return [Part(label, "matrix", [list(answer)], digits)]
    if depth == 2 and all(isinstance(row, list) for row in answer):
        return [Part(label, "matrix", [list(row) for row in answer], digits)]
    if depth > 2:               # a sequence of matrices (batches): one matrix a step
        return [p for i, sub in enumerate(answer, 1)
                for p in _boxes(problem, f"{label} [{i}]", sub, digits)]
    raise _error(problem, "the answer has a shape no export format can hold")


def _has_none(v) -> bool:
    return v is None or (isinstance(v, list) and any(_has_none(e) for e in v))


def _depth(v) -> int:
    return 1 + max((_depth(e) for e in v), default=0) if isinstance(v, list) else 0


def _name(problem) -> str:
    base = (problem.file or "exercise").replace("\\", "/").rsplit("/", 1)[-1]
    base = base.rsplit(".", 1)[0]
    index = getattr(problem, "doc_index", None)
    title = problem.title or problem.type
    return f"{base}{'' if not index else f' #{index + 1}'}: {title}"


def _error(problem, message: str):
    return ProblemError(message, file=problem.file)
