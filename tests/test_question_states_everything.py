"""A question (and an answer-free handout) states what a student needs to answer without
guessing: the cell's equations as the notation writes them, how the steps are counted, the
rounding, and every decimal (0.880, trailing zeros kept, wherever digits are shown)."""

from __future__ import annotations

import math

import pytest
import yaml

from conftest import run
from rnnquiz.trace.numbers import fixed


def _new(kind: str, *args: str) -> dict:
    return yaml.safe_load(run("new", kind, "--seed", "3", *args).stdout)


def _sigma(z: float) -> float:
    return 1 / (1 + math.exp(-z))


def test_a_gru_question_states_its_update_rule_and_steps():
    doc = _new("gru")
    q = doc["question"]
    assert "u_t = σ(W_uh·h_{t-1} + W_ux·x_t + b_u)" in q
    assert "c_t = tanh(W_ch·(r_t⊙h_{t-1}) + W_cx·x_t + b_c)" in q
    assert "h_t = u_t⊙c_t + (1 - u_t)⊙h_{t-1}" in q          # the update gate on the candidate
    assert "Steps are counted from 0: x_0 is the first input and h_{-1} = h_init" in q
    assert "Nothing is rounded along the way." in q
    assert q.endswith("Write all 3 decimals, trailing zeros kept (0.5 is 0.500).")
    # the stated equations, followed by hand, give the key's answer: one defensible answer
    n = doc["network"]
    h = n.get("h_init", 0)
    for x in doc["inputs"][:doc["ask"]["t"] + 1]:
        u = _sigma(n.get("W_uh", 0) * h + n.get("W_ux", 0) * x + n.get("b_u", 0))
        r = _sigma(n.get("W_rh", 0) * h + n.get("W_rx", 0) * x + n.get("b_r", 0))
        c = math.tanh(n.get("W_ch", 0) * (r * h) + n.get("W_cx", 0) * x + n.get("b_c", 0))
        h = u * c + (1 - u) * h
    assert round(h, 3) == doc["answer"]


def test_the_other_gru_convention_is_stated_as_it_is_computed(tmp_path):
    doc = _new("gru")
    doc.pop("question"), doc.pop("answer")
    doc["convention"] = "pytorch"
    f = tmp_path / "g.yaml"
    f.write_text(yaml.safe_dump(doc, allow_unicode=True))
    from rnnquiz import load, solve
    from rnnquiz.teaching.question import full_question
    (p,) = load(f)
    q = full_question(p, solve(p))
    assert "h_t = (1 - u_t)⊙c_t + u_t⊙h_{t-1}" in q
    assert "h_t = u_t⊙c_t + (1 - u_t)⊙h_{t-1}" not in q


def test_steps_from_one_are_said_in_the_course_s_symbols():
    from rnnquiz import load, solve
    from rnnquiz.teaching.question import full_question
    (p,) = load("problems/dlai_q8_gru_simplification.yaml")[:1]
    p.question = ""
    q = full_question(p, solve(p))
    assert "Steps are counted from 1: x<1> is the first input and c<0> = c_init" in q
    assert "c<t> = Γ_u<t>⊙c̃<t> + (1 - Γ_u<t>)⊙c<t-1>" in q


def test_a_backprop_question_states_its_loss():
    q = _new("backprop")["question"]
    assert "The loss is E = 1/2 Σ_t Σ_k (y_tk - target_tk)²" in q


@pytest.mark.parametrize("kind, words", [
    ("clip", "clipped by their global norm to"),
    ("perplexity", "perplexity = exp(E/T)"),
    ("decode", "a hypothesis of L tokens scores (1/L^"),
])
def test_questions_without_a_network_say_what_they_give(kind, words):
    q = _new(kind)["question"]
    assert words in q and not q.startswith("A network")


def test_the_handout_carries_the_rules_and_no_answers(tmp_path):
    r = run("new", "gru", "--seed", "3", "--count", "2", "--out", str(tmp_path), "--handout")
    assert r.exit_code == 0
    sheet = (tmp_path / "handout.md").read_text()
    assert sheet.count("Steps are counted from 0") == 2
    assert sheet.count("h\\_t = u\\_t⊙c\\_t + (1 - u\\_t)⊙h\\_{t-1}") == 2
    assert sheet.count("0.5 is 0.500") == 2


@pytest.mark.parametrize("value, digits, text", [
    (0.88, 3, "0.880"), (-0.36, 2, "-0.36"), (1.0, 3, "1.000"), (-0.0001, 2, "0.00"),
    ([0.5, 1.0], 2, "[0.50, 1.00]"), (7, 3, "7"), ("vanishing", 2, "vanishing"),
    (0.00469013, 6, "0.004690"),
])
def test_digits_keep_their_trailing_zeros(value, digits, text):
    assert fixed(value, digits) == text


def test_check_writes_the_answer_with_every_decimal(tmp_path):
    f = tmp_path / "p.yaml"
    f.write_text("type: forward\nnetwork: {W_xh: 1, hidden: linear, W_hy: 1}\n"
                 "inputs: [0.88]\nask: {quantity: y, t: 0, digits: 3}\n")
    r = run("check", str(f), "--answer", "0.880")
    assert r.exit_code == 0
    assert r.stdout.startswith("right: 0.880 is y at t=0 = 0.880 at 3 decimals")
    r = run("check", str(f), "--answer", "0.87")
    assert "the answer is 0.880 at 3 decimals" in r.stdout
    assert "≈ 0.880" in run("solve", str(f)).stdout
