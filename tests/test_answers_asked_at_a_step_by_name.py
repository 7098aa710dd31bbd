"""Per-step answers asked at one step under every name a run gives them (rnnquiz/cells/named.py):
Hagan's net input n(t) and performance index F beside dE/dz and E, the LSTM's dE/dc_t (and its
lines in truncated BPTT), and no name beyond the file's. Values by hand (Hagan's ch. 14
arithmetic) and torch autograd."""

from __future__ import annotations

import pytest

import rnnquiz

# a(t) = lw a(t-1) + iw p(t) (purelin), iw = 0.5, lw = 0.2, a(0) = 0, p = 1, -1, 2, targets 0.5,
# 0, 1. By hand: a = 0.5, -0.4, 0.92; e = 0, 0.4, 0.08; F = 0.16 + 0.0064 = 0.1664;
# dF/da(3) = -2e(3) = -0.16; dF/da(2) = -0.8 + 0.2·(-0.16) = -0.832; dF/da(1) = 0.2·(-0.832)
# = -0.1664; purelin: dF/dn(t) = dF/da(t); dF/da(0) = lw·dF/dn(1) = -0.03328
HAGAN = {"type": "backprop", "notation": "hagan", "inputs": [1, -1, 2], "targets": [0.5, 0, 1],
         "network": {"iw": 0.5, "lw": 0.2, "a_init": 0}}


@pytest.mark.parametrize("steps", [True, False], ids=["working", "scan"])
@pytest.mark.parametrize("quantity, t, want", [
    ("F", None, 0.1664), ("E", None, 0.1664),
    ("dF/dn", 3, -0.16), ("dE/dn", 2, -0.832), ("dE/dz", 2, -0.832),
    ("dF/da", 2, -0.832), ("dE/da", 1, -0.1664), ("dF/da_init", None, -0.03328),
])
def test_hagans_names_and_the_canonical_ones_answer_alike(steps, quantity, t, want):
    ask = {"quantity": quantity, **({"t": t} if t is not None else {})}
    r = rnnquiz.solve({**HAGAN, "ask": ask}, steps=steps)
    assert r.answer == pytest.approx(want, abs=1e-12)
    assert r.question == (f"{quantity} at t={t}" if t is not None else quantity)


LSTM_NET = {"W_fh": 0.5, "W_fx": 1, "b_f": 0.1, "W_ih": -0.5, "W_ix": 1, "W_oh": 1, "W_ox": 0.5,
            "W_ch": 0.2, "W_cx": 1, "h_init": 0.1, "c_init": -0.2}
LSTM = {"type": "backprop", "cell": "lstm", "inputs": [1.0, -1.0, 0.5],
        "targets": [0.5, -0.5, 0.2], "network": LSTM_NET}


def _autograd_dE_dc(torch) -> list[float]:
    """dE/dc_t of MIT 6.S191's LSTM (one unit, no read-out, E = ½Σ_t (h_t - target_t)²)."""
    W = {k: torch.tensor(float(v), dtype=torch.float64, requires_grad=True)
         for k, v in LSTM_NET.items()}
    h, c, cs, E = W["h_init"], W["c_init"], [], 0.0
    for x, tg in zip(LSTM["inputs"], LSTM["targets"]):
        f = torch.sigmoid(W["W_fh"] * h + W["W_fx"] * x + W["b_f"])
        i = torch.sigmoid(W["W_ih"] * h + W["W_ix"] * x)
        o = torch.sigmoid(W["W_oh"] * h + W["W_ox"] * x)
        c = f * c + i * torch.tanh(W["W_ch"] * h + W["W_cx"] * x)
        c.retain_grad()
        cs.append(c)
        h = o * torch.tanh(c)
        E = E + 0.5 * (h - tg) ** 2
    E.backward()
    return [c.grad.item() for c in cs]


@pytest.mark.parametrize("steps", [True, False], ids=["working", "scan"])
def test_the_lstms_cell_state_gradient_at_each_step_is_autograds(steps):
    torch = pytest.importorskip("torch")
    for t, want in enumerate(_autograd_dE_dc(torch)):
        r = rnnquiz.solve({**LSTM, "ask": {"quantity": "dE/dc", "t": t}}, steps=steps)
        assert r.answer == pytest.approx(want, rel=1e-12, abs=1e-15)
        assert r.question == f"dE/dc at t={t}"


def test_truncated_bptt_writes_the_asked_dE_dc_t_lines():
    """truncate: 2 over three steps carries every term all the way: autograd's dE/dc_t, each
    line saying which loss terms it sums."""
    torch = pytest.importorskip("torch")
    steps = {s.symbol: s for s in rnnquiz.solve({**LSTM, "truncate": 2,
                                                  "ask": {"quantity": "dE/dc"}}).steps}
    for t, want in enumerate(_autograd_dE_dc(torch)):
        line = steps[f"dE/dc_{t}"]
        assert (line.t, line.phase) == (t, "backward")
        assert line.equation == f"Σ over the loss terms at steps {t} … 2"
        assert line.value == pytest.approx(want, rel=1e-12, abs=1e-15)


def test_a_run_answers_to_the_files_names_and_no_others():
    doc = {"type": "backprop", "notation": "pytorch", "inputs": [[1.0], [-1.0]],
           "targets": [[0.5], [0.0]],
           "network": {"weight_ih": [[0.5]], "weight_hh": [[0.2]], "bias_ih": [0.1],
                       "bias_hh": [0.0]}}
    for steps in (True, False):
        names = {k for k in rnnquiz.solve(doc, steps=steps).values if not k.startswith("_")}
        assert names == {"E", "grad_norm", "h", "z", "dE/dy", "dE/dh", "dE/dz", "dE/dx",
                         "dE/dweight_ih", "dE/dweight_hh", "dE/dbias_ih", "dE/dbias_hh",
                         "dE/dh_init"}


def test_gradients_from_above_are_named_de_only_hagans_f_is_his_loss():
    """With upstream dE/da(t) there is no performance index: no F, no dF/d… names. By hand:
    δ(3) = -0.2, δ(2) = 0.1 + 0.2·(-0.2) = 0.06, δ(1) = 0.5 + 0.2·0.06 = 0.512;
    dE/dlw = δ(2)a(1) + δ(3)a(2) = 0.06·0.5 + (-0.2)(-0.4) = 0.11."""
    doc = {**{k: v for k, v in HAGAN.items() if k != "targets"},
           "upstream": {"h": [0.5, 0.1, -0.2]}, "ask": {"quantity": "dE/dlw"}}
    for steps in (True, False):
        r = rnnquiz.solve(doc, steps=steps)
        assert r.answer == pytest.approx(0.11, abs=1e-12)
        assert not [k for k in r.values if k == "F" or k.startswith("dF/")]
