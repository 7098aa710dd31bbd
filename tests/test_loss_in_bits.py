"""A cross-entropy in bits (log₂) rather than nats: `check` names the convention `log2` when the
answer is the network's loss, or its gradient, divided by ln 2. The losses are worked here
independently: torch's binary cross-entropy on the network's outputs and autograd."""

from __future__ import annotations

import math

import numpy as np
import pytest

import rnnquiz

NET = {"W_hh": 0.5, "W_xh": -0.8, "W_hy": 1.2, "b_h": 0.1, "hidden": "tanh",
       "output": "logistic"}
XS, TARGETS = [1.0, -0.5, 2.0], [1.0, 0.0, 1.0]


def _doc(quantity: str) -> dict:
    return {"type": "backprop", "network": NET, "inputs": XS, "targets": TARGETS,
            "loss": "cross_entropy", "ask": {"quantity": quantity, "digits": 5}}


def _torch_loss(torch):
    W_hh = torch.tensor(0.5, dtype=torch.float64, requires_grad=True)
    h, ys = torch.tensor(0.0, dtype=torch.float64), []
    for x in XS:
        h = torch.tanh(W_hh * h - 0.8 * x + 0.1)
        ys.append(torch.sigmoid(1.2 * h))
    E = torch.nn.functional.binary_cross_entropy(
        torch.stack(ys), torch.tensor(TARGETS, dtype=torch.float64), reduction="sum")
    E.backward()
    return float(E.detach()), float(W_hh.grad)


def _diagnosis(doc: dict, value: float) -> list[str]:
    v = rnnquiz.check(doc, f"{value:.5f}")
    assert v["agrees"] is False, "the wrong answer was taken as right"
    return [d["id"] for d in v["diagnosis"]]


def test_the_loss_in_bits_is_named_log2():
    torch = pytest.importorskip("torch")
    E, _ = _torch_loss(torch)
    assert rnnquiz.check(_doc("E"), f"{E:.5f}")["agrees"] is True
    assert _diagnosis(_doc("E"), E / math.log(2.0))[0] == "log2"


def test_a_gradient_of_the_loss_in_bits_is_named_log2():
    torch = pytest.importorskip("torch")
    _, dW = _torch_loss(torch)
    assert rnnquiz.check(_doc("dE/dW_hh"), f"{dW:.5f}")["agrees"] is True
    assert _diagnosis(_doc("dE/dW_hh"), dW / math.log(2.0))[0] == "log2"


def test_the_loss_in_another_base_is_not_named_log2():
    torch = pytest.importorskip("torch")
    E, _ = _torch_loss(torch)
    for wrong in (E * math.log(2.0), E / math.log(3.0)):
        assert "log2" not in _diagnosis(_doc("E"), wrong)
