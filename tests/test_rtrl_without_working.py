"""method: rtrl solved without its working (`steps=False`, the path of an answer alone and of
long sequences): the vectorised scan has no sensitivities, so RTRL must still run step by
step and give dh_t/d<key> (and dc_t/d<key>), here against torch autograd's Jacobians through
PyTorch's own LSTM and GRU cells."""

from __future__ import annotations

import numpy as np
import pytest

import rnnquiz


@pytest.mark.parametrize("kind", ["lstm", "gru"])
def test_sensitivities_without_working_match_autograd(kind):
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(11)
    H, D, T = 2, 3, 3
    cell = {"lstm": torch.nn.LSTMCell, "gru": torch.nn.GRUCell}[kind](D, H).double()
    net = {k: rng.normal(0, 0.6, tuple(v.shape)).tolist() for k, v in cell.named_parameters()}
    X = rng.normal(0, 1, (T, D))
    doc = {"type": kind, "notation": "pytorch", "method": "rtrl", "network": net,
           "inputs": X.tolist()}
    got = rnnquiz.solve(doc, steps=False).values
    P = {k: torch.tensor(v, dtype=torch.double) for k, v in net.items()}
    Xt = torch.tensor(X, dtype=torch.double)
    zero = torch.zeros(1, H, dtype=torch.double)

    def state_at(t, part, key):
        def f(W):
            s = (zero, zero) if kind == "lstm" else zero
            for x in Xt[:t + 1]:
                s = torch.func.functional_call(cell, {**P, key: W}, (x[None], s))
            return (s[part] if kind == "lstm" else s)[0]
        return f

    for key in net:
        J = torch.autograd.functional.jacobian(state_at(T - 1, 0, key), P[key]).numpy()
        np.testing.assert_allclose(np.array(got[f"dh/d{key}"][T - 1]), J, atol=1e-12,
                                   err_msg=key)
        if kind == "lstm":
            Jc = torch.autograd.functional.jacobian(state_at(T - 1, 1, key), P[key]).numpy()
            np.testing.assert_allclose(np.array(got[f"dc/d{key}"][T - 1]), Jc, atol=1e-12,
                                       err_msg=key)
