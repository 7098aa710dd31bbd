"""Tied weights (`tie:`): one parameter used in several places, its gradient the sum over its
uses. Checked against torch autograd on fastbook's LMModel4 (one nn.Linear used twice) and on a
tied embedding and read-out, against finite differences, and by hand."""

from __future__ import annotations

import copy

import numpy as np
import pytest

import rnnquiz
from conftest import PROBLEMS, finite_difference, run

LM4 = {
    "type": "backprop", "notation": "pytorch",
    "tie": {"h_h.weight": ["weight_ih", "weight_hh"], "h_h.bias": ["bias_ih"]},
    "network": {"hidden": "relu", "output": "softmax",
                "embedding": [[0.5, -0.2], [0.1, 0.4], [-0.3, 0.2]],
                "h_h.weight": [[0.6, -0.4], [0.3, 0.8]], "h_h.bias": [0.1, -0.1],
                "W_hy": [[0.7, -0.5], [0.2, 0.4], [-0.6, 0.3]], "b_y": [0.0, 0.1, -0.1]},
    "inputs": [0, 1, 2, 1], "targets": [1, 2, 0, 0], "loss": "cross_entropy",
    "reduction": "mean",
}


def _ask(doc, q, steps=True):
    return rnnquiz.solve({**copy.deepcopy(doc), "ask": {"quantity": q}}, steps=steps).answer


def test_lmmodel4_gradients_match_torch_autograd_on_the_class_itself():
    torch = pytest.importorskip("torch")
    nn, F = torch.nn, torch.nn.functional

    class LMModel4(nn.Module):              # fastbook ch. 12, as printed
        def __init__(self, vocab_sz, n_hidden):
            super().__init__()
            self.i_h = nn.Embedding(vocab_sz, n_hidden)
            self.h_h = nn.Linear(n_hidden, n_hidden)
            self.h_o = nn.Linear(n_hidden, vocab_sz)

        def forward(self, x):
            h, outs = 0, []
            for i in range(x.shape[1]):
                h = h + self.i_h(x[:, i])
                h = F.relu(self.h_h(h))
                outs.append(self.h_o(h))
            return torch.stack(outs, dim=1)

    net = LM4["network"]
    m = LMModel4(3, 2).double()
    with torch.no_grad():
        m.i_h.weight.copy_(torch.tensor(net["embedding"]))
        m.h_h.weight.copy_(torch.tensor(net["h_h.weight"]))
        m.h_h.bias.copy_(torch.tensor(net["h_h.bias"]))
        m.h_o.weight.copy_(torch.tensor(net["W_hy"]))
        m.h_o.bias.copy_(torch.tensor(net["b_y"]))
    x, y = torch.tensor([LM4["inputs"]]), torch.tensor([LM4["targets"]])
    loss = F.cross_entropy(m(x).view(-1, 3), y.view(-1))
    loss.backward()
    assert _ask(LM4, "E") == pytest.approx(loss.item(), abs=1e-12)
    for q, grad in (("dE/dh_h.weight", m.h_h.weight.grad), ("dE/dh_h.bias", m.h_h.bias.grad),
                    ("dE/dembedding", m.i_h.weight.grad), ("dE/dW_hy", m.h_o.weight.grad)):
        for steps in (True, False):         # the working and the vectorised path
            np.testing.assert_allclose(_ask(LM4, q, steps), grad.numpy(), atol=1e-12)


def test_a_tied_embedding_and_read_out_match_torch_autograd():
    """AWD-LSTM's weight tying: the decoder's weight is the encoder's (V, H) embedding."""
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(3)
    V, H = 4, 3
    Wt = rng.normal(0, 0.6, (V, H))
    W_ih, W_hh = rng.normal(0, 0.6, (H, H)), rng.normal(0, 0.6, (H, H))
    doc = {"type": "backprop", "notation": "pytorch",
           "tie": {"encoder.weight": ["embedding", "W_hy"]},
           "network": {"encoder.weight": Wt.tolist(), "weight_ih": W_ih.tolist(),
                       "weight_hh": W_hh.tolist(), "output": "softmax"},
           "inputs": [0, 3, 1, 2], "targets": [3, 1, 2, 0], "loss": "cross_entropy"}
    E = torch.tensor(Wt, requires_grad=True)
    h, loss = torch.zeros(H), 0
    for tok, tg in zip(doc["inputs"], doc["targets"]):
        h = torch.tanh(torch.tensor(W_ih) @ E[tok] + torch.tensor(W_hh) @ h)
        loss = loss - torch.log_softmax(E @ h, dim=0)[tg]
    loss.backward()
    np.testing.assert_allclose(_ask(doc, "dE/dencoder.weight"), E.grad.numpy(), atol=1e-12)
    # each use's own gradient stays a quantity, and the two add up to the tied one
    both = np.add(_ask(doc, "dE/dembedding"), _ask(doc, "dE/dW_hy"))
    np.testing.assert_allclose(both, E.grad.numpy(), atol=1e-12)


def test_the_tied_gradient_is_the_derivative_of_E_by_finite_differences():
    num = finite_difference(LM4, "h_h.weight", steps=True)
    np.testing.assert_allclose(_ask(LM4, "dE/dh_h.weight"), num, atol=1e-8)


def test_a_scalar_weight_used_as_input_and_recurrent_weight_by_hand():
    # z_t = w x_t + w h_{t-1}, h linear, y = h, E = 1/2 Σ (h_t - target_t)²; w = 0.5, x = 1, 2:
    #   h_0 = 0.5            h_1 = 0.5·2 + 0.5·0.5 = 1.25
    #   dE/dh_1 = 1.25 - 1 = 0.25,  dE/dh_0 = (0.5 - 0) + 0.5·0.25 = 0.625
    #   as W_xh: 0.625·1 + 0.25·2 = 1.125     as W_hh: 0.625·0 + 0.25·0.5 = 0.125     sum 1.25
    doc = {"type": "backprop", "tie": {"w": ["W_xh", "W_hh"]},
           "network": {"hidden": "linear", "w": 0.5, "W_hy": 1}, "inputs": [1, 2],
           "targets": [0, 1]}
    assert _ask(doc, "dE/dW_xh") == pytest.approx(1.125)
    assert _ask(doc, "dE/dW_hh") == pytest.approx(0.125)
    assert _ask(doc, "dE/dw") == pytest.approx(1.25)
    assert isinstance(_ask(doc, "dE/dw"), float)        # written as a number, answered so


def test_the_working_writes_the_sum_of_the_uses_with_its_numbers():
    result = rnnquiz.solve({**LM4, "ask": {"quantity": "dE/dh_h.weight"}})
    step = next(s for s in result.steps if s.symbol == "dE/dh_h.weight")
    assert step.equation == "dE/dweight_ih + dE/dweight_hh"
    assert step.formula == "{} + {}" and len(step.operands) == 2
    np.testing.assert_allclose(np.add(*step.operands), step.value)


def test_check_names_the_gradient_of_one_use_alone():
    p = rnnquiz.load(str(PROBLEMS / "fastbook_lmmodel4_tied.yaml"))[0]
    one = np.asarray(rnnquiz.solve(p).values["dE/dweight_hh"])
    text = ";".join(",".join(f"{v:.6f}" for v in row) for row in one)
    verdict = rnnquiz.check(p, text)
    assert verdict["agrees"] is False
    assert verdict["diagnosis"][0]["slip"] == "tied_one_use"
    assert "weight_hh only" in verdict["diagnosis"][0]["explanation"]


@pytest.mark.parametrize("change, where", [
    (lambda d: d["network"].update(weight_ih=[[1, 0], [0, 1]]), "network.weight_ih"),
    (lambda d: d["network"].pop("h_h.weight"), "tie.h_h.weight"),
    (lambda d: d["network"].update({"h_h.weight": [[1, 2, 3], [4, 5, 6]]}), "network.h_h.weight"),
    (lambda d: d.update(tie={"h_h.weight": []}), "tie.h_h.weight"),
    (lambda d: d.update(tie={"h_h.weight": ["weight_ih", "bias_hh"], "h_h.bias": ["bias_hh"]}),
     "tie.h_h.bias"),
    (lambda d: d.update(clip={"value": 0.1}), "clip.value"),
    (lambda d: d.update(tie={**d["tie"], "i_h.weight": ["embedding"]},
                        clip={"norm": 0.1}) or d["network"].update(
        {"i_h.weight": d["network"].pop("embedding")}), "clip"),
])
def test_a_tie_written_wrong_is_an_error_by_key(tmp_path, change, where):
    import yaml
    doc = copy.deepcopy(LM4)
    change(doc)
    path = tmp_path / "tie.yaml"
    path.write_text(yaml.safe_dump(doc, sort_keys=False), encoding="utf-8")
    result = run("solve", str(path))
    assert result.exit_code == 2
    assert f": {where}:" in result.stderr and "Traceback" not in result.stderr, result.stderr


def test_a_name_in_tie_is_never_a_key_of_the_network():
    p = rnnquiz.load(str(PROBLEMS / "fastbook_lmmodel4_tied.yaml"))[0]
    assert "h_h.weight" not in p.network.params
    assert p.network.notation.readout == ("h_o.weight", "h_o.bias")    # h_h is no read-out


def test_fastbooks_own_names_for_every_layer_and_a_forward_pass():
    """i_h, h_h and h_o as LMModel4 names them: a one-use tie names a key as the course does."""
    doc = copy.deepcopy(LM4)
    net = doc["network"]
    net["i_h.weight"] = net.pop("embedding")
    net["h_o.weight"], net["h_o.bias"] = net.pop("W_hy"), net.pop("b_y")   # an nn.Linear read-out
    doc["tie"] = {**doc["tie"], "i_h.weight": ["embedding"]}
    for q in ("E", "dE/dh_h.weight", "dE/dh_h.bias"):
        np.testing.assert_allclose(_ask(doc, q), _ask(LM4, q), atol=0)
    np.testing.assert_allclose(_ask(doc, "dE/di_h.weight"), _ask(LM4, "dE/dembedding"), atol=0)
    np.testing.assert_allclose(_ask(doc, "dE/dh_o.weight"), _ask(LM4, "dE/dW_hy"), atol=0)
    forward = {k: v for k, v in doc.items() if k not in ("targets", "loss", "reduction")}
    forward["type"] = "forward"
    np.testing.assert_allclose(_ask(forward, "y"), _ask(LM4, "y"), atol=0)


def test_the_question_in_words_says_which_keys_are_one_parameter():
    from rnnquiz.teaching.question import full_question
    p = rnnquiz.load(str(PROBLEMS / "fastbook_lmmodel4_tied.yaml"))[0]
    text = full_question(p, rnnquiz.solve(p))
    assert "h_h.weight is one parameter, used as weight_ih and weight_hh (tied)." in text


def test_the_global_norm_counts_a_tied_weight_once_as_torch_clips_it():
    torch = pytest.importorskip("torch")
    net = LM4["network"]
    W = torch.tensor(net["h_h.weight"], requires_grad=True)     # one parameter, used twice
    b = torch.tensor(net["h_h.bias"], requires_grad=True)
    V = torch.tensor(net["W_hy"], requires_grad=True)
    c = torch.tensor(net["b_y"], requires_grad=True)
    b_hh = torch.zeros(2, requires_grad=True)   # nn.RNN's second bias: counted, written or not
    emb = torch.tensor(net["embedding"])
    h, outs = torch.zeros(2), []
    for tok in LM4["inputs"]:
        h = torch.relu(W @ emb[tok] + W @ h + b + b_hh)
        outs.append(V @ h + c)
    loss = torch.nn.functional.cross_entropy(torch.stack(outs), torch.tensor(LM4["targets"]))
    loss.backward()
    gW, gV = W.grad.clone(), V.grad.clone()
    norm = torch.nn.utils.clip_grad_norm_([W, b, b_hh, V, c], max_norm=0.1).item()
    scale = 0.1 / norm          # torch's own factor is 0.1/(norm + 1e-6)
    doc = {**LM4, "clip": {"norm": 0.1}}
    for steps in (True, False):
        assert _ask(doc, "grad_norm", steps) == pytest.approx(norm, abs=1e-12)
        np.testing.assert_allclose(_ask(doc, "dE/dh_h.weight", steps), gW.numpy() * scale,
                                   atol=1e-12)
        np.testing.assert_allclose(_ask(doc, "dE/dW_hy", steps), gV.numpy() * scale, atol=1e-12)
        np.testing.assert_allclose(_ask(doc, "dE/dh_h.weight", steps), W.grad.numpy(), rtol=1e-5)
