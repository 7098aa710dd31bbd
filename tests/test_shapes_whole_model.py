"""`shapes` counts a whole model end to end (SPEC 1.7): `hidden` as a list, `embedding`, and
`model:` solved from files through the command line, against the totals the books print and
against Keras 3 (torch backend) and torch.nn counting their own weights."""

from __future__ import annotations

import json
import math
import os

import pytest
import yaml

import rnnquiz

from conftest import run

PROBLEMS = os.path.join(os.path.dirname(__file__), "..", "problems")


def solve(tmp_path, doc: dict, *extra) -> dict:
    path = tmp_path / "model.yaml"
    path.write_text(yaml.safe_dump(doc, sort_keys=False), encoding="utf-8")
    r = run("solve", str(path), "--json", *extra)
    assert r.exit_code in (0, 1), r.stderr           # 1: disagrees with a published answer
    return json.loads(r.stdout.splitlines()[0])


def error(tmp_path, text: str) -> str:
    path = tmp_path / "bad.yaml"
    path.write_text(text, encoding="utf-8")
    r = run("solve", str(path))
    assert r.exit_code == 2
    assert "Traceback" not in r.stderr
    return r.stderr.strip()


# --- the totals the books and courses print ---------------------------------------------------

@pytest.mark.parametrize("name, total", [
    ("chollet_embedding_simple_rnn", 322_080),    # Embedding(10000, 32) + SimpleRNN(32)
    ("geron_simple_rnn_stack", 1_282),            # SimpleRNN(20), SimpleRNN(20), SimpleRNN(1)
    ("dlai_nmt_attention_model", 52_960),         # the NMT-with-attention assignment's summary
])
def test_bundled_models_give_the_published_totals(name, total):
    r = run("solve", os.path.join(PROBLEMS, f"{name}.yaml"), "--json")
    assert r.exit_code == 0, r.stderr
    out = json.loads(r.stdout.splitlines()[0])
    assert out["answer"] == total and out["agrees"] is True


def test_the_working_is_one_row_a_layer_with_its_formula_then_the_total():
    r = run("solve", os.path.join(PROBLEMS, "dlai_nmt_attention_model.yaml"))
    text = r.stdout
    # the Bi-LSTM of the assignment: 4 gates of 32·(37+32) + 32, both directions
    assert "4·(32·(37+32) + 32)·2" in text and "17920" in text
    assert "10·128 + 10" in text and "4·(64·(64+64) + 64)" in text
    assert "17920 + 1290 + 11 + 33024 + 715" in text


# --- against Keras 3, which counts its own weights ---------------------------------------------

def _keras():
    os.environ.setdefault("KERAS_BACKEND", "torch")
    return pytest.importorskip("keras")


def test_an_embedding_stack_and_readout_as_keras_builds_it(tmp_path):
    keras = _keras()
    L = keras.layers
    doc = {"type": "shapes", "framework": "keras", "cell": "gru", "input": 16,
           "embedding": {"vocabulary": 500}, "hidden": [24, 12], "output": 5,
           "bidirectional": True, "reset_after": False, "ask": {"quantity": "summary"}}
    model = keras.Sequential([
        keras.Input((None,), dtype="int32"), L.Embedding(500, 16),
        L.Bidirectional(L.GRU(24, reset_after=False, return_sequences=True)),
        L.Bidirectional(L.GRU(12, reset_after=False)), L.Dense(5)])
    out = solve(tmp_path, doc)
    assert out["answer"] == [["embedding", 16, 500 * 16], ["gru", 48, model.layers[1].count_params()],
                             ["gru", 24, model.layers[2].count_params()],
                             ["dense", 5, model.layers[3].count_params()]]
    assert solve(tmp_path, {**doc, "ask": {"quantity": "params"}})["answer"] == \
        model.count_params()


def test_a_layer_list_total_trainable_and_shapes_as_keras_counts_them(tmp_path):
    keras = _keras()
    L = keras.layers
    layers = [{"layer": "conv1d", "filters": 8, "kernel_size": 3},
              {"layer": "batch_norm"},
              {"layer": "lstm", "hidden": 10, "return_sequences": True},
              {"layer": "layer_norm"},
              {"layer": "gru", "hidden": 6},
              {"layer": "dense", "output": 3, "activation": "softmax"}]
    model = keras.Sequential([keras.Input((None, 7)), L.Conv1D(8, 3, padding="same"),
                              L.BatchNormalization(), L.LSTM(10, return_sequences=True),
                              L.LayerNormalization(), L.GRU(6), L.Dense(3, activation="softmax")])
    doc = {"type": "shapes", "framework": "keras", "input": 7, "model": layers}
    assert solve(tmp_path, doc)["answer"] == model.count_params()
    trainable = sum(math.prod(w.shape) for w in model.trainable_weights)
    assert trainable < model.count_params()          # the moving statistics are not trained
    doc["ask"] = {"quantity": "params", "trainable": True}
    assert solve(tmp_path, doc)["answer"] == trainable
    doc["ask"] = {"quantity": "shapes"}
    shapes = solve(tmp_path, doc)["answer"]
    assert list(shapes.values()) == [list(w.shape) for w in model.weights]
    assert [k.split("/")[-1] for k in shapes] == [w.path.split("/")[-1] for w in model.weights]


# --- against torch.nn ------------------------------------------------------------------------

def test_a_pytorch_stack_of_widths_as_torch_counts_it(tmp_path):
    torch = pytest.importorskip("torch")
    nn = torch.nn
    doc = {"type": "shapes", "framework": "pytorch", "cell": "lstm", "input": 10,
           "hidden": [20, 15], "output": 4, "bidirectional": True}
    modules = [nn.LSTM(10, 20, bidirectional=True), nn.LSTM(40, 15, bidirectional=True),
               nn.Linear(30, 4)]
    want = sum(p.numel() for m in modules for p in m.parameters())
    assert solve(tmp_path, doc)["answer"] == want
    shapes = solve(tmp_path, {**doc, "ask": {"quantity": "shapes"}})["answer"]
    assert shapes["lstm_1.weight_hh_l0_reverse"] == list(modules[1].weight_hh_l0_reverse.shape)
    assert shapes["linear.weight"] == [4, 30]


# --- the single-cell exercises stay as they were ----------------------------------------------

def test_an_integer_hidden_keeps_the_cell_working_and_gate_dim(tmp_path):
    doc = {"type": "shapes", "cell": "lstm", "input": 10, "hidden": 20, "framework": "pytorch"}
    assert solve(tmp_path, doc)["answer"] == 20            # gate_dim, the default
    assert solve(tmp_path, {**doc, "ask": {"quantity": "params"}})["answer"] == 2_560


def test_a_one_width_list_counts_as_the_integer_does(tmp_path):
    doc = {"type": "shapes", "cell": "gru", "input": 16, "framework": "keras",
           "ask": {"quantity": "params"}}
    assert solve(tmp_path, {**doc, "hidden": 32})["answer"] == 4_800     # SPEC 1.7's GRU(32)
    assert solve(tmp_path, {**doc, "hidden": [32]})["answer"] == 4_800


# --- slips ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("name, given, slip", [
    ("chollet_embedding_simple_rnn", 2_080, "embedding_without_vocabulary"),
    ("dlai_nmt_attention_model", 52_960 - 17_920 // 2, "bidirectional_once"),
])
def test_check_names_the_slip_of_a_wrong_total(name, given, slip):
    r = run("check", os.path.join(PROBLEMS, f"{name}.yaml"), "--answer", str(given), "--json")
    out = json.loads(r.stdout.splitlines()[0])
    assert out["agrees"] is False
    assert out["diagnosis"][0]["slip"] == slip


def test_one_bias_is_the_pytorch_slip(tmp_path):
    doc = {"type": "shapes", "framework": "pytorch", "input": 10,
           "model": [{"layer": "lstm", "hidden": 20}], "answer": 2_560}
    path = tmp_path / "m.yaml"
    path.write_text(yaml.safe_dump(doc), encoding="utf-8")
    # nn.LSTM(10, 20) has 2,560; one bias per gate (the course's count) gives 2,480: the
    # courses' convention, which the one_bias slip also makes
    r = run("check", str(path), "--answer", "2480", "--json")
    assert json.loads(r.stdout.splitlines()[0])["diagnosis"][0]["slip"] == "bias_one"


# --- errors name the file, the line and the key --------------------------------------------------

@pytest.mark.parametrize("text, where", [
    ("type: shapes\ninput: 3\nmodel:\n  - {layer: lstm, hidden: 3}\n  - {layer: lstm, hiden: 3}\n",
     ":5: model[1].hiden:"),
    ("type: shapes\ninput: 3\nhidden: [2, 2]\nlayers: 2\n", ":4: layers:"),
    ("type: shapes\ninput: 3\ncell: lstm\nmodel:\n  - {layer: lstm, hidden: 3}\n", ":3: cell:"),
    ("type: shapes\ninput: 3\nhidden: [3, 0]\n", ":3: hidden[1]:"),
    ("type: shapes\ninput: 3\nhidden: 3\nembedding: {vocab: 10}\n", ":4: embedding.vocab:"),
    ("type: shapes\ninput: 3\nhidden: [3]\nask: {quantity: gate_dim}\n", ":4: ask.quantity:"),
    ("type: shapes\nframework: course\nmodel:\n  - {layer: gru, hidden: 3, reset_after: false}\n",
     ":4: model[0].reset_after:"),
])
def test_bad_models_are_named_by_file_line_and_key(tmp_path, text, where):
    message = error(tmp_path, text)
    assert "bad.yaml" + where in message, message


def test_trainable_belongs_to_shapes_only(tmp_path):
    message = error(tmp_path, "type: hmm_bits\nstates: 4\nask: {trainable: true}\n")
    assert "ask.trainable" in message


# --- new ---------------------------------------------------------------------------------------

def _torch_count(nn, doc: dict) -> int:
    """A drawn model built of torch.nn modules: the parameters torch counts."""
    both = doc.get("bidirectional", False)
    if "model" in doc:
        layers, width = doc["model"], doc["input"]
    else:
        layers, width = [], doc["input"]
        if "embedding" in doc:
            layers.append({"layer": "embedding", "vocabulary": doc["embedding"]["vocabulary"],
                           "output": doc["input"]})
        widths = doc["hidden"] if isinstance(doc["hidden"], list) else [doc["hidden"]]
        layers += [{"layer": doc.get("cell", "rnn"), "hidden": h, "bidirectional": both}
                   for h in widths]
        if "output" in doc:
            layers.append({"layer": "dense", "output": doc["output"]})
    total = 0
    for layer in layers:
        kind = layer["layer"]
        if kind == "embedding":
            m, width = nn.Embedding(layer["vocabulary"], layer["output"]), layer["output"]
        elif kind in ("rnn", "lstm", "gru"):
            cls = {"rnn": nn.RNN, "lstm": nn.LSTM, "gru": nn.GRU}[kind]
            two = layer.get("bidirectional", False)
            m, width = cls(width, layer["hidden"], bidirectional=two), \
                layer["hidden"] * (2 if two else 1)
        elif kind == "dense":
            m, width = nn.Linear(width, layer["output"]), layer["output"]
        else:
            m = nn.LayerNorm(width)
        total += sum(p.numel() for p in m.parameters())
    return total


def test_new_shapes_draws_models_that_torch_counts_alike():
    torch = pytest.importorskip("torch")
    kinds = set()
    for seed in range(1, 60):
        doc = yaml.safe_load(run("new", "shapes", "--seed", str(seed)).stdout)
        kind = "model" if "model" in doc else "embedding" if "embedding" in doc \
            else "list" if isinstance(doc["hidden"], list) else "cell"
        kinds.add(kind)
        assert rnnquiz.solve(doc).agrees is True
        if kind != "cell" and doc["framework"] == "pytorch":
            assert doc["answer"] == _torch_count(torch.nn, doc), seed
            kinds.add("checked")
    assert {"model", "embedding", "list", "cell", "checked"} <= kinds


def test_a_published_summary_is_compared_row_by_row(tmp_path):
    rows = [["lstm", 64, 17_920], ["dense", 10, 1_290], ["dense", 1, 11], ["lstm", 64, 33_024],
            ["dense", 11, 715]]          # the assignment's model.summary(), layer by layer
    doc = yaml.safe_load(open(os.path.join(PROBLEMS, "dlai_nmt_attention_model.yaml")))
    doc["ask"] = {"quantity": "summary"}
    assert solve(tmp_path, {**doc, "answer": rows})["agrees"] is True
    rows[3][2] = 33_025
    assert solve(tmp_path, {**doc, "answer": rows})["agrees"] is False
    message = error(tmp_path, "type: shapes\ninput: 3\nhidden: [3]\nask: {quantity: summary}\n"
                              "answer: [[rnn, 3]]\n")
    assert ":5: answer[0]:" in message


def test_a_width_past_4300_digits_is_an_error_by_key():
    # str() of such an int raises ValueError; the promise is a ProblemError naming the key
    import rnnquiz
    doc = {"type": "shapes", "framework": "keras", "cell": "rnn", "input": 10 ** 5000,
           "hidden": [20, 20, 1], "ask": {"quantity": "params"}}
    with pytest.raises(rnnquiz.ProblemError, match="input"):
        rnnquiz.solve(doc)
