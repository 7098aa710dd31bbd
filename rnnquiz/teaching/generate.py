"""`rnnquiz new TYPE --seed N`: fresh exercises with course-like numbers and their answers.

The same seed gives the same file: every number comes from random.Random(seed).
"""

from __future__ import annotations

import random

import yaml

from ..types import TYPES, from_dict, solve
from ..trace import plain


def exercise(ptype: str, rng: random.Random, layers: int = 1,
             bidirectional: bool = False) -> dict:
    """The type's new exercise (its module's `generate`; a stack where it takes --layers)."""
    from ..types import TYPES   # noqa: PLC0415 (start-up: `new` alone loads the types)
    if layers > 1 or bidirectional:
        return TYPES[ptype].generate(rng, layers, bidirectional)
    return TYPES[ptype].generate(rng)


def stacks(ptype: str) -> bool:
    """Whether `new --layers/--bidirectional` applies: the type's generator takes them."""
    import inspect   # noqa: PLC0415 (start-up: only `new` asks)
    return "layers" in inspect.signature(TYPES[ptype].generate).parameters


def _dull(answer) -> bool:
    if isinstance(answer, list):
        flat = [abs(v) for v in answer if isinstance(v, (int, float))]
        return bool(flat) and max(flat) < 0.005
    return isinstance(answer, (int, float)) and abs(answer) < 0.005


def new(ptype: str, seed: int, index: int = 0, **shape) -> str:
    """One exercise as YAML text: its question in words, and its answer filled in by solving it."""
    return dump(exercise_doc(ptype, seed, index, **shape))


def exercise_doc(ptype: str, seed: int, index: int = 0, layers: int = 1,
                 bidirectional: bool = False) -> dict:
    """The exercise as a document: type, title, source, question, the problem, its answer."""
    from .question import full_question   # noqa: PLC0415 (new only)
    from ..problem.draw_features import Draws   # noqa: PLC0415 (new only)
    deep = layers > 1 or bidirectional
    rng = Draws(f"{ptype}:{seed}:{index}" + (f":{layers}:{bidirectional}" if deep else ""))
    for _ in range(50):         # skip dull draws (an LSTM that stays at 0, a result of 0)
        doc = {"title": f"A fresh {ptype} exercise (seed {seed}"
                        + (f", #{index + 1}" if index else "") + ")",
               "source": f"rnnquiz new {ptype} --seed {seed}"
                         + (f" --layers {layers}" if layers > 1 else "")
                         + (" --bidirectional" if bidirectional else ""),
               **exercise(ptype, rng, layers, bidirectional)}
        p = from_dict(doc)
        r = solve(p, steps=False)
        if not _dull(r.answer):
            break
    answer = plain(r.answer_rounded if r.answer_rounded is not None else r.answer)
    question = full_question(p, solve(p))   # with its working: the asked steps name themselves
    order = ["type", "title", "source"] + [k for k in doc if k not in ("type", "title",
                                                                          "source", "answer")]
    return {k: doc[k] for k in order[:3]} | {"question": question} | \
        {k: doc[k] for k in order[3:]} | {"answer": answer}


def dump(doc: dict) -> str:
    text = yaml.safe_dump(doc, sort_keys=False, allow_unicode=True, default_flow_style=None,
                          width=100)
    return text.replace("? ''\n  : ", "'': ")     # decode's empty prefix as a plain key


def handout(docs: list[dict]) -> str:
    """The students' sheet: each exercise's title and question in words, no answers."""
    from ..render.markdown import md   # noqa: PLC0415 (handouts only)
    lines = ["# Exercises", ""]
    for i, d in enumerate(docs, start=1):
        lines += [f"## {i}\\. {md(d['title'])}", "", md(d["question"], block=True), ""]
    return "\n".join(lines)
