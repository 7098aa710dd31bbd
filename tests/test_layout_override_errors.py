"""`layout:` (SPEC 1.15) refuses what contradicts the notation or the cell: gate letters the cell
has not, an order for keys of their own, a concatenation for a GRU that resets after the
product, words outside each key's few; each error names the key, and the CLI its line."""

from __future__ import annotations

import pytest
from conftest import run

import rnnquiz


def _refused(layout) -> str:
    """The message of the error a Hinton forward file with this `layout:` raises."""
    with pytest.raises(rnnquiz.ProblemError) as e:
        rnnquiz.solve({"type": "forward", "notation": "hinton", "inputs": [1.0],
                       "layout": layout})
    return str(e.value)


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
    assert _refused(layout) == message


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


@pytest.mark.parametrize("layout, message", [
    ({"steps_from": False},
     "layout.steps_from: expected 0 or 1 (the number of the first step), got false"),
    # past 1,000 bits a whole number is described by its count of digits (str() refuses past
    # 4,300 digits); 2**999 (1,000 bits, 301 digits) is still shown, cut at 60 characters
    ({"orientation": 2 ** 999}, "layout.orientation: expected row or column, got "
                                f"{str(2 ** 999)[:60]}… (301 characters)"),
    ({"orientation": 2 ** 1000},
     "layout.orientation: expected row or column, got a whole number of about 301 digits"),
    ({"orientation": 10 ** 5000},
     "layout.orientation: expected row or column, got a whole number of about 5,000 digits"),
    ({"concat": [10 ** 5000, "x"]}, "layout.concat: expected [x, h] or [h, x], got a value "
                                    "holding a whole number too long to show"),
    # a value of 60 characters is shown whole, one of 61 cut with its length
    ({"orientation": ["x" * 58]},
     f"layout.orientation: expected row or column, got [{'x' * 58}]"),
    ({"orientation": ["x" * 59]},
     f"layout.orientation: expected row or column, got [{'x' * 59}… (61 characters)"),
    ({"gate_order": ["i", "f"]}, "layout.gate_order: the rnn cell has one gate; gate_order "
                                 "orders the gates of a gated cell (lstm, gru)"),
])
def test_each_layout_error_shows_the_value_it_got(layout, message):
    assert _refused(layout) == message


@pytest.mark.parametrize("cell, notation, layout, message", [
    ("gru", "pytorch", {"gate_order": "rzn"},
     "layout.gate_order: expected a list of the gru's 3 gate letters, got 'rzn'"),
    ("lstm", "pytorch", {"gate_order": ["i", "f", "o", "q"]},
     "layout.gate_order: unknown gate 'q' for the lstm cell; expected its 4 (or 5) gates, each "
     "once, from i, u, f, o, g, c, j, r"),
    # the gates named in PyTorch's letters (z, n), whatever letters the file used
    ("gru", "pytorch", {"gate_order": ["r", "z", "z"]},
     "layout.gate_order: expected each of the gru's 3 gates once (z, r, n), got [r, z, z]"),
    ("gated", "mit", {"gate_order": ["g", "g"]},
     "layout.gate_order: expected each of the gated's 2 gates once (g, s), got [g, g]"),
    ("gru", "pytorch", {"concat": ["x", "h"]},
     "layout.concat: the pytorch notation's GRU resets after the product "
     "(r_t ⊙ (W_hn h_{t-1} + b_hn)), which no matrix on the concatenation gives; leave "
     "concat out"),
    ("lstm", "mit", {"gate_order": ["i", "f", "o", "g"]},
     "layout.gate_order: orders the gates of one stacked matrix; the mit notation's lstm has "
     "keys of its own per gate (with concat: [x, h] or [h, x] the gates share one stacked W)"),
])
def test_each_gate_order_error_names_the_cells_gates(cell, notation, layout, message):
    with pytest.raises(rnnquiz.ProblemError) as e:
        rnnquiz.solve({"type": cell, "notation": notation, "inputs": [1.0], "layout": layout})
    assert str(e.value) == message


@pytest.mark.parametrize("network, layout, message", [
    ({"W_xh": 1.0, "W_yh": 0.5}, {"orientation": "row"},
     "layout: does not apply to output feedback (W_yh, y_init); write the network in the "
     "hinton notation's own layout"),
    ({"W_fh": 1.0, "recurrence": "cell"}, {"orientation": "row"},
     "layout: does not combine with recurrence: cell; write the network in the notation's "
     "own layout"),
    ({"relevance_gate": False}, {"concat": ["x", "h"], "gate_order": ["i", "f", "o", "g", "r"]},
     "layout.gate_order: the relevance gate r is one of the stacked gates exactly when the "
     "network says relevance_gate: true"),
])
def test_a_layout_the_network_cannot_take_is_refused_in_full(network, layout, message):
    doc = {"type": "lstm" if "W_xh" not in network else "forward", "inputs": [1.0],
           "network": network, "layout": layout}
    with pytest.raises(rnnquiz.ProblemError) as e:
        rnnquiz.solve(doc)
    assert str(e.value) == message
