"""Stacks (SPEC 1.9) where the whole-module mutation run of cells/layers.py left a wrong
answer unseen: step numbers in a notation counting from 1 (d2l), the mean reduction on the
vectorised path, the embedding's gradient of a one-way stack (benchmarks/MUTATION.md)."""

from __future__ import annotations

import numpy as np
import pytest

import rnnquiz

X = [[1.0], [-1.0], [2.0]]
TARGETS = [[0.5], [0.1], [0.2]]


def _d2l_stack(kind="backprop"):
    return {"type": kind, "notation": "d2l", "inputs": X, "targets": TARGETS,
            "network": [{"W_xh": [[0.5]], "W_hh": [[-0.3]]},
                        {"W_xh": [[0.7]], "W_hh": [[0.2]], "W_hq": [[1.5]]}]}


def _numpy_stack(x, w1=(0.5, -0.3), w2=(0.7, 0.2), v=1.5):
    h1 = h2 = 0.0
    H2, Y = [], []
    for xt in x:
        h1 = np.tanh(xt * w1[0] + h1 * w1[1])
        h2 = np.tanh(h1 * w2[0] + h2 * w2[1])
        H2.append(h2)
        Y.append(v * h2)
    return np.array(H2), np.array(Y)


def test_a_d2l_stack_numbers_its_steps_from_1():
    steps = rnnquiz.solve(_d2l_stack()).steps
    _, Y = _numpy_stack([1.0, -1.0, 2.0])
    ys = [(s.symbol, s.t) for s in steps if s.symbol.startswith("y_")]
    assert ys == [("y_1", 1), ("y_2", 2), ("y_3", 3)]
    zs = [(s.symbol, s.t) for s in steps if s.symbol.startswith("z^(2)_")]
    assert zs == [("z^(2)_1", 1), ("z^(2)_2", 2), ("z^(2)_3", 3)]
    lines = {s.symbol: s for s in steps}
    for t in (1, 2, 3):
        np.testing.assert_allclose(lines[f"y_{t}"].value, [Y[t - 1]], rtol=1e-13)
    down = [(s.symbol, s.t) for s in steps if s.equation == "(dE/dx_t)^(2)"]
    assert down == [("dE/dH^(1)_1", 1), ("dE/dH^(1)_2", 2), ("dE/dH^(1)_3", 3)]


def test_a_bidirectional_d2l_stack_reads_out_last_at_step_T():
    layer = lambda a, b: {"W_xh": [[a]], "W_hh": [[b]]}      # noqa: E731
    doc = {"type": "forward", "notation": "d2l", "bidirectional": True, "readout": "last",
           "inputs": X,
           "network": [{"forward": layer(0.5, -0.3), "backward": layer(-0.4, 0.6)},
                       {"forward": {"W_xh": [[0.5], [1]], "W_hh": [[-0.3]]},
                        "backward": {"W_xh": [[-0.4], [1]], "W_hh": [[0.6]]},
                        "W_hq": [[1.0], [-1.0]]}]}
    ys = [(s.symbol, s.t, s.equation) for s in rnnquiz.solve(doc).steps
          if s.symbol.startswith("y")]
    assert ys == [("y_3", 3, "[H^(2→)_3; H^(2←)_1]·W_hq + b_q")]
    every = rnnquiz.solve({**doc, "readout": "every"}).steps
    assert [(s.symbol, s.t) for s in every if s.symbol.startswith("y")] == [
        ("y_1", 1), ("y_2", 2), ("y_3", 3)]
    zs = [(s.symbol, s.t) for s in rnnquiz.solve(doc).steps if s.symbol.startswith("z^(1←)")]
    assert zs == [("z^(1←)_3", 3), ("z^(1←)_2", 2), ("z^(1←)_1", 1)]


@pytest.mark.parametrize("reduction", ["mean", "sum"])
def test_a_stacks_loss_scaled_on_the_vectorised_path(reduction):
    # E = scale · Σ_t ½(y_t - target_t)², scale 1/T for mean; dE/dW_hq by hand-written numpy
    doc = {**_d2l_stack(), "reduction": reduction}
    H2, Y = _numpy_stack([1.0, -1.0, 2.0])
    tg = np.array(TARGETS)[:, 0]
    scale = 1 / 3 if reduction == "mean" else 1.0
    want_E = scale * 0.5 * np.sum((Y - tg) ** 2)
    want_dV = scale * np.sum((Y - tg) * H2)
    for steps in (True, False):
        E = rnnquiz.solve({**doc, "ask": {"quantity": "E"}}, steps=steps).answer
        np.testing.assert_allclose(E, want_E, rtol=1e-12)
        dV = rnnquiz.solve({**doc, "ask": {"quantity": "dE/dW_hq"}}, steps=steps).answer
        np.testing.assert_allclose(np.ravel(dV), [want_dV], rtol=1e-12)
        dy = rnnquiz.solve({**doc, "ask": {"quantity": "dE/dy"}}, steps=steps).answer
        np.testing.assert_allclose(np.ravel(dy), scale * (Y - tg), rtol=1e-12)


def test_a_masked_mean_on_the_vectorised_path_divides_by_the_kept_steps():
    doc = {**_d2l_stack(), "reduction": "mean", "mask": [1, 0, 1]}
    _, Y = _numpy_stack([1.0, -1.0, 2.0])
    tg = np.array(TARGETS)[:, 0]
    want = 0.5 * ((Y[0] - tg[0]) ** 2 + (Y[2] - tg[2]) ** 2) / 2
    for steps in (True, False):
        E = rnnquiz.solve({**doc, "ask": {"quantity": "E"}}, steps=steps).answer
        np.testing.assert_allclose(E, want, rtol=1e-12)


def test_the_embedding_gradient_of_a_one_way_stack():
    # tokens 0, 2, 1: x_t = embedding[token]; dE/dembedding row j = Σ_{t: token_t = j} dE/dx_t
    emb = np.array([[0.5], [-1.0], [0.3]])
    tokens = [0, 2, 2]                 # reversed, a different sequence
    doc = {"type": "backprop", "notation": "hinton", "inputs": tokens, "targets": TARGETS,
           "network": [{"hidden": "tanh", "embedding": emb.tolist(), "W_xh": [[0.5]], "W_hh": [[-0.3]]},
                       {"hidden": "tanh", "W_xh": [[0.7]], "W_hh": [[0.2]], "W_hy": [[1.5]]}]}
    torch = pytest.importorskip("torch", reason="PyTorch is the oracle of this test")
    E_ = torch.tensor(emb, requires_grad=True)
    h1 = h2 = torch.zeros(1, dtype=torch.float64)
    loss = 0
    for t, j in enumerate(tokens):
        h1 = torch.tanh(E_[j] * 0.5 + h1 * -0.3)
        h2 = torch.tanh(h1 * 0.7 + h2 * 0.2)
        loss = loss + 0.5 * (1.5 * h2 - TARGETS[t][0]) ** 2
    loss.sum().backward()
    for steps in (True, False):
        got = rnnquiz.solve({**doc, "ask": {"quantity": "dE/dembedding", "layer": 1}}, steps=steps).answer
        np.testing.assert_allclose(np.asarray(got, dtype=float), E_.grad.numpy(), rtol=1e-12,
                                   atol=1e-15)


@pytest.mark.parametrize("steps", [True, False])
def test_a_one_step_stack_without_read_out_takes_its_loss_on_the_states(steps):
    # MIT's simple RNN has no read-out: E = ½(s^(2)_1 - target)², T = 1, by hand
    doc = {"type": "backprop", "notation": "mit", "inputs": [[1.0]], "targets": [[0.5]],
           "network": [{"hidden": "tanh", "W_sx": [[0.5]], "W_ss": [[-0.3]]},
                       {"hidden": "tanh", "W_sx": [[0.7]], "W_ss": [[0.2]]}]}
    s1 = np.tanh(0.5)
    s2 = np.tanh(0.7 * s1)
    E = rnnquiz.solve({**doc, "ask": {"quantity": "E"}}, steps=steps).answer
    np.testing.assert_allclose(E, 0.5 * (s2 - 0.5) ** 2, rtol=1e-13)
    got = rnnquiz.solve({**doc, "ask": {"quantity": "dE/dW_sx", "layer": 1}}, steps=steps).answer
    want = (s2 - 0.5) * (1 - s2 ** 2) * 0.7 * (1 - s1 ** 2) * 1.0
    np.testing.assert_allclose(np.ravel(got), [want], rtol=1e-12)


def test_a_column_layout_stack_shows_W_hy_as_written():
    # Hinton's column layout: y_t = W_hy h^(2)_t, W_hy (1, 2) shown as the file wrote it
    W1, U1 = np.array([[0.5], [0.2]]), np.array([[-0.3, 0.1], [0.2, 0.4]])
    W2, U2 = np.array([[0.7, 0.1], [0.3, -0.2]]), np.array([[0.2, 0.0], [0.0, 0.1]])
    doc = {"type": "forward", "notation": "hinton", "inputs": [[1.0], [0.5]],
           "network": [{"hidden": "tanh", "W_xh": W1.tolist(), "W_hh": U1.tolist()},
                       {"hidden": "tanh", "W_xh": W2.tolist(), "W_hh": U2.tolist(),
                        "W_hy": [[1.5, -2.0]]}]}
    h2 = np.tanh(W2 @ np.tanh(W1 @ [1.0]))
    line = next(s for s in rnnquiz.solve(doc).to_json()["steps"] if s["symbol"] == "y_0")
    assert line["working"].startswith("[[1.5, -2]]·")
    np.testing.assert_allclose(line["value"], [1.5 * h2[0] - 2.0 * h2[1]], rtol=1e-13)


def test_a_stack_truncated_beyond_its_length_gives_the_full_gradient():
    # truncate: 5 with T = 3 cuts nothing: dE/dW_hh of layer 1 as autograd's full BPTT
    torch = pytest.importorskip("torch", reason="PyTorch is the oracle of this test")
    doc = {**_d2l_stack(), "truncate": 5}
    w = torch.tensor([0.5, -0.3, 0.7, 0.2], dtype=torch.float64, requires_grad=True)
    h1 = h2 = torch.zeros((), dtype=torch.float64)
    E = 0
    for x, tg in zip([1.0, -1.0, 2.0], [0.5, 0.1, 0.2]):
        h1 = torch.tanh(x * w[0] + h1 * w[1])
        h2 = torch.tanh(h1 * w[2] + h2 * w[3])
        E = E + 0.5 * (1.5 * h2 - tg) ** 2
    E.backward()
    for steps in (True, False):
        got = rnnquiz.solve({**doc, "ask": {"quantity": "dE/dW_hh", "layer": 1}},
                            steps=steps).answer
        np.testing.assert_allclose(np.ravel(got), [w.grad[1].item()], rtol=1e-12)
