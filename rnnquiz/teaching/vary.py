"""`rnnquiz vary`: variants of an exercise, with new numbers drawn like the file's, each keyed.

A variant keeps everything of the exercise but its numbers: its type, notation, shapes,
question and rounding. The numbers are redrawn by the type's module where it has a `vary(data,
rng)` hook (what is particular to it: probability rows, widths, the order of a choice's
options), else by the generic drawing over the network, inputs, targets, given values and
upstream gradients (problem/redraw.py: the same decimals, range and signs, zeros kept).

Each draw is solved and looked at before it is kept. A degenerate draw is redrawn, at most
MAX_REDRAWS times a variant: one the solver refuses (an overflow, a target no alignment
reaches), one whose answer changes kind or shape, one with the file's numbers, a tie in the
rounding where the file had none (a `round` step meeting an exact .5, or the answer on a
boundary of its digits), or what the type's `degenerate(original, variant)` hook says (a
`vanishing` verdict that flips). A variant's `question` text is dropped where its type asks
from its own numbers (it would quote the old ones); the question is asked from the new ones.

Deterministic for a seed: variant k of a document draws from numpy's Generator seeded with
(seed, document index, k), so `--count 3` gives the first three of `--count 5`.
"""

from __future__ import annotations

import copy
import os
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ..errors import ProblemError
from ..problem import redraw
from ..trace import plain
from ..types import TYPES, from_dict, solve
from ..types.advice import advised

MAX_REDRAWS = 50
# the keys the generic drawing redraws (a type with a `vary` hook draws its own)
GENERIC = ("network", "inputs", "targets", "given", "upstream")


@dataclass
class Variant:
    """Variant k of a problem drawn with `seed`: its document (with its answer), the validated
    problem, its result, and the draws thrown away on the way (with why)."""

    k: int
    seed: int
    document: dict
    problem: Any
    result: Any
    redraws: int = 0
    reasons: list[str] = field(default_factory=list)

    def to_json(self) -> dict:
        r = self.result
        return {"schema_version": 1, "file": self.problem.file, "document": self.problem.doc_index,
                "variant": self.k, "seed": self.seed, "type": self.problem.type,
                "question": r.question, "answer": plain(r.answer),
                "answer_rounded": plain(r.answer_rounded), "redraws": self.redraws,
                "redrawn_for": list(self.reasons), "problem": self.document}


def generic(data: dict, rng: np.random.Generator) -> dict:
    """The drawing every network type shares: each number of the network, inputs, targets,
    given values and upstream gradients redrawn (problem/redraw.py)."""
    for key in GENERIC:
        if key in data:
            data[key] = redraw.tree(data[key], rng)
    return data


def rng_for(seed: int, doc_index: int, k: int) -> np.random.Generator:
    return np.random.default_rng(np.random.SeedSequence([abs(int(seed)), int(seed < 0),
                                                         int(doc_index), int(k)]))


def variants(problem, count: int, seed: int, *, max_redraws: int = MAX_REDRAWS) -> list[Variant]:
    """`count` variants of a problem (validated, or a plain dict as a YAML document loads)."""
    original = from_dict(problem) if isinstance(problem, dict) else problem
    if count < 1:
        raise ProblemError(f"expected a count of at least 1, got {count}")
    base = solve(original)
    return [_variant(original, base, k, seed, max_redraws) for k in range(1, count + 1)]


def vary(problem, count: int = 1, seed: int = 0) -> list:
    """The variant problems, each validated with its answer set from the solver; each has
    `.data` (its document) and `.variant` (the Variant: redraws, result)."""
    out = []
    for v in variants(problem, count, seed):
        v.problem.variant = v
        out.append(v.problem)
    return out


def _variant(original, base, k: int, seed: int, max_redraws: int) -> Variant:
    module = TYPES[original.type]
    rng = rng_for(seed, original.doc_index, k)
    source = dict(original.data)
    reasons: list[str] = []
    # a type that asks from its own numbers (a network's, or its `question`) would quote the
    # file's old numbers in a `question` the file wrote; a choice's question is its text
    asks_itself = getattr(module, "NETWORK", False) or hasattr(module, "question")
    for attempt in range(max_redraws + 1):
        data = copy.deepcopy({key: v for key, v in source.items() if key != "answer"})
        if "question" in data and asks_itself:
            del data["question"]
        data = (getattr(module, "vary", None) or generic)(data, rng)
        reason = None
        if _same(data, source):
            reason = "the file's own numbers (nothing in it was redrawn)"
        else:
            doc = _labelled(data, source, original, k, seed)
            try:
                p = from_dict(doc, file=original.file)
                p.doc_index = original.doc_index
                r = solve(p)
                reason = _degenerate(module, base, r)
                if reason is None:
                    doc["answer"] = published(r)
                    p = from_dict(doc, file=original.file)
                    p.doc_index = original.doc_index
                    if not solve(p, steps=False).agrees:
                        reason = "its answer does not read back at its digits"
            except ProblemError as err:         # an overflow, an unreachable target, ...
                err = advised(err)
                where = f"{err.path}: " if err.path else ""
                reason = f"the solver refused it: {where}{err.reason}"
        if reason is None:
            return Variant(k, seed, doc, p, r, attempt, reasons)
        reasons.append(reason)
    raise ProblemError(f"variant {k} (seed {seed}): every one of {max_redraws + 1} draws was "
                       f"degenerate, the last: {reasons[-1]}", file=original.file)


def _same(data: dict, source: dict) -> bool:
    keep = ("title", "source", "answer", "question")
    return {k: v for k, v in data.items() if k not in keep} == \
        {k: v for k, v in source.items() if k not in keep}


def _labelled(data: dict, source: dict, original, k: int, seed: int) -> dict:
    """The variant's document in the file's order of keys, its title and source saying which
    variant of what it is."""
    name = os.path.basename(original.file) if original.file else "the exercise"
    if original.doc_index:
        name += f" #{original.doc_index + 1}"
    title = f"{original.title or original.type} (variant {k}, seed {seed})"
    origin = f"rnnquiz vary --seed {seed}: variant {k} of {name}"
    if original.source:
        origin += f"; the original: {original.source}"
    doc = {}
    for key in list(source) + [key for key in data if key not in source]:
        if key == "title":
            doc[key] = title
        elif key == "source":
            doc[key] = origin
        elif key in data:
            doc[key] = data[key]
    doc.setdefault("title", title)
    doc.setdefault("source", origin)
    return doc


def published(r) -> Any:
    """The answer a variant's file publishes: at its digits where it asks for digits, else at
    full precision; a question in parts, each part so."""
    parts = r.extra.get("parts") if isinstance(r.extra, dict) else None
    if parts:
        return [plain(e["answer_rounded"] if e["answer_rounded"] is not None else e["answer"])
                for e in parts]
    return plain(r.answer_rounded if r.answer_rounded is not None else r.answer)


# ---------------------------------------------------------------- degenerate draws

def _degenerate(module, base, r) -> str | None:
    if _shape(r.answer) != _shape(base.answer):
        return f"its answer changed kind ({_shape(base.answer)} to {_shape(r.answer)})"
    if not _finite(r.answer):
        return "its answer is not a finite number"
    if _zero(r.answer) and not _zero(base.answer):
        return "its answer is all zeros (the file's is not)"
    ties = [s.symbol for s in r.steps if s.tie]
    if ties and not any(s.tie for s in base.steps):
        return f"a rounding step meets an exact .5 (at {ties[0]})"
    if _on_boundary(r) and not _on_boundary(base):
        return "its answer sits on a rounding boundary of its digits"
    hook = getattr(module, "degenerate", None)
    return hook(base, r) if hook else None


def _shape(v) -> Any:
    """What kind of answer: a word, a token sequence (any length), or numbers of a shape."""
    if isinstance(v, str):
        return "a word"
    if isinstance(v, dict):
        return {k: _shape(e) for k, e in v.items()}
    if isinstance(v, (list, tuple)) and v and all(isinstance(e, str) for e in v):
        return "tokens"
    if isinstance(v, (list, tuple)) and any(isinstance(e, (str, dict)) or
                                            isinstance(e, list) and _has_word(e) for e in v):
        return [_shape(e) for e in v]
    try:
        return f"numbers of shape {np.shape(np.asarray(v, dtype=np.float64))}"
    except (TypeError, ValueError):
        return repr(type(v).__name__)


def _zero(v) -> bool:
    if _has_word(v) or isinstance(v, dict):
        return False
    try:
        a = np.asarray(v, dtype=np.float64)
    except (TypeError, ValueError):
        return False
    return a.size > 0 and bool(np.all(np.abs(a) < 1e-12))


def _has_word(v) -> bool:
    return isinstance(v, str) or isinstance(v, list) and any(_has_word(e) for e in v)


def _finite(v) -> bool:
    if isinstance(v, (str, type(None))):
        return v is not None
    if isinstance(v, dict):
        return all(_finite(e) for e in v.values())
    if isinstance(v, (list, tuple)) and _has_word(v):
        return all(_finite(e) for e in v)
    try:
        return bool(np.isfinite(np.asarray(v, dtype=np.float64)).all())
    except (TypeError, ValueError):
        return True


def _on_boundary(r) -> bool:
    """Whether an answer asked at d digits lies on a .5 of its last digit (within float noise):
    rounding half to even would decide it."""
    parts = r.extra.get("parts") if isinstance(r.extra, dict) else None
    asks = [(e["answer"], e["digits"]) for e in parts] if parts else \
        [(r.answer, r.problem.ask.digits)]
    for answer, digits in asks:
        if digits is None or _has_word(answer) or isinstance(answer, dict):
            continue
        try:
            scaled = np.abs(np.asarray(answer, dtype=np.float64)) * 10.0 ** digits
        except (TypeError, ValueError):
            continue
        frac = scaled - np.floor(scaled)
        if np.any(np.abs(frac - 0.5) < 1e-6 * np.maximum(1.0, scaled * 1e-9)):
            return True
    return False

