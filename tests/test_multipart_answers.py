"""A question in several parts (`ask.quantity` as a list, SPEC 1 and 3): each part picked,
rounded and compared on its own; the JSON's `parts`; every format shows each part's answer;
`check --answer "a | b"` judges each part. Values are hand-worked, numpy by the course's
formulas, or torch autograd."""

from __future__ import annotations

import json
import math
import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import numpy as np
import pytest

import rnnquiz
from conftest import run
from rnnquiz.errors import ProblemError
from rnnquiz.types import from_dict, solve

ROOT = Path(__file__).resolve().parent.parent
PROBLEMS = ROOT / "problems"


def _sigma(z):
    return 1 / (1 + math.exp(-z))


# Hinton's lecture 7 problem 3 network, by hand: h_0 = σ(0.5·9 − 1), h_1 = σ(0.5·4 − h_0 − 1)
H0 = _sigma(3.5)
H1 = _sigma(1 - H0)
Y1 = -0.7 * H1
H2 = _sigma(-2 - H1)

HINTON = {"type": "forward",
          "network": {"hidden": "logistic", "output": "linear", "W_xh": 0.5, "W_hh": -1.0,
                      "W_hy": -0.7, "b_h": -1.0, "b_y": 0.0, "h_init": 0},
          "inputs": [9, 4, -2],
          "ask": {"quantity": ["h", "y"], "t": 1, "digits": 2},
          "answer": [0.51, -0.36]}


def _write(tmp_path, doc, name="parts.yaml") -> str:
    import yaml
    path = tmp_path / name
    path.write_text(yaml.safe_dump(doc, sort_keys=False))
    return str(path)


# ---------------------------------------------------------------- solving

def test_a_step_asking_h_and_y_gives_both_in_order():
    r = solve(HINTON)
    assert r.answer == pytest.approx([H1, Y1], abs=1e-15)
    assert r.answer_rounded == [0.51, -0.36]
    assert r.expected == [0.51, -0.36] and r.agrees is True
    parts = r.extra["parts"]
    assert [p["question"] for p in parts] == ["h at t=1", "y at t=1"]
    assert [p["agrees"] for p in parts] == [True, True]


def test_each_part_may_say_its_own_step_and_digits():
    doc = {**HINTON, "ask": {"quantity": ["h", {"quantity": "h", "t": 2, "digits": 4}],
                             "t": 1, "digits": 2},
           "answer": [0.51, round(H2, 4)]}
    r = solve(doc)
    assert r.answer == pytest.approx([H1, H2], abs=1e-15)
    assert r.answer_rounded == [0.51, round(H2, 4)]
    assert r.agrees is True


def test_one_wrong_part_is_a_disagreement_and_says_which():
    r = solve({**HINTON, "answer": [0.51, -0.35]})
    assert r.agrees is False
    assert [p["agrees"] for p in r.extra["parts"]] == [True, False]


def test_a_list_of_one_gives_a_list():
    r = solve({**HINTON, "ask": {"quantity": ["y"], "t": 1, "digits": 2}, "answer": [-0.36]})
    assert r.answer == pytest.approx([Y1]) and r.agrees is True


def test_perplexity_asking_cross_entropy_and_perplexity():
    # ln 2 + 2 ln 2 + 3 ln 2 = 6 ln 2 over 3 tokens: E/T = 2 ln 2, perplexity e^{2 ln 2} = 4
    r = solve({"type": "perplexity", "probabilities": [0.5, 0.25, 0.125],
               "ask": {"quantity": ["cross_entropy", "perplexity"]},
               "answer": [2 * math.log(2), 4]})
    assert r.answer == pytest.approx([2 * math.log(2), 4.0], rel=1e-12)
    assert r.agrees is True


def test_cs231n_lstm_step_gives_next_c_and_next_h_as_the_course_computes_them():
    # lstm_step_forward by the notebook's formulas: a = x Wx + prev_h Wh + b, gates i f o g
    n, d, h = 3, 4, 5
    x = np.linspace(-0.4, 1.2, n * d).reshape(n, d)
    ph = np.linspace(-0.3, 0.7, n * h).reshape(n, h)
    pc = np.linspace(-0.4, 0.9, n * h).reshape(n, h)
    wx = np.linspace(-2.1, 1.3, 4 * d * h).reshape(d, 4 * h)
    wh = np.linspace(-0.7, 2.2, 4 * h * h).reshape(h, 4 * h)
    b = np.linspace(0.3, 0.7, 4 * h)
    a = x @ wx + ph @ wh + b
    sig = lambda z: 1 / (1 + np.exp(-z))   # noqa: E731
    i, f, o, g = sig(a[:, :h]), sig(a[:, h:2 * h]), sig(a[:, 2 * h:3 * h]), np.tanh(a[:, 3 * h:])
    c = f * pc + i * g
    (p,) = rnnquiz.load(str(PROBLEMS / "cs231n_lstm_step_parts.yaml"))
    r = solve(p)
    got_c, got_h = (np.asarray(v).reshape(n, h) for v in r.answer)
    # the file writes the linspaces at 12 decimals
    assert np.allclose(got_c, c, atol=1e-10) and np.allclose(got_h, o * np.tanh(c), atol=1e-10)
    assert r.agrees is True


def test_backprop_asking_two_gradients_matches_torch():
    torch = pytest.importorskip("torch")
    (p,) = rnnquiz.load(str(PROBLEMS / "cmu11785_rnncell_backward_parts.yaml"))
    r = solve(p)
    t = torch.tensor
    w_ih = t([[0.2, -0.1, 0.4], [0.5, 0.3, -0.2]], dtype=torch.float64, requires_grad=True)
    w_hh = t([[0.1, -0.3], [0.2, 0.4]], dtype=torch.float64)
    h0 = t([[0.1, -0.2], [0.5, 0.3]], dtype=torch.float64, requires_grad=True)
    x = t([[1.0, -0.5, 0.3], [0.2, 0.8, -1.0]], dtype=torch.float64)
    delta = t([[0.6, -0.4], [-0.2, 0.9]], dtype=torch.float64)
    hid = torch.tanh(x @ w_ih.T + t([0.1, -0.1], dtype=torch.float64) + h0 @ w_hh.T
                     + t([0.0, 0.05], dtype=torch.float64))
    (hid * delta).sum().backward()
    # RNNCell.backward divides dW by the batch size; dh_prev_t stays per example
    assert np.allclose(r.answer[0], (w_ih.grad / 2).numpy(), atol=1e-12)
    assert np.allclose(np.asarray(r.answer[1]).reshape(2, 2), h0.grad.numpy(), atol=1e-12)
    assert r.agrees is True


# ---------------------------------------------------------------- reading the file

@pytest.mark.parametrize("ask, answer, where", [
    ({"quantity": [], "t": 1}, None, "ask.quantity"),
    ({"quantity": ["h", 3], "t": 1}, None, "ask.quantity[1]"),
    ({"quantity": ["h", {"quantity": "y", "colour": 1}], "t": 1}, None, "ask.quantity[1].colour"),
    ({"quantity": ["h", {"quantity": "y", "t": 7}], "t": 1}, None, "ask.quantity[1].t"),
    ({"quantity": ["h", "y"], "t": 1}, [0.5], "answer"),
    ({"quantity": ["h", "y"], "t": 1}, [0.5, "abc"], "answer[1]"),
])
def test_bad_parts_are_refused_by_key_path(ask, answer, where):
    doc = {**HINTON, "ask": ask}
    doc.pop("answer")
    if answer is not None:
        doc["answer"] = answer
    with pytest.raises(ProblemError) as err:
        solve(from_dict(doc))
    assert err.value.path == where


def test_an_unknown_part_quantity_is_named(tmp_path):
    r = run("solve", _write(tmp_path, {**HINTON, "ask": {"quantity": ["h", "q"], "t": 1}}))
    assert r.exit_code == 2 and "'q'" in r.stderr and "Traceback" not in r.stderr


# ---------------------------------------------------------------- JSON

def test_json_has_the_parts_and_the_lists(tmp_path):
    r = run("solve", _write(tmp_path, HINTON), "--json")
    assert r.exit_code == 0
    j = json.loads(r.stdout)
    assert j["answer"] == pytest.approx([H1, Y1]) and j["expected"] == [0.51, -0.36]
    assert j["answer_rounded"] == [0.51, -0.36] and j["agrees"] is True
    assert [{k: e[k] for k in ("quantity", "question", "answer_rounded", "expected", "agrees")}
            for e in j["parts"]] == [
        {"quantity": "h", "question": "h at t=1", "answer_rounded": 0.51, "expected": 0.51,
         "agrees": True},
        {"quantity": "y", "question": "y at t=1", "answer_rounded": -0.36, "expected": -0.36,
         "agrees": True}]
    assert j["parts"][1]["answer"] == pytest.approx(Y1, abs=1e-15)


def test_json_of_a_disagreeing_part_exits_1(tmp_path):
    r = run("solve", _write(tmp_path, {**HINTON, "answer": [0.52, -0.36]}), "--json")
    assert r.exit_code == 1
    j = json.loads(r.stdout)
    assert j["agrees"] is False and [e["agrees"] for e in j["parts"]] == [False, True]


def test_a_single_quantity_has_no_parts():
    r = run("solve", str(PROBLEMS / "hinton_p3.yaml"), "--json")
    j = json.loads(r.stdout)
    assert "parts" not in j and j["answer"] == pytest.approx(Y1)


# ---------------------------------------------------------------- check

def test_check_judges_each_part(tmp_path):
    f = _write(tmp_path, HINTON)
    right = run("check", f, "--answer", "0.51 | -0.36")
    assert right.exit_code == 0
    assert right.stdout.splitlines()[:2] == ["right: 0.51 is h at t=1 = 0.51 at 2 decimals",
                                            "right: -0.36 is y at t=1 = -0.36 at 2 decimals"]
    wrong = run("check", f, "--answer", "0.51|-0.35")
    assert wrong.exit_code == 1
    assert "wrong: -0.35 is not y at t=1; the answer is -0.36" in wrong.stdout


def test_check_finds_the_slip_of_the_wrong_part(tmp_path):
    # y_2 (the step after the one asked) given for y_1: -0.7·h_2 ≈ -0.05
    r = run("check", _write(tmp_path, HINTON), "--answer", "0.51 | -0.05", "--json")
    assert r.exit_code == 1
    j = json.loads(r.stdout)
    assert j["given"] == [0.51, -0.05] and j["agrees"] is False
    assert [p["agrees"] for p in j["parts"]] == [True, False]
    assert j["parts"][0]["diagnosis"] == []
    slips = {d["slip"]: d for d in j["parts"][1]["diagnosis"]}
    assert slips["off_by_one_step"]["value"] == pytest.approx(-0.7 * H2, abs=1e-12)
    assert slips["off_by_one_step"]["part"] == 2


@pytest.mark.parametrize("answer", ["0.51", "0.51 | -0.36 | 1"])
def test_check_with_the_wrong_number_of_parts_is_a_usage_error(tmp_path, answer):
    r = run("check", _write(tmp_path, HINTON), "--answer", answer)
    assert r.exit_code == 2 and "expected 2 parts" in r.stderr


# ---------------------------------------------------------------- every format

def _render(tmp_path, fmt, doc=None, code=0):
    r = run("solve", _write(tmp_path, doc or HINTON), "--format", fmt)
    assert r.exit_code == code, r.stderr
    return r.stdout


def test_table_shows_each_part_and_its_verdict(tmp_path):
    out = _render(tmp_path, "table")
    assert "answer: (a) h at t=1 = 0.5073275330397904  ≈ 0.51" in out
    assert "answer: (b) y at t=1 = -0.35512927312785325  ≈ -0.36" in out
    assert "published answer 0.51: agrees" in out and "published answer -0.36: agrees" in out
    # the working marks both asked steps
    assert len([ln for ln in out.splitlines() if ln.startswith("▶")]) == 2


def test_markdown_shows_each_part(tmp_path):
    from markdown_it import MarkdownIt
    tokens = MarkdownIt("commonmark").enable("table").parse(_render(tmp_path, "markdown"))
    texts = ["".join(c.content for c in t.children or [] if c.type == "text")
             for t in tokens if t.type == "inline"]
    assert any(re.search(r"\(a\) h at t=1 = 0\.5073275330397904\s+≈ 0\.51", s) for s in texts)
    assert any(re.search(r"\(b\) y at t=1 = -0\.35512927312785325\s+≈ -0\.36", s)
               for s in texts)
    assert "published answer -0.36: agrees" in texts


def test_html_shows_each_part_with_its_verdict(tmp_path):
    from html.parser import HTMLParser

    class Paragraphs(HTMLParser):
        def __init__(self):
            super().__init__()
            self.out, self.cls, self.inside = [], None, False

        def handle_starttag(self, tag, attrs):
            if tag == "p":
                self.inside, self.cls = True, dict(attrs).get("class")
                self.out.append([self.cls, ""])

        def handle_endtag(self, tag):
            self.inside = tag != "p" and self.inside

        def handle_data(self, data):
            if self.inside:
                self.out[-1][1] += data

    p = Paragraphs()
    p.feed(_render(tmp_path, "html", {**HINTON, "answer": [0.51, -0.35]}, code=1))
    shown = [(c, t) for c, t in p.out if "answer" in t.lower()]
    assert [t for _, t in shown if t.startswith("Answer:")] == [
        "Answer: (a) h at t=1 = 0.5073275330397904  ≈ 0.51",
        "Answer: (b) y at t=1 = -0.35512927312785325  ≈ -0.36"]
    assert ("ok", "published answer 0.51: agrees") in shown
    assert ("bad", "published answer -0.35: DISAGREES") in shown


def test_notebook_shows_each_part():
    html = rnnquiz.solve(HINTON)._repr_html_()
    assert "(a) h at t=1" in html and "(b) y at t=1" in html


@pytest.mark.skipif(shutil.which("pdflatex") is None, reason="pdflatex is not installed")
def test_latex_of_parts_compiles(tmp_path):
    tex = _render(tmp_path, "latex")
    assert "(a) h at t=1" in tex and "(b) y at t=1" in tex
    (tmp_path / "parts.tex").write_text(tex)
    p = subprocess.run(["pdflatex", "-interaction=nonstopmode", "-halt-on-error", "parts.tex"],
                       cwd=tmp_path, capture_output=True, timeout=120)
    assert p.returncode == 0


# ---------------------------------------------------------------- question and export

def test_the_question_names_every_part():
    from rnnquiz.teaching.question import question_text
    p = from_dict(HINTON)
    text = question_text(p, solve(p))
    assert "What are h at t=1 and y at t=1, to 2 decimals?" in text


def test_moodle_cloze_has_a_blank_a_part(tmp_path):
    out = tmp_path / "parts.xml"
    r = run("export", _write(tmp_path, HINTON), "--to", "moodle", "--out", str(out))
    assert r.exit_code == 0, r.stderr
    (q,) = [q for q in ET.parse(out).getroot().findall("question") if q.get("type") != "category"]
    assert q.get("type") == "cloze"
    text = q.findtext("questiontext/text")
    blanks = re.findall(r"\{1:NUMERICAL:=([^:}]+):([^}]+)\}", text)
    assert [float(v) for v, _ in blanks] == pytest.approx([H1, Y1], abs=1e-12)
    assert [float(tol) for _, tol in blanks] == [0.005, 0.005]    # half a unit of 2 decimals
    assert text.index("h at t=1") < text.index("y at t=1")


def test_the_schema_accepts_a_list_of_quantities_and_refuses_a_number():
    jsonschema = pytest.importorskip("jsonschema")
    schema = json.loads(run("schema").stdout)
    import yaml
    for name in ("cs231n_lstm_step_parts", "cmu11785_rnncell_backward_parts"):
        jsonschema.validate(yaml.safe_load((PROBLEMS / f"{name}.yaml").read_text()), schema)
    jsonschema.validate(HINTON, schema)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({**HINTON, "ask": {"quantity": [3]}}, schema)


def test_parts_may_ask_different_layers_of_a_stack():
    # d2l 10.3's two-layer tanh RNN at t = 1, x_1 = 1, by hand (row layout: h = x W_xh + b)
    (p,) = [q for q in rnnquiz.load(str(PROBLEMS / "d2l_deep_rnn.yaml"))]
    doc = {**p.data, "ask": {"quantity": [{"quantity": "h", "layer": 1}, "h"], "t": 1}}
    doc.pop("answer")
    h1 = [math.tanh(1.0), math.tanh(-0.9)]
    h2 = [math.tanh(0.5 * h1[0] + 0.1), math.tanh(0.5 * h1[1])]
    r = solve(doc)
    assert np.allclose(r.answer[0], h1, atol=1e-15) and np.allclose(r.answer[1], h2, atol=1e-15)


def test_parts_may_ask_quantities_a_solver_computes_only_when_asked():
    # E = 6 ln 2 summed over the tokens; its perplexity exp(E/3) = 4
    r = solve({"type": "perplexity", "probabilities": [0.5, 0.25, 0.125],
               "ask": {"quantity": ["perplexity", "E"]}})
    assert r.answer == pytest.approx([4.0, 6 * math.log(2)], rel=1e-12)


def test_quiz_grades_the_parts_and_names_the_wrong_one(tmp_path):
    f = _write(tmp_path, HINTON)
    right = run("quiz", f, input="0.51 | -0.36\n")
    assert "your answer (the 2 parts separated by |" in right.stdout
    assert "  right" in right.stdout and "Traceback" not in right.stdout
    wrong = run("quiz", f, input="0.51 | -0.05\n")
    assert "wrong: the answer is 0.51 | -0.36" in wrong.stdout
    assert "wrong: part 2 (y at t=1)" in wrong.stdout
    assert "maybe off_by_one_step" in wrong.stdout


def test_canvas_gives_each_part_a_numerical_question(tmp_path):
    import zipfile
    out = tmp_path / "parts.zip"
    r = run("export", _write(tmp_path, HINTON), "--to", "canvas", "--out", str(out))
    assert r.exit_code == 0, r.stderr
    with zipfile.ZipFile(out) as z:
        text = "".join(z.read(n).decode() for n in z.namelist() if n.endswith(".xml")
                       and n != "imsmanifest.xml")
    assert text.count("numerical_question") == 2
    assert "h at t=1 =" in text and "y at t=1 =" in text


def test_the_slips_of_a_question_in_parts_are_searched_part_by_part():
    from rnnquiz.teaching.slip_search import diagnose
    from rnnquiz.teaching.slips import variants_for
    p = from_dict(HINTON)
    assert variants_for(p) == [] and diagnose(p, [0.51, -0.05], "0.51 | -0.05") == []
    one = from_dict({**HINTON, "ask": {"quantity": "y", "t": 1, "digits": 2}, "answer": -0.36})
    assert "off_by_one_step" in {d["slip"] for d in diagnose(one, -0.05, "-0.05")}


def test_a_ctc_question_in_two_parts():
    # the loss (document 1) and dE/du at t = 2 (document 3) of the bundled CMU exercise
    docs = rnnquiz.load(str(PROBLEMS / "cmu11785_hw3_ctc.yaml"))
    assert docs[2].data["logits"] == docs[0].data["logits"]
    doc = {**docs[0].data, "ask": {"quantity": ["loss", "probability",
                                                {"quantity": "dE/du", "t": 2}], "digits": 6},
           "answer": [docs[0].answer, None, docs[2].answer]}
    r = solve(doc)
    assert r.agrees is True
    # p(z|x) = e^{-loss}
    assert r.answer[1] == pytest.approx(math.exp(-r.answer[0]), rel=1e-12)
    assert [e["agrees"] for e in r.extra["parts"]] == [True, None, True]
