"""Stacks and both directions (SPEC 1.9): PyTorch's nn.RNN/LSTM/GRU(num_layers, bidirectional)
as the oracle, finite differences for every notation, the working, and errors by name."""

from __future__ import annotations

import numpy as np
import pytest

import rnnquiz
from rnnquiz.errors import ProblemError
from rnnquiz.notations import NOTATIONS

from conftest import finite_difference, random_network, run


MODULES = {"rnn": "RNN", "lstm": "LSTM", "gru": "GRU"}


def _torch_problem(cell: str, layers: int, bidirectional: bool, T=4, D=3, H=3, seed=0,
                   batch=None):
    """A PyTorch module of that shape, its state_dict as the file writes it, and a squared
    loss on a linear read-out of every step's top state."""
    torch = pytest.importorskip("torch", reason="PyTorch is the oracle of this test")
    torch.manual_seed(seed)
    m = getattr(torch.nn, MODULES[cell])(D, H, num_layers=layers, bidirectional=bidirectional)
    shape = (T, D) if batch is None else (T, batch, D)
    x = torch.randn(*shape)
    W = torch.randn(2, H * (2 if bidirectional else 1), requires_grad=True)
    b = torch.randn(2, requires_grad=True)
    out, _ = m(x)
    y = out @ W.T + b
    target = torch.randn(*y.shape)
    E = 0.5 * ((y - target) ** 2).sum()
    E.backward()
    net = {k: v.detach().numpy().tolist() for k, v in m.state_dict().items()}
    net.update(W_hy=W.detach().numpy().tolist(), b_y=b.detach().numpy().tolist())
    doc = {"type": "backprop", "cell": cell, "notation": "pytorch", "network": net,
           "inputs": (x if batch is None else x.transpose(0, 1)).numpy().tolist(),
           "targets": (target if batch is None else target.transpose(0, 1)).numpy().tolist()}
    if batch is not None:
        doc["batch"] = True
    return doc, m, out, E, W, b


@pytest.mark.parametrize("cell", ["rnn", "lstm", "gru"])
@pytest.mark.parametrize("layers,bidirectional", [(2, True), (3, False), (1, True)])
@pytest.mark.parametrize("steps", [True, False])
def test_every_gradient_of_every_layer_and_direction_is_pytorchs(cell, layers, bidirectional,
                                                                 steps):
    doc, m, out, E, W, b = _torch_problem(cell, layers, bidirectional)
    for key, param in m.named_parameters():
        got = rnnquiz.solve({**doc, "ask": {"quantity": f"dE/d{key}"}}, steps=steps).answer
        np.testing.assert_allclose(got, param.grad.numpy(), rtol=1e-10, atol=1e-12, err_msg=key)
    for quantity, want in (("E", E.item()), ("dE/dW_hy", W.grad.numpy()),
                           ("dE/db_y", b.grad.numpy()), ("h", out.detach().numpy())):
        got = rnnquiz.solve({**doc, "ask": {"quantity": quantity}}, steps=steps).answer
        np.testing.assert_allclose(got, want, rtol=1e-10, atol=1e-12, err_msg=quantity)


def test_a_batch_through_a_bidirectional_stack_is_pytorchs():
    doc, m, out, E, W, b = _torch_problem("lstm", 2, True, batch=3)
    for steps in (True, False):
        got = rnnquiz.solve({**doc, "ask": {"quantity": "dE/dweight_hh_l0_reverse"}},
                            steps=steps).answer
        np.testing.assert_allclose(got, m.weight_hh_l0_reverse.grad.numpy(), rtol=1e-10,
                                   atol=1e-12)


def test_dE_dx_and_the_lower_layers_states_against_autograd():
    torch = pytest.importorskip("torch", reason="PyTorch is the oracle of this test")
    torch.manual_seed(3)
    m = torch.nn.GRU(2, 3, num_layers=2, bidirectional=True)
    x = torch.randn(4, 2, requires_grad=True)
    out, _ = m(x)
    E = 0.5 * (out ** 2).sum()          # no read-out: the top states are the outputs
    E.backward()
    net = {k: v.detach().numpy().tolist() for k, v in m.state_dict().items()}
    doc = {"type": "backprop", "cell": "gru", "notation": "pytorch", "network": net,
           "inputs": x.detach().numpy().tolist(), "targets": np.zeros((4, 6)).tolist(),
           "ask": {"quantity": "dE/dx"}}
    for steps in (True, False):
        np.testing.assert_allclose(rnnquiz.solve(doc, steps=steps).answer, x.grad.numpy(),
                                   rtol=1e-10, atol=1e-12)
    # layer 1's states, both directions, then one direction alone
    layer1 = torch.nn.GRU(2, 3, bidirectional=True)
    layer1.load_state_dict({k.replace("_l0", "_l0"): v for k, v in m.state_dict().items()
                            if "_l0" in k})
    h1, _ = layer1(x)
    for direction, cols in ((None, slice(0, 6)), ("forward", slice(0, 3)),
                            ("backward", slice(3, 6))):
        ask = {"quantity": "h", "layer": 1, **({"direction": direction} if direction else {})}
        got = rnnquiz.solve({**doc, "type": "gru", "ask": ask} if False else
                            {**doc, "ask": ask}).answer
        np.testing.assert_allclose(got, h1.detach().numpy()[:, cols], rtol=1e-10, atol=1e-12)


def test_readout_last_is_keras_bidirectional_without_return_sequences():
    """Bidirectional(GRU(h)) gives [→h_{T-1}; ←h_0]: PyTorch's out[-1, :h] and out[0, h:]."""
    torch = pytest.importorskip("torch", reason="PyTorch is the oracle of this test")
    torch.manual_seed(5)
    m = torch.nn.GRU(2, 2, bidirectional=True)
    x = torch.randn(5, 2)
    out, _ = m(x)
    last = torch.cat([out[-1, :2], out[0, 2:]])
    W = torch.randn(1, 4, requires_grad=True)
    y = torch.sigmoid(W @ last)
    E = -(torch.log(y)).sum()           # binary cross-entropy, target 1
    E.backward()
    net = {k: v.detach().numpy().tolist() for k, v in m.state_dict().items()}
    net.update(W_hy=W.detach().numpy().tolist(), output="logistic")
    doc = {"type": "backprop", "cell": "gru", "notation": "pytorch", "network": net,
           "readout": "last", "loss": "cross_entropy", "inputs": x.numpy().tolist(),
           "targets": [1]}
    for steps in (True, False):
        r = rnnquiz.solve({**doc, "ask": {"quantity": "y"}}, steps=steps)
        assert r.answer == pytest.approx([y.item()], rel=1e-12)     # one output unit
        g = rnnquiz.solve({**doc, "ask": {"quantity": "dE/dweight_ih_l0_reverse"}}, steps=steps)
        np.testing.assert_allclose(g.answer, m.weight_ih_l0_reverse.grad.numpy(), rtol=1e-10,
                                   atol=1e-12)


def _stack_doc(rng, cell: str, notation: str, layers: int, bidirectional: bool, T=3,
               n_x=2, n_h=2):
    n = NOTATIONS[(cell, notation)]
    net, width_in = [], n_x
    for k in range(layers):
        make = lambda: random_network(rng, cell, notation, width_in, n_h, False)  # noqa: E731
        layer = {"forward": make(), "backward": make()} if bidirectional else make()
        net.append(layer)
        width_in = n_h * (2 if bidirectional else 1)
    reads_out = bool(n.readout)
    if reads_out:
        out = random_network(rng, cell, notation, 1, width_in, True)
        net[-1].update({key: out[key] for key in n.readout})
    doc = {"type": "backprop", "cell": cell, "notation": notation, "network": net,
           "bidirectional": bidirectional, "inputs": rng.normal(0, 1, (T, n_x)).tolist()}
    n_y = 2 if reads_out else width_in
    doc["targets"] = [rng.normal(0, 1, n_y).tolist() for _ in range(T)]
    return doc


NOTATION_CELLS = sorted((c, n) for (c, n) in NOTATIONS if c in ("rnn", "lstm", "gru"))


@pytest.mark.parametrize("cell,notation", NOTATION_CELLS)
def test_finite_differences_through_a_bidirectional_stack_in_every_notation(cell, notation):
    rng = np.random.default_rng(hash((cell, notation)) % 2 ** 32)
    doc = _stack_doc(rng, cell, notation, 2, True)
    n = NOTATIONS[(cell, notation)]
    weight = next(k for k in n.weights if k not in n.readout)
    for layer, direction in ((1, "backward"), (2, "forward")):
        path = (layer - 1, direction, weight)
        for steps in (True, False):
            ask = {"quantity": f"dE/d{weight}", "layer": layer, "direction": direction}
            got = rnnquiz.solve({**doc, "ask": ask}, steps=steps).answer
            want = finite_difference(doc, path, steps)
            np.testing.assert_allclose(np.array(got).reshape(-1), want.reshape(-1), rtol=1e-5,
                                       atol=1e-7,
                                       err_msg=f"{weight} layer {layer} {direction}")


def test_finite_differences_for_every_key_of_a_hinton_stack():
    rng = np.random.default_rng(7)
    doc = _stack_doc(rng, "rnn", "hinton", 3, False)
    doc["network"][0]["hidden"] = "logistic"
    for k in range(3):
        for key in ("W_xh", "W_hh", "b_h", "h_init"):
            got = rnnquiz.solve({**doc, "ask": {"quantity": f"dE/d{key}", "layer": k + 1}}).answer
            want = finite_difference(doc, (k, key), True)
            np.testing.assert_allclose(np.array(got).reshape(-1), want.reshape(-1), rtol=1e-5,
                                       atol=1e-7, err_msg=f"{key} layer {k + 1}")
    for key in ("W_hy", "b_y"):
        got = rnnquiz.solve({**doc, "ask": {"quantity": f"dE/d{key}"}}, steps=False).answer
        want = finite_difference(doc, (2, key), False)
        np.testing.assert_allclose(np.array(got).reshape(-1), want.reshape(-1), rtol=1e-5,
                                   atol=1e-7)


def test_a_two_layer_scalar_stack_by_hand():
    """h^(1)_0 = tanh(0.5·1 + 0.1) = tanh(0.6); h^(2)_0 = tanh(0.8 h^(1)_0 - 0.1);
    y_0 = 1.5 h^(2)_0 + 0.2."""
    doc = {"type": "forward", "notation": "hinton",
           "network": [{"hidden": "tanh", "W_xh": 0.5, "W_hh": -0.3, "b_h": 0.1},
                       {"hidden": "tanh", "W_xh": 0.8, "W_hh": 0.2, "b_h": -0.1,
                        "W_hy": 1.5, "b_y": 0.2}],
           "inputs": [1, -1], "ask": {"quantity": "y"}}
    h1 = [np.tanh(0.6)]
    h1.append(np.tanh(-0.5 - 0.3 * h1[0] + 0.1))
    h2 = [np.tanh(0.8 * h1[0] - 0.1)]
    h2.append(np.tanh(0.8 * h1[1] + 0.2 * h2[0] - 0.1))
    r = rnnquiz.solve(doc)
    assert r.answer == pytest.approx([1.5 * h + 0.2 for h in h2], rel=1e-14)
    assert rnnquiz.solve({**doc, "ask": {"quantity": "h", "layer": 1}}).answer == \
        pytest.approx(h1, rel=1e-14)
    symbols = [s.symbol for s in r.steps]
    # layer by layer at each step: h^(1)_0, h^(2)_0, y_0, then step 1
    assert symbols.index("h^(1)_0") < symbols.index("h^(2)_0") < symbols.index("y_0") \
        < symbols.index("h^(1)_1")
    z2 = next(s for s in r.steps if s.symbol == "z^(2)_1")
    assert z2.equation == "W_xh^(2)·h^(1)_1 + W_hh^(2)·h^(2)_0 + b_h^(2)"


def test_the_backward_direction_is_written_with_the_real_steps():
    doc = {"type": "forward", "bidirectional": True, "inputs": [1, -1, 2],
           "network": {"forward": {"hidden": "tanh", "W_xh": 0.5, "W_hh": -0.3},
                       "backward": {"hidden": "tanh", "W_xh": -0.4, "W_hh": 0.6},
                       "W_hy": [[1.0, -1.0]]},
           "ask": {"quantity": "h", "direction": "backward"}}
    r = rnnquiz.solve(doc)
    back = [np.tanh(-0.4 * 2)]
    back.insert(0, np.tanh(-0.4 * -1 + 0.6 * back[0]))
    back.insert(0, np.tanh(-0.4 * 1 + 0.6 * back[0]))
    assert r.answer == pytest.approx(back, rel=1e-14)
    z = next(s for s in r.steps if s.symbol == "z^(←)_1")
    assert z.equation == "W_xh^(←)·x_1 + W_hh^(←)·h^(←)_2 + b_h^(←)" and z.t == 1
    cat = next(s for s in r.steps if s.symbol == "h_0")
    assert cat.equation == "[h^(→)_0; h^(←)_0]"
    assert np.allclose(cat.value, [np.tanh(0.5), back[0]])


def test_grad_norm_runs_over_every_layer():
    doc, m, *_ = _torch_problem("rnn", 2, True)
    want = np.sqrt(sum(float((p.grad ** 2).sum()) for p in m.parameters())
                   + sum(float((v ** 2).sum()) for v in (_[2].grad, _[3].grad)))
    for steps in (True, False):
        got = rnnquiz.solve({**doc, "ask": {"quantity": "grad_norm"}}, steps=steps).answer
        assert got == pytest.approx(want, rel=1e-10)


@pytest.mark.parametrize("doc,where", [
    ({"network": [{"W_hy": 1}, {"W_xh": 1}]}, "network[0].W_hy: the read-out belongs to the top"),
    ({"network": [{"forward": {}}]}, "network[0].forward: a direction needs bidirectional: true"),
    ({"network": [{"W_xh": 1}], "ask": {"quantity": "h", "layer": 3}},
     "ask.layer: expected a layer from 1 (the bottom) to 1, got 3"),
    ({"network": [{"W_xh": 1}], "ask": {"quantity": "h", "direction": "backward"}},
     "ask.direction: the network runs forward only"),
    ({"network": {"W_xh": 1}, "ask": {"quantity": "h", "layer": 2}},
     "ask.layer: the network has one layer"),
    ({"network": {"W_xh": 1, "W_yh": 1}, "readout": "last"},      # one layer reads out last
     "network.W_yh: output feedback needs an output at every step"),
    ({"network": [{"W_xh": 1}], "readout": "first"}, "readout: expected every or last"),
    ({"bidirectional": True, "network": {"forward": {"W_hh": [[1, 0], [0, 1]]},
                                         "backward": {"W_hh": 1}}},
     "network.backward: has 1 units, the forward direction 2"),
    ({"bidirectional": True, "network": {"forward": {}, "backward": {}, "W_hy": [1, 2, 3]}},
     "network.W_hy: has shape 3 numbers, expected (outputs)x2"),
    ({"bidirectional": True, "network": {"forward": {}, "sideways": {}}},
     "network[0].sideways: unknown key for a bidirectional layer"),
    ({"network": [{"W_xh": "abc"}]}, "network[0].W_xh: expected a number"),
    ({"bidirectional": "yes", "network": [{}]}, "bidirectional: expected true or false"),
    ({"bidirectional": True, "network": {"forward": {}, "backward": {}},
      "ask": {"quantity": "dE/dW_hh"}, "type": "backprop", "targets": [[1, 2], [1, 2]]},
     "ask.direction: missing: dE/dW_hh is a key of each direction; say forward or backward"),
])
def test_bad_stacks_are_named_by_key(doc, where):
    base = {"type": "forward", "inputs": [1, 2]}
    with pytest.raises(ProblemError) as err:
        rnnquiz.solve({**base, **doc})
    assert where in str(err.value)


def test_pytorch_keys_name_their_layer_in_errors_and_in_the_quantity():
    doc, *_ = _torch_problem("lstm", 2, True)
    doc["network"]["weight_hh_l1_reverse"] = [[1.0]]
    with pytest.raises(ProblemError) as err:
        rnnquiz.solve(doc)
    assert "network.weight_hh_l1_reverse: has shape 1x1, expected 12x3" in str(err.value)
    doc, *_ = _torch_problem("lstm", 2, True)
    with pytest.raises(ProblemError) as err:
        rnnquiz.solve({**doc, "ask": {"quantity": "dE/dweight_hh_l1", "layer": 1}})
    assert "ask.quantity: dE/dweight_hh_l1 is layer 2's forward direction" in str(err.value)


def test_backprop_refuses_what_a_stack_cannot_mean():
    base = {"type": "backprop", "network": [{"W_xh": 1}, {"W_xh": 1}], "inputs": [1, 2]}
    for extra, where in (({"targets": [1, 2], "given": {"h": [1, 2]}}, "given: given values"),
                         ({"readout": "last", "targets": [1, 2]}, "targets: readout: last has "
                                                                  "one output")):
        with pytest.raises(ProblemError) as err:
            rnnquiz.solve({**base, **extra})
        assert where in str(err.value)


def test_the_cli_solves_a_stack_in_every_format(tmp_path):
    f = tmp_path / "deep.yaml"
    f.write_text("type: forward\nbidirectional: true\ninputs: [1, -1]\n"
                 "network:\n  - forward: {W_xh: 0.5}\n    backward: {W_xh: -0.5}\n"
                 "  - forward: {W_xh: [[1, 1]]}\n    backward: {W_xh: [[1, -1]]}\n"
                 "    W_hy: [[1, 1]]\n")
    # by hand (logistic units, no W_hh): layer 1 gives σ(±0.5); layer 2 σ(1) forward and
    # σ(σ(-0.5) - σ(0.5)) backward at step 1; y_1 = their sum
    sig = lambda z: 1 / (1 + np.exp(-z))                              # noqa: E731
    y1 = sig(1.0) + sig(sig(-0.5) - sig(0.5))
    for fmt in ("table", "json", "markdown", "latex", "html", "dot"):
        r = run("solve", str(f), "--format", fmt)
        assert r.exit_code == 0, (fmt, r.stderr)
        assert f"{y1:.6f}" == "1.170133" and "1.170133" in r.stdout, fmt
        if fmt == "dot":
            assert '"h2f_1" [label="h^(2→)_1\\n0.731059"]' in r.stdout
        else:
            assert "h^(2" in r.stdout or "h^{(2" in r.stdout, fmt


def test_vanishing_through_a_stack_is_the_fastest_layers_verdict():
    """Each layer's factor dh_t/dh_{t-1} = W_hh (1 - h_t²); the stack's joint Jacobian is
    block-triangular, so its growth is its fastest layer's."""
    doc = {"type": "vanishing", "inputs": [0.1, -0.2, 0.3, 0.1],
           "network": [{"hidden": "tanh", "W_xh": 0.5, "W_hh": 0.3},
                       {"hidden": "tanh", "W_xh": 0.8, "W_hh": 1.5}]}
    x = doc["inputs"]
    h1, h2, a, b = [], [], 0.0, 0.0
    for v in x:
        a = np.tanh(0.5 * v + 0.3 * a)
        b = np.tanh(0.8 * a + 1.5 * b)
        h1.append(a)
        h2.append(b)
    g = [np.prod([abs(W * (1 - h ** 2)) for h in hs[1:]]) ** (1 / 3)
         for W, hs in ((0.3, h1), (1.5, h2))]
    r = rnnquiz.solve(doc)
    assert r.answer == "exploding" and r.extra["geometric_mean"] == pytest.approx(g[1], rel=1e-12)
    r = rnnquiz.solve({**doc, "ask": {"quantity": "verdict", "layer": 1}})
    assert r.answer == "vanishing" and r.extra["geometric_mean"] == pytest.approx(g[0], rel=1e-12)


def test_vanishing_through_a_bidirectional_lstm_names_the_direction():
    rng = np.random.default_rng(11)
    doc = _stack_doc(rng, "lstm", "mit", 2, True, T=5)
    doc["type"] = "vanishing"
    del doc["targets"]
    r = rnnquiz.solve({**doc, "ask": {"quantity": "verdict", "layer": 1,
                                      "direction": "backward"}})
    assert r.answer in ("vanishing", "exploding", "neither")
    symbols = [s.symbol for s in r.steps if s.phase == "factor"]
    assert any("h^(1←)_1" in s and "h^(1←)_2" in s for s in symbols), symbols


def _d2l_reference(net, X, bidirectional):
    """d2l 10.3/10.4 written out in numpy: row vectors, tanh, H_0 = 0."""
    def run(layer, xs):
        W_xh, W_hh = np.atleast_2d(layer["W_xh"]), np.atleast_2d(layer["W_hh"])
        b = np.atleast_1d(layer.get("b_h", 0.0))
        H, out = np.zeros(W_hh.shape[0]), []
        for x in xs:
            H = np.tanh(np.atleast_1d(x) @ W_xh + H @ W_hh + b)
            out.append(H)
        return out
    layers = net if isinstance(net, list) else [net]
    xs = [np.atleast_1d(x) for x in X]
    for layer in layers:
        if bidirectional:
            f, b = run(layer["forward"], xs), run(layer["backward"], xs[::-1])[::-1]
            xs = [np.concatenate([u, v]) for u, v in zip(f, b)]
        else:
            xs = run(layer, xs)
    top = layers[-1]
    return [h @ np.atleast_2d(top["W_hq"]) + np.atleast_1d(top.get("b_q", 0.0)) for h in xs]


@pytest.mark.parametrize("name", ["d2l_deep_rnn.yaml", "d2l_bidirectional_rnn.yaml"])
def test_the_d2l_stack_problems_against_their_equations(name):
    from pathlib import Path
    path = Path(__file__).parent.parent / "problems" / name
    p = rnnquiz.load(str(path))[0]
    O = _d2l_reference(p.data["network"], p.data["inputs"], bool(p.data.get("bidirectional")))
    t = p.ask.t - 1                          # d2l numbers the steps from 1
    assert np.round(O[t], 4).tolist() == p.answer
    assert rnnquiz.solve(p).agrees


@pytest.mark.parametrize("args", [["forward", "--layers", "3"],
                                  ["backprop", "--layers", "2", "--bidirectional"],
                                  ["vanishing", "--bidirectional"]])
def test_new_writes_stacks_that_solve_and_agree(args, tmp_path):
    r = run("new", *args, "--seed", "5", "--out", str(tmp_path))
    assert r.exit_code == 0, r.stderr
    [f] = list(tmp_path.glob("*.yaml"))
    [p] = rnnquiz.load(str(f))
    assert p.stack is not None and rnnquiz.solve(p).agrees
    if args[0] == "forward":          # the published answer from a plain numpy forward pass
        ys = []
        h = [0.0] * 3
        for x in p.data["inputs"]:
            v = x
            for k, layer in enumerate(p.data["network"]):
                z = layer["W_xh"] * v + layer["W_hh"] * h[k] + layer["b_h"]
                h[k] = np.tanh(z) if layer["hidden"] == "tanh" else 1 / (1 + np.exp(-z))
                v = h[k]
            ys.append(p.data["network"][-1]["W_hy"] * v)
        assert round(ys[p.ask.t], 2) == pytest.approx(p.answer)
    assert run("new", "lstm", "--seed", "1", "--layers", "2").exit_code == 2


def test_output_feedback_is_refused_in_a_stack_by_name():
    doc = {"type": "forward", "inputs": [1, 2],
           "network": [{"W_xh": 1}, {"W_xh": 1, "W_hy": 1, "W_yh": 0.5}]}
    with pytest.raises(ProblemError) as err:
        rnnquiz.solve(doc)
    assert "network[1].W_yh: output feedback is written for a one-layer network" in str(err.value)


def test_a_peephole_lstm_stack_by_finite_differences():
    rng = np.random.default_rng(1)

    def layer(n_x):
        d = {k: rng.normal(0, .5, (2, 2 if k.endswith("h") else n_x)).tolist()
             for k in ("W_fh", "W_fx", "W_ih", "W_ix", "W_oh", "W_ox", "W_ch", "W_cx")}
        d.update({k: rng.normal(0, .5, 2).tolist() for k in ("w_cf", "w_ci", "w_co", "b_f")})
        return d
    doc = {"type": "backprop", "cell": "lstm", "bidirectional": True,
           "network": [{"forward": layer(1), "backward": layer(1)},
                       {"forward": layer(4), "backward": layer(4),
                        "W_hy": rng.normal(0, 1, (1, 4)).tolist()}],
           "inputs": [0.5, -1, 2], "targets": [0.1, 0.2, 0.3]}
    for key in ("w_co", "w_cf"):
        for steps in (True, False):
            ask = {"quantity": f"dE/d{key}", "layer": 1, "direction": "backward"}
            got = rnnquiz.solve({**doc, "ask": ask}, steps=steps).answer
            want = finite_difference(doc, (0, "backward", key), steps)
            np.testing.assert_allclose(got, want, rtol=1e-5,
                                       atol=1e-8)


@pytest.mark.parametrize("cell,notation", NOTATION_CELLS)
def test_the_backward_directions_equations_name_the_real_steps_in_every_notation(cell, notation):
    rng = np.random.default_rng(3)
    doc = _stack_doc(rng, cell, notation, 1, True, T=3)
    doc["type"] = "forward" if cell == "rnn" else cell
    del doc["targets"]
    doc.pop("cell")
    n = NOTATIONS[(cell, notation)]
    first = n.first
    checked = 0
    for s in rnnquiz.solve(doc).steps:
        if "←" not in s.symbol or s.t is None or not s.equation:
            continue
        named = {k for k in range(first, first + 3) if n.sub(n.x, k) in s.equation}
        if named:
            assert named == {s.t}, (s.symbol, s.equation)
            checked += 1
    assert checked >= 3


def test_an_embedding_feeds_the_first_layer_of_a_stack():
    E = [[1.0], [2.0], [-1.0]]
    doc = {"type": "backprop", "network": [{"embedding": E, "W_xh": 0.5, "W_hh": 0.3},
                                           {"W_xh": 0.8, "W_hh": -0.2, "W_hy": 1.5}],
           "inputs": [0, 2, 0], "targets": [1, 0, 1]}
    h1, h2, a, b = [], [], 0.0, 0.0
    for tok in doc["inputs"]:
        a = 1 / (1 + np.exp(-(0.5 * E[tok][0] + 0.3 * a)))
        b = 1 / (1 + np.exp(-(0.8 * a - 0.2 * b)))
        h1.append(a)
        h2.append(b)
    for steps in (True, False):
        assert rnnquiz.solve({**doc, "ask": {"quantity": "h", "layer": 1}},
                             steps=steps).answer == pytest.approx(h1, rel=1e-13)
        got = rnnquiz.solve({**doc, "ask": {"quantity": "dE/dembedding", "layer": 1}},
                            steps=steps).answer
        want = finite_difference(doc, (0, "embedding"), steps)
        np.testing.assert_allclose(got, want, rtol=1e-6, atol=1e-9)
        assert got[1] == [0.0]                  # token 1 never occurs


def test_readout_last_writes_where_each_direction_ends():
    doc = {"type": "forward", "bidirectional": True, "readout": "last", "inputs": [1, 2, 3],
           "network": {"forward": {"W_xh": 0.5}, "backward": {"W_xh": -0.5},
                       "W_hy": [[1.0, -1.0]]}}
    r = rnnquiz.solve(doc)
    y = next(s for s in r.steps if s.symbol == "y_2")
    assert y.equation == "W_hy·[h^(→)_2; h^(←)_0] + b_y"
    sig = lambda z: 1 / (1 + np.exp(-z))  # noqa: E731
    back0 = sig(-0.5 * 1)                 # ←h_0 after ←h_2, ←h_1 (W_hh = 0)
    fwd2 = sig(0.5 * 3)
    assert r.answer == pytest.approx([fwd2 - back0], rel=1e-14)


def test_pytorch_h0_one_row_per_layer_and_direction():
    torch = pytest.importorskip("torch", reason="PyTorch is the oracle of this test")
    torch.manual_seed(9)
    m = torch.nn.GRU(2, 3, num_layers=2, bidirectional=True)
    x, h0 = torch.randn(4, 2), torch.randn(4, 3)
    out, _ = m(x, h0)
    net = {k: v.detach().numpy().tolist() for k, v in m.state_dict().items()}
    net["h_init"] = h0.numpy().tolist()
    doc = {"type": "gru", "notation": "pytorch", "network": net, "inputs": x.numpy().tolist(),
           "ask": {"quantity": "h"}}
    for steps in (True, False):
        np.testing.assert_allclose(rnnquiz.solve(doc, steps=steps).answer,
                                   out.detach().numpy(), rtol=1e-10, atol=1e-12)
    with pytest.raises(ProblemError) as err:
        rnnquiz.solve({**doc, "network": {**net, "h_init": [1, 2, 3]}})
    assert "network.h_init: expected one row per layer and direction (4 rows" in str(err.value)
