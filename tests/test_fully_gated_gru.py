"""The fully gated GRU (SPEC 1.17): the update gate keeps the old state, h_t = u_t ⊙ h_{t-1} +
(1 - u_t) ⊙ h̃_t, and the reset acts before the matrix, h̃_t = tanh(W_ch (r_t ⊙ h_{t-1}) + ...)
(Cho et al. 2014, d2l, Goodfellow 10.45-10.46). torch.nn.GRUCell resets after the matrix, so
the oracle is the cell written out in torch ops and differentiated by autograd; hand-worked
steps and finite differences besides."""

from __future__ import annotations

import numpy as np
import pytest

import rnnquiz
from oracles.gru import gru_step
from conftest import PROBLEMS, assert_gradients_match_differences, backprop_problem, run

X = [[1.0, -0.5], [0.3, 0.8], [-1.2, 0.4]]
TARGETS = [[0.2, -0.1], [0.0, 0.3], [-0.4, 0.1]]


def mit_net(rng) -> dict:
    net = {}
    for g in "urc":
        net[f"W_{g}h"] = rng.normal(0, 0.8, (2, 2)).tolist()
        net[f"W_{g}x"] = rng.normal(0, 0.8, (2, 2)).tolist()
        net[f"b_{g}"] = rng.normal(0, 0.5, 2).tolist()
    net["h_init"] = [0.3, -0.6]
    return net


def torch_fully_gated(torch, P, X, candidate="tanh", targets=None):
    """h_t = u ⊙ h_{t-1} + (1 - u) ⊙ cand(W_ch (r ⊙ h_{t-1}) + W_cx x + b_c), in torch ops
    (tests/oracles/gru.py), and E = ½ Σ_t (h_t - target_t)²."""
    h, E, H = P["h_init"], 0.0, []
    for t, x in enumerate(X):
        _, h = gru_step(torch, P, torch.tensor(x), h, "fully_gated",
                        candidate="tanh" if candidate == "tanh" else "logistic")
        H.append(h)
        if targets is not None:
            E = E + 0.5 * torch.sum((h - torch.tensor(targets[t])) ** 2)
    return H, E


def test_the_bundled_goodfellow_steps_are_the_hand_worked_ones():
    sigma, tanh = rnnquiz.load(PROBLEMS / "goodfellow_gru_step.yaml")
    # by hand: u = σ(0.51), r = σ(0.22), candidate at 0.05 + 1 + 0.7·r·0.3
    s = lambda z: 1 / (1 + np.exp(-z))
    u, r = s(0.51), s(0.22)
    a = 0.05 + 1.0 + 0.7 * r * 0.3
    assert rnnquiz.solve(sigma).answer == pytest.approx(u * 0.3 + (1 - u) * s(a), abs=1e-15)
    assert rnnquiz.solve(tanh).answer == pytest.approx(u * 0.3 + (1 - u) * np.tanh(a), abs=1e-15)
    assert rnnquiz.solve(sigma).answer == pytest.approx(0.473532, abs=5e-7)


def test_a_scalar_step_by_hand_update_gate_keeps_the_old_state():
    # every weight 0 but b_u = 100: u = 1, so h_1 = h_0 whatever the candidate
    r = rnnquiz.solve({"type": "gru", "convention": "fully_gated", "inputs": [5.0],
                       "network": {"b_u": 100.0, "W_cx": 3.0, "h_init": 0.25},
                       "ask": {"quantity": "h", "t": 0}})
    assert r.answer == pytest.approx(0.25, abs=1e-12)
    # u = σ(0) = 1/2, r = 1/2, candidate tanh(W_ch·(0.5·0.8)) = tanh(0.4):
    # h_0 = 0.5·0.8 + 0.5·tanh(0.4)
    r = rnnquiz.solve({"type": "gru", "convention": "fully_gated", "inputs": [0.0],
                       "network": {"W_ch": 1.0, "h_init": 0.8}, "ask": {"quantity": "h", "t": 0}})
    assert r.answer == pytest.approx(0.4 + 0.5 * np.tanh(0.4), abs=1e-15)


def test_mit_keys_with_convention_fully_gated_against_torch_autograd():
    torch = pytest.importorskip("torch")
    net = mit_net(np.random.default_rng(11))
    P = {k: torch.tensor(v, requires_grad=True) for k, v in net.items()}
    H, E = torch_fully_gated(torch, P, X, targets=TARGETS)
    E.backward()
    doc = {"type": "gru", "convention": "fully_gated", "inputs": X, "network": net}
    r = rnnquiz.solve({**doc, "ask": {"quantity": "h"}})
    np.testing.assert_allclose(r.answer, [h.detach().numpy() for h in H], rtol=1e-12, atol=1e-14)
    b = rnnquiz.solve({**doc, "type": "backprop", "cell": "gru", "targets": TARGETS})
    assert b.values["E"] == pytest.approx(E.item(), rel=1e-12)
    for key, p in P.items():
        np.testing.assert_allclose(np.asarray(b.values[f"dE/d{key}"], float), p.grad.numpy(),
                                   rtol=1e-9, atol=1e-12, err_msg=key)


def test_torch_grucell_is_not_fully_gated_but_the_pytorch_convention():
    torch = pytest.importorskip("torch")
    net = mit_net(np.random.default_rng(5))
    cell = torch.nn.GRUCell(2, 2)
    with torch.no_grad():       # torch stacks r, z, n; its z is our u
        cell.weight_ih.copy_(torch.tensor(net["W_rx"] + net["W_ux"] + net["W_cx"]))
        cell.weight_hh.copy_(torch.tensor(net["W_rh"] + net["W_uh"] + net["W_ch"]))
        cell.bias_ih.copy_(torch.tensor(net["b_r"] + net["b_u"] + net["b_c"]))
        cell.bias_hh.zero_()
    h = torch.tensor(net["h_init"])[None]
    for x in X:
        h = cell(torch.tensor(x)[None], h)
    doc = {"type": "gru", "inputs": X, "network": net, "ask": {"quantity": "h", "t": 2}}
    torch_h = h[0].detach().numpy()
    np.testing.assert_allclose(rnnquiz.solve({**doc, "convention": "pytorch"}).answer, torch_h,
                               rtol=1e-12)
    assert np.max(np.abs(rnnquiz.solve({**doc, "convention": "fully_gated"}).answer
                         - torch_h)) > 1e-3


GOODFELLOW = {"U_u": "W_ux", "W_u": "W_uh", "b_u": "b_u", "U_r": "W_rx", "W_r": "W_rh",
              "b_r": "b_r", "U": "W_cx", "W": "W_ch", "b": "b_c", "h_init": "h_init"}


@pytest.mark.parametrize("candidate", ["logistic", "tanh"])
def test_goodfellow_gru_against_torch_autograd(candidate):
    torch = pytest.importorskip("torch")
    mit = mit_net(np.random.default_rng(2))
    net = {g: mit[m] for g, m in GOODFELLOW.items()}
    P = {k: torch.tensor(v, requires_grad=True) for k, v in mit.items()}
    H, E = torch_fully_gated(torch, P, X, candidate=candidate, targets=TARGETS)
    E.backward()
    words = {} if candidate == "logistic" else {"candidate_activation": "tanh"}
    doc = {"type": "gru", "notation": "goodfellow", "inputs": X, "network": {**net, **words}}
    r = rnnquiz.solve({**doc, "ask": {"quantity": "h"}})
    np.testing.assert_allclose(r.answer, [h.detach().numpy() for h in H], rtol=1e-12, atol=1e-14)
    targets = {t + 1: tg for t, tg in enumerate(TARGETS)}      # Goodfellow's steps from 1
    b = rnnquiz.solve({**doc, "type": "backprop", "cell": "gru", "targets": targets})
    assert b.values["E"] == pytest.approx(E.item(), rel=1e-12)
    for g, m in GOODFELLOW.items():
        np.testing.assert_allclose(np.asarray(b.values[f"dE/d{g}"], float), P[m].grad.numpy(),
                                   rtol=1e-9, atol=1e-12, err_msg=g)


@pytest.mark.parametrize("notation", ["mit", "goodfellow"])
@pytest.mark.parametrize("steps", [True, False])
def test_gradients_match_finite_differences(notation, steps):
    doc = backprop_problem(np.random.default_rng(7), "gru", notation, readout=True)
    if notation == "mit":
        doc["convention"] = "fully_gated"
    assert_gradients_match_differences(doc, "gru", notation, steps)


def test_the_notations_that_fix_the_fully_gated_rule_take_its_name_and_refuse_others(tmp_path):
    base = {"type": "gru", "inputs": [[1.0, 0.5]], "ask": {"quantity": "h", "t": 1}}
    for notation, net in (("d2l", {"W_xz": [[0.3, -0.2], [0.1, 0.4]], "W_hh": [[0.5, 0.1],
                                                                                [0.0, -0.3]]}),
                          ("goodfellow", {"U_u": [[0.3, -0.2], [0.1, 0.4]], "W": [[0.5, 0.1],
                                                                                   [0.0, -0.3]]})):
        doc = {**base, "notation": notation, "network": {**net, "h_init": [0.2, 0.1]}}
        plain = rnnquiz.solve(doc).answer
        np.testing.assert_array_equal(rnnquiz.solve({**doc, "convention": "fully_gated"}).answer,
                                      plain)
        for other in ("ng", "pytorch"):
            with pytest.raises(rnnquiz.ProblemError,
                               match=f"the {notation} notation's GRU is the fully_gated "
                                     "convention; leave convention out"):
                rnnquiz.solve({**doc, "convention": other})
    f = tmp_path / "k.yaml"
    f.write_text("type: gru\nnotation: keras\nconvention: fully_gated\ninputs: [1]\n"
                 "network: {kernel: [[0.1, 0.2, 0.3]], recurrent_kernel: [[0.4, 0.5, 0.6]], "
                 "bias: [0.1, 0.2, 0.3], reset_after: false}\n")
    assert run("solve", str(f)).exit_code == 0


def test_keras_2_gru_is_the_fully_gated_rule_by_hand():
    # Keras 2 (reset_after false): z = σ(0.1), r = σ(0.2), ĥ = tanh(0.3 + 0.6·r·0.5),
    # h = z·0.5 + (1 - z)·ĥ, with x = 1, h_0 = 0.5, kernel [z r h] = [0, 0, 0],
    # recurrent_kernel [0, 0, 0.6], bias [0.1, 0.2, 0.3]
    s = lambda v: 1 / (1 + np.exp(-v))
    z, r = s(0.1), s(0.2)
    want = z * 0.5 + (1 - z) * np.tanh(0.3 + 0.6 * r * 0.5)
    got = rnnquiz.solve({"type": "gru", "notation": "keras", "inputs": [1.0],
                         "network": {"kernel": [[0, 0, 0]], "recurrent_kernel": [[0, 0, 0.6]],
                                     "bias": [0.1, 0.2, 0.3], "reset_after": False,
                                     "h_init": 0.5},
                         "ask": {"quantity": "h", "t": 0}}).answer
    assert got == pytest.approx(want, abs=1e-15)


def test_the_goodfellow_working_names_each_matrixs_role_once():
    r = rnnquiz.solve(rnnquiz.load(PROBLEMS / "goodfellow_gru_step.yaml")[0])
    notes = [s.note for s in r.steps if s.note]
    assert notes == [
        "update gate: U_u the input matrix (on x^(t)), W_u the recurrent one (on h^(t-1))",
        "reset gate: U_r the input matrix (on x^(t)), W_r the recurrent one (on h^(t-1))",
        "candidate (10.45): U the input matrix (on x^(t)), W the recurrent one (on r^(t) ⊙ "
        "h^(t-1))"]
    assert [s.equation for s in r.steps if s.symbol == "z^h̃^(1)"] == [
        "W·(r^(1)⊙h^(0)) + U·x^(1) + b"]


def test_the_gru_calculator_takes_fully_gated():
    # one step, x = 0, every weight 0 but W_ch = 1, h_init = 0.8: as the scalar case above
    r = run("gru", "--inputs", "0", "--fresh", "--W_ch", "1", "--h_init", "0.8",
            "--convention", "fully_gated", "--json")
    assert r.exit_code == 0, r.stderr
    import json
    answer = json.loads(r.stdout.splitlines()[-1])["answer"]
    assert answer == [pytest.approx(0.4 + 0.5 * np.tanh(0.4), abs=1e-15)]


@pytest.mark.parametrize("notation", ["mit", "goodfellow"])
def test_the_state_jacobian_of_one_step_matches_differences(notation):
    """dh_t/dh_{t-1}, which `vanishing` takes the norm of, in the fully gated rule."""
    from conftest import assert_jacobian_matches_differences
    from rnnquiz.cells import cell_for
    from rnnquiz.cells.base import Ctx
    from rnnquiz.cells.run import canonical, initial
    from rnnquiz.types import from_dict
    from rnnquiz.trace import Work
    doc = backprop_problem(np.random.default_rng(6), "gru", notation, readout=False, T=1,
                           n_h=3)
    if notation == "mit":
        doc["convention"] = "fully_gated"
    p = from_dict(doc)
    assert p.convention == "fully_gated"
    cell, P, init = cell_for("gru"), canonical(p), initial(p)

    def step(state):
        ctx = Ctx(work=Work(record=False), notation=p.network.notation,
                  params=p.network.params, words=p.network.words, convention=p.convention)
        return cell.step(P, p.inputs[0], state, p.first, ctx)

    assert_jacobian_matches_differences(cell, P, step, init)


@pytest.mark.parametrize("word", ["d2l", "cho", "fully-gated"])
def test_a_convention_named_after_its_authors_suggests_fully_gated(tmp_path, word):
    f = tmp_path / "g.yaml"
    f.write_text(f"type: gru\nconvention: {word}\nnetwork: {{}}\ninputs: [1]\n")
    r = run("solve", str(f))
    assert r.exit_code == 2
    assert r.stderr.strip().endswith("did you mean convention: fully_gated?")
