"""A model written as a list of layers is counted as the frameworks count it (SPEC 1.7): the
totals the books print, and every layer kind against Keras 3 (on the torch backend) and
torch.nn, which count their own weights."""

from __future__ import annotations

import math
import os

import pytest

from rnnquiz.errors import ProblemError
from rnnquiz.types.shapes.summary import stack, summarize
from rnnquiz.types.shapes.read import read_embedding, read_hidden, read_model

NMT = [{"layer": "lstm", "hidden": 32, "bidirectional": True},
       {"layer": "dense", "output": 10, "input": 128},
       {"layer": "dense", "output": 1},
       {"layer": "lstm", "hidden": 64, "input": 64},
       {"layer": "dense", "output": 11}]


def total(model, framework, input=None):
    return summarize(read_model(model, framework=framework), framework=framework,
                     input=input).total


# --- the totals the courses and books print ------------------------------------------------

def test_chollet_embedding_and_simple_rnn():
    """Deep Learning with Python, 6.2: Embedding(10000, 32) + SimpleRNN(32): 322,080."""
    model = [{"layer": "embedding", "vocabulary": 10000, "output": 32},
             {"layer": "rnn", "hidden": 32}]
    assert total(model, "keras") == 322_080
    layers = stack(cell="rnn", input=32, hidden=read_hidden(32),
                   embedding=read_embedding({"vocabulary": 10000}))
    assert summarize(layers, framework="keras").total == 322_080


def test_geron_three_simple_rnns():
    """Hands-On ML, ch. 15: SimpleRNN(20), SimpleRNN(20), SimpleRNN(1) on one input: 1,282."""
    layers = stack(cell="rnn", input=1, hidden=read_hidden([20, 20, 1]))
    s = summarize(layers, framework="keras", input=1)
    assert [r.count.params for r in s.rows] == [440, 820, 22]
    assert s.total == 1_282


def test_deeplearning_ai_nmt_model():
    """Sequence Models, week 3's attention NMT model: 52,960, one summary row a layer."""
    s = summarize(read_model(NMT, framework="keras"), framework="keras", input=37)
    assert s.total == 52_960
    assert s.table() == [["lstm", 64, 17_920], ["dense", 10, 1_290], ["dense", 1, 11],
                         ["lstm", 64, 33_024], ["dense", 11, 715]]
    assert s.rows[0].count.substituted == "4·(32·(37+32) + 32)·2 = 17,920"
    line = s.rows[0].working()
    assert (line["symbol"], line["value"]) == ("bidirectional (Bidirectional(LSTM))", 17_920)
    assert line["sub"].format(*line["args"]) == "4·(32·(37+32) + 32)·2"


def test_return_sequences_passes_on_to_the_output_shapes():
    """Géron's stack: the first two SimpleRNNs return sequences, the last one its last step."""
    s = summarize(stack(cell="rnn", input=1, hidden=[20, 20, 1], output=3), framework="keras")
    assert [r.output_shape for r in s.rows] == ["(None, None, 20)", "(None, None, 20)",
                                                "(None, 1)", "(None, 3)"]


def test_keras_gru_reset_after_and_not():
    gru = [{"layer": "gru", "hidden": 32, "reset_after": False}]
    assert total(gru, "keras", 16) == 4_704                      # Keras 2 / reset_after=False
    assert total([{"layer": "gru", "hidden": 32}], "keras", 16) == 4_800   # TF2's default


def test_bidirectional_lstm_and_torch_lstm():
    assert total([{"layer": "lstm", "hidden": 32, "bidirectional": True}], "keras", 37) == 17_920
    assert total([{"layer": "lstm", "hidden": 20}], "pytorch", 10) == 2_560   # nn.LSTM(10, 20)


def test_course_formula_substituted():
    s = summarize(read_model([{"layer": "lstm", "hidden": 32}]), framework="course", input=37)
    c = s.rows[0].count
    assert (c.eq, c.substituted) == ("4·(h·h + h·x + h)", "4·(32·32 + 32·37 + 32) = 8,960")
    assert s.shapes()["layer1.W_fx"] == [32, 37]


def test_batch_norm_trainable_in_keras():
    model = [{"layer": "dense", "output": 8}, {"layer": "batch_norm"}]
    s = summarize(read_model(model, framework="keras"), framework="keras", input=4)
    assert (s.params(), s.params(trainable=True)) == (40 + 32, 40 + 16)
    s = summarize(read_model(model, framework="pytorch"), framework="pytorch", input=4)
    assert (s.params(), s.params(trainable=True)) == (40 + 16, 40 + 16)


# --- every layer kind against the frameworks themselves ----------------------------------

MODELS = [
    [{"layer": "embedding", "vocabulary": 50, "output": 6}, {"layer": "gru", "hidden": 5},
     {"layer": "dense", "output": 3, "activation": "softmax"}],
    [{"layer": "conv1d", "filters": 7, "kernel_size": 3}, {"layer": "batch_norm"},
     {"layer": "lstm", "hidden": 4, "bidirectional": True, "return_sequences": True},
     {"layer": "layer_norm"}, {"layer": "rnn", "hidden": 3}, {"layer": "dense", "output": 2,
                                                              "bias": False}],
    [{"layer": "gru", "hidden": 6, "bidirectional": True}, {"layer": "conv1d", "filters": 2,
                                                            "kernel_size": 2, "bias": False},
     {"layer": "rnn", "hidden": 4, "bidirectional": True}, {"layer": "gru", "hidden": 3,
                                                            "input": 5}],
]


def _keras_layer(keras, layer):
    L = keras.layers
    kind = layer["layer"]
    if kind == "embedding":
        return L.Embedding(layer["vocabulary"], layer["output"])
    if kind in ("rnn", "lstm", "gru"):
        cls = {"rnn": L.SimpleRNN, "lstm": L.LSTM, "gru": L.GRU}[kind]
        extra = {"reset_after": layer["reset_after"]} if "reset_after" in layer else {}
        cell = cls(layer["hidden"], return_sequences=True, **extra)
        return L.Bidirectional(cell) if layer.get("bidirectional") else cell
    if kind == "dense":
        return L.Dense(layer["output"], use_bias=layer.get("bias", True))
    if kind == "conv1d":
        return L.Conv1D(layer["filters"], layer["kernel_size"], padding="same",
                        use_bias=layer.get("bias", True))
    return L.LayerNormalization() if kind == "layer_norm" else L.BatchNormalization()


@pytest.mark.parametrize("model", MODELS + [NMT])
@pytest.mark.parametrize("reset_after", [True, False])
def test_keras_counts_every_layer_as_keras_does(model, reset_after):
    os.environ.setdefault("KERAS_BACKEND", "torch")
    keras = pytest.importorskip("keras")
    model = [dict(m, reset_after=reset_after) if m["layer"] == "gru" else m for m in model]
    s = summarize(read_model(model, framework="keras"), framework="keras", input=9)
    width = 9
    for layer, row in zip(model, s.rows):
        k = _keras_layer(keras, layer)
        width = layer.get("input", width)
        shape = (None, 5) if layer["layer"] == "embedding" else (None, 5, width)
        k.build(shape)
        width = k.compute_output_shape(shape)[-1]
        assert row.count.output == width
        assert row.count.params == k.count_params(), layer
        trainable = sum(math.prod(w.shape) for w in k.trainable_weights)
        assert row.count.trainable == trainable
        assert list(row.count.shapes.values()) == [list(w.shape) for w in k.weights]
        assert [n.split("/")[-1] for n in row.count.shapes] == \
            [w.path.split("/")[-1] for w in k.weights]


def _torch_module(nn, layer, x):
    kind = layer["layer"]
    if kind == "embedding":
        return nn.Embedding(layer["vocabulary"], layer["output"])
    if kind in ("rnn", "lstm", "gru"):
        cls = {"rnn": nn.RNN, "lstm": nn.LSTM, "gru": nn.GRU}[kind]
        return cls(x, layer["hidden"], bidirectional=layer.get("bidirectional", False))
    if kind == "dense":
        return nn.Linear(x, layer["output"], bias=layer.get("bias", True))
    if kind == "conv1d":
        return nn.Conv1d(x, layer["filters"], layer["kernel_size"], bias=layer.get("bias", True))
    return nn.LayerNorm(x) if kind == "layer_norm" else nn.BatchNorm1d(x)


@pytest.mark.parametrize("model", MODELS + [NMT])
def test_pytorch_counts_every_layer_as_torch_does(model):
    torch = pytest.importorskip("torch")
    s = summarize(read_model(model, framework="pytorch"), framework="pytorch", input=9)
    for layer, row in zip(model, s.rows):
        m = _torch_module(torch.nn, layer, row.count.input)
        assert row.count.params == sum(p.numel() for p in m.parameters()), layer
        assert row.count.shapes == {n: list(p.shape) for n, p in m.named_parameters()}
    assert s.total == sum(r.count.params for r in s.rows)


@pytest.mark.parametrize("framework", ["course", "pytorch", "keras"])
@pytest.mark.parametrize("model", MODELS + [NMT])
def test_each_formula_shown_computes_its_count(model, framework):
    model = [{k: v for k, v in m.items() if k != "reset_after"} for m in model]
    for row in summarize(read_model(model, framework=framework), framework=framework,
                         input=9).rows:
        c = row.count
        text, shown = c.substituted.rsplit(" = ", 1)
        assert eval(text.replace("·", "*")) == c.params == int(shown.replace(",", ""))


# --- reading `model:` ------------------------------------------------------------------------

@pytest.mark.parametrize("model, path, words", [
    ([{"layer": "lstn", "hidden": 3}], "model[0].layer", "did you mean layer: lstm?"),
    ([{"layer": "dense", "output": 2}, {"layer": "batchnorm"}], "model[1].layer",
     "did you mean layer: batch_norm?"),
    ([{"layer": "lstm", "hiden": 3}], "model[0].hiden", "did you mean hidden?"),
    ([{"layer": "gru"}], "model[0].hidden", "needs 'hidden'"),
    ([{"layer": "lstm", "units": 3}], "model[0].units", "unknown key"),
    ([{"layer": "rnn", "hidden": 0}], "model[0].hidden", "whole number >= 1"),
    ([{"layer": "rnn", "hidden": True}], "model[0].hidden", "whole number >= 1"),
    ([{"layer": "rnn", "hidden": 2, "bidirectional": "yes"}], "model[0].bidirectional",
     "true or false"),
    ([{"layer": "gru", "hidden": 2, "reset_after": False}], "model[0].reset_after", "Keras"),
    ([{"layer": "embedding", "vocabulary": 9, "output": 2, "input": 9}], "model[0].input",
     "token indices"),
    ([3], "model[0]", "mapping"),
    ([], "model", "list of layers"),
])
def test_bad_layers_are_named_by_their_key_path(model, path, words):
    with pytest.raises(ProblemError) as e:
        read_model(model, framework="pytorch")
    assert e.value.path == path
    assert words in str(e.value)


def test_keys_path_is_data_for_the_yaml_line():
    with pytest.raises(ProblemError) as e:
        read_model([{"layer": "rnn", "hidden": 2}, {"layer": "rnn", "hidden": 2},
                    {"layer": "lstm", "hidden": -1}])
    assert e.value.keys == ("model", 2, "hidden")


def test_hidden_list_and_layers_together_is_an_error():
    with pytest.raises(ProblemError, match="leave out"):
        read_hidden([20, 20], layers=2)
    assert read_hidden([20, 20, 1]) == [20, 20, 1]


def test_first_layer_needs_an_input():
    with pytest.raises(ProblemError) as e:
        summarize(read_model([{"layer": "lstm", "hidden": 3}]), framework="keras")
    assert e.value.keys == ("input",)


def test_geron_and_chollet_as_keras_builds_them():
    os.environ.setdefault("KERAS_BACKEND", "torch")
    keras = pytest.importorskip("keras")
    L = keras.layers
    geron = keras.Sequential([keras.Input((None, 1)), L.SimpleRNN(20, return_sequences=True),
                              L.SimpleRNN(20, return_sequences=True), L.SimpleRNN(1)])
    s = summarize(stack(cell="rnn", input=1, hidden=[20, 20, 1]), framework="keras")
    assert s.total == geron.count_params()
    assert [r.output_shape for r in s.rows] == \
        [str(tuple(layer.output.shape)) for layer in geron.layers]
    chollet = keras.Sequential([keras.Input((None,), dtype="int32"), L.Embedding(10000, 32),
                                L.SimpleRNN(32)])
    s = summarize(stack(cell="rnn", input=32, hidden=[32], embedding=10000), framework="keras")
    assert s.total == chollet.count_params()
    assert [r.output_shape for r in s.rows] == \
        [str(tuple(layer.output.shape)) for layer in chollet.layers]
