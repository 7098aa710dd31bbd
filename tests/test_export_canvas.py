"""`export --to canvas`: the IMS QTI 1.2 zip read back by a reader written here to the structure
Canvas documents for its QTI import (imsmanifest.xml naming one assessment; question groups as
sections with a selection number; `numerical_question` with an exact answer and a margin as
varequal or vargte/varlte), compared with the solver's answers and SPEC 2's tolerance."""

from __future__ import annotations

import os
import xml.etree.ElementTree as ET
import zipfile

import pytest

from conftest import run
from export_expect import BUNDLED, ROOT, all_problems, expected, hinton_p3_by_hand
from rnnquiz.teaching.export import export

GOLDEN = ROOT / "tests" / "golden" / "export"
QTI = "{http://www.imsglobal.org/xsd/ims_qtiasiv1p2}"
CP = "{http://www.imsglobal.org/xsd/imsccv1p1/imscp_v1p1}"


def _assessment_text(path) -> str:
    with zipfile.ZipFile(path) as z:
        manifest = ET.fromstring(z.read("imsmanifest.xml"))
        (res,) = manifest.iter(f"{CP}resource")
        assert res.get("type") == "imsqti_xmlv1p2"
        (f,) = res.iter(f"{CP}file")
        return z.read(f.get("href")).decode("utf-8")


def read_canvas(path) -> list[dict]:
    """The question groups: {title, pick, items: [{type, answer, margin, feedback}]}."""
    root = ET.fromstring(_assessment_text(path))
    (assessment,) = root.iter(f"{QTI}assessment")
    (top,) = assessment.findall(f"{QTI}section")
    groups = []
    for sec in top.findall(f"{QTI}section"):
        pick = sec.findtext(f"{QTI}selection_ordering/{QTI}selection/{QTI}selection_number")
        items = [_item(i) for i in sec.findall(f"{QTI}item")]
        groups.append({"title": sec.get("title"), "pick": int(pick), "items": items})
    return groups


def _item(item) -> dict:
    meta = {f.findtext(f"{QTI}fieldlabel"): f.findtext(f"{QTI}fieldentry")
            for f in item.iter(f"{QTI}qtimetadatafield")}
    out = {"type": meta["question_type"], "points": float(meta["points_possible"]),
           "question": item.findtext(f"{QTI}presentation/{QTI}material/{QTI}mattext"),
           "feedback": item.findtext(f"{QTI}itemfeedback/{QTI}flow_mat/{QTI}material/"
                                     f"{QTI}mattext")}
    scoring = [c for c in item.iter(f"{QTI}respcondition")
               if c.findtext(f"{QTI}setvar") == "100"]
    (cond,) = scoring
    var = cond.find(f"{QTI}conditionvar")
    if out["type"] == "numerical_question":
        exact = float(var.findtext(f"{QTI}or/{QTI}varequal"))
        lo = float(var.findtext(f"{QTI}or/{QTI}and/{QTI}vargte"))
        hi = float(var.findtext(f"{QTI}or/{QTI}and/{QTI}varlte"))
        assert lo <= exact <= hi
        out.update(answer=exact, margin=(hi - lo) / 2)
    elif out["type"] == "short_answer_question":
        out.update(answer=var.findtext(f"{QTI}varequal"), margin=None)
    else:
        labels = [r.get("ident") for r in item.iter(f"{QTI}response_label")]
        texts = [r.findtext(f"{QTI}material/{QTI}mattext") for r in item.iter(f"{QTI}response_label")]
        chosen = {e.text for e in var.iter(f"{QTI}varequal")} - \
            {e.text for n in var.iter(f"{QTI}not") for e in n.iter(f"{QTI}varequal")}
        out.update(answer=[k for k, ident in enumerate(labels, 1) if ident in chosen],
                   options=texts, margin=None)
    return out



def test_every_bundled_problem_reads_back_with_the_solvers_answers(tmp_path, at_root):
    problems = all_problems()
    export(BUNDLED, "canvas", tmp_path / "all.zip")
    groups = read_canvas(tmp_path / "all.zip")
    assert len(groups) == len(problems)
    for p, g in zip(problems, groups):
        want = expected(p)
        assert g["pick"] == len(g["items"]) == len(want), p.file
        for (value, tol), item in zip(want, g["items"]):
            if p.type == "choice":
                assert item["answer"] == value and item["options"] == list(p.options)
            elif item["type"] == "multiple_choice_question":          # a verdict word
                assert [item["options"][k - 1] for k in item["answer"]] == [value]
            else:
                assert item["answer"] == value, p.file
                if tol is None:
                    assert item["margin"] is None
                else:
                    assert item["margin"] == pytest.approx(tol, rel=1e-6, abs=1e-15), p.file
            assert item["feedback"].startswith("<div"), p.file


def test_a_scalar_forward_pass_is_one_numerical_question_with_its_margin(tmp_path, at_root):
    export(["problems/hinton_p3.yaml"], "canvas", tmp_path / "q.zip")
    (g,) = read_canvas(tmp_path / "q.zip")
    (item,) = g["items"]
    assert item["type"] == "numerical_question" and g["pick"] == 1
    assert item["answer"] == hinton_p3_by_hand()
    assert item["margin"] == pytest.approx(0.005)
    assert r"\(h_0 = \sigma(z_0)\)" in item["feedback"]


def test_an_lstm_sequence_is_one_numerical_question_a_step(tmp_path, at_root):
    export(["problems/mit_lstm_states_1.yaml"], "canvas", tmp_path / "q.zip")
    (g,) = read_canvas(tmp_path / "q.zip")
    assert [i["type"] for i in g["items"]] == ["numerical_question"] * 6
    assert [i["answer"] for i in g["items"]] == [0, 0, 1, -1, 1, 0]     # MITx's published
    assert [i["margin"] for i in g["items"]] == [pytest.approx(0.005)] * 6


def test_a_title_with_markup_characters_survives(tmp_path):
    title = 'Tom & Jerry\'s <b>"RNN"</b>'
    text = (ROOT / "problems" / "hinton_p3.yaml").read_text(encoding="utf-8")
    src = tmp_path / "odd.yaml"
    src.write_text(text.replace('title: "Hinton lecture 7, problem 3: y at T=1"',
                                "title: '" + title.replace("'", "''") + "'"), encoding="utf-8")
    export([str(src)], "canvas", tmp_path / "q.zip")
    (g,) = read_canvas(tmp_path / "q.zip")
    assert g["title"] == f"odd: {title}"


def test_a_folder_as_out_is_refused_and_nothing_is_left(tmp_path, at_root):
    r = run("export", "hinton_p3", "--to", "canvas", "--out", str(tmp_path))
    assert r.exit_code == 2 and r.stderr.count("\n") == 1
    assert os.listdir(tmp_path) == []


@pytest.mark.parametrize("name", ["hinton_p3", "mit_lstm_states_1"])
def test_golden(name, tmp_path, at_root):
    export([f"problems/{name}.yaml"], "canvas", tmp_path / "q.zip")
    got = _assessment_text(tmp_path / "q.zip")
    golden = GOLDEN / f"{name}.canvas.xml"
    if os.environ.get("RNNQUIZ_REGOLD"):
        golden.write_text(got, encoding="utf-8")
        pytest.fail(f"rewrote {golden.name}: read the diff")
    assert got == golden.read_text(encoding="utf-8")


def test_the_variants_of_a_one_part_exercise_are_one_pick_1_group(tmp_path, at_root):
    from export_expect import hinton_p3_variant_by_hand, two_variants
    from rnnquiz.teaching.export import exercises, write
    exes = exercises(["problems/hinton_p3.yaml"], variants=two_variants(tmp_path), seed=5)
    assert write("canvas", exes, tmp_path / "q.zip") == []
    (g,) = read_canvas(tmp_path / "q.zip")
    assert g["pick"] == 1
    assert [i["answer"] for i in g["items"]] == [hinton_p3_by_hand(), hinton_p3_variant_by_hand()]


def test_the_variants_of_a_several_part_exercise_are_a_group_each_and_said_so(tmp_path, at_root):
    from export_expect import two_variants
    from rnnquiz.teaching.export import exercises, write
    draw = two_variants(tmp_path, "mit_lstm_states_1", ("inputs: [0, 0, 1, 1, 1, 0]",
                                                        "inputs: [1, 0, 1, 1, 1, 0]"))
    exes = exercises(["problems/mit_lstm_states_1.yaml"], variants=draw, seed=5)
    (note,) = write("canvas", exes, tmp_path / "q.zip")
    assert "cannot draw one variant of several parts" in note
    groups = read_canvas(tmp_path / "q.zip")
    assert [(g["pick"], len(g["items"])) for g in groups] == [(6, 6), (6, 6)]
    assert [i["answer"] for i in groups[0]["items"]] == [0, 0, 1, -1, 1, 0]
