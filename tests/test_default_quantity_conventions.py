"""A backprop file that asks no quantity is answered with every dE/dz_t, which is a gradient of
the loss: `check` still names the loss's conventions for it (here the loss averaged over the
steps instead of summed, as PyTorch reduces by default). The wrong answers are worked in torch
(autograd through the same network, binary cross-entropy with reduction='mean')."""

from __future__ import annotations

import numpy as np
import pytest

import rnnquiz

NET = {"W_hh": 0.5, "W_xh": -0.8, "W_hy": 1.2, "b_h": 0.1, "hidden": "tanh",
       "output": "logistic"}
XS, TARGETS = [1.0, -0.5, 2.0], [1.0, 0.0, 1.0]
DOC = {"type": "backprop", "network": NET, "inputs": XS, "targets": TARGETS,
       "loss": "cross_entropy", "ask": {"digits": 5}}


def _dE_dz(torch, reduction: str) -> np.ndarray:
    W_hh = torch.tensor(0.5, dtype=torch.float64, requires_grad=True)
    h, zs, ys = torch.tensor(0.0, dtype=torch.float64), [], []
    for x in XS:
        z = W_hh * h - 0.8 * x + 0.1
        z.retain_grad()
        zs.append(z)
        h = torch.tanh(z)
        ys.append(torch.sigmoid(1.2 * h))
    E = torch.nn.functional.binary_cross_entropy(
        torch.stack(ys), torch.tensor(TARGETS, dtype=torch.float64), reduction=reduction)
    E.backward()
    return np.array([float(z.grad) for z in zs])


def _text(v) -> str:
    return ",".join(f"{x:.5f}" for x in v)


def test_every_dE_dz_averaged_is_named_loss_mean():
    torch = pytest.importorskip("torch")
    assert rnnquiz.check(DOC, _text(_dE_dz(torch, "sum")))["agrees"] is True
    v = rnnquiz.check(DOC, _text(_dE_dz(torch, "mean")))
    assert v["agrees"] is False
    assert [d["id"] for d in v["diagnosis"]][0] == "loss_mean"
