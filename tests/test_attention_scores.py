"""Attention's core (rnnquiz.types.attention): hand-worked 2×2 cases, the mask, torch as the oracle
(nn.Linear, torch.bmm, torch.softmax, an nn.LSTM encoder, scaled_dot_product_attention) and
finite differences against the derivatives worked by hand and by torch's autograd."""

from __future__ import annotations

import math

import numpy as np
import pytest

from rnnquiz.types.attention import score as S
from rnnquiz.types.attention.working import AttentionDetail, work_attention
from rnnquiz.errors import ProblemError
from rnnquiz.trace import Work

E = math.e
rng = np.random.default_rng(224)


def solve(d: AttentionDetail):
    work = Work()
    values, default, per_step = work_attention(d, work)
    return values, default, per_step, work.steps


def step(steps, symbol):
    (s,) = [s for s in steps if s.symbol == symbol]
    return s


# ---------------------------------------------------------------- hand-worked 2×2 cases

def test_dot_score_softmax_and_context_by_hand():
    # e = [1, 0]; α = [e, 1]/(e + 1); with V = I the context is α itself
    v, default, per, _ = solve(AttentionDetail("luong", "dot", np.array([1.0, 0.0]),
                                               np.eye(2)))
    assert v["energies"].tolist() == [1.0, 0.0]
    assert v["alpha"] == pytest.approx([E / (E + 1), 1 / (E + 1)], rel=1e-15)
    assert v["context"] == pytest.approx([E / (E + 1), 1 / (E + 1)], rel=1e-15)
    assert (default, per) == ("context", ())


def test_general_score_by_hand():
    # W_a swaps the key's entries: W_a h̄_1 = [0, 1], W_a h̄_2 = [1, 0]; h_t = [1, 2] gives [2, 1]
    e = S.general([1.0, 2.0], np.eye(2), [[0.0, 1.0], [1.0, 0.0]])
    assert e.tolist() == [2.0, 1.0]


def test_additive_score_by_hand():
    # tanh(atanh(0.5)) = 0.5 twice, summed by w_v = [1, 1]: e = [0, 1]
    k = math.atanh(0.5)
    e = S.additive([0.0, 0.0], [[0.0, 0.0], [k, k]], np.eye(2), np.eye(2), [1.0, 1.0])
    assert e == pytest.approx([0.0, 1.0], abs=1e-15)


def test_scaled_dot_by_hand():
    # qᵀk = 2 for both keys, over √2: equal weights
    e = S.scaled_dot([1.0, 1.0], [[1.0, 1.0], [2.0, 0.0]])
    assert e == pytest.approx([math.sqrt(2), math.sqrt(2)], rel=1e-15)
    assert S.attention_weights(e).tolist() == [0.5, 0.5]


def test_given_energies_by_hand():
    # e = [0, ln 3]: α = [1, 3]/4
    v, _, _, steps = solve(AttentionDetail("deeplearning_ai", energies=np.array([0, math.log(3)]),
                                           values=np.array([[4.0, 0.0], [0.0, 4.0]])))
    assert v["alpha"] == pytest.approx([0.25, 0.75], rel=1e-15)
    assert v["context"] == pytest.approx([1.0, 3.0], rel=1e-15)
    assert step(steps, "e<t,2>").note == "given by the exercise"
    assert "output" not in v


def test_numbers_for_values_give_a_number_for_the_context():
    v, *_ = solve(AttentionDetail("deeplearning_ai", energies=np.array([0.0, math.log(3)]),
                                  values=np.array([4.0, 8.0])))
    assert v["context"] == pytest.approx(7.0, rel=1e-15)


# ---------------------------------------------------------------- the mask

def test_a_masked_step_has_weight_exactly_zero_and_its_energy_as_computed():
    q, K = np.array([1.0, 0.0]), np.array([[1.0, 0.0], [0.0, 0.0], [5.0, 0.0]])
    v, _, _, steps = solve(AttentionDetail("luong", "dot", q, K, mask=np.array([1, 1, 0])))
    assert v["energies"].tolist() == [1.0, 0.0, 5.0]
    assert v["alpha"][2] == 0.0
    assert v["alpha"][:2] == pytest.approx([E / (E + 1), 1 / (E + 1)], rel=1e-15)
    masked = step(steps, "a_t(3)")
    assert masked.value == 0.0 and "masked" in masked.note
    assert "masked steps add nothing" in step(steps, "c_t").note


def test_a_huge_masked_energy_leaves_the_others_their_weights():
    # the masked 1000 must not set the scale of the exp: α = softmax([0, 1]) and 0
    a = S.attention_weights([0.0, 1.0, 1000.0], [1, 1, 0])
    assert a.tolist()[2] == 0.0
    assert a[:2] == pytest.approx([1 / (1 + E), E / (1 + E)], rel=1e-15)


def test_a_mask_of_zeros_is_an_error_naming_mask():
    with pytest.raises(ProblemError, match="mask"):
        solve(AttentionDetail("luong", "dot", np.ones(2), np.eye(2), mask=np.array([0, 0])))
    with pytest.raises(ProblemError, match="mask"):
        S.attention_weights([1.0, 2.0], [0, 0])


def test_large_energies_stay_finite():
    a = S.attention_weights([1000.0, 999.0])
    assert a == pytest.approx([1 / (1 + 1 / E), 1 / (1 + E)], rel=1e-14)
    _, _, _, steps = solve(AttentionDetail("deeplearning_ai", energies=np.array([1000.0, 999.0])))
    assert "subtracted" in steps[2].note
    v, _, _, steps = solve(AttentionDetail("deeplearning_ai", energies=np.array([-1000.0, -999.0])))
    assert v["alpha"] == pytest.approx([1 / (1 + E), E / (1 + E)], rel=1e-14)
    assert steps[2].value == pytest.approx(1 + 1 / E, rel=1e-14)     # Σ exp(e + 999)


def test_softmax_over_the_decoder_axis_is_a_different_number():
    # the slip to come: softmax over the decoder steps (axis 0), as torch's dim=0
    torch = pytest.importorskip("torch")
    e = rng.normal(size=(3, 4))
    ours = S.attention_weights(e, axis=0)
    assert np.allclose(ours, torch.softmax(torch.tensor(e), dim=0).numpy(), rtol=1e-14,
                       atol=0)
    assert not np.allclose(ours, S.attention_weights(e))


# ---------------------------------------------------------------- torch as the oracle

def _linear(torch, W, bias=None):
    W = np.asarray(W, dtype=np.float64)
    layer = torch.nn.Linear(W.shape[1], W.shape[0], bias=bias is not None)
    with torch.no_grad():
        layer.weight.copy_(torch.tensor(W))
        if bias is not None:
            layer.bias.copy_(torch.tensor(np.reshape(bias, -1)))
    return layer


def test_cs224n_steps_against_torch_with_an_lstm_encoder():
    torch = pytest.importorskip("torch")
    torch.manual_seed(0)
    h, T, S_dec = 2, 4, 3
    lstm = torch.nn.LSTM(3, h, bidirectional=True, batch_first=True, dtype=torch.float64)
    x = torch.tensor(rng.normal(size=(1, T, 3)))
    enc_hiddens = lstm(x)[0].detach()                      # (1, T, 2h): [→h_i; ←h_i]
    dec = torch.tensor(rng.normal(size=(S_dec, h)))
    W_attProj, W_u = rng.normal(size=(h, 2 * h)), rng.normal(size=(h, 3 * h))
    att, comb = _linear(torch, W_attProj), _linear(torch, W_u)
    enc_masks = torch.tensor([[0, 0, 0, 1]])               # CS224n: 1 marks the padding
    proj = att(enc_hiddens)
    seen = []

    def encoder(work):
        seen.append(work)
        return enc_hiddens[0].numpy()

    d = AttentionDetail("cs224n", query=dec.numpy(), encoder=encoder, mask=np.array([1, 1, 1, 0]),
                        network={"W_attProj": W_attProj, "W_u": W_u})
    v, default, per, _ = solve(d)
    assert len(seen) == 1 and per == ("energies", "alpha", "context", "output")
    with torch.no_grad():
        for t in range(S_dec):
            dec_hidden = dec[t:t + 1]
            e_t = torch.bmm(proj, dec_hidden.unsqueeze(2)).squeeze(2)
            assert np.allclose(v["energies"][t], e_t[0].numpy(), rtol=1e-13, atol=1e-15)
            e_t = e_t.masked_fill(enc_masks.bool(), -float("inf"))
            alpha_t = torch.softmax(e_t, dim=1)
            a_t = torch.bmm(alpha_t.unsqueeze(1), enc_hiddens).squeeze(1)
            o_t = torch.tanh(comb(torch.cat([a_t, dec_hidden], dim=1)))
            assert v["alpha"][t][3] == 0.0
            assert np.allclose(v["alpha"][t], alpha_t[0].numpy(), rtol=1e-13, atol=1e-15)
            assert np.allclose(v["context"][t], a_t[0].numpy(), rtol=1e-13, atol=1e-15)
            assert np.allclose(v["output"][t], o_t[0].numpy(), rtol=1e-13, atol=1e-15)


@pytest.mark.parametrize("score", ["dot", "general", "concat"])
def test_luong_scores_and_output_against_torch(score):
    torch = pytest.importorskip("torch")
    d, T, S_dec = 3, 5, 2
    Q, K = rng.normal(size=(S_dec, d)), rng.normal(size=(T, d))
    P = {"W_a": rng.normal(size=(d, d) if score == "general" else (4, 2 * d)),
         "v_a": rng.normal(size=4), "W_c": rng.normal(size=(d, 2 * d))}
    if score == "dot":
        del P["W_a"]
    if score != "concat":
        del P["v_a"]
    v, *_ = solve(AttentionDetail("luong", score, Q, K, network=P))
    q, k = torch.tensor(Q).unsqueeze(0), torch.tensor(K).unsqueeze(0)      # (1, S, d), (1, T, d)
    with torch.no_grad():
        if score == "dot":
            e = torch.bmm(q, k.transpose(1, 2))
        elif score == "general":
            e = torch.bmm(q, _linear(torch, P["W_a"])(k).transpose(1, 2))
        else:
            pairs = torch.cat([q.unsqueeze(2).expand(1, S_dec, T, d),
                               k.unsqueeze(1).expand(1, S_dec, T, d)], dim=-1)
            e = _linear(torch, P["v_a"][None, :])(torch.tanh(_linear(torch, P["W_a"])(pairs)))
            e = e.squeeze(-1)
        alpha = torch.softmax(e, dim=-1)
        c = torch.bmm(alpha, k)
        h_tilde = torch.tanh(_linear(torch, P["W_c"])(torch.cat([c, q], dim=-1)))
    for name, ref in (("energies", e), ("alpha", alpha), ("context", c), ("output", h_tilde)):
        assert np.allclose(np.array(v[name]), ref[0].numpy(), rtol=1e-13, atol=1e-15), name


def test_bahdanau_additive_against_torch():
    torch = pytest.importorskip("torch")
    n_s, n_h, n, T, S_dec = 2, 3, 4, 5, 3
    s_prev, H = rng.normal(size=(S_dec, n_s)), rng.normal(size=(T, n_h))
    P = {"W_a": rng.normal(size=(n, n_s)), "U_a": rng.normal(size=(n, n_h)),
         "v_a": rng.normal(size=n)}
    v, *_ = solve(AttentionDetail("bahdanau", query=s_prev, values=H, network=P))
    with torch.no_grad():
        s, h = torch.tensor(s_prev), torch.tensor(H)
        hidden = _linear(torch, P["W_a"])(s).unsqueeze(1) + _linear(torch, P["U_a"])(h)
        e = _linear(torch, P["v_a"][None, :])(torch.tanh(hidden)).squeeze(-1)     # (S, T)
        alpha = torch.softmax(e, dim=1)
        c = alpha @ h
    assert np.allclose(v["energies"], e.numpy(), rtol=1e-13, atol=1e-15)
    assert np.allclose(v["alpha"], alpha.numpy(), rtol=1e-13, atol=1e-15)
    assert np.allclose(v["context"], c.numpy(), rtol=1e-13, atol=1e-15)
    assert "output" not in v


def test_d2l_scaled_dot_against_torch_scaled_dot_product_attention():
    torch = pytest.importorskip("torch")
    d, d_v, T, S_dec = 4, 3, 6, 2
    Q, K, V = rng.normal(size=(S_dec, d)), rng.normal(size=(T, d)), rng.normal(size=(T, d_v))
    mask = np.array([1, 1, 0, 1, 1, 0])
    v, *_ = solve(AttentionDetail("d2l", "scaled_dot", Q, V, keys=K, mask=mask))
    ref = torch.nn.functional.scaled_dot_product_attention(
        torch.tensor(Q), torch.tensor(K), torch.tensor(V), attn_mask=torch.tensor(mask == 1))
    assert np.allclose(v["context"], ref.numpy(), rtol=1e-13, atol=1e-15)


def test_d2l_additive_against_torch():
    # d2l's AdditiveAttention: features = W_q q + W_k k, broadcast; scores = w_v(tanh(features))
    torch = pytest.importorskip("torch")
    d_q, d_k, h, T = 3, 2, 5, 4
    q, K, V = rng.normal(size=d_q), rng.normal(size=(T, d_k)), rng.normal(size=(T, 2))
    P = {"W_q": rng.normal(size=(h, d_q)), "W_k": rng.normal(size=(h, d_k)),
         "w_v": rng.normal(size=h)}
    v, *_ = solve(AttentionDetail("d2l", None, q, V, keys=K, network=P))
    with torch.no_grad():
        features = (_linear(torch, P["W_q"])(torch.tensor(q)).unsqueeze(0)
                    + _linear(torch, P["W_k"])(torch.tensor(K)))
        scores = _linear(torch, P["w_v"][None, :])(torch.tanh(features)).squeeze(-1)
        c = torch.softmax(scores, dim=-1) @ torch.tensor(V)
    assert np.allclose(v["energies"], scores.numpy(), rtol=1e-13, atol=1e-15)
    assert np.allclose(v["context"], c.numpy(), rtol=1e-13, atol=1e-15)


def test_deeplearning_ai_dense_network_against_torch():
    # one_step_attention: Dense(10, tanh) on [a<t'>; s<t-1>], Dense(1, relu), softmax over t'
    torch = pytest.importorskip("torch")
    n_a2, n_s, T = 4, 3, 5
    A, s_prev = rng.normal(size=(T, n_a2)), rng.normal(size=n_s)
    W_1, b_1 = rng.normal(size=(10, n_a2 + n_s)), rng.normal(size=10)
    W_2, b_2 = rng.normal(size=(1, 10)), np.array([0.3])
    e = S.dense(s_prev, A, W_1, b_1, W_2, b_2)
    with torch.no_grad():
        concat = torch.cat([torch.tensor(A), torch.tensor(s_prev).expand(T, n_s)], dim=-1)
        ref = torch.relu(_linear(torch, W_2, b_2)(torch.tanh(_linear(torch, W_1, b_1)(concat))))
        alpha = torch.softmax(ref.squeeze(-1), dim=0)
    assert np.allclose(e, ref.squeeze(-1).numpy(), rtol=1e-13, atol=1e-15)
    assert np.allclose(S.attention_weights(e), alpha.numpy(), rtol=1e-13, atol=1e-15)


# ---------------------------------------------------------------- finite differences

def _central(f, x: np.ndarray, eps: float = 1e-6) -> np.ndarray:
    """d f(x) / d x by central differences: (f(x + ε) - f(x - ε)) / 2ε, one entry at a time."""
    out = []
    for idx in np.ndindex(x.shape):
        hi, lo = x.copy(), x.copy()
        hi[idx] += eps
        lo[idx] -= eps
        out.append((np.asarray(f(hi)) - np.asarray(f(lo))) / (2 * eps))
    return np.array(out)


def test_the_context_moves_with_an_energy_as_alpha_times_v_minus_c():
    # by hand: dc/de_i = α_i (v_i - c); a masked step's energy moves nothing
    e, V, mask = rng.normal(size=4), rng.normal(size=(4, 3)), np.array([1, 1, 0, 1])
    alpha = S.attention_weights(e, mask)
    c = S.context(alpha, V)
    numeric = _central(lambda x: S.context(S.attention_weights(x, mask), V), e)
    assert np.allclose(numeric, alpha[:, None] * (V - c), atol=1e-9)
    assert np.all(numeric[2] == 0.0)


def test_cs224n_output_gradients_match_torch_autograd():
    torch = pytest.importorskip("torch")
    h, T = 2, 3
    H, q = rng.normal(size=(T, 2 * h)), rng.normal(size=h)
    W_attProj, W_u = rng.normal(size=(h, 2 * h)), rng.normal(size=(h, 3 * h))
    mask = np.array([1, 0, 1])

    def o_sum(W, query):
        return S.attend("cs224n", query, H, H, {"W_attProj": W, "W_u": W_u}, mask=mask).output.sum()

    W_t = torch.tensor(W_attProj, requires_grad=True)
    q_t = torch.tensor(q, requires_grad=True)
    Ht = torch.tensor(H)
    e = (Ht @ W_t.T) @ q_t
    alpha = torch.softmax(e.masked_fill(torch.tensor(mask == 0), -float("inf")), dim=0)
    o = torch.tanh(torch.tensor(W_u) @ torch.cat([alpha @ Ht, q_t]))
    o.sum().backward()
    assert np.allclose(_central(lambda W: o_sum(W, q), W_attProj).reshape(W_attProj.shape),
                       W_t.grad.numpy(), atol=1e-8)
    assert np.allclose(_central(lambda x: o_sum(W_attProj, x), q), q_t.grad.numpy(), atol=1e-8)
