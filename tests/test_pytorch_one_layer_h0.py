"""A one-layer network written with nn.RNN's keys (weight_ih_l0, ...) and no batch takes h_init
in the shape torch.nn.RNN takes h_0 for one sequence, (1, hidden) (torch refuses (hidden,)
there), and dE/dh_init comes back in that shape. torch is the oracle."""

import numpy as np
import pytest

import rnnquiz

W_IH, W_HH = [[0.5], [-0.3]], [[0.1, 0.2], [0.3, -0.4]]
B_IH, B_HH = [0.1, 0.0], [0.0, 0.2]
H0, X, TARGETS = [[0.5, -0.5]], [1.0, 2.0], [[0.2, 0.1], [-0.3, 0.4]]


def _doc(h_init, kind="forward"):
    d = {"type": kind, "notation": "pytorch",
         "network": {"weight_ih_l0": W_IH, "weight_hh_l0": W_HH, "bias_ih_l0": B_IH,
                     "bias_hh_l0": B_HH, "h_init": h_init},
         "inputs": X, "ask": {"quantity": "h"}}
    if kind == "backprop":
        d.update(targets=TARGETS, loss="squared", ask={"quantity": "dE/dh_init"})
    return d


def _torch_rnn(torch):
    rnn = torch.nn.RNN(1, 2, num_layers=1).double()
    with torch.no_grad():
        for name, v in (("weight_ih_l0", W_IH), ("weight_hh_l0", W_HH), ("bias_ih_l0", B_IH),
                        ("bias_hh_l0", B_HH)):
            getattr(rnn, name).copy_(torch.tensor(v, dtype=torch.float64))
    return rnn


def test_states_from_an_h0_of_one_row_are_torchs():
    torch = pytest.importorskip("torch")
    out, _ = _torch_rnn(torch)(torch.tensor(X, dtype=torch.float64)[:, None],
                               torch.tensor(H0, dtype=torch.float64))
    got = rnnquiz.solve(_doc(H0)).answer
    np.testing.assert_allclose(got, out.detach().numpy(), rtol=1e-13)
    assert rnnquiz.solve(_doc(H0[0])).answer == got          # (hidden,) as before


def test_dE_dh_init_comes_back_as_one_row():
    torch = pytest.importorskip("torch")
    h0 = torch.tensor(H0, dtype=torch.float64, requires_grad=True)
    out, _ = _torch_rnn(torch)(torch.tensor(X, dtype=torch.float64)[:, None], h0)
    (0.5 * ((out - torch.tensor(TARGETS, dtype=torch.float64)) ** 2).sum()).backward()
    got = rnnquiz.solve(_doc(H0, "backprop")).answer
    assert np.shape(got) == (1, 2)
    np.testing.assert_allclose(got, h0.grad.numpy(), rtol=1e-12)


@pytest.mark.parametrize("h_init, message", [
    ([[0.5, -0.5], [1.0, 2.0]], "has shape 2x2, expected 2"),
    ([[[0.5, -0.5]]], "is read with batch: true"),
])
def test_other_shapes_still_refused(h_init, message):
    with pytest.raises(rnnquiz.ProblemError, match=message):
        rnnquiz.solve(_doc(h_init))
