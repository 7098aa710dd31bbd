"""Pascanu's information-flow regularizer (`regularization: {information_flow: λ}`, Goodfellow
eq. 10.52): Ω over the steps with a previous computed state, checked against torch autograd
(the gradients by retain_grad, the Jacobians by torch.autograd.functional.jacobian) and by hand."""

from __future__ import annotations

import copy

import numpy as np
import pytest

import rnnquiz
from conftest import PROBLEMS, run

DOC = {"type": "backprop",
       "network": {"hidden": "tanh", "W_xh": [[0.5], [-0.3]], "W_hh": [[0.9, -0.4], [0.3, 0.7]],
                   "W_hy": [[1.0, -1.0]], "b_h": [0.1, 0.0]},
       "inputs": [1.0, 0.5, -1.0, 0.2], "targets": [0.5, 0.0, -0.5, 0.3],
       "regularization": {"information_flow": 0.1}}


def _ask(doc, q):
    return rnnquiz.solve({**copy.deepcopy(doc), "ask": {"quantity": q}}).answer


def _torch_omega(torch, doc, cell):
    """Ω and the loss of `doc` run by `cell(x, h)` (torch), the gradients by autograd."""
    net = doc["network"]
    W_hy = torch.tensor(net["W_hy"])
    h = torch.zeros(len(net["W_hh"]), requires_grad=True)
    hs, prev = [], []
    for x in doc["inputs"]:
        prev.append(h.detach())
        h = cell(torch.tensor([x]), h)
        h.retain_grad()
        hs.append(h)
    E = sum(0.5 * ((W_hy @ h - torch.tensor([t])) ** 2).sum()
            for h, t in zip(hs, doc["targets"]))
    E.backward()
    omega = 0.0
    for t in range(1, len(hs)):
        g = hs[t].grad
        J = torch.autograd.functional.jacobian(lambda hp: cell(torch.tensor([doc["inputs"][t]]), hp),
                                               prev[t])
        omega += ((g @ J).norm() / g.norm() - 1).item() ** 2
    return omega, E.item()


def test_omega_and_e_match_torch_autograd():
    torch = pytest.importorskip("torch")
    net = {k: torch.tensor(v) for k, v in DOC["network"].items() if k != "hidden"}

    def cell(x, h):
        return torch.tanh(net["W_xh"] @ x + net["W_hh"] @ h + net["b_h"])
    omega, loss = _torch_omega(torch, DOC, cell)
    assert _ask(DOC, "omega") == pytest.approx(omega, abs=1e-12)
    assert _ask(DOC, "E") == pytest.approx(loss + 0.1 * omega, abs=1e-12)
    assert _ask(DOC, "loss") == pytest.approx(loss, abs=1e-12)


def test_a_gru_has_one_state_and_its_omega_matches_torch():
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(5)
    W_ih, W_hh = rng.normal(0, 0.6, (6, 1)), rng.normal(0, 0.6, (6, 2))
    doc = {"type": "backprop", "cell": "gru", "notation": "pytorch",
           "network": {"weight_ih": W_ih.tolist(), "weight_hh": W_hh.tolist(),
                       "W_hy": [[1.0, -1.0]]},
           "inputs": [1.0, 0.5, -1.0], "targets": [0.5, 0.0, -0.5],
           "regularization": {"information_flow": 1}}
    gru = torch.nn.GRUCell(1, 2, bias=False)
    with torch.no_grad():
        gru.weight_ih.copy_(torch.tensor(W_ih))
        gru.weight_hh.copy_(torch.tensor(W_hh))

    def cell(x, h):
        return gru(x[None], h[None])[0]
    omega, _ = _torch_omega(torch, {**doc, "network": {**doc["network"],
                                                        "W_hh": [[0, 0], [0, 0]]}}, cell)
    assert _ask(doc, "omega") == pytest.approx(omega, abs=1e-12)


def test_omega_by_hand_for_a_scalar_linear_network():
    # h_t = w h_{t-1} + x_t, y = h: ∂h_t/∂h_{t-1} = w, so each ratio is |w| and Ω = (T-1)(|w| - 1)²
    # whatever the gradients (none zero here): w = 0.5, T = 3 -> Ω = 2·0.25 = 0.5
    doc = {"type": "backprop", "network": {"hidden": "linear", "W_xh": 1, "W_hh": 0.5,
                                           "W_hy": 1},
           "inputs": [1, 2, 3], "targets": [0, 0, 0], "regularization": {"information_flow": 2}}
    assert _ask(doc, "omega") == pytest.approx(0.5)
    r = rnnquiz.solve(doc)
    assert r.extra["quantity"] == "omega"              # the default quantity
    assert [s.symbol for s in r.steps if s.symbol.startswith("Ω_")] == ["Ω_1", "Ω_2"]


def test_a_step_with_no_gradient_is_left_out_and_noted():
    # a target only at step 0 and linear units: dE/dh_1 = dE/dh_2 = 0, so only no step counts
    doc = {"type": "backprop", "network": {"hidden": "linear", "W_xh": 1, "W_hh": 0.5,
                                           "W_hy": 1},
           "inputs": [1, 2, 3], "targets": {0: 3}, "regularization": {"information_flow": 1}}
    r = rnnquiz.solve(doc)
    assert r.answer == 0
    left = [s for s in r.steps if s.value == "left out"]
    assert [s.symbol for s in left] == ["Ω_1", "Ω_2"]
    assert "t = 1, t = 2" in next(s.note for s in r.steps if s.symbol == "Ω")


def test_the_problem_file_agrees():
    for p in rnnquiz.load(str(PROBLEMS / "goodfellow_information_flow.yaml")):
        assert rnnquiz.solve(p).agrees


@pytest.mark.parametrize("extra, key", [
    ({"ask": {"quantity": "dE/dW_hh"}}, "ask.quantity"),
    ({"ask": {"quantity": "grad_norm"}}, "ask.quantity"),
    ({"clip": {"norm": 1}}, "clip"),
    ({"cell": "lstm", "notation": "mit", "network": {"W_fh": 1}, "targets": [0, 0, 0, 0]},
     "regularization.information_flow"),
])
def test_what_omega_does_not_give_is_an_error_saying_so(tmp_path, extra, key):
    import yaml
    doc = {**copy.deepcopy(DOC), **extra}
    path = tmp_path / "omega.yaml"
    path.write_text(yaml.safe_dump(doc, sort_keys=False), encoding="utf-8")
    result = run("solve", str(path))
    assert result.exit_code == 2
    assert f": {key}:" in result.stderr and "Traceback" not in result.stderr, result.stderr
