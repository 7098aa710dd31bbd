"""AR and TAR (`regularization: {ar, tar}`): fast.ai's penalties on the states, added to E after
the loss's reduction, their gradients in every gradient. Checked against torch autograd with
the penalties written as fastbook writes them, by finite differences, and by hand."""

from __future__ import annotations

import copy

import numpy as np
import pytest

import rnnquiz
from conftest import ROOT, assert_paths_agree, backprop_problem, finite_difference, run

RNN = {"type": "backprop", "notation": "pytorch",
       "network": {"weight_ih": [[0.4, -0.3], [0.2, 0.5], [-0.6, 0.1]],
                   "weight_hh": [[0.3, -0.2, 0.1], [0.5, 0.2, -0.4], [0.1, 0.3, 0.2]],
                   "bias_ih": [0.1, -0.1, 0.05], "W_hy": [[0.7, -0.5, 0.2], [0.1, 0.4, -0.3]]},
       "inputs": [[1, 0], [0.5, -1], [-0.5, 2], [1, 1]],
       "targets": [[1, 0], [0, 1], [0.5, 0.5], [1, -1]],
       "regularization": {"ar": 2.0, "tar": 1.5}}


def _ask(doc, q, steps=True):
    return rnnquiz.solve({**copy.deepcopy(doc), "ask": {"quantity": q}}, steps=steps).answer


def _torch_rnn(torch, doc, batch=False):
    net = {k: torch.tensor(v, requires_grad=True) for k, v in doc["network"].items()
           if not isinstance(v, str)}
    X = torch.tensor(doc["inputs"])
    X = X if batch else X[None]                      # (bs, sl, n_in)
    h, hs = torch.zeros(X.shape[0], 3), []
    for t in range(X.shape[1]):
        h = torch.tanh(X[:, t] @ net["weight_ih"].T + net["bias_ih"] + h @ net["weight_hh"].T)
        hs.append(h)
    return net, torch.stack(hs, dim=1)               # (bs, sl, nh), as fastbook's raw outputs


def test_e_and_every_gradient_match_torch_with_fastbooks_penalties():
    torch = pytest.importorskip("torch")
    net, h = _torch_rnn(torch, RNN)
    y = h @ net["W_hy"].T
    loss = 0.5 * ((y - torch.tensor(RNN["targets"])[None]) ** 2).sum()
    alpha, beta = RNN["regularization"]["ar"], RNN["regularization"]["tar"]
    ar = alpha * h.pow(2).mean()
    tar = beta * (h[:, 1:] - h[:, :-1]).pow(2).mean()
    (loss + ar + tar).backward()
    assert _ask(RNN, "penalty") == pytest.approx((ar + tar).item(), abs=1e-14)
    assert _ask(RNN, "E") == pytest.approx((loss + ar + tar).item(), abs=1e-12)
    assert _ask(RNN, "loss") == pytest.approx(loss.item(), abs=1e-12)
    for key in ("weight_ih", "weight_hh", "bias_ih", "W_hy"):
        np.testing.assert_allclose(_ask(RNN, f"dE/d{key}"), net[key].grad.numpy(), atol=1e-12)


def test_a_batch_averages_over_examples_steps_and_units_as_fastbook_does():
    torch = pytest.importorskip("torch")
    doc = copy.deepcopy(RNN)
    doc["batch"] = True
    doc["inputs"] = [RNN["inputs"], [[0, 1], [1, 1], [-1, 0.5], [0.2, -0.3]]]
    doc["targets"] = [RNN["targets"], [[0, 0], [1, 1], [-1, 0], [0, 1]]]
    doc["reduction"] = "batch_mean"
    net, h = _torch_rnn(torch, doc, batch=True)
    y = h @ net["W_hy"].T
    loss = 0.5 * ((y - torch.tensor(doc["targets"])) ** 2).sum() / 2
    ar = 2.0 * h.pow(2).mean()
    tar = 1.5 * (h[:, 1:] - h[:, :-1]).pow(2).mean()
    (loss + ar + tar).backward()
    assert _ask(doc, "E") == pytest.approx((loss + ar + tar).item(), abs=1e-12)
    np.testing.assert_allclose(_ask(doc, "dE/dweight_hh"), net["weight_hh"].grad.numpy(),
                               atol=1e-12)


def test_an_lstm_with_ar_and_tar_matches_torch():
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(7)
    W_ih, W_hh = rng.normal(0, 0.5, (8, 1)), rng.normal(0, 0.5, (8, 2))
    doc = {"type": "backprop", "cell": "lstm", "notation": "pytorch",
           "network": {"weight_ih": W_ih.tolist(), "weight_hh": W_hh.tolist()},
           "inputs": [1.0, -0.5, 2.0], "targets": [[0.1, 0.2], [0.0, -0.1], [0.3, 0.0]],
           "reduction": "mean", "regularization": {"ar": 1.0, "tar": 3.0}}
    cell = torch.nn.LSTMCell(1, 2, bias=False)
    with torch.no_grad():
        cell.weight_ih.copy_(torch.tensor(W_ih))
        cell.weight_hh.copy_(torch.tensor(W_hh))
    h, c, hs = torch.zeros(1, 2), torch.zeros(1, 2), []
    for x in doc["inputs"]:
        h, c = cell(torch.tensor([[x]]), (h, c))
        hs.append(h)
    H = torch.stack(hs, dim=1)
    loss = 0.5 * ((H[0] - torch.tensor(doc["targets"])) ** 2).sum() / 3
    E = loss + 1.0 * H.pow(2).mean() + 3.0 * (H[:, 1:] - H[:, :-1]).pow(2).mean()
    E.backward()
    assert _ask(doc, "E") == pytest.approx(E.item(), abs=1e-12)
    np.testing.assert_allclose(_ask(doc, "dE/dweight_hh"), cell.weight_hh.grad.numpy(),
                               atol=1e-12)


def test_a_bidirectional_stack_regularizes_its_top_layers_states_as_torch_does():
    torch = pytest.importorskip("torch")
    torch.manual_seed(0)
    rnn = torch.nn.RNN(2, 3, num_layers=2, bidirectional=True, batch_first=True)
    W = torch.randn(2, 6, requires_grad=True)
    x, tg = torch.randn(1, 4, 2), torch.randn(1, 4, 2)
    out, _ = rnn(x)                      # the top layer's states, both directions: (1, 4, 6)
    E = 0.5 * ((out @ W.T - tg) ** 2).sum() + 2 * out.pow(2).mean() \
        + 1.5 * (out[:, 1:] - out[:, :-1]).pow(2).mean()
    E.backward()
    net = {k: v.detach().tolist() for k, v in rnn.state_dict().items()}
    doc = {"type": "backprop", "notation": "pytorch", "bidirectional": True,
           "network": {**net, "W_hy": W.detach().tolist()}, "inputs": x[0].tolist(),
           "targets": tg[0].tolist(), "regularization": {"ar": 2, "tar": 1.5}}
    for steps in (True, False):         # the working and the vectorised path
        assert _ask(doc, "E", steps) == pytest.approx(E.item(), abs=1e-12)
        for key, layer, direction in (("weight_hh", 1, "forward"), ("weight_ih", 1, "backward"),
                                      ("weight_hh", 2, "backward"), ("bias_ih", 2, "forward")):
            torch_key = f"{key}_l{layer - 1}" + ("_reverse" if direction == "backward" else "")
            got = rnnquiz.solve({**doc, "ask": {"quantity": f"dE/d{key}", "layer": layer,
                                                "direction": direction}}, steps=steps).answer
            np.testing.assert_allclose(got, getattr(rnn, torch_key).grad.numpy(), atol=1e-12)


@pytest.mark.parametrize("key", ["weight_hh", "weight_ih", "W_hy"])
def test_the_gradients_are_the_derivatives_of_e_by_finite_differences(key):
    num = finite_difference(RNN, key, steps=True)
    np.testing.assert_allclose(_ask(RNN, f"dE/d{key}"), num, atol=1e-8)


def test_the_penalty_of_given_states_by_hand():
    # h = [0.5, -0.5], [1, 0], [0.5, 0.5]; α = 2, β = 1:
    #   AR = 2·(0.25 + 0.25 + 1 + 0 + 0.25 + 0.25)/6 = 2/3      TAR = 1·(4·0.25)/4 = 0.25
    doc = {"type": "backprop", "given": {"h": [[0.5, -0.5], [1.0, 0.0], [0.5, 0.5]]},
           "regularization": {"ar": 2, "tar": 1}}
    r = rnnquiz.solve(doc)
    assert r.answer == pytest.approx(2 / 3 + 0.25)
    assert [s.symbol for s in r.steps] == ["AR", "TAR", "penalty"]
    ar = r.steps[0]
    assert ar.formula == "{}·{}/{}" and ar.operands == (2, 2.0, 6)


def test_tar_never_reaches_the_initial_state_whatever_the_step_numbering():
    # the same network in d2l's row layout (steps from 1, H_0 the initial state): same penalty
    hinton = {"type": "backprop", "network": {"hidden": "tanh", "W_xh": 0.5, "W_hh": -0.7,
                                              "W_hy": 1, "h_init": 0.9},
              "inputs": [1, 2], "targets": [0, 0], "regularization": {"tar": 1}}
    d2l = {**hinton, "notation": "d2l",
           "network": {"W_xh": 0.5, "W_hh": -0.7, "W_hq": 1, "h_init": 0.9}}
    h = rnnquiz.solve({**hinton, "ask": {"quantity": "h"}}).answer
    assert _ask(hinton, "penalty") == pytest.approx((h[1] - h[0]) ** 2)
    assert _ask(d2l, "penalty") == pytest.approx((h[1] - h[0]) ** 2)
    one = {**hinton, "inputs": [1], "targets": [0]}
    assert _ask(one, "penalty") == 0        # one step: no pair


def test_the_working_writes_each_steps_penalty_gradient_beside_the_output():
    r = rnnquiz.solve({**RNN, "ask": {"quantity": "dE/dh"}})
    dp = [s for s in r.steps if s.symbol.startswith("dP/dh")]
    assert len(dp) == 4
    total = next(s for s in r.steps if s.symbol == "dE/dh_1")
    assert "dP/dh_1" in total.equation
    e = [s for s in r.steps if s.symbol == "E"]
    assert len(e) == 1 and e[0].equation == "loss + penalty"


@pytest.mark.parametrize("extra, key", [
    ({"truncate": 1}, "truncate"),
    ({"regularization": {"ar": -1}}, "regularization.ar"),
    ({"regularization": {"l2": 1}}, "regularization.l2"),
    ({"regularization": {"information_flow": 1}, "network": [{"W_xh": [[1, 0]]},
                                                           {"W_xh": 1, "W_hy": [[1], [0]]}],
      "notation": "hinton"}, "regularization.information_flow"),
    ({"upstream": {"h": [[0, 0, 0] for _ in range(4)]}, "targets": None,
      "network": {"weight_hh": [[0, 0, 0] for _ in range(3)]}}, "upstream"),
])
def test_what_is_not_computed_is_an_error_by_key(tmp_path, extra, key):
    import yaml
    doc = {**copy.deepcopy(RNN), **extra}
    path = tmp_path / "reg.yaml"
    path.write_text(yaml.safe_dump(doc, sort_keys=False), encoding="utf-8")
    result = run("solve", str(path))
    assert result.exit_code == 2, result.stdout
    assert f": {key}:" in result.stderr and "Traceback" not in result.stderr, result.stderr


@pytest.mark.parametrize("cell, notation", [("rnn", "hinton"), ("lstm", "pytorch"),
                                            ("gru", "d2l"), ("gated", "mit")])
def test_the_working_and_the_vectorised_path_agree(cell, notation):
    doc = backprop_problem(np.random.default_rng(11), cell, notation, readout=True)
    doc["regularization"] = {"ar": 0.5, "tar": 2.0}
    assert_paths_agree(doc)


def test_check_names_tar_counted_from_the_initial_state():
    doc = {"type": "backprop", "network": {"hidden": "tanh", "W_xh": 0.5, "W_hh": -0.7,
                                           "W_hy": 1, "h_init": 0.9},
           "inputs": [1, 2], "targets": [0, 0], "regularization": {"tar": 1},
           "ask": {"quantity": "penalty"}}
    h = rnnquiz.solve({**doc, "ask": {"quantity": "h"}}).answer
    wrong = ((h[1] - h[0]) ** 2 + (h[0] - 0.9) ** 2) / 2       # the pair (h_init, h_0) counted
    verdict = rnnquiz.check(doc, f"{wrong:.6f}")
    assert verdict["agrees"] is False
    assert [d["slip"] for d in verdict["diagnosis"]] == ["tar_from_initial"]
    assert verdict["diagnosis"][0]["departs_at"] == "TAR"


def test_the_question_in_words_states_the_penalty():
    from rnnquiz.teaching.question import full_question
    given, model = rnnquiz.load(str(ROOT / "problems" / "awd_lstm_ar_tar.yaml"))
    text = full_question(given, rnnquiz.solve(given))
    assert text.startswith("A network's states are h = [0.5, -0.5], [1, 0], [0.5, 0.5]")
    assert "AR = α·mean(h_t²), α = 2" in text and "β = 1" in text
    text = full_question(model, rnnquiz.solve(model))
    assert "E adds the penalty AR + TAR" in text and "after the loss's reduction" in text
