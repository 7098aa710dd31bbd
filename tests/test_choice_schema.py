"""Conceptual questions (choice), the bundled list, and the JSON Schema."""

import json
from pathlib import Path

import jsonschema
import pytest

import rnnquiz
from rnnquiz.cli.commands import cli
from rnnquiz.cli.schema import schema
from rnnquiz.problem.yamlio import parse_documents
from conftest import run

PROBLEMS = Path(__file__).resolve().parent.parent / "problems"


def test_choice_answer_is_the_correct_options_and_the_demo_is_solved():
    (p,) = rnnquiz.load(PROBLEMS / "dlai_q8_choice.yaml")
    r = rnnquiz.solve(p)
    assert r.answer == [3]
    assert [s.answer for s in r.sub] == ["neither", "vanishing"]
    o = r.to_json()
    assert o["question"].startswith("Alice simplifies") and len(o["demo"]) == 2


def test_choice_text_marks_the_correct_options():
    out = run("solve", str(PROBLEMS / "mit_gating_choice.yaml")).stdout
    assert "[x] 2. If the i-th element of g_t is 0" in out
    assert "[ ] 1. If the i-th element of g_t is 1" in out


def test_missing_demo_is_an_error_of_the_choice_file(tmp_path):
    f = tmp_path / "c.yaml"
    f.write_text("type: choice\nquestion: Q?\noptions: [a, b]\ncorrect: [1]\n"
                 "demo: nowhere.yaml\n")
    r = run("solve", str(f))
    assert r.exit_code == 2 and f"{f}:5: demo: demo 'nowhere.yaml' not found" in r.stderr


@pytest.mark.parametrize("body, fragment", [
    ("question: Q?\noptions: [a]\ncorrect: [1]\n", "options: expected a list of at least two"),
    ("question: Q?\noptions: [a, b]\ncorrect: [3]\n", "correct[0]: expected an option number"),
    ("options: [a, b]\ncorrect: [1]\n", "question: expected the question"),
])
def test_bad_choice_files(tmp_path, body, fragment):
    f = tmp_path / "c.yaml"
    f.write_text("type: choice\n" + body)
    r = run("solve", str(f))
    assert r.exit_code == 2 and fragment in r.stderr, r.stderr


def test_check_a_choice():
    f = str(PROBLEMS / "dlai_q3_many_to_one.yaml")
    assert run("check", f, "--answer", "2,4").exit_code == 0
    assert run("check", f, "--answer", "2").exit_code == 1


def test_list_names_every_bundled_problem():
    out = run("list").stdout.splitlines()
    names = {line.split()[0] for line in out}
    assert {p.stem for p in PROBLEMS.glob("*.yaml")} == names
    assert any(line.startswith("hinton_p3 ") and "forward" in line for line in out)


def test_schema_accepts_every_bundled_file_and_rejects_unknown_keys():
    s = schema()
    jsonschema.Draft7Validator.check_schema(s)
    v = jsonschema.Draft7Validator(s)
    for f in PROBLEMS.glob("*.yaml"):
        for d in parse_documents(f.read_text(), str(f)):
            d = json.loads(json.dumps(d))
            assert not list(v.iter_errors(d)), f
    assert list(v.iter_errors({"type": "forward", "inputs": [1], "network": {"W_xx": 1}}))
    assert list(v.iter_errors({"type": "lstm", "inputs": [1], "nonsense": 1}))
    assert json.loads(run("schema").stdout) == s
