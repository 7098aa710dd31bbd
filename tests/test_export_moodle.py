"""`export --to moodle`: Moodle XML read back by a reader written here to Moodle's documented
format (docs.moodle.org "Moodle XML format" and "Embedded Answers (Cloze) question type"), its
answers and tolerances compared with the solver's and with hand-worked numbers."""

from __future__ import annotations

import html
import os
import re
import xml.etree.ElementTree as ET

import pytest

import rnnquiz
from conftest import run
from export_expect import BUNDLED, ROOT, all_problems, expected, hinton_p3_by_hand
from rnnquiz.teaching.export import export

GOLDEN = ROOT / "tests" / "golden" / "export"
# Moodle's cloze blanks: {weight:TYPE:answers}, answers split by ~, =right, %n%partly, #feedback
BLANK = re.compile(r"\{(\d*):(NUMERICAL|NM|SHORTANSWER|SA|MULTICHOICE|MC):((?:\\.|[^}\\])*)\}")


def _unescape_cloze(text: str) -> str:
    return html.unescape(re.sub(r"\\(.)", r"\1", text))


def _split(text: str, sep: str) -> list[str]:
    return [s for s in re.split(rf"(?<!\\){re.escape(sep)}", text)]


def read_moodle(path) -> list[dict]:
    """Every question: {category, type, name, idnumber, answers: [(value, tolerance)],
    feedback} as Moodle would import it."""
    out, category = [], None
    for q in ET.parse(path).getroot().findall("question"):
        kind = q.get("type")
        if kind == "category":
            category = q.findtext("category/text")
            continue
        item = {"category": category, "type": kind, "name": q.findtext("name/text"),
                "idnumber": q.findtext("idnumber"), "question": q.findtext("questiontext/text"),
                "feedback": q.findtext("generalfeedback/text"), "answers": []}
        assert q.find("questiontext").get("format") == "html"
        if kind == "numerical":
            (a,) = q.findall("answer")
            assert a.get("fraction") == "100"
            item["answers"].append((float(a.findtext("text")), float(a.findtext("tolerance"))))
        elif kind == "multichoice":
            fractions = [float(a.get("fraction")) for a in q.findall("answer")]
            right = [k for k, f in enumerate(fractions, 1) if f > 0]
            assert sum(f for f in fractions if f > 0) == pytest.approx(100, abs=1e-3)
            texts = [html.unescape(re.sub("<[^>]+>", "", a.findtext("text")))
                     for a in q.findall("answer")]
            item["answers"].append((right, texts))
        elif kind == "cloze":
            for _, sub, body in BLANK.findall(item["question"]):
                choices = _split(body, "~")
                if sub in ("NUMERICAL", "NM"):
                    (right,) = [c for c in choices if c.startswith("=")]
                    value, tol = right[1:].split("#")[0].split(":")
                    item["answers"].append((float(value), float(tol)))
                elif sub in ("SHORTANSWER", "SA"):
                    item["answers"].append((_unescape_cloze(choices[0][1:]), None))
                else:
                    right = [k for k, c in enumerate(choices, 1) if c.startswith("=")]
                    item["answers"].append((right, [_unescape_cloze(c.lstrip("="))
                                                    for c in choices]))
        out.append(item)
    return out


def _numbers(answers):
    return [(v, t) for v, t in answers]



def test_every_bundled_problem_reads_back_with_the_solvers_answers(tmp_path, at_root):
    problems = all_problems()
    export(BUNDLED, "moodle", tmp_path / "all.xml")
    questions = read_moodle(tmp_path / "all.xml")
    assert len(questions) == len(problems)
    for p, q in zip(problems, questions):
        want = expected(p)
        if p.type == "choice":
            assert q["type"] == "multichoice"
            assert q["answers"][0][0] == want[0][0], p.file
            assert q["answers"][0][1] == list(p.options)
        elif isinstance(want[0][0], str) and len(want) == 1 and q["type"] == "multichoice":
            right, texts = q["answers"][0]
            assert [texts[k - 1] for k in right] == [want[0][0]]
        else:
            assert q["answers"] == want, p.file
        assert q["feedback"].startswith("<div"), p.file


def test_a_scalar_forward_pass_is_one_numerical_question(tmp_path, at_root):
    export(["problems/hinton_p3.yaml"], "moodle", tmp_path / "q.xml")
    (q,) = read_moodle(tmp_path / "q.xml")
    assert q["type"] == "numerical"
    (value, tol), = q["answers"]
    assert value == hinton_p3_by_hand()            # full precision, not -0.36
    assert tol == 0.005                             # ask.digits 2: ±0.5·10^-2
    assert q["category"] == "$course$/top/rnnquiz/hinton_p3: Hinton lecture 7, problem 3: y at T=1"
    assert "What is y_1, to 2 decimals?" in q["question"]
    assert r"\(z_0 = W_{xh}\cdot x_0" in q["feedback"]     # the working, math for MathJax


def test_an_lstm_sequence_is_one_cloze_with_a_blank_a_step(tmp_path, at_root):
    export(["problems/mit_lstm_states_1.yaml"], "moodle", tmp_path / "q.xml")
    (q,) = read_moodle(tmp_path / "q.xml")
    assert q["type"] == "cloze"
    # MITx 6.86x homework 4's published states; three significant digits of 0 and ±1: ±0.005
    assert q["answers"] == [(v, 0.005) for v in (0, 0, 1, -1, 1, 0)]


def test_words_and_choices_are_multichoice(tmp_path, at_root):
    export(["problems/hinton_p5.yaml", "problems/hinton_p2_choice.yaml"], "moodle",
           tmp_path / "q.xml")
    verdict, choice = read_moodle(tmp_path / "q.xml")
    assert verdict["type"] == choice["type"] == "multichoice"
    right, texts = verdict["answers"][0]
    assert [texts[k - 1] for k in right] == ["vanishing"]      # Hinton's published verdict
    assert choice["answers"][0][0] == [1, 2, 4]                 # Hinton's problem 2 key


def test_a_title_with_markup_characters_survives_the_round_trip(tmp_path):
    title = 'Tom & Jerry\'s <b>"RNN"</b> a/b'
    src = tmp_path / "odd.yaml"
    text = (ROOT / "problems" / "hinton_p3.yaml").read_text(encoding="utf-8")
    src.write_text(re.sub(r"^title: .*$", f"title: {title!r}".replace("\\'", "''"), text,
                          flags=re.M), encoding="utf-8")
    assert rnnquiz.load(str(src))[0].title == title
    export([str(src)], "moodle", tmp_path / "q.xml")
    (q,) = read_moodle(tmp_path / "q.xml")
    assert q["name"] == f"odd: {title}"
    assert q["category"].endswith("odd: " + title.replace("/", "//"))   # Moodle's own escape
    assert "<b>" not in q["question"] and "&lt;b&gt;" in q["feedback"]


def test_the_ids_are_stable_and_tell_documents_apart(tmp_path, at_root):
    export(["problems/jordan_network.yaml"], "moodle", tmp_path / "a.xml")
    export(["problems/jordan_network.yaml"], "moodle", tmp_path / "b.xml")
    ids = [q["idnumber"] for q in read_moodle(tmp_path / "a.xml")]
    assert ids == [q["idnumber"] for q in read_moodle(tmp_path / "b.xml")]
    assert len(set(ids)) == 3


def test_a_bad_file_is_one_line_exit_2_and_nothing_written(tmp_path, at_root):
    out = tmp_path / "q.xml"
    out.write_text("before", encoding="utf-8")
    bad = tmp_path / "bad.yaml"
    bad.write_text("type: forward\nnetwork: {W_hh: abc}\ninputs: [1]\n", encoding="utf-8")
    r = run("export", "problems/hinton_p3.yaml", str(bad), "--to", "moodle", "--out", str(out))
    assert r.exit_code == 2
    assert r.stderr.count("\n") == 1 and r.stderr.startswith("error: ") and "bad.yaml" in r.stderr
    assert out.read_text(encoding="utf-8") == "before"
    assert sorted(os.listdir(tmp_path)) == ["bad.yaml", "q.xml"]
    r = run("export", "no_such_file.yaml", "--to", "moodle", "--out", str(out))
    assert r.exit_code == 2 and "no_such_file.yaml" in r.stderr


def test_the_command_writes_the_file(tmp_path, at_root):
    r = run("export", "hinton_p3", "--to", "moodle", "--out", str(tmp_path / "q.xml"))
    assert r.exit_code == 0, r.stderr
    (q,) = read_moodle(tmp_path / "q.xml")
    assert q["answers"][0][0] == hinton_p3_by_hand()


@pytest.mark.parametrize("name", ["hinton_p3", "mit_lstm_states_1"])
def test_golden(name, tmp_path, at_root):
    export([f"problems/{name}.yaml"], "moodle", tmp_path / "q.xml")
    got = (tmp_path / "q.xml").read_text(encoding="utf-8")
    golden = GOLDEN / f"{name}.moodle.xml"
    if os.environ.get("RNNQUIZ_REGOLD"):
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_text(got, encoding="utf-8")
        pytest.fail(f"rewrote {golden.name}: read the diff")
    assert got == golden.read_text(encoding="utf-8")


def test_a_bundled_name_and_its_path_give_the_same_id(tmp_path, at_root):
    export(["hinton_p3"], "moodle", tmp_path / "a.xml")
    export([str(ROOT / "problems" / "hinton_p3.yaml")], "moodle", tmp_path / "b.xml")
    export(["./problems/hinton_p3.yaml"], "moodle", tmp_path / "c.xml")
    ids = {read_moodle(tmp_path / f"{n}.xml")[0]["idnumber"] for n in "abc"}
    assert len(ids) == 1


def test_the_variants_of_an_exercise_share_one_category(tmp_path, at_root):
    from export_expect import hinton_p3_variant_by_hand, two_variants
    from rnnquiz.teaching.export import exercises, write
    exes = exercises(["problems/hinton_p3.yaml"], variants=two_variants(tmp_path), seed=5)
    write("moodle", exes, tmp_path / "q.xml")
    first, second = read_moodle(tmp_path / "q.xml")
    assert first["category"] == second["category"]
    assert [first["answers"], second["answers"]] == [[(hinton_p3_by_hand(), 0.005)],
                                                      [(hinton_p3_variant_by_hand(), 0.005)]]
    assert first["idnumber"] != second["idnumber"]
    again = exercises(["problems/hinton_p3.yaml"], variants=two_variants(tmp_path), seed=5)
    assert [i.id for i in again[0].items] == [first["idnumber"], second["idnumber"]]
