"""Moodle XML (docs.moodle.org, "Moodle XML format"): one category per exercise holding its
variants, so that a quiz's random question draws one.

A single number is a `numerical` question (the answer and its tolerance); a vector, a matrix or
several parts one `cloze` (multianswer) question, a `{n:NUMERICAL:=answer:tolerance}` blank a
number; a word or a `choice` a `multichoice`. Every `<text>` of format html holds HTML (plain
text is escaped once for HTML, and ElementTree escapes it again for XML).
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from html import escape

from .items import Exercise, Item, Part, number_text, tolerance

PENALTY = "0.3333333"
# Moodle accepts only these grade fractions (question/format/xml and the question bank)
FRACTIONS = {1: "100", 2: "50", 3: "33.33333", 4: "25", 5: "20", 6: "16.66667", 7: "14.28571",
             8: "12.5", 9: "11.11111", 10: "10"}


def write(exes: list[Exercise], path: str) -> None:
    quiz = ET.Element("quiz")
    for ex in exes:
        quiz.append(_category(ex))
        for it in ex.items:
            quiz.append(question(it))
    ET.indent(quiz)
    ET.ElementTree(quiz).write(path, encoding="UTF-8", xml_declaration=True)


def _category(ex: Exercise) -> ET.Element:
    q = ET.Element("question", type="category")
    # a slash separates a category from its parent: a title's own slash is written doubled
    _text(ET.SubElement(q, "category"), f"$course$/top/rnnquiz/{ex.name.replace('/', '//')}")
    _html(q, "info", f"<p>{escape(ex.source)}, document {ex.index + 1}</p>")
    ET.SubElement(q, "idnumber").text = ex.id
    return q


def question(it: Item) -> ET.Element:
    """One variant as a Moodle question of the type its parts call for."""
    if len(it.parts) == 1 and it.parts[0].kind in ("word", "choice"):
        return _multichoice(it, it.parts[0])
    if len(it.parts) == 1 and it.parts[0].kind in ("number", "integer"):
        return _numerical(it, it.parts[0])
    return _cloze(it)


def _head(kind: str, it: Item, text: str) -> ET.Element:
    q = ET.Element("question", type=kind)
    _text(ET.SubElement(q, "name"), it.name)
    _html(q, "questiontext", text)
    _html(q, "generalfeedback", it.feedback_html)
    ET.SubElement(q, "defaultgrade").text = "1"
    ET.SubElement(q, "penalty").text = PENALTY
    ET.SubElement(q, "hidden").text = "0"
    ET.SubElement(q, "idnumber").text = it.id
    return q


def _numerical(it: Item, part: Part) -> ET.Element:
    q = _head("numerical", it, it.question_html + f"<p>{escape(part.label)} =</p>")
    a = ET.SubElement(q, "answer", fraction="100", format="moodle_auto_format")
    _text(a, number_text(part.answer))
    _html(a, "feedback", "")
    ET.SubElement(a, "tolerance").text = number_text(
        tolerance(part.answer, part.digits, part.kind))
    ET.SubElement(q, "unitgradingtype").text = "0"
    ET.SubElement(q, "unitpenalty").text = "0.1"
    ET.SubElement(q, "showunits").text = "3"
    ET.SubElement(q, "unitsleft").text = "0"
    return q


def _multichoice(it: Item, part: Part) -> ET.Element:
    q = _head("multichoice", it, it.question_html)
    right = _right(part)
    ET.SubElement(q, "single").text = "true" if len(right) == 1 else "false"
    ET.SubElement(q, "shuffleanswers").text = "false"
    ET.SubElement(q, "answernumbering").text = "123" if part.kind == "choice" else "abc"
    for tag in ("correctfeedback", "partiallycorrectfeedback", "incorrectfeedback"):
        _html(q, tag, "")
    wrong = len(part.options) - len(right)
    for k, option in enumerate(part.options, 1):
        if k in right:
            fraction = FRACTIONS.get(len(right), "100")
        else:       # several right: each wrong tick takes back a share, so ticking all gains 0
            fraction = "-" + FRACTIONS[wrong] if len(right) > 1 and wrong in FRACTIONS else "0"
        a = ET.SubElement(q, "answer", fraction=fraction, format="html")
        _text(a, f"<p>{escape(option)}</p>")
        _html(a, "feedback", "")
    return q


def _right(part: Part) -> set[int]:
    """The option numbers (from 1) that are right."""
    if part.kind == "choice":
        return set(part.answer)
    return {part.options.index(part.answer) + 1}


def _cloze(it: Item) -> ET.Element:
    lines = [it.question_html]
    for part in it.parts:
        if part.kind in ("word", "choice"):
            lines.append(f"<p>{escape(part.label)}: {_mc_blank(part)}</p>")
            continue
        if part.kind == "token":
            blank = "{1:SHORTANSWER:=" + _cloze_escape(part.answer) + "}"
            lines.append(f"<p>{escape(part.label)} = {blank}</p>")
            continue
        for label, value in part.cells():
            tol = number_text(tolerance(value, part.digits, part.kind))
            lines.append(f"<p>{escape(label)} = {{1:NUMERICAL:={number_text(value)}:{tol}}}</p>")
    return _head("cloze", it, "\n".join(lines))


def _mc_blank(part: Part) -> str:
    right = _right(part)
    options = [("=" if k in right else "") + _cloze_escape(o)
               for k, o in enumerate(part.options, 1)]
    return "{1:MULTICHOICE:" + "~".join(options) + "}"


def _cloze_escape(text: str) -> str:
    """A word inside a cloze blank: HTML-escaped, and the blank's own marks escaped with `\\`."""
    out = escape(str(text), quote=False)
    for c in "\\}#~/\"":
        out = out.replace(c, "\\" + c)
    return out


def _text(parent: ET.Element, value: str) -> None:
    ET.SubElement(parent, "text").text = value


def _html(parent: ET.Element, tag: str, html: str) -> ET.Element:
    el = ET.SubElement(parent, tag, format="html")
    _text(el, html)
    return el
