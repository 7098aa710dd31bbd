"""Each course's exercises posed as the course writes them (its keys, layout, numbering and
batch), against the course's published numbers and PyTorch as an independent oracle."""

from __future__ import annotations

import numpy as np
import pytest

import rnnquiz


def tt(a):
    torch = pytest.importorskip("torch", reason="PyTorch is the oracle of this test")
    return torch.tensor(np.asarray(a, dtype=float), requires_grad=True)


# ---------------------------------------------------------------- published numbers

def cs231n_step():
    N, D, H = 3, 10, 4
    x = np.linspace(-0.4, 0.7, num=N * D).reshape(N, D)
    prev_h = np.linspace(-0.2, 0.5, num=N * H).reshape(N, H)
    Wx = np.linspace(-0.1, 0.9, num=D * H).reshape(D, H)
    Wh = np.linspace(-0.3, 0.7, num=H * H).reshape(H, H)
    b = np.linspace(-0.2, 0.4, num=H)
    return x, prev_h, Wx, Wh, b


def test_cs231n_rnn_step_forward_published_next_h():
    x, prev_h, Wx, Wh, b = cs231n_step()
    doc = {"type": "forward", "notation": "cs231n", "batch": True,
           "inputs": x[:, None, :].tolist(),
           "network": {"Wx": Wx.tolist(), "Wh": Wh.tolist(), "b": b.tolist(),
                       "h0": prev_h.tolist()},
           "ask": {"quantity": "h", "t": 0}}
    expected = [[-0.58172089, -0.50182032, -0.41232771, -0.31410098],
                [0.66854692, 0.79562378, 0.87755553, 0.92795967],
                [0.97934501, 0.99144213, 0.99646691, 0.99854353]]
    for steps in (True, False):
        np.testing.assert_allclose(rnnquiz.solve(doc, steps=steps).answer, expected, atol=1e-8)


def test_deeplearning_ai_rnn_cell_forward_published_values():
    """Sequence Models week 1, rnn_cell_forward with np.random.seed(1): a_next[4], yt_pred[1].
    The course writes examples as columns (n_x, m); the file puts the example axis first."""
    np.random.seed(1)
    xt, a_prev = np.random.randn(3, 10), np.random.randn(5, 10)
    Waa, Wax, Wya = np.random.randn(5, 5), np.random.randn(5, 3), np.random.randn(2, 5)
    ba, by = np.random.randn(5, 1), np.random.randn(2, 1)
    doc = {"type": "forward", "notation": "deeplearning_ai", "batch": True,
           "inputs": xt.T[:, None, :].tolist(),
           "network": {"Waa": Waa.tolist(), "Wax": Wax.tolist(), "Wya": Wya.tolist(),
                       "ba": ba.tolist(), "by": by.tolist(), "a_init": a_prev.T.tolist(),
                       "output": "softmax"},
           "ask": {"quantity": "a", "t": 1}}          # the course's first step is a<1>
    a_next = np.array(rnnquiz.solve(doc).answer).T
    np.testing.assert_allclose(a_next[4], [0.59584544, 0.18141802, 0.61311866, 0.99808218,
                                           0.85016201, 0.99980978, -0.18887155, 0.99815551,
                                           0.6531151, 0.82872037], atol=1e-8)
    y = np.array(rnnquiz.solve({**doc, "ask": {"quantity": "y", "t": 1}}).answer).T
    np.testing.assert_allclose(y[1], [0.9888161, 0.01682021, 0.21140899, 0.36817467, 0.98988387,
                                      0.88945212, 0.36920224, 0.9966312, 0.9982559, 0.17746526],
                               atol=1e-8)


# ---------------------------------------------------------------- PyTorch as the oracle

def test_cs231n_rnn_backward_with_upstream_gradients_against_autograd():
    torch = pytest.importorskip("torch", reason="PyTorch is the oracle of this test")
    rng = np.random.default_rng(0)
    N, T, D, H = 2, 3, 4, 5
    x, h0 = rng.normal(size=(N, T, D)), rng.normal(size=(N, H))
    Wx, Wh, b = rng.normal(size=(D, H)), rng.normal(size=(H, H)) * 0.5, rng.normal(size=H)
    dh = rng.normal(size=(N, T, H))
    doc = {"type": "backprop", "cell": "rnn", "notation": "cs231n", "batch": True,
           "inputs": x.tolist(), "upstream": {"h": dh.tolist()},
           "network": {"Wx": Wx.tolist(), "Wh": Wh.tolist(), "b": b.tolist(), "h0": h0.tolist()}}
    X, H0, WX, WH, B = (tt(a) for a in (x, h0, Wx, Wh, b))
    h, hs = H0, []
    for t in range(T):
        h = torch.tanh(X[:, t] @ WX + h @ WH + B)
        hs.append(h)
    (torch.stack(hs, 1) * torch.tensor(dh)).sum().backward()
    for steps in (True, False):
        r = rnnquiz.solve(doc, steps=steps)
        for key, ref in (("Wx", WX), ("Wh", WH), ("b", B), ("h0", H0)):
            np.testing.assert_allclose(r.values[f"dE/d{key}"], ref.grad.numpy(), atol=1e-10,
                                       err_msg=key)
        dx = np.moveaxis(np.asarray(r.values["dE/dx"], dtype=float), 0, 1)
        np.testing.assert_allclose(dx, X.grad.numpy(), atol=1e-10)


def test_cs231n_lstm_forward_and_backward_against_autograd():
    torch = pytest.importorskip("torch", reason="PyTorch is the oracle of this test")
    rng = np.random.default_rng(1)
    N, T, D, H = 2, 4, 3, 2
    x, h0 = rng.normal(size=(N, T, D)), rng.normal(size=(N, H))
    Wx, Wh, b = rng.normal(size=(D, 4 * H)), rng.normal(size=(H, 4 * H)), rng.normal(size=4 * H)
    dh = rng.normal(size=(N, T, H))
    doc = {"type": "backprop", "cell": "lstm", "notation": "cs231n", "batch": True,
           "inputs": x.tolist(), "upstream": {"h": dh.tolist()},
           "network": {"Wx": Wx.tolist(), "Wh": Wh.tolist(), "b": b.tolist(), "h0": h0.tolist()}}
    X, H0, WX, WH, B = (tt(a) for a in (x, h0, Wx, Wh, b))
    h, c, hs = H0, torch.zeros(N, H, dtype=torch.float64), []
    for t in range(T):
        a = X[:, t] @ WX + h @ WH + B                    # i, f, o, g as CS231n stacks them
        i, f, o = (torch.sigmoid(a[:, k * H:(k + 1) * H]) for k in range(3))
        g = torch.tanh(a[:, 3 * H:])
        c = f * c + i * g
        h = o * torch.tanh(c)
        hs.append(h)
    (torch.stack(hs, 1) * torch.tensor(dh)).sum().backward()
    for steps in (True, False):
        r = rnnquiz.solve(doc, steps=steps)
        np.testing.assert_allclose(np.moveaxis(np.asarray(r.values["h"]), 0, 1),
                                   torch.stack(hs, 1).detach().numpy(), atol=1e-12)
        for key, ref in (("Wx", WX), ("Wh", WH), ("b", B), ("h0", H0)):
            np.testing.assert_allclose(r.values[f"dE/d{key}"], ref.grad.numpy(), atol=1e-10,
                                       err_msg=key)


@pytest.mark.parametrize("reduction", ["sum", "mean"])
def test_pytorch_rnn_cross_entropy_with_class_indices_against_autograd(reduction):
    torch = pytest.importorskip("torch", reason="PyTorch is the oracle of this test")
    rng = np.random.default_rng(2)
    N, T, D, H, V = 3, 4, 2, 3, 5
    x = rng.normal(size=(N, T, D))
    targets = rng.integers(0, V, size=(N, T))
    rnn = torch.nn.RNN(D, H, batch_first=True).double()
    lin = torch.nn.Linear(H, V).double()
    out, _ = rnn(torch.tensor(x))
    loss = torch.nn.CrossEntropyLoss(reduction=reduction)(
        lin(out).reshape(-1, V), torch.tensor(targets).reshape(-1))
    loss.backward()
    sd = {k: v.detach().numpy().tolist() for k, v in rnn.state_dict().items()}
    doc = {"type": "backprop", "cell": "rnn", "notation": "pytorch", "batch": True,
           "inputs": x.tolist(), "targets": targets.tolist(), "loss": "cross_entropy",
           "reduction": reduction,
           "network": {**{k.removesuffix("_l0"): v for k, v in sd.items()},
                       "W_hy": lin.weight.detach().numpy().tolist(),
                       "b_y": lin.bias.detach().numpy().tolist(), "output": "softmax"}}
    for steps in (True, False):
        r = rnnquiz.solve(doc, steps=steps)
        assert r.values["E"] == pytest.approx(float(loss.detach()), rel=1e-12)
        for key in ("weight_ih", "weight_hh", "bias_ih", "bias_hh"):
            np.testing.assert_allclose(r.values[f"dE/d{key}"],
                                       getattr(rnn, f"{key}_l0").grad.numpy(), atol=1e-10)
        np.testing.assert_allclose(r.values["dE/dW_hy"], lin.weight.grad.numpy(), atol=1e-10)


def test_keras_gru_reset_after_is_torch_gru_in_rows():
    """Keras' kernel (D, 3H) stacks z, r, h; PyTorch's weight_ih (3H, D) stacks r, z, n."""
    torch = pytest.importorskip("torch", reason="PyTorch is the oracle of this test")
    rng = np.random.default_rng(3)
    T, D, H = 5, 3, 2
    x = rng.normal(size=(T, D))
    kernel, rec = rng.normal(size=(D, 3 * H)), rng.normal(size=(H, 3 * H))
    bias = rng.normal(size=(2, 3 * H))
    gru = torch.nn.GRU(D, H).double()
    order = [1, 0, 2]          # torch's r, z, n from Keras' z, r, h blocks

    def blocks(a):
        return np.concatenate([a[..., k * H:(k + 1) * H] for k in order], axis=-1)
    with torch.no_grad():
        gru.weight_ih_l0.copy_(torch.tensor(blocks(kernel).T))
        gru.weight_hh_l0.copy_(torch.tensor(blocks(rec).T))
        gru.bias_ih_l0.copy_(torch.tensor(blocks(bias[0])))
        gru.bias_hh_l0.copy_(torch.tensor(blocks(bias[1])))
    out, _ = gru(torch.tensor(x)[:, None, :])
    doc = {"type": "gru", "notation": "keras", "inputs": x.tolist(),
           "network": {"kernel": kernel.tolist(), "recurrent_kernel": rec.tolist(),
                       "bias": bias.tolist()}}
    for steps in (True, False):
        np.testing.assert_allclose(rnnquiz.solve(doc, steps=steps).answer,
                                   out[:, 0].detach().numpy(), atol=1e-12)


def test_keras_lstm_is_torch_lstm_transposed():
    torch = pytest.importorskip("torch", reason="PyTorch is the oracle of this test")
    rng = np.random.default_rng(4)
    T, D, H = 4, 2, 3
    x = rng.normal(size=(T, D))
    kernel, rec, bias = rng.normal(size=(D, 4 * H)), rng.normal(size=(H, 4 * H)), rng.normal(size=4 * H)
    lstm = torch.nn.LSTM(D, H).double()
    with torch.no_grad():           # Keras' i, f, c, o is PyTorch's i, f, g, o
        lstm.weight_ih_l0.copy_(torch.tensor(kernel.T))
        lstm.weight_hh_l0.copy_(torch.tensor(rec.T))
        lstm.bias_ih_l0.copy_(torch.tensor(bias))
        lstm.bias_hh_l0.zero_()
    out, _ = lstm(torch.tensor(x)[:, None, :])
    doc = {"type": "lstm", "notation": "keras", "inputs": x.tolist(),
           "network": {"kernel": kernel.tolist(), "recurrent_kernel": rec.tolist(),
                       "bias": bias.tolist()}}
    np.testing.assert_allclose(rnnquiz.solve(doc).answer, out[:, 0].detach().numpy(), atol=1e-12)


def test_d2l_gru_as_d2l_writes_it():
    """d2l 10.2: H = Z ⊙ H_prev + (1 - Z) ⊙ H̃, H̃ = tanh(X W_xh + (R ⊙ H_prev) W_hh + b_h)."""
    rng = np.random.default_rng(5)
    T, D, H = 4, 3, 2
    x = rng.normal(size=(T, D))
    P = {k: rng.normal(size=(D if k.startswith("W_x") else H, H))
         for k in ("W_xz", "W_hz", "W_xr", "W_hr", "W_xh", "W_hh")}
    b = {k: rng.normal(size=H) for k in ("b_z", "b_r", "b_h")}

    def sig(v):
        return 1 / (1 + np.exp(-v))
    h, hs = np.zeros(H), []
    for t in range(T):
        Z = sig(x[t] @ P["W_xz"] + h @ P["W_hz"] + b["b_z"])
        R = sig(x[t] @ P["W_xr"] + h @ P["W_hr"] + b["b_r"])
        Ht = np.tanh(x[t] @ P["W_xh"] + (R * h) @ P["W_hh"] + b["b_h"])
        h = Z * h + (1 - Z) * Ht
        hs.append(h)
    doc = {"type": "gru", "notation": "d2l", "inputs": x.tolist(),
           "network": {**{k: v.tolist() for k, v in P.items()},
                       **{k: v.tolist() for k, v in b.items()}},
           "ask": {"quantity": "h", "t": T}}               # d2l numbers steps from 1
    for steps in (True, False):
        np.testing.assert_allclose(rnnquiz.solve(doc, steps=steps).answer, hs[-1], atol=1e-12)


@pytest.mark.parametrize("hidden", ["tanh", "relu"])
def test_pytorch_nn_rnn_state_dict_as_printed(hidden):
    torch = pytest.importorskip("torch", reason="PyTorch is the oracle of this test")
    rng = np.random.default_rng(6)
    x = rng.normal(size=(5, 3))
    rnn = torch.nn.RNN(3, 4, nonlinearity=hidden).double()
    out, _ = rnn(torch.tensor(x)[:, None, :])
    doc = {"type": "forward", "notation": "pytorch", "inputs": x.tolist(),
           "network": {**{k.removesuffix("_l0"): v.numpy().tolist()
                          for k, v in rnn.state_dict().items()}, "hidden": hidden},
           "ask": {"quantity": "h"}}
    np.testing.assert_allclose(rnnquiz.solve(doc).answer, out[:, 0].detach().numpy(),
                               atol=1e-12)


def test_cs231n_temporal_softmax_loss_with_mask_and_batch_mean():
    """E = -Σ mask·log p[target] / N (CS231n's temporal_softmax_loss), gradients likewise."""
    torch = pytest.importorskip("torch", reason="PyTorch is the oracle of this test")
    rng = np.random.default_rng(7)
    N, T, D, H, V = 3, 4, 2, 3, 4
    x = rng.normal(size=(N, T, D))
    y = rng.integers(0, V, size=(N, T))
    mask = (rng.random((N, T)) > 0.3).astype(int)
    net = {"Wx": rng.normal(size=(D, H)).tolist(), "Wh": rng.normal(size=(H, H)).tolist(),
           "b": rng.normal(size=H).tolist(), "W_vocab": rng.normal(size=(H, V)).tolist(),
           "b_vocab": rng.normal(size=V).tolist(), "output": "softmax"}
    doc = {"type": "backprop", "cell": "rnn", "notation": "cs231n", "batch": True,
           "inputs": x.tolist(), "targets": y.tolist(), "mask": mask.tolist(),
           "loss": "cross_entropy", "reduction": "batch_mean", "network": net}
    X = torch.tensor(x)
    W = {k: tt(v) for k, v in net.items() if k != "output"}
    h, scores = torch.zeros(N, H, dtype=torch.float64), []
    for t in range(T):
        h = torch.tanh(X[:, t] @ W["Wx"] + h @ W["Wh"] + W["b"])
        scores.append(h @ W["W_vocab"] + W["b_vocab"])
    logp = torch.log_softmax(torch.stack(scores, 1), -1)
    picked = logp.gather(-1, torch.tensor(y)[..., None])[..., 0]
    loss = -(picked * torch.tensor(mask)).sum() / N
    loss.backward()
    r = rnnquiz.solve(doc, steps=False)
    assert r.values["E"] == pytest.approx(float(loss.detach()), rel=1e-12)
    for key in ("Wx", "Wh", "b", "W_vocab", "b_vocab"):
        np.testing.assert_allclose(r.values[f"dE/d{key}"], W[key].grad.numpy(), atol=1e-10)


def test_softmax_cross_entropy_gradient_with_targets_that_do_not_sum_to_one():
    """E = -Σ_k t_k log softmax(u)_k has dE/du = y·Σ_k t_k - t (y - t only for one-hot)."""
    torch = pytest.importorskip("torch", reason="PyTorch is the oracle of this test")
    rng = np.random.default_rng(9)
    net = {"W_xh": rng.normal(size=(2, 1)).tolist(), "W_hh": rng.normal(size=(2, 2)).tolist(),
           "W_hy": rng.normal(size=(3, 2)).tolist(), "b_y": rng.normal(size=3).tolist(),
           "hidden": "tanh", "output": "softmax"}
    x, targets = [0.5, -1.0], [[0.2, 0.9, 0.5], [0.0, 0.3, 0.0]]
    doc = {"type": "backprop", "inputs": x, "targets": targets, "loss": "cross_entropy",
           "network": net}
    W = {k: tt(v) for k, v in net.items() if k.startswith(("W", "b"))}
    h, E = torch.zeros(2, dtype=torch.float64), 0
    for xt, tg in zip(x, targets):
        h = torch.tanh(W["W_xh"][:, 0] * xt + W["W_hh"] @ h)
        E = E - (torch.tensor(tg, dtype=torch.float64) * torch.log_softmax(W["W_hy"] @ h + W["b_y"], 0)).sum()
    E.backward()
    for steps in (True, False):
        r = rnnquiz.solve(doc, steps=steps)
        assert r.values["E"] == pytest.approx(float(E.detach()), rel=1e-12)
        for key in W:
            np.testing.assert_allclose(r.values[f"dE/d{key}"], W[key].grad.numpy(), atol=1e-12,
                                       err_msg=key)


def test_cs231n_word_embedding_and_temporal_softmax_against_autograd():
    """Token indices through W_embed (CS231n's word_embedding_forward), dE/dW_embed gathered
    into the rows of the tokens, rows of unused tokens 0."""
    torch = pytest.importorskip("torch", reason="PyTorch is the oracle of this test")
    rng = np.random.default_rng(10)
    N, T, V, D, H = 2, 3, 6, 3, 4
    W_embed = rng.normal(size=(V, D))
    tokens = np.array([[0, 3, 3], [1, 0, 4]])          # token 2 and 5 never occur
    targets = rng.integers(0, V, size=(N, T))
    net = {"W_embed": W_embed.tolist(), "Wx": rng.normal(size=(D, H)).tolist(),
           "Wh": rng.normal(size=(H, H)).tolist(), "b": rng.normal(size=H).tolist(),
           "W_vocab": rng.normal(size=(H, V)).tolist(), "b_vocab": rng.normal(size=V).tolist(),
           "output": "softmax"}
    doc = {"type": "backprop", "cell": "rnn", "notation": "cs231n", "batch": True,
           "inputs": tokens.tolist(), "targets": targets.tolist(), "loss": "cross_entropy",
           "reduction": "batch_mean", "network": net}
    W = {k: tt(v) for k, v in net.items() if k != "output"}
    X, h, loss = W["W_embed"][torch.tensor(tokens)], torch.zeros(N, H, dtype=torch.float64), 0
    for t in range(T):
        h = torch.tanh(X[:, t] @ W["Wx"] + h @ W["Wh"] + W["b"])
        loss = loss + torch.nn.functional.cross_entropy(
            h @ W["W_vocab"] + W["b_vocab"], torch.tensor(targets[:, t]), reduction="sum")
    (loss / N).backward()
    for steps in (True, False):
        r = rnnquiz.solve(doc, steps=steps)
        assert r.values["E"] == pytest.approx(float(loss.detach()) / N, rel=1e-12)
        g = np.asarray(r.values["dE/dW_embed"])
        np.testing.assert_allclose(g, W["W_embed"].grad.numpy(), atol=1e-12)
        assert not g[[2, 5]].any()


def test_a_token_outside_the_embedding_is_named():
    doc = {"type": "forward", "notation": "cs231n", "inputs": [0, 7],
           "network": {"W_embed": [[1.0], [2.0]]}}
    with pytest.raises(rnnquiz.ProblemError, match=r"inputs\[1\]: expected a token index from "
                                                   r"0 to 1 \(network.W_embed has 2 rows\), got 7"):
        rnnquiz.solve(doc)


@pytest.mark.parametrize("clip", [{"norm": 0.5}, {"value": 0.05}, {"norm": 1e6}])
def test_backprop_clip_and_grad_norm_against_torch(clip):
    """clip on backprop: the global norm over every weight and bias (d2l 9.5), or each element
    (deeplearning.ai); grad_norm is the norm before clipping."""
    torch = pytest.importorskip("torch", reason="PyTorch is the oracle of this test")
    rng = np.random.default_rng(13)
    x, tg = rng.normal(size=(4, 2)), rng.normal(size=(4, 1))
    rnn = torch.nn.RNN(2, 3).double()
    lin = torch.nn.Linear(3, 1).double()
    out, _ = rnn(torch.tensor(x)[:, None, :])
    (0.5 * ((lin(out[:, 0]) - torch.tensor(tg)) ** 2).sum()).backward()
    params = list(rnn.parameters()) + list(lin.parameters())
    if "norm" in clip:
        norm = float(torch.nn.utils.clip_grad_norm_(params, clip["norm"]))
    else:
        norm = float(torch.norm(torch.stack([p.grad.norm() for p in params])))
        torch.nn.utils.clip_grad_value_(params, clip["value"])
    doc = {"type": "backprop", "cell": "rnn", "notation": "pytorch", "inputs": x.tolist(),
           "targets": tg.tolist(), "clip": clip,
           "network": {**{k.removesuffix("_l0"): v.detach().numpy().tolist()
                          for k, v in rnn.state_dict().items()},
                       "W_hy": lin.weight.detach().numpy().tolist(),
                       "b_y": lin.bias.detach().numpy().tolist()}}
    for steps in (True, False):
        r = rnnquiz.solve(doc, steps=steps)
        assert r.values["grad_norm"] == pytest.approx(norm, rel=1e-12)
        # PyTorch divides by ‖g‖ + 1e-6; the courses by ‖g‖
        np.testing.assert_allclose(r.values["dE/dweight_hh"], rnn.weight_hh_l0.grad.numpy(),
                                   rtol=1e-5, atol=1e-12)
        np.testing.assert_allclose(r.values["dE/dW_hy"], lin.weight.grad.numpy(), rtol=1e-5,
                                   atol=1e-12)


def test_perplexity_is_exp_of_the_mean_loss_per_term():
    rng = np.random.default_rng(14)
    doc = {"type": "backprop", "inputs": rng.normal(size=(3, 2)).tolist(),
           "targets": {0: 2, 2: 0}, "loss": "cross_entropy", "reduction": "sum",
           "network": {"W_xh": rng.normal(size=(2, 2)).tolist(), "W_hh": [[0.5, 0], [0, 0.5]],
                       "W_hy": rng.normal(size=(3, 2)).tolist(), "output": "softmax",
                       "hidden": "tanh"},
           "ask": {"quantity": "perplexity"}}
    r = rnnquiz.solve(doc)
    y = r.values["y"]
    assert r.answer == pytest.approx(np.exp(-(np.log(y[0][2]) + np.log(y[2][0])) / 2), rel=1e-12)
    mean = rnnquiz.solve({**doc, "reduction": "mean"}).answer
    assert mean == pytest.approx(r.answer, rel=1e-12)         # reduction does not change it


@pytest.mark.parametrize("k", [0, 1, 3])
def test_truncated_bptt_against_autograd_with_detached_states(k):
    """truncate: k carries each loss term's gradient back through at most k transitions: the
    same as autograd on a forward pass whose h_{s-k-1} is detached for the term at step s."""
    torch = pytest.importorskip("torch", reason="PyTorch is the oracle of this test")
    rng = np.random.default_rng(15)
    T = 5
    x, tg = rng.normal(size=(T, 2)), rng.normal(size=(T, 1))
    P = {"W_xh": rng.normal(size=(3, 2)), "W_hh": rng.normal(size=(3, 3)) * 0.5,
         "W_hy": rng.normal(size=(1, 3)), "b_h": rng.normal(size=3)}
    doc = {"type": "backprop", "inputs": x.tolist(), "targets": tg.tolist(), "truncate": k,
           "network": {**{key: v.tolist() for key, v in P.items()}, "hidden": "tanh"}}
    W = {key: tt(v) for key, v in P.items()}
    total = 0
    for s in range(T):
        h = torch.zeros(3, dtype=torch.float64)
        for t in range(s + 1):
            if t == s - k:
                h = h.detach()
            h = torch.tanh(W["W_xh"] @ torch.tensor(x[t]) + W["W_hh"] @ h + W["b_h"])
        total = total + 0.5 * ((W["W_hy"] @ h - torch.tensor(tg[s])) ** 2).sum()
    total.backward()
    for steps in (True, False):
        r = rnnquiz.solve(doc, steps=steps)
        for key in P:
            np.testing.assert_allclose(r.values[f"dE/d{key}"], W[key].grad.numpy(), atol=1e-12,
                                       err_msg=key)


@pytest.mark.parametrize("module, cell", [("RNN", "rnn"), ("LSTM", "lstm"), ("GRU", "gru")])
def test_a_one_layer_state_dict_as_printed_with_its_l0_suffixes(module, cell):
    """SPEC 1.5: nn.RNN/LSTM/GRU's state_dict keys are taken as printed (weight_ih_l0, ...);
    the gradient is asked and answered by the same name."""
    torch = pytest.importorskip("torch", reason="PyTorch is the oracle of this test")
    module = getattr(torch.nn, module)
    rng = np.random.default_rng(17)
    x = rng.normal(size=(4, 2))
    net = module(2, 3).double()
    out, _ = net(torch.tensor(x)[:, None, :])
    (0.5 * (out ** 2).sum()).backward()
    sd = {k: v.numpy().tolist() for k, v in net.state_dict().items()}
    doc = {"type": "backprop", "cell": cell, "notation": "pytorch", "inputs": x.tolist(),
           "targets": np.zeros((4, 3)).tolist(), "network": sd,
           "ask": {"quantity": "dE/dweight_hh_l0"}}
    if cell == "rnn":
        doc["network"] = {**sd, "hidden": "tanh"}
    np.testing.assert_allclose(rnnquiz.solve(doc).answer, net.weight_hh_l0.grad.numpy(),
                               atol=1e-12)
    h = rnnquiz.solve({**doc, "ask": {"quantity": "h"}}).answer
    np.testing.assert_allclose(h, out[:, 0].detach().numpy(), atol=1e-12)
