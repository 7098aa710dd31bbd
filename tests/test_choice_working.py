"""A choice's working: the question, each option with the correct ones marked ✓, the
explanation and the answer, in that order and phase (SPEC 1.8); and its demo is solved anew
when the demo file changes."""

from __future__ import annotations

import os

import rnnquiz


def _step(symbol, value, phase, **more):
    return {"t": None, "symbol": symbol, "equation": "", "working": "", "value": value,
            "phase": phase, **more}


def test_the_working_marks_the_correct_options_then_gives_them():
    r = rnnquiz.solve({"type": "choice", "question": "Which?", "options": ["a", "b", 3],
                       "correct": [3, 1], "explanation": "because"})
    assert r.to_json()["steps"] == [
        _step("question", "Which?", "question"),
        _step("option 1", "a", "options", note="✓ correct"),
        _step("option 2", "b", "options"),
        _step("option 3", "3", "options", note="✓ correct"),
        _step("why", "because", "explanation"),
        {**_step("correct", [1, 3], "answer"), "equation": "the options marked ✓"},
    ]
    assert r.answer == [1, 3]


def test_a_choice_without_explanation_has_no_why_line():
    r = rnnquiz.solve({"type": "choice", "question": "Which?", "options": ["a", "b"],
                       "correct": 2})
    assert [s["symbol"] for s in r.to_json()["steps"]] == ["question", "option 1", "option 2",
                                                           "correct"]


def test_an_edited_demo_is_solved_again(tmp_path):
    demo = tmp_path / "d.yaml"
    demo.write_text("type: forward\ninputs: [2]\nnetwork: {W_xh: 0.5, hidden: linear}\n"
                    "ask: {quantity: h}\n")
    (tmp_path / "c.yaml").write_text("type: choice\nquestion: Q?\noptions: [a, b]\n"
                                     "correct: [2]\ndemo: d.yaml\n")
    (p,) = rnnquiz.load(tmp_path / "c.yaml")
    assert [s.answer for s in rnnquiz.solve(p).sub] == [[1.0]]          # h = 0.5·2
    demo.write_text(demo.read_text().replace("0.5", "1.5"))
    stat = demo.stat()
    os.utime(demo, (stat.st_atime, stat.st_mtime + 10))
    assert [s.answer for s in rnnquiz.solve(p).sub] == [[3.0]]          # h = 1.5·2
