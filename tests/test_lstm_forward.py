"""The MIT-notation LSTM forward pass against an independent numpy reference (SPEC 1.3)."""

import numpy as np
import pytest

import rnnquiz


def sig(z):
    return 1 / (1 + np.exp(-z))


def reference(P, X):
    h, c = P["h_init"], P["c_init"]
    hs, cs = [], []
    for x in X:
        f = sig(P["W_fh"] @ h + P["W_fx"] @ x + P["b_f"])
        i = sig(P["W_ih"] @ h + P["W_ix"] @ x + P["b_i"])
        o = sig(P["W_oh"] @ h + P["W_ox"] @ x + P["b_o"])
        c = f * c + i * np.tanh(P["W_ch"] @ h + P["W_cx"] @ x + P["b_c"])
        h = o * np.tanh(c)
        hs.append(h)
        cs.append(c)
    return hs, cs


@pytest.mark.parametrize("seed", range(4))
@pytest.mark.parametrize("n_x, n_h", [(1, 1), (3, 2), (2, 4)])
def test_vector_lstm_matches_reference(seed, n_x, n_h):
    rng = np.random.default_rng(seed)
    P = {}
    for g in "fioc":
        P[f"W_{g}h"] = rng.normal(0, 1, (n_h, n_h))
        P[f"W_{g}x"] = rng.normal(0, 1, (n_h, n_x))
        P[f"b_{g}"] = rng.normal(0, 1, n_h)
    P["h_init"] = rng.normal(0, 1, n_h)
    P["c_init"] = rng.normal(0, 1, n_h)
    X = rng.normal(0, 1, (5, n_x))
    doc = {"type": "lstm", "round": "none", "inputs": X.tolist(),
           "network": {k: v.tolist() for k, v in P.items()}}
    hs, cs = reference(P, X)
    r = rnnquiz.solve({**doc, "ask": {"quantity": "h"}})
    np.testing.assert_allclose(np.array(r.answer), np.array(hs), rtol=1e-12, atol=1e-14)
    r = rnnquiz.solve({**doc, "ask": {"quantity": "c", "t": 4}})
    np.testing.assert_allclose(r.answer, cs[4], rtol=1e-12, atol=1e-14)
    assert isinstance(r.answer, list)         # a network written with lists answers lists


def test_state_rounding_feeds_the_rounded_state_forward():
    """round: state rounds h_t and c_t before the next step uses them."""
    P = {"W_fh": 0.0, "W_ix": 100.0, "b_i": 100.0, "W_ox": 100.0, "W_ch": -100.0,
         "W_cx": 50.0, "b_f": -100.0}
    r = rnnquiz.solve({"type": "lstm", "inputs": [1, 1], "network": P, "round": "state",
                       "ask": {"quantity": "c"}})
    # c_0 = tanh(50) -> 1; h_0 = σ(100)·tanh(1) = 0.76 -> 1;
    # c_1 = tanh(-100·1 + 50) = -1; h_1 = tanh(-1) -> -1
    assert r.answer == [1, -1]
    h0 = next(s for s in r.steps if s.symbol == "h_0")
    assert h0.value == 1 and h0.raw == pytest.approx(np.tanh(1.0) * sig(100.0))


def test_lstm_computes_exactly_unless_the_file_rounds():
    """The default is round: none for every type (SPEC 1.4): CS231n's states stay 0.4577, not 1."""
    P = {"W_fh": 0.0, "W_ix": 100.0, "b_i": 100.0, "W_ox": 100.0, "W_ch": -100.0,
         "W_cx": 50.0, "b_f": -100.0}
    r = rnnquiz.solve({"type": "lstm", "inputs": [1], "network": P, "ask": {"quantity": "h"}})
    assert r.answer == pytest.approx([np.tanh(np.tanh(50.0) * sig(100.0)) * sig(100.0)], abs=1e-12)
    assert not any(n.startswith("rounding") for n in r.notes)
