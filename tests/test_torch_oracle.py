"""Agreement with PyTorch (an optional test oracle, never a runtime dependency).

torch.nn.LSTMCell / GRUCell in float64 on random networks, with autograd for the gradients.
"""

import numpy as np
import pytest

import rnnquiz


def make(cell, rng, n_x, n_h):
    gates = 4 if cell == "lstm" else 3
    net = {"weight_ih": rng.normal(0, 0.6, (gates * n_h, n_x)),
           "weight_hh": rng.normal(0, 0.6, (gates * n_h, n_h)),
           "bias_ih": rng.normal(0, 0.4, gates * n_h), "bias_hh": rng.normal(0, 0.4, gates * n_h),
           "h_init": rng.normal(0, 0.5, n_h)}
    if cell == "lstm":
        net["c_init"] = rng.normal(0, 0.5, n_h)
    return net


def torch_run(cell, net, X, targets):
    torch = pytest.importorskip("torch", reason="PyTorch is the oracle of this test")
    n_x = X.shape[1]
    n_h = net["h_init"].shape[0]
    mod = (torch.nn.LSTMCell if cell == "lstm" else torch.nn.GRUCell)(n_x, n_h).double()
    with torch.no_grad():
        for k in ("weight_ih", "weight_hh", "bias_ih", "bias_hh"):
            getattr(mod, k).copy_(torch.tensor(net[k]))
    h = torch.tensor(net["h_init"], requires_grad=True)
    c = torch.tensor(net["c_init"], requires_grad=True) if cell == "lstm" else None
    h0, c0 = h, c
    hs, E = [], 0.0
    for t, x in enumerate(torch.tensor(X)):
        if cell == "lstm":
            h, c = mod(x[None], (h[None] if h.dim() == 1 else h, c[None] if c.dim() == 1 else c))
            h, c = h[0], c[0]
        else:
            h = mod(x[None], h[None])[0]
        hs.append(h.detach().numpy().copy())
        if targets[t] is not None:
            E = E + 0.5 * ((h - torch.tensor(targets[t])) ** 2).sum()
    E.backward()
    grads = {k: getattr(mod, k).grad.numpy() for k in ("weight_ih", "weight_hh", "bias_ih",
                                                        "bias_hh")}
    grads["h_init"] = h0.grad.numpy()
    if cell == "lstm":
        grads["c_init"] = c0.grad.numpy()
    return np.array(hs), float(E.detach()), grads


@pytest.mark.parametrize("seed", range(3))
@pytest.mark.parametrize("cell", ["lstm", "gru"])
def test_pytorch_notation_equals_torch(cell, seed):
    rng = np.random.default_rng(seed)
    n_x, n_h, T = 3, 4, 5
    net = make(cell, rng, n_x, n_h)
    X = rng.normal(0, 1, (T, n_x))
    targets = [rng.normal(0, 1, n_h) if t % 2 == 0 else None for t in range(T)]
    hs, E, grads = torch_run(cell, net, X, targets)
    doc = {"type": cell, "notation": "pytorch", "round": "none", "inputs": X.tolist(),
           "network": {k: v.tolist() for k, v in net.items()}}
    ours = np.array(rnnquiz.solve(doc, steps=False).answer)
    np.testing.assert_allclose(ours, hs, rtol=1e-10, atol=1e-12)
    back = {**doc, "type": "backprop", "cell": cell,
            "targets": {t: v.tolist() for t, v in enumerate(targets) if v is not None}}
    r = rnnquiz.solve(back, steps=False)
    assert r.values["E"] == pytest.approx(E, rel=1e-10)
    for k, g in grads.items():
        np.testing.assert_allclose(np.array(r.values[f"dE/d{k}"]).reshape(g.shape), g,
                                   rtol=1e-10, atol=1e-12, err_msg=k)


def test_mit_gru_with_pytorch_convention_is_gru_cell_with_zero_b_hn():
    rng = np.random.default_rng(11)
    net = make("gru", rng, 2, 3)
    net["bias_hh"][6:] = 0.0                    # b_hn = 0
    X = rng.normal(0, 1, (4, 2))
    hs, _, _ = torch_run("gru", net, X, [np.zeros(3)] * 4)
    h = 3
    W_i, W_h = net["weight_ih"], net["weight_hh"]
    b = net["bias_ih"] + net["bias_hh"]
    mit = {"W_rx": W_i[:h], "W_ux": W_i[h:2 * h], "W_cx": W_i[2 * h:], "W_rh": W_h[:h],
           "W_uh": W_h[h:2 * h], "W_ch": W_h[2 * h:], "b_r": b[:h], "b_u": b[h:2 * h],
           "b_c": net["bias_ih"][2 * h:], "h_init": net["h_init"]}
    doc = {"type": "gru", "convention": "pytorch", "round": "none", "inputs": X.tolist(),
           "network": {k: v.tolist() for k, v in mit.items()}}
    np.testing.assert_allclose(rnnquiz.solve(doc).answer, hs, rtol=1e-10, atol=1e-12)
