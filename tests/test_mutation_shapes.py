"""`shapes` in the course's layout: a key is prefixed with its layer only in a stack, and
with its direction only when bidirectional (rnnquiz/solvers/shapes.py). Counts by hand."""

from __future__ import annotations

import rnnquiz


def test_one_bidirectional_layer_names_directions_only():
    r = rnnquiz.solve({"type": "shapes", "cell": "rnn", "input": 3, "hidden": 4,
                       "bidirectional": True})
    s = r.values["shapes"]
    # each direction: W_hh 4x4, W_xh 4x3, b_h 4: 16 + 12 + 4 = 32, twice
    assert {k: v for k, v in s.items() if "." in k} == {
        "forward.W_hh": [4, 4], "forward.W_xh": [4, 3], "forward.b_h": [4],
        "backward.W_hh": [4, 4], "backward.W_xh": [4, 3], "backward.b_h": [4]}
    assert r.values["params"] == 64
    assert [(x.symbol, x.value) for x in r.steps] == [
        ("gate_dim", 4), ("{forward,backward}: W_hh, W_xh, b_h", 64), ("params", 64)]


def test_a_one_way_stack_names_layers_only():
    r = rnnquiz.solve({"type": "shapes", "cell": "gru", "input": 3, "hidden": 4, "layers": 2})
    s = r.values["shapes"]
    # layer 1: 3·(16 + 12 + 4) = 96; layer 2 reads h = 4: 3·(16 + 16 + 4) = 108
    assert {k for k in s if "." in k} == {f"layer{k}.{w}_{g}{e}" for k in (1, 2)
                                          for g in "urc" for w, e in (("W", "h"), ("W", "x"),
                                                                      ("b", ""))}
    assert s["layer2.W_ux"] == [4, 4] and s["layer1.W_cx"] == [4, 3] and s["layer1.b_r"] == [4]
    assert r.values["params"] == 96 + 108
    assert [x.symbol for x in r.steps] == ["gate_dim", "layer1: W_·h, W_·x, b_· (u, r, c)",
                                           "layer2: W_·h, W_·x, b_· (u, r, c)", "params"]
