"""Canvas: an IMS QTI 1.2 zip (imsmanifest.xml and one assessment) as Canvas imports it.

Every number is a `numerical_question` whose answer is exact with a margin: Canvas writes it
as `<or><varequal>a</varequal><and><vargte>a-m</vargte><varlte>a+m</varlte></and></or>`.
An exercise with one part puts its variants in one question group that picks 1; an exercise
with several parts becomes one question a part, each variant's parts in a group of their own
(Canvas draws questions, not sets of them: `notes` says so when there are several variants).
A word or a `choice` is a multiple-choice (several right: multiple-answers) question, a token a
short-answer one.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
import zipfile
from html import escape

from .items import Exercise, Item, Part, number_text, tolerance

QTI = "http://www.imsglobal.org/xsd/ims_qtiasiv1p2"
CP = "http://www.imsglobal.org/xsd/imsccv1p1/imscp_v1p1"
STAMP = (2020, 1, 1, 0, 0, 0)          # a fixed date in the zip: the same export, the same bytes


def write(exes: list[Exercise], path: str) -> list[str]:
    """Write the zip; returns the notes for the instructor."""
    from .items import stable_id   # noqa: PLC0415 (canvas only)
    ident = "g" + stable_id("|".join(ex.id for ex in exes), 0, None).replace("-", "")
    assessment, notes = _assessment(exes, ident)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, root in (("imsmanifest.xml", _manifest(ident)),
                           (f"{ident}/{ident}.xml", assessment)):
            ET.indent(root)
            info = zipfile.ZipInfo(name, STAMP)
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, ET.tostring(root, encoding="UTF-8", xml_declaration=True))
    return notes


def _manifest(ident: str) -> ET.Element:
    m = ET.Element("manifest", identifier=f"{ident}_manifest", xmlns=CP)
    meta = ET.SubElement(m, "metadata")
    ET.SubElement(meta, "schema").text = "IMS Content"
    ET.SubElement(meta, "schemaversion").text = "1.1.3"
    ET.SubElement(m, "organizations")
    res = ET.SubElement(ET.SubElement(m, "resources"), "resource", identifier=ident,
                        type="imsqti_xmlv1p2")
    ET.SubElement(res, "file", href=f"{ident}/{ident}.xml")
    return m


def _assessment(exes: list[Exercise], ident: str) -> tuple[ET.Element, list[str]]:
    root = ET.Element("questestinterop", xmlns=QTI)
    title = exes[0].name if len(exes) == 1 else f"rnnquiz: {len(exes)} exercises"
    a = ET.SubElement(root, "assessment", ident=ident, title=title)
    top = ET.SubElement(a, "section", ident="root_section")
    notes = []
    for ex in exes:
        several = sum(len(_answers(p)) for p in ex.items[0].parts) > 1
        if not several:
            group = _group(top, "g" + ex.id.replace("-", ""), ex.name, pick=1)
            for it in ex.items:
                group.append(_item(it, it.parts[0], 0, it.question_html, labelled=False))
            continue
        if len(ex.items) > 1:
            notes.append(f"{ex.name}: Canvas cannot draw one variant of several parts at "
                         f"random; each variant's parts are a group of their own")
        for it in ex.items:
            boxes = [(p, k) for p in it.parts for k in range(len(_answers(p)))]
            group = _group(top, "g" + it.id.replace("-", ""), it.name, pick=len(boxes))
            for n, (part, k) in enumerate(boxes):
                group.append(_item(it, part, k, it.question_html, n))
    return root, notes


def _group(parent: ET.Element, ident: str, title: str, pick: int) -> ET.Element:
    g = ET.SubElement(parent, "section", ident=ident, title=title)
    sel = ET.SubElement(ET.SubElement(g, "selection_ordering"), "selection")
    ET.SubElement(sel, "selection_number").text = str(pick)
    ET.SubElement(ET.SubElement(sel, "selection_extension"), "points_per_item").text = "1"
    return g


def _answers(part: Part) -> list[tuple[str, object]]:
    return part.cells() if part.kind == "matrix" else [(part.label, part.answer)]


def _item(it: Item, part: Part, k: int, question: str, n: int = 0,
          labelled: bool = True) -> ET.Element:
    label, value = _answers(part)[k]
    kind = {"number": "numerical_question", "integer": "numerical_question",
            "matrix": "numerical_question", "token": "short_answer_question",
            "word": "multiple_choice_question"}.get(part.kind)
    if part.kind == "choice":
        kind = "multiple_answers_question" if len(part.answer) > 1 else "multiple_choice_question"
    ident = f"i{it.id.replace('-', '')}_{n}"
    item = ET.Element("item", ident=ident, title=f"{it.name}: {label}" if labelled else it.name)
    meta = ET.SubElement(ET.SubElement(item, "itemmetadata"), "qtimetadata")
    for field, entry in (("question_type", kind), ("points_possible", "1"),
                         ("assessment_question_identifierref", ident)):
        f = ET.SubElement(meta, "qtimetadatafield")
        ET.SubElement(f, "fieldlabel").text = field
        ET.SubElement(f, "fieldentry").text = entry
    pres = ET.SubElement(item, "presentation")
    asked = question + (f"<p>{escape(label)} =</p>" if part.kind not in ("choice", "word")
                        else f"<p>{escape(label)}</p>")
    _mattext(pres, asked)
    proc = ET.SubElement(item, "resprocessing")
    ET.SubElement(ET.SubElement(proc, "outcomes"), "decvar", maxvalue="100", minvalue="0",
                  varname="SCORE", vartype="Decimal")
    fb = ET.SubElement(proc, "respcondition", {"continue": "Yes"})
    ET.SubElement(ET.SubElement(fb, "conditionvar"), "other")
    ET.SubElement(fb, "displayfeedback", feedbacktype="Response", linkrefid="general_fb")
    if part.kind in ("choice", "word"):
        _choices(pres, proc, part)
    else:
        fib = ET.SubElement(pres, "response_str", ident="response1", rcardinality="Single")
        ET.SubElement(ET.SubElement(fib, "render_fib", fibtype="String" if part.kind == "token"
                                    else "Decimal"), "response_label", ident="answer1")
        cond = ET.SubElement(proc, "respcondition", {"continue": "No"})
        var = ET.SubElement(cond, "conditionvar")
        if part.kind == "token":
            ET.SubElement(var, "varequal", respident="response1").text = str(value)
        else:
            _margin(var, value, tolerance(value, part.digits, part.kind))
        ET.SubElement(cond, "setvar", action="Set", varname="SCORE").text = "100"
    feedback = ET.SubElement(item, "itemfeedback", ident="general_fb")
    _mattext(ET.SubElement(feedback, "flow_mat"), it.feedback_html)
    return item


def _margin(var: ET.Element, value, margin: float) -> None:
    """Canvas's exact answer with a margin (margin 0: the value alone)."""
    either = ET.SubElement(var, "or")
    ET.SubElement(either, "varequal", respident="response1").text = number_text(value)
    both = ET.SubElement(either, "and")
    ET.SubElement(both, "vargte", respident="response1").text = number_text(value - margin)
    ET.SubElement(both, "varlte", respident="response1").text = number_text(value + margin)


def _choices(pres: ET.Element, proc: ET.Element, part: Part) -> None:
    right = set(part.answer) if part.kind == "choice" else {part.options.index(part.answer) + 1}
    lid = ET.SubElement(pres, "response_lid", ident="response1",
                        rcardinality="Multiple" if len(right) > 1 else "Single")
    render = ET.SubElement(lid, "render_choice")
    for k, option in enumerate(part.options, 1):
        label = ET.SubElement(render, "response_label", ident=f"option{k}")
        _mattext(label, option, "text/plain")
    cond = ET.SubElement(proc, "respcondition", {"continue": "No"})
    var = ET.SubElement(cond, "conditionvar")
    if len(right) == 1:
        ET.SubElement(var, "varequal", respident="response1").text = f"option{min(right)}"
    else:
        every = ET.SubElement(var, "and")
        for k in range(1, len(part.options) + 1):
            at = every if k in right else ET.SubElement(every, "not")
            ET.SubElement(at, "varequal", respident="response1").text = f"option{k}"
    ET.SubElement(cond, "setvar", action="Set", varname="SCORE").text = "100"


def _mattext(parent: ET.Element, html: str, texttype: str = "text/html") -> None:
    ET.SubElement(ET.SubElement(parent, "material"), "mattext", texttype=texttype).text = html
