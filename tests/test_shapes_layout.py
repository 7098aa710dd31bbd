"""`shapes` in the course's layout: a key is prefixed with its layer only in a stack, and
with its direction only when bidirectional (rnnquiz/types/shapes.py). Counts by hand.

`shapes` for a simple RNN in the course's layout (rnnquiz/types/shapes.py): the keys of
one layer, and the one-block formula written without a gate count. Counts by hand."""

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


def working(**doc):
    r = rnnquiz.solve({"type": "shapes", **doc})
    return [(s.symbol, s.value, s.equation, s.formula, s.operands, s.note) for s in r.steps], \
        r.values["shapes"]


GATE_DIM = ("gate_dim", 4, "hidden size", "", (),
            "every gate and state has one entry per hidden unit")


def test_pytorch_two_layer_bidirectional_lstm_working():
    """4h = 16 rows per block; layer 2 reads 2h = 8: 2·(16·3 + 16·4 + 16 + 16) = 288,
    2·(16·8 + 16·4 + 32) = 448, nn.Linear 2·8 + 2 = 18; 754 in all (torch's own count)."""
    steps, s = working(cell="lstm", input=3, hidden=4, framework="pytorch", layers=2,
                       bidirectional=True, output=2)
    order = "; gate blocks in the order i | f | g | o"
    assert steps == [
        GATE_DIM,
        ("weight_ih_l0, weight_hh_l0, bias_ih_l0, bias_hh_l0 (and _reverse)", 288,
         "2·(4h·x + 4h·h + 4h + 4h)", "2·({}·{} + {}·{} + {} + {})", (16, 3, 16, 4, 16, 16),
         "layer 1: x = 3, the input size" + order
         + "; two bias vectors per gate (bias_ih and bias_hh)"),
        ("weight_ih_l1, weight_hh_l1, bias_ih_l1, bias_hh_l1 (and _reverse)", 448,
         "2·(4h·x + 4h·h + 4h + 4h)", "2·({}·{} + {}·{} + {} + {})", (16, 8, 16, 4, 16, 16),
         "layer 2: x = 2·h = 8, both directions of layer 1 concatenated" + order),
        ("linear.weight, linear.bias", 18, "y·2h + y", "{}·{} + {}", (2, 8, 2),
         "nn.Linear on the top layer's output (both directions concatenated: 2·h)"),
        ("params", 754, "the sum of the above", "", (), "")]
    assert {k: s[k] for k in ("i", "f", "g", "o", "h", "c", "x", "output", "h_n", "c_n", "y")} \
        == {"i": [4], "f": [4], "g": [4], "o": [4], "h": [4], "c": [4], "x": [3],
            "output": [8], "h_n": [4, 4], "c_n": [4, 4], "y": [2]}
    assert s["weight_ih_l1_reverse"] == [16, 8] and s["linear.weight"] == [2, 8]


def test_pytorch_three_layer_rnn_working():
    """h·x + h·h + 2h: 12 + 16 + 8 = 36, then 16 + 16 + 8 = 40 twice: 116."""
    steps, s = working(cell="rnn", input=3, hidden=4, layers=3, framework="pytorch")
    assert [x[:2] for x in steps] == [
        ("gate_dim", 4), ("weight_ih_l0, weight_hh_l0, bias_ih_l0, bias_hh_l0", 36),
        ("weight_ih_l1, weight_hh_l1, bias_ih_l1, bias_hh_l1", 40),
        ("weight_ih_l2, weight_hh_l2, bias_ih_l2, bias_hh_l2", 40), ("params", 116)]
    assert steps[1][2:5] == ("h·x + h·h + h + h", "{}·{} + {}·{} + {} + {}",
                             (4, 3, 4, 4, 4, 4))
    assert [x[5] for x in steps[2:4]] == ["layer 2: x = h = 4, the states of layer 1",
                                          "layer 3: x = h = 4, the states of layer 2"]
    assert s["h_n"] == [3, 4] and s["output"] == [4] and "c_n" not in s and "y" not in s


def test_keras_bidirectional_gru_reset_after_working():
    """Keras: kernel (x, 3h), recurrent_kernel (h, 3h), bias (2, 3h) with reset_after:
    2·(3·12 + 4·12 + 2·12) = 216; Dense on 2h: 8·2 + 2 = 18."""
    steps, s = working(cell="gru", input=3, hidden=4, framework="keras", bidirectional=True,
                       output=2)
    assert steps[1:] == [
        ("bidirectional/{forward,backward}_gru: kernel, recurrent_kernel, bias", 216,
         "2·(x·3h + h·3h + 2·3h)", "2·({}·{} + {}·{} + 2·{})", (3, 12, 4, 12, 12),
         "layer 1: x = 3, the input size; gate blocks in the order z | r | h̃; reset_after: "
         "the recurrent bias kept apart, bias (2, 3h)"),
        ("dense/kernel, dense/bias", 18, "y·2h + y", "{}·{} + {}", (2, 8, 2),
         "Dense on the top layer's output (both directions concatenated: 2·h)"),
        ("params", 234, "the sum of the above", "", (), "")]
    assert s["bidirectional/backward_gru/bias"] == [2, 12] and s["dense/kernel"] == [8, 2]
    assert [k for k in s if "/" not in k] == ["z", "r", "h̃", "h", "x", "output", "y"]


def test_keras_gru_without_reset_after_and_a_keras_stack():
    steps, s = working(cell="gru", input=3, hidden=4, framework="keras", reset_after=False)
    assert steps[1] == ("gru: kernel, recurrent_kernel, bias", 96, "x·3h + h·3h + 3h",
                        "{}·{} + {}·{} + {}", (3, 12, 4, 12, 12),
                        "layer 1: x = 3, the input size; gate blocks in the order z | r | h̃; "
                        "reset_after false: one bias (3h)")
    assert s["gru/bias"] == [12] and s["output"] == [4]
    steps, s = working(cell="rnn", input=3, hidden=4, framework="keras", layers=2, output=2)
    assert steps[1:] == [
        ("simple_rnn: kernel, recurrent_kernel, bias", 32, "x·h + h·h + h",
         "{}·{} + {}·{} + {}", (3, 4, 4, 4, 4), "layer 1: x = 3, the input size"),
        ("simple_rnn_1: kernel, recurrent_kernel, bias", 36, "x·h + h·h + h",
         "{}·{} + {}·{} + {}", (4, 4, 4, 4, 4), "layer 2: x = h = 4, the states of layer 1"),
        ("dense/kernel, dense/bias", 10, "y·h + y", "{}·{} + {}", (2, 4, 2),
         "Dense on the top layer's output"),
        ("params", 78, "the sum of the above", "", (), "")]


def test_course_two_layer_bidirectional_gru_working():
    """3·(h·h + h·x + h) per direction: 3·(16 + 12 + 4) = 96, twice 192; layer 2 reads 8:
    2·3·(16 + 32 + 4) = 312; W_hy on 2h: 2·8 + 2 = 18."""
    steps, s = working(cell="gru", input=3, hidden=4, layers=2, bidirectional=True, output=2)
    assert steps[1:] == [
        ("layer1.{forward,backward}: W_·h, W_·x, b_· (u, r, c)", 192, "2·(3·(h·h + h·x + h))",
         "2·(3·({}·{} + {}·{} + {}))", (4, 4, 4, 3, 4), "layer 1: x = 3, the input size"),
        ("layer2.{forward,backward}: W_·h, W_·x, b_· (u, r, c)", 312, "2·(3·(h·h + h·x + h))",
         "2·(3·({}·{} + {}·{} + {}))", (4, 4, 4, 8, 4),
         "layer 2: x = 2·h = 8, both directions of layer 1 concatenated"),
        ("W_hy, b_y", 18, "y·2h + y", "{}·{} + {}", (2, 8, 2),
         "the read-out y_t = W_hy h_t + b_y (both directions concatenated: 2·h)"),
        ("params", 522, "the sum of the above", "", (), "")]
    assert [k for k in s if "." not in k] == ["W_hy", "b_y", "u", "r", "c", "h", "x", "output",
                                              "y"]


def test_course_lstm_one_line_per_gate_and_its_states():
    steps, s = working(cell="lstm", input=3, hidden=4, output=2)
    assert [x[0] for x in steps] == ["gate_dim", "W_fh, W_fx, b_f", "W_ih, W_ix, b_i",
                                     "W_oh, W_ox, b_o", "W_ch, W_cx, b_c", "W_hy, b_y", "params"]
    assert steps[5][1:] == (10, "y·h + y", "{}·{} + {}", (2, 4, 2),
                            "the read-out y_t = W_hy h_t + b_y")
    assert steps[-1][1] == 4 * (16 + 12 + 4) + 10
    assert [k for k in s if not k.startswith(("W_", "b_"))] == ["f", "i", "o", "c", "h", "x",
                                                                "y"]
    steps, s = working(cell="rnn", input=3, hidden=4)
    assert [k for k in s if not k.startswith(("W_", "b_"))] == ["h", "x"]


def working_without_notes(**doc):
    r = rnnquiz.solve({"type": "shapes", **doc})
    return [(s.symbol, s.value, s.equation, s.formula, s.operands) for s in r.steps], \
        r.values["shapes"]


def test_course_rnn_keys_are_w_hh_w_xh_b_h():
    """W_hh 4x4, W_xh 4x3 (h rows, x columns), b_h 4: 16 + 12 + 4 = 32."""
    steps, s = working_without_notes(cell="rnn", input=3, hidden=4)
    assert s == {"W_hh": [4, 4], "W_xh": [4, 3], "b_h": [4], "h": [4], "x": [3]}
    assert steps[1] == ("W_hh, W_xh, b_h", 32, "h·h + h·x + h", "{}·{} + {}·{} + {}",
                        (4, 4, 4, 3, 4))
    assert steps[-1][:2] == ("params", 32)


def test_course_rnn_stack_writes_one_block_without_a_count():
    """A simple RNN has one block: (h·h + h·x + h), not 1·(...). Layer 1: 16 + 12 + 4 = 32,
    layer 2 reads h = 4: 16 + 16 + 4 = 36; bidirectional: twice, layer 2 reads 2h = 8."""
    steps, _ = working_without_notes(cell="rnn", input=3, hidden=4, layers=2)
    assert steps[1:3] == [
        ("layer1: W_hh, W_xh, b_h", 32, "(h·h + h·x + h)", "({}·{} + {}·{} + {})",
         (4, 4, 4, 3, 4)),
        ("layer2: W_hh, W_xh, b_h", 36, "(h·h + h·x + h)", "({}·{} + {}·{} + {})",
         (4, 4, 4, 4, 4))]
    steps, _ = working_without_notes(cell="rnn", input=3, hidden=4, layers=2, bidirectional=True)
    assert steps[2] == ("layer2.{forward,backward}: W_hh, W_xh, b_h", 2 * (16 + 32 + 4),
                        "2·((h·h + h·x + h))", "2·(({}·{} + {}·{} + {}))", (4, 4, 4, 8, 4))
