"""`solve --conventions` offers the loss's conventions (mean or sum, with or without ½, bits)
only where the problem computes a loss of its own: targets, no gradients from above, a
network, a loss quantity asked. Where it does, the averaged loss is the sum over the steps
divided by their number, worked here in torch."""

from __future__ import annotations

import pytest

import rnnquiz
from conftest import PROBLEMS

LOSS_IDS = {"loss_mean", "loss_sum", "loss_no_half", "loss_half", "log2"}
NET = {"W_hh": 0.5, "W_xh": -0.8, "W_hy": 1.2, "b_h": 0.1, "hidden": "tanh"}
DOC = {"type": "backprop", "network": NET, "inputs": [1.0, -0.5, 2.0],
       "targets": [0.3, -0.2, 0.5], "ask": {"quantity": "E", "digits": 5}}


def _ids(p) -> set[str]:
    rows = rnnquiz.solve(p, conventions=True).extra.get("conventions", [])
    return {i for r in rows for i in r["id"].split("+")}


def _torch_E(torch, reduction: str) -> float:
    h, ys = torch.tensor(0.0, dtype=torch.float64), []
    for x in DOC["inputs"]:
        h = torch.tanh(0.5 * h - 0.8 * x + 0.1)
        ys.append(1.2 * h)
    E = torch.nn.functional.mse_loss(torch.stack(ys), torch.tensor(DOC["targets"],
                                                                   dtype=torch.float64),
                                     reduction=reduction)
    return 0.5 * float(E)


def test_gradients_from_above_have_no_loss_conventions():
    for p in rnnquiz.load(PROBLEMS / "cmu11785_rnncell_backward.yaml"):
        assert p.upstream is not None
        assert not _ids(p) & LOSS_IDS


def test_a_forward_pass_has_no_loss_conventions():
    p = rnnquiz.load(PROBLEMS / "hinton_p3.yaml")[0]
    assert p.targets is None
    assert not _ids(p) & LOSS_IDS


def test_asking_a_state_of_a_network_with_targets_has_no_loss_conventions():
    assert not _ids({**DOC, "ask": {"quantity": "h", "t": 2, "digits": 5}}) & LOSS_IDS


def test_the_loss_averaged_over_the_steps_is_offered():
    torch = pytest.importorskip("torch")
    rows = rnnquiz.solve(DOC, conventions=True).extra["conventions"]
    assert rows[0]["own"] is True
    assert rows[0]["answer"] == pytest.approx(_torch_E(torch, "sum"), abs=1e-12)
    got = {r["id"]: r["answer"] for r in rows[1:]}
    assert got["loss_mean"] == pytest.approx(_torch_E(torch, "mean"), abs=1e-12)
