"""`shapes` in the course's, PyTorch's and Keras' layouts (SPEC 1.7).

PyTorch's own modules are the oracle for every `pytorch` case; Keras is not installed,
so its cases are the numbers Keras' model.summary() publishes, each with its source.
"""

import json
from pathlib import Path

import pytest

import rnnquiz
from rnnquiz.cli.commands import cli
from rnnquiz.teaching.generate import new
from conftest import run

PROBLEMS = Path(__file__).resolve().parent.parent / "problems"


def shapes(**doc):
    r = rnnquiz.solve({"type": "shapes", **doc})
    return r.values


# ---------------------------------------------------------------- PyTorch as the oracle

TORCH_CASES = [(cell, D, H, L, both) for cell in ("rnn", "lstm", "gru")
               for D, H in ((10, 20), (3, 5), (1, 1)) for L in (1, 2, 3) for both in (False, True)]


@pytest.mark.parametrize("cell, D, H, L, both", TORCH_CASES)
def test_pytorch_counts_and_state_dict_shapes(cell, D, H, L, both):
    torch = pytest.importorskip("torch")
    module = {"rnn": torch.nn.RNN, "lstm": torch.nn.LSTM, "gru": torch.nn.GRU}[cell](
        D, H, num_layers=L, bidirectional=both)
    v = shapes(cell=cell, input=D, hidden=H, framework="pytorch", layers=L, bidirectional=both)
    assert v["params"] == sum(p.numel() for p in module.parameters())
    weights = {k: s for k, s in v["shapes"].items() if k.startswith(("weight_", "bias_"))}
    assert weights == {k: list(t.shape) for k, t in module.state_dict().items()}
    # the final states of an unbatched input: (D·num_layers, H)
    x = torch.zeros(4, D)
    out, state = module(x)
    assert v["shapes"]["output"] == [out.shape[-1]]
    h_n = state[0] if cell == "lstm" else state
    assert v["shapes"]["h_n"] == list(h_n.shape)
    if cell == "lstm":
        assert v["shapes"]["c_n"] == list(state[1].shape)


@pytest.mark.parametrize("both", [False, True])
def test_pytorch_read_out_is_an_nn_linear_on_the_top_layer(both):
    torch = pytest.importorskip("torch")
    rnn = torch.nn.GRU(7, 6, num_layers=2, bidirectional=both)
    linear = torch.nn.Linear(6 * (2 if both else 1), 4)
    v = shapes(cell="gru", input=7, hidden=6, output=4, framework="pytorch", layers=2,
               bidirectional=both)
    assert v["params"] == sum(p.numel() for m in (rnn, linear) for p in m.parameters())
    assert v["shapes"]["linear.weight"] == list(linear.weight.shape)


def test_nn_lstm_10_20_has_2560():
    # PyTorch's documented layout: weight_ih_l0 (4·20, 10), two bias vectors of 4·20
    v = shapes(cell="lstm", input=10, hidden=20, framework="pytorch")
    assert v["params"] == 2560
    assert v["shapes"]["weight_ih_l0"] == [80, 10] and v["shapes"]["bias_hh_l0"] == [80]


# ---------------------------------------------------------------- Keras' published numbers

KERAS = [
    # Stack Overflow, "Calculating the number of parameters of a GRU layer (Keras)" (TF2
    # summary): GRU(32) on 16 inputs 4,800; Bidirectional(GRU(32)) 9,600.
    (dict(cell="gru", input=16, hidden=32), 4800),
    (dict(cell="gru", input=16, hidden=32, bidirectional=True), 9600),
    # The same answer: TF1's reset_after=False gives 3·(16·32 + 32·32 + 32) = 4,704.
    (dict(cell="gru", input=16, hidden=32, reset_after=False), 4704),
    # Stack Overflow, "Number of parameters for Keras/Tensorflow RNN cells (SimpleRNN, GRU
    # and LSTM)", TF 2.1 summaries on 1 input: SimpleRNN(1) 3, LSTM(1) 12, GRU(1) 12.
    (dict(cell="rnn", input=1, hidden=1), 3),
    (dict(cell="lstm", input=1, hidden=1), 12),
    (dict(cell="gru", input=1, hidden=1), 12),
    # Stack Overflow, "Number of parameters for Keras SimpleRNN": SimpleRNN(10) on 1 input, 120.
    (dict(cell="rnn", input=1, hidden=10), 120),
    # xscotophilic/learning-tensorflow, "RNN Shapes": SimpleRNN(5) on 3 features 45, Dense(2) 12.
    (dict(cell="rnn", input=3, hidden=5, output=2), 57),
]


@pytest.mark.parametrize("doc, published", KERAS)
def test_keras_published_counts(doc, published):
    assert shapes(framework="keras", **doc)["params"] == published


def test_keras_layouts_are_rows():
    s = shapes(cell="gru", input=16, hidden=32, framework="keras", bidirectional=True,
               output=6)["shapes"]
    assert s["bidirectional/forward_gru/kernel"] == [16, 96]
    assert s["bidirectional/backward_gru/recurrent_kernel"] == [32, 96]
    assert s["bidirectional/backward_gru/bias"] == [2, 96]
    assert s["dense/kernel"] == [64, 6] and s["output"] == [64]
    s = shapes(cell="lstm", input=3, hidden=4, framework="keras", layers=2)["shapes"]
    assert s["lstm/kernel"] == [3, 16] and s["lstm_1/kernel"] == [4, 16]
    assert s["lstm_1/bias"] == [16]


# ---------------------------------------------------------------- the course's count


def test_course_counts_one_bias_per_gate():
    # deeplearning.ai Q7: 4·(100·100 + 100·10000 + 100) + 10000·100 + 10000, by hand
    v = shapes(cell="lstm", input=10000, hidden=100, output=10000)
    assert v["params"] == 4 * (100 * 100 + 100 * 10000 + 100) + 10000 * 100 + 10000 == 5050400
    # a 2-layer bidirectional GRU: layer 2 reads 2·h = 8 inputs; the read-out 2·h too
    v = shapes(cell="gru", input=3, hidden=4, output=2, layers=2, bidirectional=True)
    per = lambda x: 3 * (4 * 4 + 4 * x + 4)   # noqa: E731
    assert v["params"] == 2 * per(3) + 2 * per(8) + (2 * 8 + 2)
    s = v["shapes"]
    assert s["layer2.backward.W_ux"] == [4, 8] and s["layer1.forward.b_r"] == [4]
    assert s["W_hy"] == [2, 8] and s["output"] == [8]


# ---------------------------------------------------------------- files, options, new


def test_bundled_shapes_problems_agree():
    names = ["keras_simple_rnn_dense", "pytorch_lstm_params", "keras_bidirectional_gru",
             "pytorch_lstm_2layer_bidirectional"]
    answers = {}
    for name in names:
        (p,) = rnnquiz.load(PROBLEMS / f"{name}.yaml")
        r = rnnquiz.solve(p)
        assert p.source and r.agrees, name
        answers[name] = r.answer
    assert answers == {"keras_simple_rnn_dense": 57, "pytorch_lstm_params": 2560,
                       "keras_bidirectional_gru": 9600, "pytorch_lstm_2layer_bidirectional": 15040}


@pytest.mark.parametrize("doc, message", [
    (dict(reset_after=True), "reset_after: only applies to a Keras GRU"),
    (dict(framework="keras", cell="lstm", reset_after=False), "only applies to a Keras GRU"),
    (dict(framework="tensorflow"), "framework: expected one of course, pytorch, keras"),
    (dict(layers=0), "layers: expected a whole number >= 1"),
    (dict(layers=1001), "layers: expected at most 1000"),
    (dict(bidirectional="yes"), "bidirectional: expected true or false"),
    (dict(hidden=1.0e300), r"hidden: expected a whole number up to 10\^15, got a larger one"),
])
def test_bad_keys_are_named(doc, message):
    with pytest.raises(rnnquiz.ProblemError, match=message):
        rnnquiz.solve({"type": "shapes", "cell": "gru", "input": 2, "hidden": 3, **doc})


def test_calculator_takes_the_new_keys():
    r = run("shapes", "--cell", "gru", "--input", "16", "--hidden", "32", "--framework", "keras",
            "--bidirectional", "--quantity", "params", "--json")
    assert r.exit_code == 0 and json.loads(r.stdout)["answer"] == 9600
    r = run("shapes", "--cell", "gru", "--input", "16", "--hidden", "32", "--framework", "keras",
            "--no-reset-after", "--quantity", "params", "--json")
    assert json.loads(r.stdout)["answer"] == 4704
    r = run("shapes", "--cell", "lstm", "--input", "10", "--hidden", "20", "--framework",
            "pytorch", "--layers", "2", "--quantity", "params", "--answer", "2560")
    # 2,560 is one layer's count: layer 2 adds 4·20·20 + 4·20·20 + 2·4·20 = 3,360
    assert r.exit_code == 1 and "5920" in r.stdout


def test_new_shapes_answers_match_pytorch():
    torch = pytest.importorskip("torch")
    import yaml
    seen = set()
    for seed in range(40):
        doc = yaml.safe_load(new("shapes", seed))
        seen.add(doc["framework"])
        if doc["framework"] != "pytorch" or "model" in doc or "embedding" in doc \
                or isinstance(doc["hidden"], list):
            continue                # a whole model: tests/test_shapes_whole_model.py
        module = {"rnn": torch.nn.RNN, "lstm": torch.nn.LSTM, "gru": torch.nn.GRU}[doc["cell"]](
            doc["input"], doc["hidden"], num_layers=doc.get("layers", 1),
            bidirectional=doc.get("bidirectional", False))
        assert doc["answer"] == sum(p.numel() for p in module.parameters()), seed
    assert seen == {"course", "pytorch", "keras"}
