"""`check` names the convention under which a wrong answer is right: each wrong answer here is
computed independently under another framework's or course's convention (torch's GRUCell and
LSTMCell, Keras 3's GRU, torch's ctc_loss and autograd, plain numpy) for exercises that are
not among the bundled problems; a right answer is never explained away, a random wrong one is
not matched, and two conventions combine where an answer needs both."""

from __future__ import annotations

import math
import os

import numpy as np
import pytest

import rnnquiz


def sig(z):
    return 1 / (1 + np.exp(-z))


def text_of(value, digits: int) -> str:
    return ",".join(f"{v:.{digits}f}" for v in np.ravel(np.asarray(value, dtype=float)))


def verdict(doc: dict, value, digits: int = 4) -> dict:
    return rnnquiz.check(doc, text_of(value, digits))


def ids(doc: dict, value, digits: int = 4) -> list[str]:
    v = verdict(doc, value, digits)
    assert v["agrees"] is False, "the wrong answer was taken as right"
    return [d["id"] for d in v["diagnosis"]]


# ---------------------------------------------------------------- a deeplearning.ai GRU

RNG = np.random.default_rng(27)
H, X, T = 2, 2, 3
W_u, W_r, W_c = (np.round(RNG.normal(0, 0.8, (H, H + X)), 2) for _ in range(3))
b_u, b_r, b_c = (np.round(RNG.normal(0, 0.5, H), 2) for _ in range(3))
C0 = np.array([0.3, -0.2])
XS = np.round(RNG.normal(0, 1, (T, X)), 2)
DLAI_GRU = {"type": "gru", "notation": "deeplearning_ai",
            "network": {"W_u": W_u.tolist(), "b_u": b_u.tolist(), "W_r": W_r.tolist(),
                        "b_r": b_r.tolist(), "W_c": W_c.tolist(), "b_c": b_c.tolist(),
                        "c_init": C0.tolist()},
            "inputs": XS.tolist(), "ask": {"t": 3, "digits": 4}}


def dlai_by_hand():
    """deeplearning.ai's GRU, c<t> = Γu⊙c̃ + (1 - Γu)⊙c<t-1>, as the course writes it."""
    c = C0
    for x in XS:
        cx = np.concatenate([c, x])
        gu, gr = sig(W_u @ cx + b_u), sig(W_r @ cx + b_r)
        ct = np.tanh(W_c @ np.concatenate([gr * c, x]) + b_c)
        c = gu * ct + (1 - gu) * c
    return c


def test_the_dlai_gru_by_hand_is_right_and_never_explained_away():
    v = verdict(DLAI_GRU, dlai_by_hand())
    assert v["agrees"] is True and v["diagnosis"] == []


def test_pytorchs_gru_cell_is_named_as_pytorchs_gru():
    torch = pytest.importorskip("torch")
    cell = torch.nn.GRUCell(X, H).double()
    split = [(W[:, H:], W[:, :H]) for W in (W_r, W_u, W_c)]      # (on x, on the state)
    with torch.no_grad():
        cell.weight_ih.copy_(torch.tensor(np.vstack([wx for wx, _ in split])))
        cell.weight_hh.copy_(torch.tensor(np.vstack([wh for _, wh in split])))
        cell.bias_ih.copy_(torch.tensor(np.concatenate([b_r, b_u, b_c])))
        cell.bias_hh.zero_()
        h = torch.tensor(C0)[None]
        for x in XS:
            h = cell(torch.tensor(x)[None], h)
    v = verdict(DLAI_GRU, h[0].numpy())
    first = v["diagnosis"][0]
    assert first["kind"] == "convention" and first["id"] == "gru_update_old_state+gru_reset_after"
    assert "PyTorch" in first["label"] and "z multiplies the old state" in first["label"]
    assert first["slip"] == first["id"] and first["value"] == first["answer"]   # the old keys


def test_keras_gru_without_reset_after_is_named_by_the_update_gate_alone():
    os.environ.setdefault("KERAS_BACKEND", "torch")
    keras = pytest.importorskip("keras")
    layer = keras.layers.GRU(H, reset_after=False, dtype="float64")
    inputs = np.asarray(XS, dtype="float64")[None]
    layer(inputs, initial_state=[C0[None]])
    ux, rx, cx = (W[:, H:].T for W in (W_u, W_r, W_c))    # Keras: x kernel, blocks z, r, h
    uh, rh, ch = (W[:, :H].T for W in (W_u, W_r, W_c))
    layer.set_weights([np.hstack([ux, rx, cx]), np.hstack([uh, rh, ch]),
                       np.concatenate([b_u, b_r, b_c])])
    h = keras.ops.convert_to_numpy(layer(inputs, initial_state=[C0[None]]))[0]
    assert ids(DLAI_GRU, h)[0] == "gru_update_old_state"


def test_keras_reset_after_is_named_for_a_fully_gated_gru():
    """d2l's GRU (reset before W_hh, z on the old state) computed by Keras 3 with its default
    reset_after=True: right under the reset after the matrix."""
    os.environ.setdefault("KERAS_BACKEND", "torch")
    keras = pytest.importorskip("keras")
    Wx = {g: np.round(RNG.normal(0, 0.7, (X, H)), 2) for g in "zrh"}
    Wh = {g: np.round(RNG.normal(0, 0.7, (H, H)), 2) for g in "zrh"}
    b = {g: np.round(RNG.normal(0, 0.3, H), 2) for g in "zrh"}
    doc = {"type": "gru", "notation": "d2l", "inputs": XS.tolist(), "ask": {"t": 3, "digits": 4},
           "network": {"W_xz": Wx["z"].tolist(), "W_hz": Wh["z"].tolist(), "b_z": b["z"].tolist(),
                       "W_xr": Wx["r"].tolist(), "W_hr": Wh["r"].tolist(), "b_r": b["r"].tolist(),
                       "W_xh": Wx["h"].tolist(), "W_hh": Wh["h"].tolist(), "b_h": b["h"].tolist()}}
    layer = keras.layers.GRU(H, reset_after=True, dtype="float64")
    inputs = np.asarray(XS, dtype="float64")[None]
    layer(inputs)
    layer.set_weights([np.hstack([Wx[g] for g in "zrh"]), np.hstack([Wh[g] for g in "zrh"]),
                       np.stack([np.concatenate([b[g] for g in "zrh"]), np.zeros(3 * H)])])
    h = keras.ops.convert_to_numpy(layer(inputs))[0]
    assert ids(doc, h)[0] == "gru_reset_after"


# ---------------------------------------------------------------- an LSTM's stacked gates

def test_cs231n_lstm_read_in_pytorchs_gate_order_is_named():
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(5)
    Wx = np.round(rng.normal(0, 0.5, (X, 4 * H)), 2)       # CS231n: (D, 4H), blocks i, f, o, g
    Wh = np.round(rng.normal(0, 0.5, (H, 4 * H)), 2)
    b = np.round(rng.normal(0, 0.3, 4 * H), 2)
    doc = {"type": "lstm", "notation": "cs231n", "inputs": XS.tolist(),
           "network": {"Wx": Wx.tolist(), "Wh": Wh.tolist(), "b": b.tolist()},
           "ask": {"t": 2, "digits": 4}}
    cell = torch.nn.LSTMCell(X, H).double()    # reads the same blocks as i, f, g, o
    with torch.no_grad():
        cell.weight_ih.copy_(torch.tensor(Wx.T))
        cell.weight_hh.copy_(torch.tensor(Wh.T))
        cell.bias_ih.copy_(torch.tensor(b))
        cell.bias_hh.zero_()
        h = c = torch.zeros(1, H, dtype=torch.float64)
        for x in XS:
            h, c = cell(torch.tensor(x)[None], (h, c))
    assert ids(doc, h[0].numpy())[0] == "gate_order_ifgo"


# ---------------------------------------------------------------- layout and step numbering

W_HH = np.array([[0.5, -0.3], [0.8, 0.1]])
W_XH = np.array([[1.0, -0.5], [0.2, 0.7]])
B_H = np.array([0.1, -0.2])
RNN = {"type": "forward", "notation": "pytorch", "inputs": XS.tolist(),
       "network": {"weight_hh": W_HH.tolist(), "weight_ih": W_XH.tolist(),
                   "bias_ih": B_H.tolist(), "bias_hh": [0, 0]},
       "ask": {"quantity": "h", "t": 1, "digits": 4}}


def states(W_hh, W_xh):
    h, out = np.zeros(2), []
    for x in XS:
        h = np.tanh(W_hh @ h + W_xh @ x + B_H)
        out.append(h)
    return out


def test_transposed_weights_are_named():
    assert ids(RNN, states(W_HH.T, W_XH.T)[1])[0] == "transposed"


def test_steps_counted_from_1_are_named():
    # t = 1 read by a course that counts from 1: the first step
    assert ids(RNN, states(W_HH, W_XH)[0])[0] == "steps_from_1"


def test_transposed_and_counted_from_1_combine():
    found = ids(RNN, states(W_HH.T, W_XH.T)[0])
    assert set(found[0].split("+")) == {"transposed", "steps_from_1"}


def test_a_random_answer_is_not_matched():
    v = verdict(RNN, [0.1234, -0.9876])
    assert v["agrees"] is False and v["diagnosis"] == []


def test_steps_counted_from_0_are_named_for_a_dlai_file():
    c = C0
    for x in XS:          # the third step: a<2> read as counted from 0
        cx = np.concatenate([c, x])
        gu, gr = sig(W_u @ cx + b_u), sig(W_r @ cx + b_r)
        c = gu * np.tanh(W_c @ np.concatenate([gr * c, x]) + b_c) + (1 - gu) * c
    doc = {**DLAI_GRU, "ask": {"t": 2, "digits": 4}}
    assert ids(doc, c)[0] == "steps_from_0"


# ---------------------------------------------------------------- losses

def _backprop(loss: str, reduction: str) -> dict:
    return {"type": "backprop", "network": {"W_hh": 0.5, "W_xh": -0.8, "W_hy": 1.2, "b_h": 0.1,
                                            "hidden": "tanh"},
            "inputs": [1.0, -0.5, 2.0], "targets": [0.3, -0.2, 0.5], "loss": loss,
            "reduction": reduction, "ask": {"quantity": "dE/dW_hh", "digits": 5}}


def _torch_grad(torch, reduction: str, half: bool) -> float:
    W_hh = torch.tensor(0.5, dtype=torch.float64, requires_grad=True)
    h, ys = torch.tensor(0.0, dtype=torch.float64), []
    for x in (1.0, -0.5, 2.0):
        h = torch.tanh(W_hh * h - 0.8 * x + 0.1)
        ys.append(1.2 * h)
    E = torch.nn.functional.mse_loss(torch.stack(ys), torch.tensor([0.3, -0.2, 0.5],
                                                                   dtype=torch.float64),
                                     reduction=reduction)
    (0.5 * E if half else E).backward()
    return float(W_hh.grad)


def test_the_loss_averaged_without_its_half_is_named_pytorchs_mse():
    torch = pytest.importorskip("torch")
    doc = _backprop("squared", "sum")
    assert verdict(doc, _torch_grad(torch, "sum", half=True), 5)["agrees"] is True
    assert ids(doc, _torch_grad(torch, "mean", half=True), 5)[0] == "loss_mean"
    assert ids(doc, _torch_grad(torch, "sum", half=False), 5)[0] == "loss_no_half"
    assert ids(doc, _torch_grad(torch, "mean", half=False), 5)[0] == "loss_mean+loss_no_half"


def test_a_mean_sse_file_summed_with_its_half_is_named():
    torch = pytest.importorskip("torch")
    doc = _backprop("sse", "mean")
    assert verdict(doc, _torch_grad(torch, "mean", half=False), 5)["agrees"] is True
    assert ids(doc, _torch_grad(torch, "sum", half=False), 5)[0] == "loss_sum"
    assert ids(doc, _torch_grad(torch, "mean", half=True), 5)[0] == "loss_half"


def test_a_cross_entropy_in_bits_is_named():
    probs = [0.5, 0.25, 0.8, 0.1]
    doc = {"type": "perplexity", "probabilities": probs, "ask": {"quantity": "cross_entropy",
                                                                  "digits": 4}}
    assert ids(doc, -np.mean(np.log2(probs)))[0] == "log2"
    assert verdict({**doc, "ask": {"quantity": "perplexity", "digits": 4}},
                   2 ** -np.mean(np.log2(probs)))["agrees"] is True    # the same in both bases


# ---------------------------------------------------------------- clipping, CTC, beams, BLEU

def test_each_tensor_clipped_by_its_own_norm_is_named():
    g = {"dW": [3.0, 4.0], "db": [12.0]}
    doc = {"type": "clip", "gradients": g, "norm": 5, "ask": {"quantity": "dW", "digits": 4}}
    own = np.array(g["dW"]) * min(1, 5 / np.linalg.norm(g["dW"]))
    assert ids(doc, own)[0] == "clip_per_tensor"


def test_torchs_mean_ctc_loss_is_named():
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(3)
    logits = np.round(rng.normal(0, 1, (6, 3)), 2)        # blank first, then a, b
    doc = {"type": "ctc", "symbols": ["a", "b"], "logits": logits.tolist(),
           "target": ["a", "b", "b"], "ask": {"quantity": "loss", "digits": 5}}
    lp = torch.log_softmax(torch.tensor(logits), 1)[:, None, :]
    args = (lp, torch.tensor([[1, 2, 2]]), [6], [3])
    mean = float(torch.nn.functional.ctc_loss(*args, reduction="mean"))
    total = float(torch.nn.functional.ctc_loss(*args, reduction="sum"))
    assert verdict(doc, total, 5)["agrees"] is True
    assert ids(doc, mean, 5)[0] == "ctc_mean"
    assert ids({**doc, "reduction": "mean"}, total, 5)[0] == "ctc_sum"


def test_beam_scores_with_and_without_length_normalisation_are_named():
    doc = {"type": "decode", "vocabulary": ["a", "b", "<eos>"], "eos": "<eos>",
           "tables": {"": [0.6, 0.3, 0.1], "a": [0.2, 0.3, 0.5], "a b": [0.1, 0.1, 0.8]},
           "sequence": ["a", "b", "<eos>"], "ask": {"quantity": "score", "digits": 4}}
    logP = math.log(0.6) + math.log(0.3) + math.log(0.8)
    normed = {**doc, "alpha": 0.75}
    assert verdict(normed, logP / 3 ** 0.75)["agrees"] is True
    assert ids(normed, logP)[0] == "beam_no_norm"
    assert ids(doc, logP / 3 ** 0.75)[0] == "beam_norm"


def _bleu(cand, ref, smoothing):
    """Sentence BLEU-4 with one reference, by hand."""
    logs = []
    for n in range(1, 5):
        grams = [tuple(cand[i:i + n]) for i in range(len(cand) - n + 1)]
        refs = [tuple(ref[i:i + n]) for i in range(len(ref) - n + 1)]
        m = sum(min(grams.count(g), refs.count(g)) for g in set(grams))
        t = max(len(grams), 1)
        if smoothing == "add_one" and n >= 2:
            m, t = m + 1, t + 1
        logs.append(math.log(m / t))
    bp = min(1.0, math.exp(1 - len(ref) / len(cand)))
    return bp * math.exp(sum(logs) / 4)


def test_bleu_with_add_one_smoothing_is_named():
    cand = "the cat sat on a mat".split()
    ref = "the cat sat on the mat".split()
    doc = {"type": "bleu", "candidate": cand, "references": [ref], "ask": {"digits": 4}}
    assert verdict(doc, _bleu(cand, ref, "none"))["agrees"] is True
    assert ids(doc, _bleu(cand, ref, "add_one"))[0] == "bleu_add_one"
    assert ids({**doc, "smoothing": "add_one"}, _bleu(cand, ref, "none"))[0] == "bleu_none"


# ---------------------------------------------------------------- parameter counts

def test_pytorchs_two_biases_are_named_in_a_course_count():
    torch = pytest.importorskip("torch")
    doc = {"type": "shapes", "cell": "gru", "input": 7, "hidden": 5, "ask": {"quantity": "params"}}
    n = sum(p.numel() for p in torch.nn.GRU(7, 5).parameters())
    v = rnnquiz.check(doc, str(n))
    assert v["diagnosis"][0]["id"] == "bias_two" and v["diagnosis"][0]["kind"] == "convention"
    one = 3 * (5 * 5 + 5 * 7 + 5)                          # the course's equations, by hand
    v = rnnquiz.check({**doc, "framework": "pytorch"}, str(one))
    assert v["diagnosis"][0]["id"] == "bias_one"


def test_a_convention_and_a_slip_combine():
    """Transposed weights and the bias left out: a convention with a slip."""
    h = np.zeros(2)
    for x in XS[:2]:
        h = np.tanh(W_HH.T @ h + W_XH.T @ x)
    v = verdict(RNN, h)
    first = v["diagnosis"][0]
    assert first["kind"] == "slip" and set(first["id"].split("+")) == {"transposed", "no_bias"}


# ---------------------------------------------------------------- PyTorch's and Keras' GRU keys

def _torch_gru(torch, w_ih, w_hh, b_ih, b_hh):
    cell = torch.nn.GRUCell(X, H).double()
    with torch.no_grad():
        for param, value in ((cell.weight_ih, w_ih), (cell.weight_hh, w_hh),
                             (cell.bias_ih, b_ih), (cell.bias_hh, b_hh)):
            param.copy_(torch.tensor(value))
        h = torch.zeros(1, H, dtype=torch.float64)
        for x in XS:
            h = cell(torch.tensor(x)[None], h)
    return h[0].numpy()


def test_one_bias_outside_the_reset_is_named_for_pytorchs_gru():
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(11)
    w_ih = np.round(rng.normal(0, 0.6, (3 * H, X)), 2)
    w_hh = np.round(rng.normal(0, 0.6, (3 * H, H)), 2)
    b_ih, b_hh = np.round(rng.normal(0, 0.5, (2, 3 * H)), 2)
    doc = {"type": "gru", "notation": "pytorch", "inputs": XS.tolist(),
           "ask": {"t": 2, "digits": 4},
           "network": {"weight_ih": w_ih.tolist(), "weight_hh": w_hh.tolist(),
                       "bias_ih": b_ih.tolist(), "bias_hh": b_hh.tolist()}}
    assert verdict(doc, _torch_gru(torch, w_ih, w_hh, b_ih, b_hh))["agrees"] is True
    one_ih, one_hh = b_ih.copy(), b_hh.copy()          # b_hn added to b_in, outside r ⊙ (...)
    one_ih[2 * H:] += b_hh[2 * H:]
    one_hh[2 * H:] = 0
    assert ids(doc, _torch_gru(torch, w_ih, w_hh, one_ih, one_hh))[0] == "bias_one"


def test_keras_gru_weights_read_in_pytorchs_gate_order_are_named():
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(12)
    kernel, recurrent = np.round(rng.normal(0, 0.6, (X, 3 * H)), 2), \
        np.round(rng.normal(0, 0.6, (H, 3 * H)), 2)
    bias = np.round(rng.normal(0, 0.5, (2, 3 * H)), 2)
    doc = {"type": "gru", "notation": "keras", "inputs": XS.tolist(),
           "ask": {"t": 2, "digits": 4},
           "network": {"kernel": kernel.tolist(), "recurrent_kernel": recurrent.tolist(),
                       "bias": bias.tolist()}}
    # torch takes Keras' blocks z, r, h as its r, z, n
    h = _torch_gru(torch, kernel.T, recurrent.T, bias[0], bias[1])
    assert ids(doc, h)[0] == "gate_order_rzn"


def test_cmu_11785s_beam_search_is_named():
    """11-785 HW3's BeamSearch, written here from the handout: paths ending in a blank and in
    a symbol, both pruned at the B-th best score, merged after the last frame."""
    Y = [[0.54, 0.18, 0.28], [0.81, 0.0, 0.19], [0.0, 0.52, 0.48], [0.13, 0.68, 0.19]]
    doc = {"type": "ctc", "symbols": ["a", "b"], "probabilities": Y, "method": "beam",
           "beam": 2, "ask": {"quantity": "sequence"}}
    blank, sym = {"": Y[0][0]}, {"a": Y[0][1], "b": Y[0][2]}
    for y in Y[1:]:
        cut = sorted([*blank.values(), *sym.values()], reverse=True)[1]
        blank = {k: v for k, v in blank.items() if v >= cut}
        sym = {k: v for k, v in sym.items() if v >= cut}
        new_blank, new_sym = {}, {}
        for k, v in [*blank.items(), *sym.items()]:
            new_blank[k] = new_blank.get(k, 0) + v * y[0]
        for k, v in blank.items():
            for c, q in zip("ab", y[1:]):
                new_sym[k + c] = new_sym.get(k + c, 0) + v * q
        for k, v in sym.items():
            for c, q in zip("ab", y[1:]):
                key = k if k.endswith(c) else k + c
                new_sym[key] = new_sym.get(key, 0) + v * q
        blank, sym = new_blank, new_sym
    merged = {k: blank.get(k, 0) + sym.get(k, 0) for k in {*blank, *sym}}
    best = max(merged, key=merged.get)
    v = rnnquiz.check(doc, best)
    assert v["agrees"] is False and v["diagnosis"][0]["id"] == "ctc_beam_cmu11785"


def test_bleu_with_nists_exponential_smoothing_is_named():
    cand, ref = "the cat sat on mat".split(), "the cat is on the mat".split()
    # by hand: p1 = 4/5, p2 = 1/4, no 3- or 4-gram matches: NIST gives them 1/(2·3), 1/(4·2)
    exp = math.exp(1 - 6 / 5) * (4 / 5 * 1 / 4 * 1 / 6 * 1 / 8) ** 0.25
    doc = {"type": "bleu", "candidate": cand, "references": [ref], "ask": {"digits": 4}}
    assert verdict(doc, 0.0)["agrees"] is True               # unsmoothed: a zero precision
    assert ids(doc, exp)[0] == "bleu_exp"


@pytest.mark.parametrize("doc, wrong", [
    ({"type": "clip", "gradients": {"dW": [3.0, 4.0], "db": [12.0]}, "norm": 5,
      "ask": {"quantity": "dW", "digits": 4}}, [0.4321, 0.9876]),
    ({"type": "perplexity", "probabilities": [0.5, 0.25, 0.8, 0.1],
      "ask": {"quantity": "cross_entropy", "digits": 4}}, 0.4321),
    ({"type": "shapes", "cell": "lstm", "input": 7, "hidden": 5, "ask": {"quantity": "params"}},
     1234),
    (DLAI_GRU, [0.4321, -0.9876]),
])
def test_a_random_wrong_answer_names_no_convention(doc, wrong):
    v = rnnquiz.check(doc, text_of(wrong, 4) if doc["type"] != "shapes" else str(wrong))
    assert v["agrees"] is False
    assert [d for d in v["diagnosis"] if d["kind"] == "convention"] == []


def test_without_the_convention_search_the_slip_is_named(monkeypatch):
    """RNNQUIZ_NO_CONVENTIONS=1 (the benchmark's baseline): the slips alone, as before."""
    doc = {"type": "clip", "gradients": {"dW": [3.0, 4.0], "db": [12.0]}, "norm": 5,
           "ask": {"quantity": "dW", "digits": 4}}
    assert [d["id"] for d in rnnquiz.check(doc, "3,4")["diagnosis"]] == ["clip_per_tensor"]
    monkeypatch.setenv("RNNQUIZ_NO_CONVENTIONS", "1")
    assert [d["id"] for d in rnnquiz.check(doc, "3,4")["diagnosis"]] == ["own_norm"]


def test_check_says_wrong_for_this_course_right_under_the_convention(tmp_path):
    import yaml
    from conftest import run
    f = tmp_path / "dlai_gru.yaml"
    f.write_text(yaml.safe_dump(DLAI_GRU), encoding="utf-8")
    c = C0
    for x in XS:          # Cho et al.'s rule by hand: z on the old state, reset before W
        cx = np.concatenate([c, x])
        gu, gr = sig(W_u @ cx + b_u), sig(W_r @ cx + b_r)
        c = (1 - gu) * np.tanh(W_c @ np.concatenate([gr * c, x]) + b_c) + gu * c
    r = run("check", str(f), "--answer", text_of(c, 4))
    assert r.exit_code == 1                   # the course asked for its own convention
    line = r.stdout.splitlines()[1]
    assert line.startswith("  wrong for this course (deeplearning.ai); right under ")
    assert "whose z multiplies the old state (gru_update_old_state" in line
