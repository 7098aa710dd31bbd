"""A read-out nn.Linear by its state_dict names (SPEC 1.15): `<name>.weight`, `<name>.bias` for
any one name in the pytorch and cmu11785 notations computes what torch's nn.Linear computes on
top of nn.RNN / nn.LSTM / nn.GRU, forward and backward, in one layer and in stacks; two
candidates, or one beside W_hy, are an error that asks which is the read-out."""

from __future__ import annotations

import numpy as np
import pytest
from conftest import run

import rnnquiz


def _model(torch, cell: str, n_x=2, n_h=3, n_y=2, layers=1, bidirectional=False, seed=0):
    torch.manual_seed(seed)
    rnn = {"rnn": torch.nn.RNN, "lstm": torch.nn.LSTM, "gru": torch.nn.GRU}[cell](
        n_x, n_h, num_layers=layers, bidirectional=bidirectional)
    fc = torch.nn.Linear(n_h * (2 if bidirectional else 1), n_y)
    return rnn, fc


def _doc(torch, rnn, fc, name: str, cell: str, x, targets, bias=True) -> dict:
    net = {k: v.tolist() for k, v in rnn.state_dict().items()}
    net[f"{name}.weight"] = fc.weight.tolist()
    if bias:
        net[f"{name}.bias"] = fc.bias.tolist()
    return {"type": "backprop", "cell": cell, "notation": "pytorch", "network": net,
            "inputs": x.tolist(), "targets": targets.tolist()}


def _autograd(torch, rnn, fc, x, targets):
    out, _ = rnn(x.unsqueeze(1))
    y = fc(out[:, 0])
    E = 0.5 * ((y - targets) ** 2).sum()
    E.backward()
    return y.detach().numpy(), E.item()


def _answer(doc, q):
    return np.array(rnnquiz.solve({**doc, "ask": {"quantity": q}}).to_json()["answer"])


@pytest.mark.parametrize("cell", ["rnn", "lstm", "gru"])
@pytest.mark.parametrize("name", ["linear", "fc", "h_o", "projection"])
def test_any_linear_name_reads_out_as_torch_does(cell, name):
    torch = pytest.importorskip("torch")
    rnn, fc = _model(torch, cell, seed=len(name))
    x, targets = torch.randn(3, 2), torch.randn(3, 2)
    y, E = _autograd(torch, rnn, fc, x, targets)
    doc = _doc(torch, rnn, fc, name, cell, x, targets)
    assert _answer(doc, "E") == pytest.approx(E, rel=1e-12)
    np.testing.assert_allclose(_answer(doc, f"dE/d{name}.weight"), fc.weight.grad, atol=1e-12)
    np.testing.assert_allclose(_answer(doc, f"dE/d{name}.bias"), fc.bias.grad, atol=1e-12)
    for key, p in rnn.named_parameters():
        np.testing.assert_allclose(_answer(doc, f"dE/d{key}"), p.grad, atol=1e-12)
    fwd = {k: v for k, v in doc.items() if k not in ("targets", "cell")}
    fwd["type"] = "forward" if cell == "rnn" else cell
    np.testing.assert_allclose(_answer(fwd, "y"), y, atol=1e-12)


def test_a_linear_without_bias_is_its_weight_alone():
    torch = pytest.importorskip("torch")
    rnn, _ = _model(torch, "rnn")
    fc = torch.nn.Linear(3, 2, bias=False)
    x, targets = torch.randn(4, 2), torch.randn(4, 2)
    _, E = _autograd(torch, rnn, fc, x, targets)
    doc = _doc(torch, rnn, fc, "decoder", "rnn", x, targets, bias=False)
    assert _answer(doc, "E") == pytest.approx(E, rel=1e-12)
    np.testing.assert_allclose(_answer(doc, "dE/ddecoder.weight"), fc.weight.grad, atol=1e-12)


@pytest.mark.parametrize("cell", ["rnn", "lstm"])
def test_a_stack_s_state_dict_with_its_read_out(cell):
    torch = pytest.importorskip("torch")
    rnn, fc = _model(torch, cell, layers=2, bidirectional=True, seed=5)
    x, targets = torch.randn(3, 2), torch.randn(3, 2)
    _, E = _autograd(torch, rnn, fc, x, targets)
    doc = _doc(torch, rnn, fc, "fc", cell, x, targets)
    assert _answer(doc, "E") == pytest.approx(E, rel=1e-12)
    np.testing.assert_allclose(_answer(doc, "dE/dfc.weight"), fc.weight.grad, atol=1e-12)
    np.testing.assert_allclose(_answer(doc, "dE/dweight_hh_l1_reverse"),
                               rnn.weight_hh_l1_reverse.grad, atol=1e-12)


def test_cmu11785_takes_another_name_for_its_projection():
    torch = pytest.importorskip("torch")
    torch.manual_seed(11)
    cell, fc = torch.nn.RNNCell(2, 3), torch.nn.Linear(3, 1)
    x = torch.randn(2, 2)
    h, ys = torch.zeros(3), []
    for t in range(2):
        h = cell(x[t], h)
        ys.append(fc(h))
    net = {"W_ih": cell.weight_ih.tolist(), "W_hh": cell.weight_hh.tolist(),
           "b_ih": cell.bias_ih.tolist(), "b_hh": cell.bias_hh.tolist(),
           "linear.weight": fc.weight.tolist(), "linear.bias": fc.bias.tolist()}
    doc = {"type": "forward", "notation": "cmu11785", "network": net, "inputs": x.tolist()}
    np.testing.assert_allclose(_answer(doc, "y"), torch.stack(ys).detach(), atol=1e-12)


def test_the_working_writes_the_read_out_and_its_gradient_by_the_file_s_names():
    doc = {"type": "backprop", "cell": "rnn", "notation": "pytorch", "inputs": [1.0, -1.0],
           "network": {"weight_ih": [[0.5]], "weight_hh": [[0.2]], "fc.weight": [[2.0]],
                       "fc.bias": [0.5]}, "targets": [1.0, 0.0]}
    steps = rnnquiz.solve(doc).to_json()["steps"]
    assert any("fc.weight" in s["equation"] and "fc.bias" in s["equation"] for s in steps)
    assert any(s["symbol"] == "dE/dfc.weight" for s in steps)
    # by hand: h_0 = tanh(0.5) = 0.462117, y_0 = 2·h_0 + 0.5, dE/dfc.bias = Σ_t (y_t - t_t)
    h0 = np.tanh(0.5)
    h1 = np.tanh(-0.5 + 0.2 * h0)
    want = (2 * h0 + 0.5 - 1.0) + (2 * h1 + 0.5)
    assert _answer(doc, "dE/dfc.bias") == pytest.approx([want], rel=1e-12)


BASE = {"type": "backprop", "cell": "rnn", "notation": "pytorch", "inputs": [1.0, 2.0],
        "targets": [1.0, 1.0]}


@pytest.mark.parametrize("net, where, words", [
    ({"fc.weight": [[1.0]], "fc.bias": [0.0], "h_o.weight": [[1.0]]}, "network.h_o.weight",
     "which is the read-out"),
    ({"W_hy": [[1.0]], "linear.weight": [[2.0]]}, "network.linear.weight",
     "which is the read-out"),
    ({"fc.bias": [1.0]}, "network.fc.bias", "fc.weight"),
])
def test_an_ambiguous_read_out_asks_which(net, where, words):
    with pytest.raises(rnnquiz.ProblemError) as e:
        rnnquiz.solve({**BASE, "network": net})
    assert where in str(e.value) and words in str(e.value)


def test_the_cli_names_the_file_line_and_key_and_exits_2(tmp_path):
    f = tmp_path / "two.yaml"
    f.write_text("type: backprop\ncell: rnn\nnotation: pytorch\nnetwork:\n"
                 "  fc.weight: [[1]]\n  linear.weight: [[1]]\ninputs: [1]\ntargets: [1]\n")
    r = run("solve", str(f))
    assert r.exit_code == 2
    line = r.output.strip().splitlines()[-1]
    assert "two.yaml:6" in line and "network.linear.weight" in line and "Traceback" not in r.output


def test_a_linear_name_stays_unknown_in_a_notation_without_framework_keys():
    with pytest.raises(rnnquiz.ProblemError) as e:
        rnnquiz.solve({"type": "forward", "inputs": [1.0], "network": {"fc.weight": [[1.0]]}})
    assert "network.fc.weight" in str(e.value) and "unknown key" in str(e.value)
    assert "read in the pytorch and cmu11785 notations" in str(e.value)
    assert str(e.value).endswith("the hinton notation's is W_hy and b_y")


def test_a_name_in_tie_is_never_taken_for_the_read_out():
    from rnnquiz.notations import notation_for
    from rnnquiz.notations.framework_keys import adapt
    from rnnquiz.problem.values import error_at
    n = notation_for("rnn", "pytorch")
    net = {"h_h.weight": [[1.0]], "fc.weight": [[1.0]], "fc.bias": [0.0]}
    tied = adapt(n, {"tie": {"h_h.weight": ["weight_ih", "weight_hh"]}}, net, error_at)
    assert tied.readout == ("fc.weight", "fc.bias") and "W_hy" not in tied.weights
    with pytest.raises(rnnquiz.ProblemError):
        adapt(n, {}, net, error_at)        # without tie: two candidates


def test_the_schema_accepts_a_linear_read_out_by_any_name():
    jsonschema = pytest.importorskip("jsonschema")
    from rnnquiz.cli.schema import schema
    doc = {**BASE, "network": {"weight_ih": [[1.0]], "fc.weight": [[1.0]], "fc.bias": [0.0]}}
    jsonschema.validate(doc, schema())
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({**BASE, "network": {"fc.kernel": [[1.0]]}}, schema())


def test_fastbook_s_lstm_cell_by_its_own_linear_names_with_an_h_o_read_out():
    """fastbook ch. 12: ih, hh = nn.Linear(ni, 4nh), nn.Linear(nh, 4nh), chunked i, f, o, g."""
    torch = pytest.importorskip("torch")
    torch.manual_seed(21)
    ih, hh, h_o = torch.nn.Linear(2, 12), torch.nn.Linear(3, 12), torch.nn.Linear(3, 2)
    x, targets = torch.randn(3, 2), torch.randn(3, 2)
    h = c = torch.zeros(3)
    E = 0
    for t in range(3):
        gates = (ih(x[t]) + hh(h)).chunk(4, 0)
        ingate, forgetgate, outgate = map(torch.sigmoid, gates[:3])
        c = forgetgate * c + ingate * gates[3].tanh()
        h = outgate * c.tanh()
        E = E + 0.5 * ((h_o(h) - targets[t]) ** 2).sum()
    E.backward()
    net = {f"{m}.{p}": getattr(mod, p).tolist() for m, mod in (("ih", ih), ("hh", hh), ("h_o", h_o))
           for p in ("weight", "bias")}
    doc = {"type": "backprop", "cell": "lstm", "notation": "pytorch", "network": net,
           "layout": {"gate_order": ["i", "f", "o", "g"]}, "inputs": x.tolist(),
           "targets": targets.tolist()}
    assert _answer(doc, "E") == pytest.approx(E.item(), rel=1e-12)
    for m, mod in (("ih", ih), ("hh", hh), ("h_o", h_o)):
        for p in ("weight", "bias"):
            np.testing.assert_allclose(_answer(doc, f"dE/d{m}.{p}"), getattr(mod, p).grad,
                                       atol=1e-12)
    steps = rnnquiz.solve(doc).to_json()["steps"]
    assert any(s["symbol"] == "dE/dih.weight" for s in steps)


def test_the_cell_s_matrices_are_written_one_way():
    doc = {**BASE, "network": {"weight_ih": [[1.0]], "ih.weight": [[1.0]]}}
    with pytest.raises(rnnquiz.ProblemError, match="^network.weight_ih: weight_ih beside ih.weight"):
        rnnquiz.solve(doc)


def test_fastbook_s_lmmodel4_by_its_own_names_h_o_beside_a_tied_h_h():
    """The published answer (torch autograd on LMModel4) with the read-out written as h_o's
    state_dict names and the embedding as i_h.weight: the tied names are no read-out."""
    import yaml
    from conftest import PROBLEMS
    doc = next(yaml.safe_load_all((PROBLEMS / "fastbook_lmmodel4_tied.yaml").read_text()))
    net = dict(doc["network"])
    if "W_hy" in net:               # the file may write the read-out either way
        net["h_o.weight"], net["h_o.bias"] = net.pop("W_hy"), net.pop("b_y")
    net["i_h.weight"] = net.pop("embedding")
    doc = {**doc, "network": net, "tie": {**doc["tie"], "i_h.weight": ["embedding"]}}
    r = rnnquiz.solve(doc)
    assert r.agrees
    np.testing.assert_allclose(r.to_json()["answer"], doc["answer"], atol=5e-7)
