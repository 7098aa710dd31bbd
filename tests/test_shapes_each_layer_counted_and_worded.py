"""Every layer kind under every framework, counted one layer at a time: the names and shapes
of its weights, its count, and the line of working a student reads (the formula in symbols,
then with its numbers, then the note).

The counts are hand-worked from the formulas the frameworks document (checked against torch's
own modules below): Linear o·i + o, Conv1d f·(k·i) + f, Embedding V·d, LayerNorm 2·d,
BatchNorm1d 2·d (Keras' BatchNormalization 4·d, 2·d of them trainable), an RNN/GRU/LSTM of
G blocks G·(h·h + h·x + h) in the course, G·(h·(x+h) + 2h) in PyTorch, G·(h·(x+h) + h) in
Keras (+ a second bias under reset_after), times 2 when bidirectional.
"""

from __future__ import annotations

import pytest

from rnnquiz.types.shapes.layers import Layer, count

# (kind, options, input width, framework) -> (shapes, output, params, trainable,
#                                               formula, with numbers, note, one output a step)
CASES = [
    ("embedding", {"vocabulary": 50, "output": 8}, 0, "course",
     {"E": [50, 8]}, 8, 400, 400, "V·d", "50·8 = 400",
     "one row of d = 8 per token of V = 50", True),
    ("embedding", {"vocabulary": 50, "output": 8}, 0, "pytorch",
     {"weight": [50, 8]}, 8, 400, 400, "V·d", "50·8 = 400",
     "one row of d = 8 per token of V = 50", True),
    ("embedding", {"vocabulary": 50, "output": 8}, 0, "keras",
     {"embeddings": [50, 8]}, 8, 400, 400, "V·d", "50·8 = 400",
     "one row of d = 8 per token of V = 50", True),
    ("dense", {"output": 3, "activation": "relu"}, 10, "course",
     {"W": [3, 10], "b": [3]}, 3, 33, 33, "o·i + o", "3·10 + 3 = 33",
     "i = 10, o = 3; activation relu", True),
    ("dense", {"output": 3, "activation": "relu"}, 10, "pytorch",
     {"weight": [3, 10], "bias": [3]}, 3, 33, 33, "o·i + o", "3·10 + 3 = 33",
     "i = 10, o = 3; activation relu", True),
    ("dense", {"output": 3}, 10, "keras",
     {"kernel": [10, 3], "bias": [3]}, 3, 33, 33, "o·i + o", "3·10 + 3 = 33",
     "i = 10, o = 3", True),
    ("dense", {"output": 3, "bias": False}, 10, "course",
     {"W": [3, 10]}, 3, 30, 30, "o·i", "3·10 = 30", "i = 10, o = 3", True),
    ("dense", {"output": 3, "bias": False}, 10, "keras",
     {"kernel": [10, 3]}, 3, 30, 30, "o·i", "3·10 = 30", "i = 10, o = 3", True),
    ("conv1d", {"filters": 4, "kernel_size": 3}, 8, "course",
     {"W": [4, 8, 3], "b": [4]}, 4, 100, 100, "f·(k·i) + f", "4·(3·8) + 4 = 100",
     "i = 8 channels, f = 4 filters of width k = 3", True),
    ("conv1d", {"filters": 4, "kernel_size": 3}, 8, "pytorch",
     {"weight": [4, 8, 3], "bias": [4]}, 4, 100, 100, "f·(k·i) + f", "4·(3·8) + 4 = 100",
     "i = 8 channels, f = 4 filters of width k = 3", True),
    ("conv1d", {"filters": 4, "kernel_size": 3}, 8, "keras",
     {"kernel": [3, 8, 4], "bias": [4]}, 4, 100, 100, "f·(k·i) + f", "4·(3·8) + 4 = 100",
     "i = 8 channels, f = 4 filters of width k = 3", True),
    ("conv1d", {"filters": 4, "kernel_size": 3, "bias": False}, 8, "course",
     {"W": [4, 8, 3]}, 4, 96, 96, "f·(k·i)", "4·(3·8) = 96",
     "i = 8 channels, f = 4 filters of width k = 3", True),
    ("layer_norm", {}, 6, "course",
     {"gamma": [6], "beta": [6]}, 6, 12, 12, "2·d", "2·6 = 12",
     "a scale γ and a shift β per feature, d = 6", True),
    ("layer_norm", {}, 6, "pytorch",
     {"weight": [6], "bias": [6]}, 6, 12, 12, "2·d", "2·6 = 12",
     "a scale γ and a shift β per feature, d = 6", True),
    ("batch_norm", {}, 6, "course",
     {"gamma": [6], "beta": [6]}, 6, 12, 12, "2·d", "2·6 = 12",
     "γ and β per feature, d = 6", True),
    ("batch_norm", {}, 6, "pytorch",
     {"weight": [6], "bias": [6]}, 6, 12, 12, "2·d", "2·6 = 12",
     "γ and β per feature, d = 6; running_mean and running_var are buffers, not parameters",
     True),
    ("batch_norm", {}, 6, "keras",
     {"gamma": [6], "beta": [6], "moving_mean": [6], "moving_variance": [6]}, 6, 24, 12,
     "4·d", "4·6 = 24",
     "γ, β trainable; the moving mean and variance not (2·6 = 12 non-trainable)", True),
    ("rnn", {"hidden": 5}, 3, "course",
     {"W_hh": [5, 5], "W_xh": [5, 3], "b_h": [5]}, 5, 45, 45,
     "h·h + h·x + h", "5·5 + 5·3 + 5 = 45", "x = 3, h = 5", True),
    ("rnn", {"hidden": 5}, 3, "keras",
     {"kernel": [3, 5], "recurrent_kernel": [5, 5], "bias": [5]}, 5, 45, 45,
     "h·(x+h) + h", "5·(3+5) + 5 = 45", "x = 3, h = 5", False),
    ("rnn", {"hidden": 5, "bidirectional": True}, 3, "course",
     {"forward.W_hh": [5, 5], "forward.W_xh": [5, 3], "forward.b_h": [5],
      "backward.W_hh": [5, 5], "backward.W_xh": [5, 3], "backward.b_h": [5]}, 10, 90, 90,
     "(h·h + h·x + h)·2", "(5·5 + 5·3 + 5)·2 = 90",
     "x = 3, h = 5; both directions, the output 2·h = 10 wide", True),
    ("rnn", {"hidden": 5, "bidirectional": True}, 3, "pytorch",
     {"weight_ih_l0": [5, 3], "weight_hh_l0": [5, 5], "bias_ih_l0": [5], "bias_hh_l0": [5],
      "weight_ih_l0_reverse": [5, 3], "weight_hh_l0_reverse": [5, 5],
      "bias_ih_l0_reverse": [5], "bias_hh_l0_reverse": [5]}, 10, 100, 100,
     "(h·(x+h) + 2h)·2", "(5·(3+5) + 2·5)·2 = 100",
     "x = 3, h = 5; two bias vectors per gate (bias_ih and bias_hh); both directions, the "
     "output 2·h = 10 wide", True),
    ("rnn", {"hidden": 5, "bidirectional": True, "return_sequences": True}, 3, "keras",
     {"forward_simple_rnn/kernel": [3, 5], "forward_simple_rnn/recurrent_kernel": [5, 5],
      "forward_simple_rnn/bias": [5], "backward_simple_rnn/kernel": [3, 5],
      "backward_simple_rnn/recurrent_kernel": [5, 5], "backward_simple_rnn/bias": [5]},
     10, 90, 90, "(h·(x+h) + h)·2", "(5·(3+5) + 5)·2 = 90",
     "x = 3, h = 5; both directions, the output 2·h = 10 wide", True),
    ("gru", {"hidden": 5, "bidirectional": True}, 3, "course",
     {f"{d}.{w}": s for d in ("forward", "backward") for g in "urc"
      for w, s in ((f"W_{g}h", [5, 5]), (f"W_{g}x", [5, 3]), (f"b_{g}", [5]))},
     10, 270, 270, "3·(h·h + h·x + h)·2", "3·(5·5 + 5·3 + 5)·2 = 270",
     "x = 3, h = 5; both directions, the output 2·h = 10 wide", True),
    ("gru", {"hidden": 5, "bidirectional": True}, 3, "keras",
     {"forward_gru/kernel": [3, 15], "forward_gru/recurrent_kernel": [5, 15],
      "forward_gru/bias": [2, 15], "backward_gru/kernel": [3, 15],
      "backward_gru/recurrent_kernel": [5, 15], "backward_gru/bias": [2, 15]},
     10, 300, 300, "3·(h·(x+h) + 2h)·2", "3·(5·(3+5) + 2·5)·2 = 300",
     "x = 3, h = 5; reset_after: the recurrent bias kept apart, bias (2, 3h); both "
     "directions, the output 2·h = 10 wide", False),
    ("gru", {"hidden": 5, "reset_after": False}, 3, "keras",
     {"kernel": [3, 15], "recurrent_kernel": [5, 15], "bias": [15]}, 5, 135, 135,
     "3·(h·(x+h) + h)", "3·(5·(3+5) + 5) = 135",
     "x = 3, h = 5; reset_after false: one bias (3h)", False),
    ("lstm", {"hidden": 5}, 3, "course",
     {w: s for g in "fioc" for w, s in ((f"W_{g}h", [5, 5]), (f"W_{g}x", [5, 3]),
                                        (f"b_{g}", [5]))},
     5, 180, 180, "4·(h·h + h·x + h)", "4·(5·5 + 5·3 + 5) = 180", "x = 3, h = 5", True),
    ("lstm", {"hidden": 5}, 3, "pytorch",
     {"weight_ih_l0": [20, 3], "weight_hh_l0": [20, 5], "bias_ih_l0": [20],
      "bias_hh_l0": [20]}, 5, 200, 200, "4·(h·(x+h) + 2h)", "4·(5·(3+5) + 2·5) = 200",
     "x = 3, h = 5; two bias vectors per gate (bias_ih and bias_hh)", True),
    ("lstm", {"hidden": 5}, 3, "keras",
     {"kernel": [3, 20], "recurrent_kernel": [5, 20], "bias": [20]}, 5, 180, 180,
     "4·(h·(x+h) + h)", "4·(5·(3+5) + 5) = 180", "x = 3, h = 5", False),
]


@pytest.mark.parametrize(("kind", "options", "x", "framework", "shapes", "output", "params",
                          "trainable", "eq", "substituted", "note", "sequences"), CASES,
                         ids=[f"{c[0]}-{c[3]}-{i}" for i, c in enumerate(CASES)])
def test_one_layer_counted_and_its_line_of_working(kind, options, x, framework, shapes, output,
                                                    params, trainable, eq, substituted, note,
                                                    sequences):
    c = count(Layer(kind, **options), x, framework)
    assert c.kind == kind
    assert c.shapes == shapes and list(c.shapes) == list(shapes)     # the frameworks' order
    assert (c.input, c.output) == (options.get("vocabulary", x), output)
    assert (c.params, c.trainable) == (params, trainable)
    assert (c.eq, c.substituted, c.note, c.sequences) == (eq, substituted, note, sequences)


def test_keras_batch_norm_says_which_weights_are_not_trained():
    c = count(Layer("batch_norm"), 6, "keras")
    assert c.shapes_trainable == {"moving_mean": False, "moving_variance": False}
    assert count(Layer("batch_norm"), 6, "pytorch").shapes_trainable == {}


@pytest.mark.parametrize("case", [c for c in CASES if c[3] == "pytorch"],
                         ids=lambda c: f"{c[0]}-{c[2]}")
def test_pytorch_names_and_shapes_are_torchs(case):
    torch = pytest.importorskip("torch")
    kind, options, x, _, shapes, _, params, *_ = case
    nn = torch.nn
    module = {"embedding": lambda: nn.Embedding(options.get("vocabulary", 0),
                                                options.get("output", 0)),
              "dense": lambda: nn.Linear(x, options.get("output", 0),
                                         bias=options.get("bias", True)),
              "conv1d": lambda: nn.Conv1d(x, options.get("filters", 0),
                                          options.get("kernel_size", 0),
                                          bias=options.get("bias", True)),
              "layer_norm": lambda: nn.LayerNorm(x),
              "batch_norm": lambda: nn.BatchNorm1d(x),
              "rnn": lambda: nn.RNN(x, options["hidden"],
                                    bidirectional=options.get("bidirectional", False)),
              "lstm": lambda: nn.LSTM(x, options["hidden"],
                                      bidirectional=options.get("bidirectional", False)),
              }[kind]()
    got = {n: list(t.shape) for n, t in module.named_parameters()}
    assert got == shapes
    assert sum(t.numel() for t in module.parameters()) == params
