"""PrairieLearn: one question folder per exercise (info.json, question.html, server.py).

`info.json` carries a UUID derived from the source file, the document's index and the seed, so
a re-export keeps the question's identity. `question.html` asks each part with PrairieLearn's
elements: `pl-number-input` (`comparison="decdig"` with the exercise's digits, else `"sigfig"`
with 3), `pl-integer-input` for counts, `pl-matrix-component-input` for vectors and matrices,
`pl-string-input` for tokens and words, `pl-multiple-choice` or `pl-checkbox` (several right)
for `choice`. `server.py`'s `generate` picks one of the stored variants (PrairieLearn seeds
`random` with the variant's seed) and sets its question, answers and working.
"""

from __future__ import annotations

import json
import os
import re
import xml.etree.ElementTree as ET
from html import escape

from .items import Exercise, Item, Part
from ...types import TYPES

SIGFIG = "3"              # SPEC 2: without ask.digits, three significant digits

SERVER = '''\
"""Written by rnnquiz export: generate() picks one of the stored variants."""

import json
import random

VARIANTS = json.loads({data})


def generate(data):
    variant = random.choice(VARIANTS)
    data["params"]["question"] = variant["question"]
    data["params"]["feedback"] = variant["feedback"]
    data["params"]["variant"] = variant["id"]
    for name, value in variant["answers"].items():
        data["correct_answers"][name] = value
'''


def write(exes: list[Exercise], folder: str) -> tuple[list[str], list[str]]:
    """One folder a question; returns their names and the notes for the instructor."""
    names, notes = [], []
    for ex in exes:
        name = _qid(ex, names)
        path = os.path.join(folder, name)
        os.makedirs(path)
        _dump(os.path.join(path, "info.json"), json.dumps(info(ex), indent=2) + "\n")
        _dump(os.path.join(path, "question.html"), question_html(ex.items[0]))
        _dump(os.path.join(path, "server.py"), server_py(ex))
        names.append(name)
        if len(ex.items) > 1 and any(p.kind == "choice" for p in ex.items[0].parts):
            notes.append(f"{ex.name}: PrairieLearn shuffles a choice's options itself; the "
                         f"first variant's options are exported")
    return names, notes


def _topic(ptype: str) -> str:
    return getattr(TYPES[ptype], "TOPIC", ptype) if ptype in TYPES else ptype


def info(ex: Exercise) -> dict:
    return {"uuid": ex.id, "title": ex.name, "topic": _topic(ex.type),
            "tags": list(ex.tags), "type": "v3", "singleVariant": len(ex.items) == 1}


def _qid(ex: Exercise, taken: list[str]) -> str:
    base = os.path.splitext(os.path.basename(ex.source.replace("\\", "/")))[0]
    base = re.sub(r"[^A-Za-z0-9_-]+", "_", base).strip("_") or "exercise"
    name = f"{base}_{ex.index + 1}" if ex.index else base
    while name in taken:
        name += "_"
    return name


def names(it: Item) -> list[tuple[str, Part]]:
    """(answers-name, part): p1, p2, ... in the order the parts are asked."""
    return [(f"p{k}", part) for k, part in enumerate(it.parts, 1)]


def question_html(it: Item) -> str:
    out = ["<pl-question-panel>", "{{{params.question}}}", "</pl-question-panel>", ""]
    for name, part in names(it):
        out.append(ET.tostring(_element(name, part), encoding="unicode", method="html"))
    out += ["", "<pl-answer-panel>", "{{{params.feedback}}}", "</pl-answer-panel>", ""]
    return "\n".join(out)


def _element(name: str, part: Part) -> ET.Element:
    label = escape(part.label)        # PrairieLearn sets a label as HTML
    if part.kind == "choice":
        tag = "pl-checkbox" if len(part.answer) > 1 else "pl-multiple-choice"
        el = ET.Element(tag, {"answers-name": name, "order": "fixed"})
        for k, option in enumerate(part.options, 1):
            answer = ET.SubElement(el, "pl-answer",
                                   correct="true" if k in part.answer else "false")
            answer.text = option
        return el
    if part.kind in ("token", "word"):
        attrs = {"answers-name": name, "label": f"{label} =", "remove-leading-trailing": "true"}
        if part.kind == "word":
            attrs.update({"ignore-case": "true", "placeholder": " or ".join(part.options)})
        return ET.Element("pl-string-input", attrs)
    if part.kind == "integer":
        return ET.Element("pl-integer-input", {"answers-name": name, "label": f"{label} ="})
    tag = "pl-matrix-component-input" if part.kind == "matrix" else "pl-number-input"
    attrs = {"answers-name": name, "label": f"{label} ="}
    if part.digits is not None:
        attrs.update({"comparison": "decdig", "digits": str(part.digits)})
    else:
        attrs.update({"comparison": "sigfig", "digits": SIGFIG})
    return ET.Element(tag, attrs)


def server_py(ex: Exercise) -> str:
    variants = [{"id": it.id, "seed": it.seed, "question": it.question_html,
                 "feedback": it.feedback_html,
                 "answers": {name: part.answer for name, part in names(it)
                             if part.kind != "choice"}}
                for it in ex.items]
    data = json.dumps(variants, ensure_ascii=False, allow_nan=False)
    return SERVER.format(data=repr(data))


def _dump(path: str, text: str) -> None:
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        f.write(text)
