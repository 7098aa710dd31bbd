"""A whole model's top-level keys (`hidden` as a list or a width with `layers`, `embedding`,
`output`, `reset_after`) and `model:` lists: what each adds to the count, the working of the
total and the trainable count, and each refusal by its key with its words.

Counts by hand: PyTorch's GRU(x, h) 3·(h·(x+h) + 2h), Keras' GRU 3·(h·(x+h) + 2h) with
reset_after (its default) and 3·(h·(x+h) + h) without, Embedding V·d, BatchNormalization 4·d
of which 2·d are trainable, Dense o·i + o.
"""

from __future__ import annotations

import pytest

import rnnquiz
from rnnquiz.errors import ProblemError
from rnnquiz.types.shapes.layers import Layer
from rnnquiz.types.shapes.model import _slipped


def shapes(**doc):
    return rnnquiz.solve({"type": "shapes", **doc})


def refusal(**doc) -> tuple[str, tuple]:
    with pytest.raises(ProblemError) as e:
        shapes(**doc)
    return str(e.value), e.value.keys


@pytest.mark.parametrize("doc, total, rows", [
    # Embedding(10, 4) 40; GRU(4, 3) 3·(3·7 + 6) = 81; GRU(3, 3) 3·(3·6 + 6) = 72
    ({"cell": "gru", "input": 4, "hidden": 3, "embedding": {"vocabulary": 10}, "layers": 2,
      "framework": "pytorch"}, 193, [["embedding", 4, 40], ["gru", 3, 81], ["gru", 3, 72]]),
    ({"cell": "gru", "input": 4, "hidden": 3, "embedding": {"vocabulary": 10}, "layers": 1,
      "framework": "pytorch"}, 121, [["embedding", 4, 40], ["gru", 3, 81]]),
    # Keras' GRU(3) on 4 features without reset_after: 3·(3·7 + 3) = 72; with it 81
    ({"cell": "gru", "input": 4, "hidden": 3, "framework": "keras", "reset_after": False,
      "embedding": {"vocabulary": 10}}, 112, [["embedding", 4, 40], ["gru", 3, 72]]),
    ({"cell": "gru", "input": 4, "hidden": 3, "framework": "keras", "reset_after": True,
      "embedding": {"vocabulary": 10}}, 121, [["embedding", 4, 40], ["gru", 3, 81]]),
    ({"cell": "gru", "input": 4, "hidden": [3], "framework": "keras"}, 81, [["gru", 3, 81]]),
    ({"framework": "keras", "input": 4,
      "model": [{"layer": "gru", "hidden": 3, "reset_after": False}]}, 72, [["gru", 3, 72]]),
    # Dense(2) on 3: 2·3 + 2 = 8 after an RNN(3) on 4: 3·7 + 3 = 24 (the course: one bias)
    ({"cell": "rnn", "input": 4, "hidden": [3], "output": 2}, 32, [["rnn", 3, 24],
                                                                   ["dense", 2, 8]]),
])
def test_top_level_keys_make_the_layers_counted(doc, total, rows):
    r = shapes(**doc)
    assert r.values["params"] == total
    assert r.values["summary"] == rows


def test_the_total_and_the_trainable_count_are_lines_of_working():
    r = shapes(framework="keras", input=4, ask={"quantity": "shapes", "trainable": True},
               model=[{"layer": "batch_norm"}, {"layer": "dense", "output": 2}])
    # BatchNormalization(4): 4·4 = 16, 8 of them trainable; Dense(2) on 4: 2·4 + 2 = 10
    steps = [(s.symbol, s.value, s.equation, s.formula, s.operands, s.note, s.phase)
             for s in r.steps[2:]]
    assert steps == [
        ("params", 26, "the sum of the layers' parameters", "{} + {}", (16, 10), "", ""),
        ("trainable", 18, "params − non-trainable", "{} − {}", (26, 8),
         "a Keras BatchNormalization's moving mean and variance are not trained", ""),
        ("batch_normalization/gamma", [4], "", "", (), "", "shapes"),
        ("batch_normalization/beta", [4], "", "", (), "", "shapes"),
        ("batch_normalization/moving_mean", [4], "", "", (), "", "shapes"),
        ("batch_normalization/moving_variance", [4], "", "", (), "", "shapes"),
        ("dense/kernel", [4, 2], "", "", (), "", "shapes"),
        ("dense/bias", [2], "", "", (), "", "shapes")]
    assert r.values["params"] == 18


def test_params_asked_shows_no_shape_rows():
    r = shapes(framework="keras", input=4, model=[{"layer": "dense", "output": 2}])
    assert [s.symbol for s in r.steps] == ["dense (Dense)", "params"]


@pytest.mark.parametrize("doc, message, keys", [
    ({"hidden": [3]},
     "input: missing; expected a whole number >= 1 (the embedding's width when there is one)",
     ("input",)),
    ({"input": 3, "embedding": {"vocabulary": 9}},
     "hidden: missing; expected a whole number >= 1, or a list of them", ("hidden",)),
    ({"input": 3, "hidden": 3, "embedding": {"vocabulary": 9}, "layers": 0},
     "layers: expected a whole number >= 1, got 0", ("layers",)),
    ({"input": 3, "hidden": 3, "embedding": {"vocabulary": 9}, "layers": 1001},
     "layers: expected at most 1000 layers, got 1001", ("layers",)),
    ({"input": 3, "hidden": [3], "output": 0},
     "output: expected a whole number >= 1, got 0", ("output",)),
    ({"input": 3, "hidden": [3], "cell": "lstm", "framework": "keras", "reset_after": False},
     "reset_after: only applies to a Keras GRU (framework: keras, cell: gru)", ("reset_after",)),
    ({"input": 3, "hidden": [3], "cell": "gru", "framework": "pytorch", "reset_after": False},
     "reset_after: only applies to a Keras GRU (framework: keras, cell: gru)", ("reset_after",)),
    ({"input": 3, "cell": "lstm", "model": [{"layer": "lstm", "hidden": 3}]},
     "cell: with `model`, each layer gives its own cell: move it into the layer's entry",
     ("cell",)),
    ({"input": 0, "model": [{"layer": "lstm", "hidden": 3}]},
     "input: expected a whole number >= 1, got 0", ("input",)),
    ({"input": 3, "model": []},
     "model: expected a list of layers, e.g. [{layer: lstm, hidden: 32}]", ("model",)),
    ({"input": 3, "model": [{"layer": "lstm", "hidden": 3}], "ask": {"quantity": "gate_dim"}},
     "ask.quantity: a model is asked for one of params, shapes, summary, got 'gate_dim'",
     ("ask", "quantity")),
])
def test_a_bad_model_is_refused_by_its_key(doc, message, keys):
    assert refusal(**doc) == (message, keys)


def test_a_thousand_layers_is_the_most_a_width_repeats():
    r = shapes(input=2, hidden=1, embedding={"vocabulary": 3}, layers=1000)
    # the embedding 3·2 = 6, the first RNN 1·1 + 1·2 + 1 = 4, each of 999 more 1 + 1 + 1 = 3
    assert r.values["params"] == 6 + 4 + 999 * 3


@pytest.mark.parametrize("answer, where", [
    ([["lstm", 3]], 0),                          # two entries
    ([["lstm", 3, True]], 0),                    # a flag is no count
    ([["lstm", 3, 1.5]], 0),                     # nor a fraction
    ([["lstm", 1.5, 3]], 0),
    ([["lstm", 3, 72], [3, 3, 3]], 1),           # a row that names no layer
])
def test_a_published_summary_row_is_layer_width_count(answer, where):
    message, keys = refusal(input=3, model=[{"layer": "lstm", "hidden": 3}], answer=answer)
    assert message == (f"answer[{where}]: expected a summary row [layer, output width, "
                       "parameters], e.g. [lstm, 64, 17920]")
    assert keys == ("answer", where)


@pytest.mark.parametrize("layer, fw, variants, n", [
    # nn.LSTM(3, 5, bidirectional=True): 2·4·(5·(3+5) + 2·5) = 400; one bias per gate drops
    # 4·5 per direction (360); counting one direction halves it (200); both: 180
    (Layer("lstm", hidden=5, bidirectional=True), "pytorch", ("one_bias",), 360),
    (Layer("lstm", hidden=5, bidirectional=True), "pytorch", ("bidirectional_once",), 200),
    (Layer("lstm", hidden=5, bidirectional=True), "pytorch",
     ("one_bias", "bidirectional_once"), 180),
    (Layer("lstm", hidden=5), "pytorch", ("bidirectional_once",), 200),
    (Layer("lstm", hidden=5), "course", ("one_bias",), 200),      # one bias already
    (Layer("dense", output=5, bidirectional=True), "pytorch", ("bidirectional_once",), 400),
    (Layer("lstm", hidden=5, bidirectional=True), "pytorch", ("embedding_without_vocabulary",),
     400),
])
def test_a_slip_recounts_only_the_layers_it_concerns(layer, fw, variants, n):
    width = 10 if layer.bidirectional else 5
    assert _slipped(400 if layer.bidirectional or layer.kind != "lstm" else 200, layer, width,
                    fw, list(variants)) == n


def test_a_halved_count_stays_a_whole_number():
    layer = Layer("lstm", hidden=5, bidirectional=True)
    for variants in (["one_bias"], ["bidirectional_once"]):
        assert type(_slipped(400, layer, 10, "pytorch", variants)) is int


def test_only_a_model_with_an_embedding_can_forget_its_vocabulary():
    from rnnquiz.types.shapes.model import slips_for
    from rnnquiz.types.pipeline import from_dict as load_dict
    p = load_dict({"type": "shapes", "framework": "pytorch", "input": 4,
                   "model": [{"layer": "lstm", "hidden": 3, "bidirectional": True}]})
    assert slips_for(p) == ["one_bias", "bidirectional_once"]
    p = load_dict({"type": "shapes", "framework": "course", "cell": "rnn", "input": 4,
                   "hidden": [3], "embedding": {"vocabulary": 9}})
    assert slips_for(p) == ["embedding_without_vocabulary"]


def test_new_models_draw_from_their_sizes_and_layers():
    import random
    from rnnquiz.types.shapes.model import draw
    seen: dict[str, set] = {}

    def saw(key, v):
        seen.setdefault(key, set()).add(v if not isinstance(v, list) else len(v))
    for seed in range(300):
        doc = draw(random.Random(seed), "keras")
        assert doc["ask"] == {"quantity": "params"} and doc["framework"] == "keras"
        if "model" in doc:
            first, *middle, last = doc["model"]
            saw("model input", doc["input"])
            saw("model hidden", first["hidden"])
            saw("both", first.get("bidirectional", False))
            saw("layer_norm", tuple(m["layer"] for m in middle))
            saw("dense", last["output"])
            assert last["layer"] == "dense"
        else:
            saw("input", doc["input"])
            saw("output", doc.get("output"))
            if "embedding" in doc:
                saw("vocabulary", doc["embedding"]["vocabulary"])
                saw("width", doc["hidden"])
            else:
                saw("widths", tuple(doc["hidden"]))
                for h in doc["hidden"]:
                    saw("a width", h)
    assert seen["input"] == {16, 32, 64} and seen["model input"] == {10, 37, 100}
    assert seen["vocabulary"] == {1000, 5000, 10000} and seen["width"] == {16, 32, 64}
    assert seen["a width"] == {8, 16, 20, 32} and {len(w) for w in seen["widths"]} == {2, 3}
    assert seen["output"] == {None, 1, 10} and seen["dense"] == {1, 10, 11}
    assert seen["model hidden"] == {16, 32, 64} and seen["both"] == {True, False}
    assert seen["layer_norm"] == {(), ("layer_norm",)}
