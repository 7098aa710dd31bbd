"""The vanishing verdict through a stack, with targets: the factors are the top layer's state
Jacobians, d h_t / d h_{t-1} = diag(σ'(z_t)) · W_hh for a logistic layer (t = 1 … T-1),
whatever the loss; g is the (T-1)-th root of their product's spectral norm, computed here
with numpy."""

import numpy as np

import rnnquiz

W1, U1 = [[0.9, -0.4], [0.3, 1.1]], [[0.5], [-0.2]]
W2, U2 = [[1.6, 0.2], [-0.7, 1.3]], [[0.8, -0.5], [0.4, 0.9]]
X = [[1.0], [0.5], [-0.3], [0.2]]


def _layer(W, U, inputs):
    h, hs, zs = np.zeros(2), [], []
    for x in inputs:
        z = np.asarray(W) @ h + np.asarray(U) @ np.asarray(x)
        h = 1 / (1 + np.exp(-z))
        hs.append(h)
        zs.append(z)
    return hs, zs


def test_a_stack_with_targets_gives_the_top_layer_s_verdict():
    h1, _ = _layer(W1, U1, X)
    _, z2 = _layer(W2, U2, h1)
    J = np.eye(2)
    for t in range(1, len(X)):       # T - 1 factors
        s = 1 / (1 + np.exp(-z2[t]))
        J = ((s * (1 - s))[:, None] * np.asarray(W2)) @ J
    g = np.linalg.norm(J, 2) ** (1 / (len(X) - 1))
    layers = [{"W_hh": W, "W_xh": U, "b_h": [0, 0], "h_init": [0, 0], "hidden": "logistic"}
              for W, U in ((W1, U1), (W2, U2))]
    layers[-1].update({"W_hy": [[1.0, 1.0]], "b_y": [0.0], "output": "linear"})
    doc = {"type": "vanishing", "network": layers, "inputs": X,
           "targets": [[0.1], [0.2], [0.3], [0.4]], "ask": {"quantity": "g", "layer": 2}}
    with_targets = rnnquiz.solve(doc)
    assert np.isclose(float(with_targets.answer), g, rtol=1e-9, atol=0)
    doc.pop("targets")
    assert np.isclose(float(rnnquiz.solve(doc).answer), g, rtol=1e-9, atol=0)
