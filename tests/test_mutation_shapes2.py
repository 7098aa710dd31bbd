"""`shapes` for a simple RNN in the course's layout (rnnquiz/solvers/shapes.py): the keys of
one layer, and the one-block formula written without a gate count. Counts by hand."""

from __future__ import annotations

import rnnquiz


def working(**doc):
    r = rnnquiz.solve({"type": "shapes", **doc})
    return [(s.symbol, s.value, s.equation, s.formula, s.operands) for s in r.steps], \
        r.values["shapes"]


def test_course_rnn_keys_are_w_hh_w_xh_b_h():
    """W_hh 4x4, W_xh 4x3 (h rows, x columns), b_h 4: 16 + 12 + 4 = 32."""
    steps, s = working(cell="rnn", input=3, hidden=4)
    assert s == {"W_hh": [4, 4], "W_xh": [4, 3], "b_h": [4], "h": [4], "x": [3]}
    assert steps[1] == ("W_hh, W_xh, b_h", 32, "h·h + h·x + h", "{}·{} + {}·{} + {}",
                        (4, 4, 4, 3, 4))
    assert steps[-1][:2] == ("params", 32)


def test_course_rnn_stack_writes_one_block_without_a_count():
    """A simple RNN has one block: (h·h + h·x + h), not 1·(...). Layer 1: 16 + 12 + 4 = 32,
    layer 2 reads h = 4: 16 + 16 + 4 = 36; bidirectional: twice, layer 2 reads 2h = 8."""
    steps, _ = working(cell="rnn", input=3, hidden=4, layers=2)
    assert steps[1:3] == [
        ("layer1: W_hh, W_xh, b_h", 32, "(h·h + h·x + h)", "({}·{} + {}·{} + {})",
         (4, 4, 4, 3, 4)),
        ("layer2: W_hh, W_xh, b_h", 36, "(h·h + h·x + h)", "({}·{} + {}·{} + {})",
         (4, 4, 4, 4, 4))]
    steps, _ = working(cell="rnn", input=3, hidden=4, layers=2, bidirectional=True)
    assert steps[2] == ("layer2.{forward,backward}: W_hh, W_xh, b_h", 2 * (16 + 32 + 4),
                        "2·((h·h + h·x + h))", "2·(({}·{} + {}·{} + {}))", (4, 4, 4, 8, 4))
