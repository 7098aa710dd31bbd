"""A `model:` list read layer by layer (each refusal by its key path, with its words and the
value it got), and summarized as Keras' `model.summary()` names and shapes each row: Keras'
auto-names (simple_rnn, dense), a recurrent layer's output one vector a step only when it
returns sequences, PyTorch's rows by their width."""

from __future__ import annotations

import datetime
import random

import pytest

from rnnquiz.errors import ProblemError
from rnnquiz.types.shapes.read import (_show, positive_size, read_embedding, read_hidden,
                                       read_layer, read_model)
from rnnquiz.types.shapes.summary import stack, summarize
from rnnquiz.types.shapes.variants import FACTORS, vary

KINDS = "embedding, rnn, lstm, gru, dense, conv1d, layer_norm, batch_norm"


@pytest.mark.parametrize("call, message, keys", [
    (lambda: read_model([{"layer": "lstm", "hidden": 3}], framework="jax"),
     "expected one of course, pytorch, keras, got 'jax'", ("framework",)),
    (lambda: read_model(3), "expected a list of layers, e.g. [{layer: lstm, hidden: 32}]",
     ("model",)),
    (lambda: read_layer(7), "expected a layer as a mapping, e.g. {layer: lstm, hidden: 32}, "
     "got 7", ("model", 0)),
    (lambda: read_layer({"hidden": 3}), f"missing key 'layer': one of {KINDS}", ("model", 0)),
    (lambda: read_layer({"layer": "lstn", "hidden": 3}),
     f"expected one of {KINDS}, got 'lstn'; did you mean layer: lstm?", ("model", 0, "layer")),
    (lambda: read_layer({"layer": 5, "hidden": 3}), f"expected one of {KINDS}, got 5",
     ("model", 0, "layer")),
    (lambda: read_layer({"layer": "dense", "output": 3, "activaton": "relu"}),
     "unknown key for a dense layer; expected one of layer, input, output, activation, bias; "
     "did you mean activation?", ("model", 0, "activaton")),
    (lambda: read_layer({"layer": "dense", "output": 3, "activation": ""}),
     "expected a name (relu, softmax, ...), got ''", ("model", 0, "activation")),
    (lambda: read_layer({"layer": "dense", "output": 3, "activation": 5}),
     "expected a name (relu, softmax, ...), got 5", ("model", 0, "activation")),
    (lambda: read_layer({"layer": "embedding", "vocabulary": 9, "output": 3, "input": 4}),
     "an embedding reads token indices: its size is `vocabulary`, its width `output`",
     ("model", 0, "input")),
    (lambda: read_layer({"layer": "gru", "hidden": 3, "reset_after": False}),
     "reset_after is a Keras GRU's; framework course has one rule for the GRU's biases",
     ("model", 0, "reset_after")),
    (lambda: read_layer({"layer": "gru", "hidden": 3, "bidirectional": "yes"}),
     "expected true or false, got 'yes'", ("model", 0, "bidirectional")),
    (lambda: read_hidden([2, 2], layers=2),
     "`hidden` as a list gives one width per layer: leave out `layers`", ("layers",)),
    (lambda: read_hidden([]), "expected a width per layer, e.g. [20, 20, 1]", ("hidden",)),
    (lambda: read_hidden(0), "expected a whole number >= 1, got 0", ("hidden",)),
    (lambda: read_embedding({"vocabulary": 9, "zeta": 1, "alpha": 2}),
     "expected {vocabulary: V}, e.g. {vocabulary: 10000}", ("embedding", "alpha")),
    (lambda: read_embedding({"vocabulary": 9, "zeta": 1}),
     "expected {vocabulary: V}, e.g. {vocabulary: 10000}", ("embedding", "zeta")),
    (lambda: read_embedding({"vocabulary": 9, "a": 1, 2: 3}),       # YAML keys of two kinds
     "expected {vocabulary: V}, e.g. {vocabulary: 10000}", ("embedding", 2)),
    (lambda: read_embedding({"vocabulary": 0}), "expected a whole number >= 1, got 0",
     ("embedding", "vocabulary")),
    (lambda: read_embedding(5), "expected {vocabulary: V}, e.g. {vocabulary: 10000}",
     ("embedding",)),
    (lambda: positive_size(10 ** 15 + 1, ("input",)),
     "expected a whole number up to 10^15, got a larger one", ("input",)),
    (lambda: positive_size(None, ("input",)), "expected a whole number >= 1, got nothing",
     ("input",)),
    (lambda: summarize(read_model([{"layer": "lstm", "hidden": 3}]), framework="keras"),
     "the first layer reads `input`: give the top-level `input`, or the layer's own `input`, "
     "or begin with an embedding", ("input",)),
])
def test_a_bad_layer_is_refused_by_its_key_path(call, message, keys):
    with pytest.raises(ProblemError) as e:
        call()
    assert (e.value.reason, e.value.keys) == (message, keys)


def test_widths_at_the_bounds():
    assert positive_size(10 ** 15, ("input",)) == 10 ** 15
    assert positive_size(3.0, ("input",)) == 3 and type(positive_size(3.0, ("input",))) is int
    assert read_hidden(4) == [4] and read_embedding({"vocabulary": 9}) == 9


@pytest.mark.parametrize("value, shown", [
    ([1], "a list"), ({}, "a mapping"), (None, "nothing"),
    (2 ** 1000, "a whole number of about 301 digits"),       # 1,001 bits: 301 digits
    (2 ** 999, "5357543035931336604742125245300009052..."),  # 1,000 bits: written out, cut
    (10 ** 39, "1" + "0" * 39),                               # 40 characters: whole
    (10 ** 40, "1" + "0" * 36 + "..."),                       # 41: the first 37 and ...
    ("abc", "'abc'"), (1.5, "1.5"),
    (datetime.date(2020, 1, 2), "2020-01-02"),               # YAML reads 2020-01-02 as a date
])
def test_a_refused_value_is_shown_briefly(value, shown):
    assert _show(value) == shown


def test_a_layer_keeps_what_it_was_given():
    dense = read_layer({"layer": "dense", "output": 3, "activation": "relu", "bias": False})
    assert (dense.activation, dense.bias) == ("relu", False)
    assert read_layer({"layer": "lstm", "hidden": 3, "return_sequences": True}) \
        .return_sequences is True


def notes(model, framework, input=4):
    s = summarize(read_model(model, framework=framework), framework=framework, input=input)
    return [(r.name, r.working()["note"].split(";")[0]) for r in s.rows]


def test_keras_rows_are_named_and_shaped_as_its_summary():
    # SimpleRNN/LSTM/GRU give the last step only unless return_sequences; Dense keeps the rank
    assert notes([{"layer": "rnn", "hidden": 3, "return_sequences": True},
                  {"layer": "lstm", "hidden": 3}, {"layer": "dense", "output": 2}], "keras") == [
        ("simple_rnn", "output (None, None, 3)"), ("lstm", "output (None, 3)"),
        ("dense", "output (None, 2)")]
    assert notes([{"layer": "gru", "hidden": 3}, {"layer": "dense", "output": 2},
                  {"layer": "dense", "output": 2}], "keras") == [
        ("gru", "output (None, 3)"), ("dense", "output (None, 2)"),
        ("dense_1", "output (None, 2)")]
    assert notes([{"layer": "dense", "output": 2}, {"layer": "layer_norm"}], "keras") == [
        ("dense", "output (None, None, 2)"), ("layer_normalization", "output (None, None, 2)")]
    # an embedding gives one vector a token, whatever came before it
    assert notes([{"layer": "lstm", "hidden": 3}, {"layer": "embedding", "vocabulary": 5,
                                                   "output": 2}], "keras")[1] == \
        ("embedding", "output (None, None, 2)")


def test_pytorch_rows_give_their_width():
    assert notes([{"layer": "rnn", "hidden": 3}, {"layer": "dense", "output": 2}],
                 "pytorch") == [("rnn", "output 3"), ("linear", "output 2")]


def test_a_stack_of_top_level_keys():
    layers = stack(cell="gru", input=3, hidden=2)
    assert len(layers) == 1 and layers[0].hidden == 2 and layers[0].reset_after is True


def test_vary_scales_a_whole_model_by_one_factor():
    doc = {"type": "shapes", "framework": "keras", "input": 100,
           "model": [{"layer": "lstm", "hidden": 32}, {"layer": "dense", "output": 2},
                     {"layer": "dense", "output": 1}]}
    factors = set()
    for seed in range(20):
        new = vary({**doc, "model": [dict(m) for m in doc["model"]]}, random.Random(seed))
        f = new["input"] / 100
        assert f in FACTORS
        factors.add(f)
        assert [m.get("hidden", m.get("output")) for m in new["model"]] == \
            [round(32 * f), max(1, round(2 * f)), 1]
        assert [m["layer"] for m in new["model"]] == ["lstm", "dense", "dense"]
    assert factors == set(FACTORS)
