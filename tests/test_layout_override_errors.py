"""`layout:` (SPEC 1.15) refuses what contradicts the notation or the cell: gate letters the cell
has not, an order for keys of their own, a concatenation for a GRU that resets after the
product, words outside each key's few; each error names the key, and the CLI its line."""

from __future__ import annotations

import pytest
from conftest import run

import rnnquiz


@pytest.mark.parametrize("layout, cell, notation, where, words", [
    ({"gate_order": ["i", "f", "o"]}, "lstm", "pytorch", "layout.gate_order", "each of"),
    ({"gate_order": ["i", "f", "o", "q"]}, "lstm", "pytorch", "layout.gate_order", "'q'"),
    ({"gate_order": ["i", "f", "o", "g"]}, "lstm", "mit", "layout.gate_order", "per gate"),
    ({"gate_order": ["i", "f"]}, "rnn", "hinton", "layout.gate_order", "one gate"),
    ({"concat": ["x", "h"]}, "gru", "pytorch", "layout.concat", "resets after"),
    ({"concat": ["x", "y"]}, "rnn", "hinton", "layout.concat", "[x, h] or [h, x]"),
    ({"orientation": "rows"}, "rnn", "hinton", "layout.orientation", "row or column"),
    ({"steps_from": 2}, "rnn", "hinton", "layout.steps_from", "0 or 1"),
    ({"order": [1]}, "rnn", "hinton", "layout.order", "unknown key"),
    ([1], "rnn", "hinton", "layout", "expected a mapping"),
])
def test_contradictions_are_errors_naming_the_key(layout, cell, notation, where, words):
    doc = {"type": "forward" if cell == "rnn" else cell, "notation": notation,
           "inputs": [1.0], "layout": layout}
    with pytest.raises(rnnquiz.ProblemError) as e:
        rnnquiz.solve(doc)
    assert str(e.value).startswith(where) and words in str(e.value)


@pytest.mark.parametrize("layout, message", [
    ([1], "layout: expected a mapping of gate_order, concat, orientation, steps_from"),
    ({}, "layout: expected a mapping of gate_order, concat, orientation, steps_from"),
    ({"order": [1]}, "layout.order: unknown key; expected one of gate_order, concat, "
                     "orientation, steps_from; did you mean layout.gate_order?"),
    ({"concat": ["x", "y"]}, "layout.concat: expected [x, h] or [h, x], got [x, y]"),
    ({"orientation": "rows"}, "layout.orientation: expected row or column, got 'rows'"),
    ({"steps_from": 2},
     "layout.steps_from: expected 0 or 1 (the number of the first step), got 2"),
    ({"steps_from": True},
     "layout.steps_from: expected 0 or 1 (the number of the first step), got true"),
])
def test_each_layout_error_says_what_the_key_takes(layout, message):
    """The whole message (SPEC 1.15's words for each key), not a fragment of it."""
    with pytest.raises(rnnquiz.ProblemError) as e:
        rnnquiz.solve({"type": "forward", "notation": "hinton", "inputs": [1.0],
                       "layout": layout})
    assert str(e.value) == message


def test_a_concat_on_mit_s_gru_refuses_the_pytorch_convention():
    doc = {"type": "gru", "inputs": [1.0], "convention": "pytorch",
           "layout": {"concat": ["h", "x"]}}
    with pytest.raises(rnnquiz.ProblemError, match="layout.concat"):
        rnnquiz.solve(doc)


def test_the_cli_names_the_layout_key_s_line_and_exits_2(tmp_path):
    f = tmp_path / "bad.yaml"
    f.write_text("type: lstm\nnotation: pytorch\nlayout:\n  gate_order: [i, f, o, x]\n"
                 "inputs: [1]\n")
    r = run("solve", str(f))
    assert r.exit_code == 2 and "bad.yaml:4" in r.output and "layout.gate_order" in r.output


def test_the_schema_describes_layout():
    jsonschema = pytest.importorskip("jsonschema")
    from rnnquiz.cli.schema import schema
    good = {"type": "lstm", "inputs": [1], "layout": {"gate_order": ["i", "f", "o", "g"],
                                                       "concat": ["x", "h"],
                                                       "orientation": "row", "steps_from": 1}}
    jsonschema.validate(good, schema())
    for bad in ({"steps_from": 2}, {"concat": ["x", "x"]}, {"nope": 1}):
        with pytest.raises(jsonschema.ValidationError):
            jsonschema.validate({**good, "layout": bad}, schema())


def test_output_feedback_keeps_its_notation_s_own_layout():
    doc = {"type": "forward", "inputs": [1.0], "layout": {"orientation": "row"},
           "network": {"W_xh": 1.0, "W_yh": 0.5}}
    with pytest.raises(rnnquiz.ProblemError, match="^layout: does not apply to output feedback"):
        rnnquiz.solve(doc)


def test_recurrence_cell_keeps_its_notation_s_own_layout():
    doc = {"type": "lstm", "inputs": [1.0], "layout": {"orientation": "row"},
           "network": {"W_fh": 1.0, "recurrence": "cell"}}
    with pytest.raises(rnnquiz.ProblemError, match="^layout: does not combine with recurrence"):
        rnnquiz.solve(doc)


@pytest.mark.parametrize("relevance, order", [(True, ["i", "f", "o", "g"]),
                                              (False, ["i", "f", "o", "g", "r"])])
def test_the_relevance_gate_is_stacked_exactly_when_the_network_has_it(relevance, order):
    doc = {"type": "lstm", "inputs": [1.0], "network": {"relevance_gate": relevance},
           "layout": {"concat": ["x", "h"], "gate_order": order}}
    with pytest.raises(rnnquiz.ProblemError, match="^layout.gate_order: the relevance gate r"):
        rnnquiz.solve(doc)


def test_a_huge_whole_number_in_concat_is_the_error_naming_the_key():
    """str() refuses an int of more than 4,300 digits: the check must not call it."""
    import rnnquiz
    doc = {"type": "forward", "notation": "pytorch", "layout": {"concat": [10 ** 5000, "x"]},
           "network": {"weight_ih": [[1.0]], "weight_hh": [[1.0]]}, "inputs": [[1.0]]}
    with pytest.raises(rnnquiz.ProblemError, match=r"layout\.concat: expected \[x, h\]"):
        rnnquiz.solve(doc)
