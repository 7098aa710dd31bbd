"""Forty-odd mistakes a newcomer makes in a first hour, each with the message it must give:
what is wrong, and how to write it right (the nearest valid spelling or form).

Each row is (what the newcomer did, the file they wrote, the words the error must hold). Every
row must exit 2 with one `error:` line naming the file and line; none may give a traceback.
"""

from __future__ import annotations

import pytest

from conftest import run

BASE = """type: forward
network:
  hidden: logistic
  W_xh: 0.5
  W_hh: -1.0
  W_hy: -0.7
  b_h: -1.0
  h_init: 0
inputs: [9, 4, -2]
ask: {quantity: y, t: 1, digits: 2}
"""
BP = BASE.replace("type: forward", "type: backprop") + "targets: [0, 0, 0]\n"
GRU = """type: gru
network: {W_uh: 0.4, W_ux: -0.8, b_u: 0.4, W_rh: -0.4, W_rx: -0.8, W_ch: -0.4, W_cx: 0.5}
inputs: [1, 2, -3]
ask: {quantity: h, t: 2, digits: 3}
"""
def sub(text, old, new):
    assert old in text, old
    return text.replace(old, new, 1)
CASES = [
 ("a step written into the quantity", sub(BP, "quantity: y", "quantity: dE/dz_1"), "did you mean dE/dz with ask.t: 1?"),
 ("a step in angle brackets", sub(BASE, "quantity: y, t: 1", "quantity: y<1>"), "did you mean y with ask.t: 1?"),
 ("the quantity with _t", sub(BASE, "quantity: y", "quantity: h_t"), "did you mean h (with ask.t"),
 ("a loss called loss", sub(BP, "quantity: y, t: 1", "quantity: loss"), "did you mean E?"),
 ("dL for dE", sub(BP, "quantity: y, t: 1", "quantity: dL/dW_hh"), "did you mean dE/dW_hh?"),
 ("a gradient without dE/", sub(BP, "quantity: y, t: 1", "quantity: dW_hh"), "did you mean dE/dW_hh?"),
 ("a weight name without underscore", sub(BP, "quantity: y, t: 1", "quantity: dE/dWhh"), "did you mean dE/dW_hh?"),
 ("a capital Y", sub(BASE, "quantity: y", "quantity: Y"), "did you mean y?"),
 ("a tab for indentation", sub(BASE, "  W_hh", "\tW_hh"), "YAML does not allow tabs for indentation: line 5, column 1; indent with spaces"),
 ("PyTorch's h0 in Hinton's notation", sub(BASE, "h_init: 0", "h0: 0"), "did you mean h_init (the initial state)?"),
 ("h_{-1} as a key", sub(BASE, "h_init: 0", "h_{-1}: 0"), "did you mean h_init (the initial state)?"),
 ("a lower-case weight", sub(BASE, "W_hh", "w_hh"), "did you mean network.W_hh?"),
 ("a weight without underscore", sub(BASE, "W_xh", "Wxh"), "did you mean network.W_xh?"),
 ("a misspelt bias", sub(BASE, "b_h", "bh"), "did you mean network.b_h?"),
 ("another notation's key", sub(GRU, "W_uh", "W_u"), "W_u is written in the deeplearning_ai and goodfellow notation; write notation: deeplearning_ai"),
 ("input for inputs", sub(BASE, "inputs:", "input:"), "did you mean inputs?"),
 ("targets on a forward pass", BASE + "targets: [0, 0, 0]\n", "has no targets (type backprop takes them for a loss)"),
 ("a network key at the top level", BASE.replace("  h_init: 0\n", "") + "h_init: 0\n", "parameters and initial states go under network:"),
 ("ask.step for ask.t", sub(BASE, "t: 1", "step: 1"), "did you mean ask.t?"),
 ("ask.decimals", sub(BASE, "digits: 2", "decimals: 2"), "did you mean ask.digits?"),
 ("ask as a word", sub(BASE, "ask: {quantity: y, t: 1, digits: 2}", "ask: y"), "write ask: {quantity: y, t: 1}"),
 ("a misspelt activation", sub(BASE, "hidden: logistic", "hidden: sigmod"), "did you mean hidden: logistic?"),
 ("an identity activation", sub(BASE, "hidden: logistic", "hidden: identity"), "did you mean hidden: linear?"),
 ("a capitalised activation", sub(BASE, "hidden: logistic", "hidden: Tanh"), "did you mean hidden: tanh?"),
 ("type bptt", sub(BP, "type: backprop", "type: bptt"), "did you mean type: backprop?"),
 ("type Forward", sub(BASE, "type: forward", "type: Forward"), "did you mean type: forward?"),
 ("no type", sub(BASE, "type: forward\n", ""), "write the type first, e.g. type: forward"),
 ("loss mse", BP + "loss: mse\n", "did you mean loss: squared?"),
 ("loss crossentropy", BP + "loss: crossentropy\n", "did you mean loss: cross_entropy?"),
 ("reduction average", BP + "reduction: average\n", "did you mean reduction: mean?"),
 ("round states", BASE + "round: states\n", "did you mean round: state?"),
 ("notation deeplearning.ai", sub(GRU, "type: gru\n", "type: gru\nnotation: deeplearning.ai\n"), "did you mean notation: deeplearning_ai?"),
 ("notation PyTorch", sub(GRU, "type: gru\n", "type: gru\nnotation: PyTorch\n"), "did you mean notation: pytorch?"),
 ("convention torch", GRU + "convention: torch\n", "did you mean convention: pytorch?"),
 ("a decimal comma in the file", sub(BASE, "W_xh: 0.5", "W_xh: 0,5"), "use a dot for decimals: 0.5"),
 ("inputs without brackets", sub(BASE, "inputs: [9, 4, -2]", "inputs: 9, 4, -2"), "write the list in brackets: [9, 4, -2]"),
 ("a vector without commas", sub(BASE, "b_h: -1.0", "b_h: [1 2]"), "separate the numbers with commas: [1, 2]"),
 ("a fraction", sub(BASE, "W_xh: 0.5", "W_xh: 1/2"), "write the fraction as a decimal: 0.5"),
 ("a quoted list", sub(BASE, "inputs: [9, 4, -2]", "inputs: '[9, 4, -2]'"), "remove the quotes around the list"),
 ("a step past the last", sub(BASE, "t: 1", "t: 3"), "this notation counts steps from 0: the 3 inputs are steps 0 to 2"),
 ("no space after the colon", sub(BASE, "network:\n  hidden: logistic\n  W_xh: 0.5\n  W_hh: -1.0\n  W_hy: -0.7\n  b_h: -1.0\n  h_init: 0\n", "network:\n  W_xh:0.5\n"), "put a space after the colon: W_xh: 0.5"),
 ("a key indented one space too far", sub(BASE, "  W_hh: -1.0", "   W_hh: -1.0"), "the keys of one mapping start in the same column"),
 ("digits as a word", sub(BASE, "digits: 2", "digits: two"), "write it as a number: 2"),
 ("softmax as the hidden activation", sub(BASE, "hidden: logistic", "hidden: softmax"), "softmax is an output activation: write it as network.output"),
 ("round in words", BASE + "round: 2 decimals\n", "did you mean round: 2?"),
 ("a quoted step", sub(BASE, "t: 1", 't: "1"'), "write the number without quotes: 1"),
 ("the letters of a weight swapped", sub(BASE, "W_xh", "W_hx"), "did you mean network.W_xh? (this notation writes the two letters the other way round)"),
 ("the question's quantity at the top level", BASE + "quantity: y\n", "quantity goes under ask: (ask: {quantity: ...})"),
 ("a published answer with a decimal comma", BASE + "answer: 0,36\n", "answer: expected a number, got '0,36'; use a dot for decimals: 0.36"),
 ("a published answer with two decimal points", BASE + "answer: 0.0.36\n", "a number has one decimal point at most (as 0.88)"),
 ("a quoted weight", sub(BASE, "W_xh: 0.5", 'W_xh: "0.5"'), "write the number without quotes: 0.5"),
]
ANSWERS = [
 ("a decimal comma", "0,36", "use a dot for decimals: 0.36"),
 ("two decimal points", "0.0.880", "'0.0.880' is not a number: one decimal point at most"),
 ("a word for a number", "abc", "is answered with numbers"),
]


def test_the_table_holds_forty_mistakes():
    assert len(CASES) + len(ANSWERS) >= 40
    assert len({name for name, _, _ in CASES + ANSWERS}) == len(CASES) + len(ANSWERS)


@pytest.mark.parametrize("name, text, want", CASES, ids=[c[0] for c in CASES])
def test_a_mistake_in_a_file_says_how_to_write_it(tmp_path, name, text, want):
    f = tmp_path / "mine.yaml"
    f.write_text(text, encoding="utf-8")
    r = run("solve", str(f))
    assert r.exit_code == 2, r.stdout
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"error: {f}:"), r.stderr
    assert want in lines[0]
    assert lines[0].count(want) == 1            # the advice is given once, not per layer


@pytest.mark.parametrize("name, answer, want", ANSWERS, ids=[a[0] for a in ANSWERS])
def test_a_malformed_answer_is_a_usage_error_that_says_how(name, answer, want):
    r = run("check", "hinton_p3", "--answer", answer)
    assert r.exit_code == 2
    assert want in r.stderr and "Traceback" not in r.stderr


@pytest.mark.parametrize("path, want", [
    ("hinton_p33", "did you mean hinton_p3?"),
    ("problems/hinton_p3.yml", "did you mean problems/hinton_p3.yaml?"),
    ("problem/", "did you mean problems?"),
])
def test_a_mistyped_file_or_bundled_name_gets_the_nearest(path, want, monkeypatch):
    from conftest import ROOT
    monkeypatch.chdir(ROOT)
    r = run("solve", path)
    assert r.exit_code == 2 and want in r.stderr


def test_a_well_formed_answer_is_still_graded():
    assert run("check", "hinton_p3", "--answer", "-0.36").exit_code == 0
    assert run("check", "hinton_p3", "--answer", "-0.51").exit_code == 1


def test_the_api_raises_the_same_advice():
    import rnnquiz
    import yaml
    text = CASES[0][1]
    with pytest.raises(rnnquiz.ProblemError, match="did you mean dE/dz with ask.t: 1"):
        rnnquiz.solve(yaml.safe_load(text))
