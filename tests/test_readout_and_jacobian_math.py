"""The read-out's gradients and the simple RNN's state Jacobian, written once in cells/, against
central differences of the forward formulas written out here."""

import numpy as np
import pytest

from rnnquiz.cells import jacobians, readout
from rnnquiz.cells.activations import back_through

EPS = 1e-6
rng = np.random.default_rng(7)


def central(f, x):
    g = np.zeros_like(x)
    for i in np.ndindex(x.shape):
        e = np.zeros_like(x)
        e[i] = EPS
        g[i] = (f(x + e) - f(x - e)) / (2 * EPS)
    return g


@pytest.mark.parametrize("output", ["linear", "logistic", "tanh", "softmax"])
def test_the_readout_gradients_are_the_slopes_of_the_squared_loss(output):
    H, TG = rng.normal(size=(4, 3)), rng.normal(size=(4, 2))
    W, b = rng.normal(size=(2, 3)), rng.normal(size=2)
    act = {"linear": lambda u: u, "logistic": lambda u: 1 / (1 + np.exp(-u)), "tanh": np.tanh,
           "softmax": lambda u: np.exp(u) / np.exp(u).sum(-1, keepdims=True)}[output]

    def E(W, b, H):
        return 0.5 * np.sum((act(H @ W.T + b) - TG) ** 2)

    Y = readout.outputs({"W_hy": W, "b_y": b}, H, output)
    assert np.allclose(Y, act(H @ W.T + b))
    DU = back_through(output, Y, Y - TG)
    dW, db = readout.gradients(DU, H)
    assert np.allclose(dW, central(lambda W_: E(W_, b, H), W), atol=1e-6)
    assert np.allclose(db, central(lambda b_: E(W, b_, H), b), atol=1e-6)
    assert np.allclose(readout.to_state({"W_hy": W}, DU), central(lambda H_: E(W, b, H_), H),
                       atol=1e-6)
    steps = readout.step_gradients(list(DU), list(H))
    assert np.allclose(steps[0], dW) and np.allclose(steps[1], db)


def test_the_simple_rnn_state_jacobians():
    W_hh, W_xh, b = rng.normal(size=(3, 3)), rng.normal(size=(3, 2)), rng.normal(size=3)
    x, h = rng.normal(size=2), rng.normal(size=3)
    z = W_xh @ x + W_hh @ h + b
    slope = 1 - np.tanh(z) ** 2
    numeric = np.stack([central(lambda h_: np.tanh(W_xh @ x + W_hh @ h_ + b)[i], h)
                        for i in range(3)])
    assert np.allclose(jacobians.rnn_state(slope, W_hh), numeric, atol=1e-7)
    # dz_{t+1}/dz_t = W_hh diag(tanh'(z_t)): z_{t+1} = W_hh tanh(z_t) + const
    numeric_z = np.stack([central(lambda z_: (W_hh @ np.tanh(z_))[i], z) for i in range(3)])
    assert np.allclose(jacobians.rnn_pre(slope, W_hh), numeric_z, atol=1e-7)
