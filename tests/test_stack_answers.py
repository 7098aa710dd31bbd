"""Stacks and both directions (SPEC 1.9) where the other tests left a wrong number unseen:
`readout: last` of a one-way stack and of a batch through both directions (PyTorch as the
oracle), and the working of a stack's vanishing verdict (numpy written here).

Then where the whole-module mutation runs left a wrong number unseen (benchmarks/MUTATION.md):
a Hinton stack that gives no read-out keys still reads out (y_t = W_hy h_t + b_y with both
zero), on the vectorised path too, in a batch whose sizes all differ; each per-step quantity
of a stack's answer asked at one step (`ask.t`), with PyTorch's nn.RNN(num_layers=2) as the
oracle, the quantities that are not per-step (dE/dW) refusing `ask.t`, a stack that reads out
nothing answering its top states as y; step numbers in a notation counting from 1 (d2l), the
mean reduction on the vectorised path, the embedding's gradient of a one-way stack."""

from __future__ import annotations

import numpy as np
import pytest

import rnnquiz
from rnnquiz.errors import ProblemError


def _state_dict(m) -> dict:
    return {k: v.detach().numpy().tolist() for k, v in m.state_dict().items()}


def test_readout_last_of_a_one_way_stack_reads_the_last_step():
    """Two layers, one direction, `readout: last`: y = W_hy h^(2)_{T-1} + b_y only."""
    torch = pytest.importorskip("torch", reason="PyTorch is the oracle of this test")
    torch.manual_seed(4)
    m = torch.nn.RNN(2, 3, num_layers=2)
    x = torch.randn(5, 2)
    out, _ = m(x)
    W = torch.randn(1, 3, requires_grad=True)
    b = torch.randn(1, requires_grad=True)
    y = W @ out[-1] + b
    E = 0.5 * ((y - 0.25) ** 2).sum()
    E.backward()
    net = {**_state_dict(m), "W_hy": W.detach().numpy().tolist(),
           "b_y": b.detach().numpy().tolist()}
    doc = {"type": "backprop", "cell": "rnn", "notation": "pytorch", "network": net,
           "readout": "last", "inputs": x.numpy().tolist(), "targets": [0.25]}
    for steps in (True, False):
        r = rnnquiz.solve({**doc, "ask": {"quantity": "y"}}, steps=steps)
        assert r.answer == pytest.approx([y.item()], rel=1e-12), steps
        for key, want in (("E", E.item()), ("dE/dy", [y.item() - 0.25]),
                          ("dE/dW_hy", W.grad.numpy()),
                          ("dE/db_y", b.grad.numpy()),
                          ("dE/dweight_hh_l1", m.weight_hh_l1.grad.numpy()),
                          ("dE/dweight_ih_l0", m.weight_ih_l0.grad.numpy())):
            got = rnnquiz.solve({**doc, "ask": {"quantity": key}}, steps=steps).answer
            np.testing.assert_allclose(got, want, rtol=1e-10, atol=1e-12, err_msg=key)


def test_readout_last_of_a_batch_through_both_directions():
    """Each example reads [→h_{T-1}; ←h_0] of its own: PyTorch's out[-1, n, :H], out[0, n, H:]."""
    torch = pytest.importorskip("torch", reason="PyTorch is the oracle of this test")
    torch.manual_seed(2)
    m = torch.nn.GRU(2, 2, bidirectional=True)
    x = torch.randn(4, 3, 2)                     # (T, N, D)
    out, _ = m(x)
    last = torch.cat([out[-1, :, :2], out[0, :, 2:]], dim=-1)
    W = torch.randn(1, 4, requires_grad=True)
    y = last @ W.T
    target = torch.randn(3, 1)
    E = 0.5 * ((y - target) ** 2).sum()
    E.backward()
    net = {**_state_dict(m), "W_hy": W.detach().numpy().tolist()}
    doc = {"type": "backprop", "cell": "gru", "notation": "pytorch", "network": net,
           "batch": True, "readout": "last", "inputs": x.transpose(0, 1).numpy().tolist(),
           "targets": target.numpy().tolist()}
    for steps in (True, False):
        got = rnnquiz.solve({**doc, "ask": {"quantity": "y"}}, steps=steps).answer
        np.testing.assert_allclose(got, y.detach().numpy(), rtol=1e-12, atol=1e-14)
        h = rnnquiz.solve({**doc, "ask": {"quantity": "h"}}, steps=steps).values["h"]
        np.testing.assert_allclose(np.asarray(h, dtype=float), out.detach().numpy(),
                                   rtol=1e-12, atol=1e-14)        # (T, N, [→h; ←h])
        for key, want in (("dE/dW_hy", W.grad.numpy()),
                          ("dE/dweight_hh_l0_reverse", m.weight_hh_l0_reverse.grad.numpy()),
                          ("dE/dweight_ih_l0", m.weight_ih_l0.grad.numpy())):
            got = rnnquiz.solve({**doc, "ask": {"quantity": key}}, steps=steps).answer
            np.testing.assert_allclose(got, want, rtol=1e-10, atol=1e-12, err_msg=key)


def test_a_stacks_vanishing_working_names_the_real_steps_and_values():
    """One bidirectional tanh layer; the backward direction is the faster. Its factors
    J = diag(1 - h²)·W_hh, taken in its own order (from step 3 down to step 0), their spectral
    norms, the running product's norms and g = ‖J_2 J_1 J_0‖^(1/3), all in numpy here."""
    x = [0.1, -0.2, 0.3, 0.1]
    fwd = {"hidden": "tanh", "W_xh": [[0.5], [0.2]], "W_hh": [[0.3, 0.1], [0.2, 0.4]]}
    bwd = {"hidden": "tanh", "W_xh": [[0.5], [0.1]], "W_hh": [[1.3, 0.1], [0.2, 1.4]]}
    doc = {"type": "vanishing", "inputs": x, "bidirectional": True,
           "network": [{"forward": fwd, "backward": bwd}]}
    W_xh, W_hh = np.array(bwd["W_xh"]), np.array(bwd["W_hh"])
    h, hs = np.zeros(2), []
    for v in x[::-1]:                                    # the backward direction's order
        h = np.tanh(W_xh[:, 0] * v + W_hh @ h)
        hs.append(h)
    J = [np.diag(1 - hk ** 2) @ W_hh for hk in hs[1:]]
    norms = [np.linalg.norm(j, 2) for j in J]
    running = [np.linalg.norm(J[0], 2), np.linalg.norm(J[1] @ J[0], 2),
               np.linalg.norm(J[2] @ J[1] @ J[0], 2)]
    g = running[-1] ** (1 / 3)
    r = rnnquiz.solve(doc)
    assert r.answer == "exploding" and r.values["g"] == pytest.approx(g, rel=1e-12)
    factor = [s for s in r.steps if s.phase == "factor"]
    assert [s.symbol for s in factor] == [
        "‖dh^(←)_2/dh^(←)_3‖", "‖dh^(←)_2/dh^(←)_3‖", "‖dh^(←)_1/dh^(←)_2‖",
        "‖dh^(←)_1/dh^(←)_3‖", "‖dh^(←)_0/dh^(←)_1‖", "‖dh^(←)_0/dh^(←)_3‖"]
    assert [s.t for s in factor] == [3, 3, 2, 2, 1, 1]     # the real steps, not 0, 1, 2
    np.testing.assert_allclose([s.value for s in factor],
                               [norms[0], running[0], norms[1], running[1], norms[2],
                                running[2]], rtol=1e-12)
    [last] = [s for s in r.steps if s.symbol == "g"]
    assert last.value == pytest.approx(g, rel=1e-12) and last.t is None


def _two_layer_bidirectional(out: str = "linear", last: bool = False):
    """Two bidirectional tanh layers of one unit per direction: the file, and the same network
    in torch with the gradient of every state and concatenation kept."""
    torch = pytest.importorskip("torch", reason="PyTorch is the oracle of this test")
    layers = [{"forward": {"hidden": "tanh", "W_xh": 0.5, "W_hh": -0.3, "b_h": 0.1},
               "backward": {"hidden": "tanh", "W_xh": -0.4, "W_hh": 0.6}},
              {"forward": {"hidden": "tanh", "W_xh": [[0.2, 0.7]], "W_hh": 0.4},
               "backward": {"hidden": "tanh", "W_xh": [[-0.5, 0.3]], "W_hh": -0.2},
               "W_hy": [[1.0, -1.0]], "b_y": 0.1, "output": out}]
    x, targets = [1.0, -1.0, 2.0], ([0.8] if last else [0.5, -0.5, 1.0])
    doc = {"type": "backprop", "bidirectional": True, "inputs": x, "targets": targets,
           "network": layers}
    if last:
        doc["readout"] = "last"
    W_hy = torch.tensor([[1.0, -1.0]], requires_grad=True)
    b_y = torch.tensor([0.1], requires_grad=True)

    weights = {}

    def direction(d, xs):
        W = {k: torch.tensor(np.atleast_2d(d.get(k, 0.0)).tolist(), requires_grad=True)
             for k in ("W_xh", "W_hh", "b_h")}
        weights[len(weights)] = W
        h, out_ = torch.zeros(1), []
        for v in xs:
            h = torch.tanh(W["W_xh"] @ v + W["W_hh"] @ h + W["b_h"][0])
            h.retain_grad()
            out_.append(h)
        return out_

    xs, kept = [torch.tensor([v], requires_grad=True) for v in x], []
    for layer in layers:
        f, b = direction(layer["forward"], xs), direction(layer["backward"], xs[::-1])[::-1]
        xs = [torch.cat([u, v]) for u, v in zip(f, b)]
        for h in xs:
            h.retain_grad()
        kept.append((f, b, xs))
    act = {"linear": lambda u: u, "logistic": torch.sigmoid}[out]
    h2 = kept[1][2]
    top = [torch.cat([h2[-1][:1], h2[0][1:]])] if last else h2
    ys = [act(W_hy @ h + b_y) for h in top]
    E = sum(0.5 * ((y - tg) ** 2).sum() for y, tg in zip(ys, targets))
    E.backward()
    g = lambda hs: [np.zeros(h.shape) if h.grad is None else h.grad.numpy().copy()  # noqa: E731
                    for h in hs]
    f1, b1, h1 = kept[0]
    return doc, {"E": E.item(), "dh2": g(h2), "dh1": g(h1),
                 "y": [v.detach().numpy() for v in ys],
                 "dh1_total": [np.concatenate(p) for p in zip(g(f1), g(b1))],
                 "dW_hy": W_hy.grad.numpy(), "db_y": b_y.grad.numpy(),
                 "weights": {(k // 2 + 1, "→←"[k % 2], key): v.grad.numpy().reshape(-1)
                             for k, W in weights.items() for key, v in W.items()}}


def test_the_working_of_a_bidirectional_stacks_backward_pass():
    """What reaches the top states (W_hyᵀ·dE/dy_t), what layer 2 passes down to layer 1, the
    concatenations' note and the read-out's gradients: symbols, equations, notes and values."""
    doc, want = _two_layer_bidirectional()
    r = rnnquiz.solve(doc)
    steps = {s.symbol: s for s in r.steps}
    assert r.values["E"] == pytest.approx(want["E"], rel=1e-12)
    for t in range(3):
        top, down = steps[f"dE/dh^(2)_{t}"], steps[f"dE/dh^(1)_{t}"]
        np.testing.assert_allclose(top.value, want["dh2"][t], rtol=1e-12)
        np.testing.assert_allclose(down.value, want["dh1"][t], rtol=1e-12)
        assert (top.t, top.phase, top.equation) == (t, "backward", f"W_hyᵀ·dE/dy_{t}")
        assert (down.t, down.phase, down.equation) == \
            (t, "backward", "(dE/dx_t)^(2→) + (dE/dx_t)^(2←)")
        assert top.note == ("into both directions, the forward one first" if t == 2 else "")
        assert down.note == ("passed down from layer 2: what its input weights carry back"
                             if t == 2 else "")
        for k in (1, 2):
            cat = steps[f"h^({k})_{t}"]
            assert cat.note == ("both directions, the forward one first" if t == 0 else "")
            assert (cat.t, cat.phase, cat.equation) == \
                (t, "forward", f"[h^({k}→)_{t}; h^({k}←)_{t}]")
        y = steps[f"y_{t}"]
        assert (y.t, y.equation) == (t, f"W_hy·h^(2)_{t} + b_y")
        np.testing.assert_allclose(y.value, want["y"][t], rtol=1e-12)
    for (k, arrow, key), g in want["weights"].items():
        line = steps[f"dE/d{key}^({k}{arrow})"]
        assert line.phase == "gradient"
        np.testing.assert_allclose(np.reshape(line.value, -1), g, rtol=1e-12, atol=1e-15)
    assert steps["z^(2←)_1"].equation == "W_xh^(2←)·h^(1)_1 + W_hh^(2←)·h^(2←)_2 + b_h^(2←)"
    assert steps["z^(1←)_0"].equation == "W_xh^(1←)·x_0 + W_hh^(1←)·h^(1←)_1 + b_h^(1←)"
    assert steps["z^(2→)_0"].equation == \
        "W_xh^(2→)·h^(1)_0 + W_hh^(2→)·h^(2→)_{-1} + b_h^(2→)"
    dW, db = steps["dE/dW_hy"], steps["dE/db_y"]
    np.testing.assert_allclose(dW.value, want["dW_hy"], rtol=1e-12)
    np.testing.assert_allclose(db.value, want["db_y"], rtol=1e-12)
    assert (dW.phase, dW.equation) == ("gradient", "Σ_t dE/du_t·h^(2)_tᵀ")
    assert (db.phase, db.equation) == ("gradient", "Σ_t dE/du_t")
    np.testing.assert_allclose(r.values["dE/dW_hy"], want["dW_hy"], rtol=1e-12)
    np.testing.assert_allclose(r.values["dE/db_y"], want["db_y"], rtol=1e-12)


def test_readout_last_sends_the_top_gradient_to_where_each_direction_ends():
    """One output from [h^(2→)_2; h^(2←)_0]: only steps 2 (forward) and 0 (backward) get a
    gradient from above, written through the one dE/du_2."""
    doc, want = _two_layer_bidirectional("logistic", last=True)
    r = rnnquiz.solve(doc)
    top = [s for s in r.steps if s.symbol.startswith("dE/dh^(2)_")]
    assert [s.symbol for s in top] == ["dE/dh^(2)_0", "dE/dh^(2)_2"]
    assert [s.equation for s in top] == ["W_hyᵀ·dE/du_2"] * 2
    assert [s.note for s in top] == ["", "into both directions, the forward one first"]
    np.testing.assert_allclose(top[0].value, want["dh2"][0], rtol=1e-12)
    np.testing.assert_allclose(top[1].value, want["dh2"][2], rtol=1e-12)
    assert want["dh2"][0][0] == 0 and want["dh2"][2][1] == 0
    for steps in (True, False):       # layer 1's dE/dh: from above and through its recurrence
        got = rnnquiz.solve({**doc, "ask": {"quantity": "dE/dh", "layer": 1}}, steps=steps)
        np.testing.assert_allclose(got.answer, want["dh1_total"], rtol=1e-10, atol=1e-14)


def test_the_working_names_pytorchs_own_keys_for_each_layer_and_direction():
    """In the pytorch notation the working's gradient lines are the state_dict's names
    (dE/dweight_hh_l1_reverse), each with PyTorch's own gradient."""
    torch = pytest.importorskip("torch", reason="PyTorch is the oracle of this test")
    torch.manual_seed(8)
    m = torch.nn.LSTM(1, 1, num_layers=2, bidirectional=True)
    x = torch.randn(3, 1)
    out, _ = m(x)
    W = torch.randn(1, 2, requires_grad=True)
    target = torch.randn(3, 1)
    E = 0.5 * ((out @ W.T - target) ** 2).sum()
    E.backward()
    doc = {"type": "backprop", "cell": "lstm", "notation": "pytorch",
           "network": {**_state_dict(m), "W_hy": W.detach().numpy().tolist()},
           "inputs": x.numpy().tolist(), "targets": target.numpy().tolist()}
    lines = {s.symbol: s for s in rnnquiz.solve(doc).steps if s.phase == "gradient"}
    for key, param in m.named_parameters():
        np.testing.assert_allclose(np.reshape(lines[f"dE/d{key}"].value, -1),
                                   param.grad.numpy().reshape(-1), rtol=1e-10, atol=1e-13,
                                   err_msg=key)
    assert {"dE/dh_init_l1_reverse", "dE/dc_init_l0"} <= set(lines)


def _manual_stack(layers, x, step, state_keys):
    """A bidirectional stack run in torch step by step, every state kept with its gradient:
    {(layer, arrow, state key): [tensor per real step]}, and the top layer's concatenations."""
    torch = pytest.importorskip("torch", reason="PyTorch is the oracle of this test")
    xs, kept = [torch.tensor(v, dtype=torch.float64, requires_grad=True) for v in x], {}
    for k, layer in enumerate(layers, start=1):
        halves = []
        for arrow, name in (("→", "forward"), ("←", "backward")):
            P = layer[name]
            state = {s: torch.tensor(P.get(f"{s}_init", np.zeros(len(P[next(iter(P))]))),
                                     dtype=torch.float64) for s in state_keys}
            seq = []
            for v in (xs if arrow == "→" else xs[::-1]):
                state = step(P, v, state)
                for t_ in state.values():
                    t_.retain_grad()
                seq.append(state)
            seq = seq if arrow == "→" else seq[::-1]
            for s in state_keys:
                kept[(k, arrow, s)] = [st[s] for st in seq]
            halves.append([st["h"] for st in seq])
        xs = [torch.cat([u, v]) for u, v in zip(*halves)]
    return kept, xs


def _g(ts):
    return np.array([t.grad.numpy() for t in ts])


def test_a_deeplearning_ai_stack_answers_dE_da_of_each_layer_and_direction():
    """a^(l)_t = tanh(Wax a^(l-1)_t + Waa a^(l)_{t-1} + ba); ŷ = Wya a^(2)_t + by. The state
    is `a` in this notation: h, a, dE/da and dE/dh of any layer and direction are torch's."""
    torch = pytest.importorskip("torch", reason="PyTorch is the oracle of this test")
    rng = np.random.default_rng(12)
    r = lambda *s: np.round(rng.uniform(-1, 1, s), 2).tolist()     # noqa: E731
    layers = [{d: {"Wax": r(2, 2), "Waa": r(2, 2), "ba": r(2)} for d in ("forward", "backward")},
              {d: {"Wax": r(2, 4), "Waa": r(2, 2), "ba": r(2)} for d in ("forward", "backward")}]
    layers[1].update(Wya=r(1, 4), by=r(1))
    x, targets = r(3, 2), r(3, 1)

    def step(P, v, s):
        T = lambda k: torch.tensor(P[k], dtype=torch.float64)      # noqa: E731
        z = T("Wax") @ v + T("Waa") @ s["h"] + T("ba")
        return {"h": torch.tanh(z), "z": z}

    kept, top = _manual_stack(layers, x, step, ("h", "z"))
    W, b = (torch.tensor(layers[1][k], dtype=torch.float64) for k in ("Wya", "by"))
    ys = [W @ h + b for h in top]
    E = sum(0.5 * ((y - torch.tensor(tg)) ** 2).sum() for y, tg in zip(ys, targets))
    E.backward()
    doc = {"type": "backprop", "notation": "deeplearning_ai", "bidirectional": True,
           "network": layers, "inputs": x, "targets": targets}
    for steps in (True, False):
        for layer in (1, 2):
            both = np.concatenate([_g(kept[(layer, "→", "h")]), _g(kept[(layer, "←", "h")])], -1)
            states = np.concatenate([np.array([t.detach().numpy() for t in kept[(layer, a, "h")]])
                                     for a in "→←"], -1)
            dz = np.concatenate([_g(kept[(layer, "→", "z")]), _g(kept[(layer, "←", "z")])], -1)
            for q, want in (("a", states), ("dE/da", both), ("dE/dh", both), ("dE/dz", dz)):
                got = rnnquiz.solve({**doc, "ask": {"quantity": q, "layer": layer}},
                                    steps=steps).answer
                np.testing.assert_allclose(got, want, rtol=1e-10, atol=1e-13,
                                           err_msg=f"{q} layer {layer} steps={steps}")
            got = rnnquiz.solve({**doc, "ask": {"quantity": "dE/da", "layer": layer,
                                                "direction": "backward"}}, steps=steps).answer
            np.testing.assert_allclose(got, _g(kept[(layer, "←", "h")]), rtol=1e-10,
                                       atol=1e-13)
        res = rnnquiz.solve(doc, steps=steps)
        np.testing.assert_allclose(res.values["y"], [y.detach().numpy() for y in ys],
                                   rtol=1e-12)
        np.testing.assert_allclose(res.values["dE/dy"],
                                   [(y - torch.tensor(tg)).detach().numpy()
                                    for y, tg in zip(ys, targets)], rtol=1e-12, atol=1e-14)


def test_an_lstm_stacks_dE_dc_of_each_direction():
    """MIT's LSTM, two bidirectional layers; dE/dc (and dE/dh) of layer 1 against torch."""
    torch = pytest.importorskip("torch", reason="PyTorch is the oracle of this test")
    rng = np.random.default_rng(13)
    r = lambda *s: np.round(rng.uniform(-1, 1, s), 2).tolist()     # noqa: E731

    def layer(n_x):
        d = {f"W_{g}h": r(2, 2) for g in "fioc"}
        d.update({f"W_{g}x": r(2, n_x) for g in "fioc"})
        d.update({f"b_{g}": r(2) for g in "fioc"})
        return d
    layers = [{"forward": layer(1), "backward": layer(1)},
              {"forward": layer(4), "backward": layer(4), "W_hy": r(1, 4)}]
    x, targets = r(3, 1), r(3, 1)

    def step(P, v, s):
        T = lambda k: torch.tensor(P[k], dtype=torch.float64)      # noqa: E731
        pre = {g: T(f"W_{g}h") @ s["h"] + T(f"W_{g}x") @ v + T(f"b_{g}") for g in "fioc"}
        c = torch.sigmoid(pre["f"]) * s["c"] + torch.sigmoid(pre["i"]) * torch.tanh(pre["c"])
        return {"c": c, "h": torch.sigmoid(pre["o"]) * torch.tanh(c)}

    kept, top = _manual_stack(layers, x, step, ("h", "c"))
    W = torch.tensor(layers[1]["W_hy"], dtype=torch.float64)
    E = sum(0.5 * ((W @ h - torch.tensor(tg)) ** 2).sum() for h, tg in zip(top, targets))
    E.backward()
    doc = {"type": "backprop", "cell": "lstm", "notation": "mit", "bidirectional": True,
           "network": layers, "inputs": x, "targets": targets}
    for steps in (True, False):
        for q in ("c", "h"):
            want = np.concatenate([_g(kept[(1, a, q)]) for a in "→←"], -1)
            got = rnnquiz.solve({**doc, "ask": {"quantity": f"dE/d{q}", "layer": 1}},
                                steps=steps).answer
            np.testing.assert_allclose(got, want, rtol=1e-10, atol=1e-13, err_msg=q)
            got = rnnquiz.solve({**doc, "ask": {"quantity": f"dE/d{q}", "layer": 1,
                                                "direction": "forward"}}, steps=steps).answer
            np.testing.assert_allclose(got, _g(kept[(1, "→", q)]), rtol=1e-10, atol=1e-13)


def test_goodfellows_lstm_keys_are_marked_whole():
    """Goodfellow's keys W and W_f, b and b_f: each is marked as a whole key (W_f^(←), never
    W^(←)_f), and the backward direction's steps count down from T = 2 (steps from 1)."""
    rng = np.random.default_rng(0)
    r = lambda *s: rng.normal(0, 0.5, s).tolist()       # noqa: E731
    d = {k: r(2, 2) for k in ("U_f", "W_f", "U_g", "W_g", "U_o", "W_o", "U", "W")}
    d.update({k: r(2) for k in ("b_f", "b_g", "b_o", "b")})
    doc = {"type": "lstm", "notation": "goodfellow", "bidirectional": True,
           "network": {"forward": d, "backward": d, "V": r(1, 4)}, "inputs": r(2, 2)}
    res = rnnquiz.solve(doc)
    eqs = {s.symbol: s.equation for s in res.steps}
    # an `lstm` problem answers with the top states h (both directions), not an output
    assert res.extra["quantity"] == "h"
    np.testing.assert_allclose(res.answer, np.asarray(res.values["h"], dtype=float), rtol=0)
    assert eqs["z^f^(1)^(←)"] == "W_f^(←)·h^(←)^(2) + U_f^(←)·x^(1) + b_f^(←)"
    assert eqs["z^s̃^(1)^(←)"] == "W^(←)·h^(←)^(2) + U^(←)·x^(1) + b^(←)"
    assert eqs["z^q^(2)^(→)"] == "W_o^(→)·h^(→)^(1) + U_o^(→)·x^(2) + b_o^(→)"


def test_a_long_rounded_stack_shows_its_first_and_last_steps_as_numbers():
    """T = 205 with `round: 3` is solved step by step (rounding), and its working keeps the
    first three and the last two steps of every layer; a network written with numbers shows
    numbers, not 1-element arrays. The answer is numpy's, rounding to 3 places throughout."""
    x = [float(v) for v in np.round(np.sin(np.arange(205)), 2)]
    doc = {"type": "forward", "notation": "hinton", "round": 3, "inputs": x,
           "network": [{"hidden": "tanh", "W_xh": 0.5, "W_hh": -0.3, "b_h": 0.1},
                       {"hidden": "tanh", "W_xh": 0.8, "W_hh": 0.2, "b_h": -0.1,
                        "W_hy": 1.5, "b_y": 0.2}], "ask": {"quantity": "y"}}
    a = b = 0.0
    ys = []
    for v in x:
        a = np.round(np.tanh(np.round(0.5 * v - 0.3 * a + 0.1, 3)), 3)
        b = np.round(np.tanh(np.round(0.8 * a + 0.2 * b - 0.1, 3)), 3)
        ys.append(np.round(1.5 * b + 0.2, 3))
    r = rnnquiz.solve(doc)
    assert r.answer == pytest.approx(ys, abs=1e-12)
    layer_steps = [s for s in r.steps if "^(" in s.symbol]
    assert {s.t for s in layer_steps} == {0, 1, 2, 203, 204}
    assert len(layer_steps) == 5 * 4                   # z and h of two layers at five steps
    h = next(s for s in layer_steps if s.symbol == "h^(2)_204")
    assert isinstance(h.value, float) and h.value == pytest.approx(b, abs=1e-12)


def test_a_d2l_bidirectional_layer_reads_out_with_W_hq_as_written():
    """d2l's row layout: O_t = H_t W_hq + b_q, W_hq of shape (2h, q). PyTorch's nn.RNN gives
    H_t; the working writes W_hq as the file does, and dE/dW_hq has W_hq's shape."""
    torch = pytest.importorskip("torch", reason="PyTorch is the oracle of this test")
    torch.manual_seed(6)
    m = torch.nn.RNN(2, 2, bidirectional=True)
    x = torch.randn(3, 2)
    H, _ = m(x)
    W_hq = torch.randn(4, 3, requires_grad=True)
    b_q = torch.randn(3, requires_grad=True)
    O = H @ W_hq + b_q
    target = torch.randn(3, 3)
    E = 0.5 * ((O - target) ** 2).sum()
    E.backward()
    sd = {k: v.detach().numpy() for k, v in m.state_dict().items()}

    def direction(sfx):
        return {"hidden": "tanh", "W_xh": sd[f"weight_ih_l0{sfx}"].T.tolist(),
                "W_hh": sd[f"weight_hh_l0{sfx}"].T.tolist(),
                "b_h": (sd[f"bias_ih_l0{sfx}"] + sd[f"bias_hh_l0{sfx}"]).tolist()}
    doc = {"type": "backprop", "notation": "d2l", "bidirectional": True,
           "network": {"forward": direction(""), "backward": direction("_reverse"),
                       "W_hq": W_hq.detach().numpy().tolist(),
                       "b_q": b_q.detach().numpy().tolist()},
           "inputs": x.numpy().tolist(), "targets": target.numpy().tolist()}
    for steps in (True, False):
        res = rnnquiz.solve(doc, steps=steps)
        np.testing.assert_allclose(res.values["y"], O.detach().numpy(), rtol=1e-12)
        np.testing.assert_allclose(res.values["dE/dW_hq"], W_hq.grad.numpy(), rtol=1e-10)
        np.testing.assert_allclose(res.values["dE/db_q"], b_q.grad.numpy(), rtol=1e-10)
    lines = {s.symbol: s for s in rnnquiz.solve(doc).steps}
    o1 = next(s for s in lines.values() if s.t == 1 and "W_hq" in s.equation
              and s.phase == "forward")
    np.testing.assert_allclose(o1.operands[1], W_hq.detach().numpy(), rtol=0)
    np.testing.assert_allclose(lines["dE/dW_hq"].value, W_hq.grad.numpy(), rtol=1e-10)


def test_a_deeplearning_ai_stack_writes_its_state_a_with_the_steps_from_1():
    """The state is a<t>, steps from 1: layer 2's backward direction at step 1 reads
    a^(2←)<2> and layer 1's concatenation a^(1)<1>; numbers by hand (no biases, a<0> = 0)."""
    doc = {"type": "forward", "notation": "deeplearning_ai", "bidirectional": True,
           "inputs": [1, -1],
           "network": [{"forward": {"Wax": 0.5, "Waa": -0.3},
                        "backward": {"Wax": -0.4, "Waa": 0.6}},
                       {"forward": {"Wax": [[0.5, 1]], "Waa": -0.3},
                        "backward": {"Wax": [[-0.4, 1]], "Waa": 0.6}, "Wya": [[1.0, -1.0]]}]}
    lines = {s.symbol: s for s in rnnquiz.solve(doc).steps}
    f1 = np.tanh(0.5)
    b2 = np.tanh(-0.4 * -1)
    b1 = np.tanh(-0.4 * 1 + 0.6 * b2)
    cat = lines["a^(1)<1>"]
    assert (cat.t, cat.equation) == (1, "[a^(1→)<1>; a^(1←)<1>]")
    np.testing.assert_allclose(cat.value, [f1, b1], rtol=1e-14)
    assert lines["z^(2←)<1>"].equation == "Waa^(2←)·a^(2←)<2> + Wax^(2←)·a^(1)<1> + ba^(2←)"
    assert lines["z^(1←)<2>"].equation == "Waa^(1←)·a^(1←)<3> + Wax^(1←)·x<2> + ba^(1←)"


def test_gradients_from_above_into_a_bidirectional_stack():
    """`upstream: {h: ...}` (CS231n's backward): the gradient into the top states [→h; ←h]
    at every step, no loss; PyTorch's GRU with E = Σ_t upstream_t·out_t gives the same."""
    torch = pytest.importorskip("torch", reason="PyTorch is the oracle of this test")
    torch.manual_seed(14)
    m = torch.nn.GRU(2, 2, num_layers=2, bidirectional=True)
    x = torch.randn(3, 2, requires_grad=True)
    out, _ = m(x)
    G = torch.randn(3, 4)
    (out * G).sum().backward()
    doc = {"type": "backprop", "cell": "gru", "notation": "pytorch", "network": _state_dict(m),
           "inputs": x.detach().numpy().tolist(), "upstream": {"h": G.numpy().tolist()}}
    for steps in (True, False):
        for key in ("weight_hh_l1_reverse", "weight_ih_l0", "bias_hh_l0_reverse"):
            got = rnnquiz.solve({**doc, "ask": {"quantity": f"dE/d{key}"}}, steps=steps).answer
            np.testing.assert_allclose(got, getattr(m, key).grad.numpy(), rtol=1e-10,
                                       atol=1e-13, err_msg=key)
        got = rnnquiz.solve({**doc, "ask": {"quantity": "dE/dx"}}, steps=steps).answer
        np.testing.assert_allclose(got, x.grad.numpy(), rtol=1e-10, atol=1e-13)


def test_readout_last_in_a_notation_counting_from_1():
    """d2l numbers the steps from 1: with T = 3 the one output is at step 3, and what reaches
    the top states is written at steps 3 (→) and 1 (←), through dE/dy_3."""
    layer = lambda a, b: {"W_xh": [[a]], "W_hh": [[b]]}      # noqa: E731
    doc = {"type": "backprop", "notation": "d2l", "bidirectional": True, "readout": "last",
           "inputs": [[1], [-1], [2]], "targets": [0.5],
           "network": [{"forward": layer(0.5, -0.3), "backward": layer(-0.4, 0.6)},
                       {"forward": {"W_xh": [[0.5], [1]], "W_hh": [[-0.3]]},
                        "backward": {"W_xh": [[-0.4], [1]], "W_hh": [[0.6]]},
                        "W_hq": [[1.0], [-1.0]]}]}

    def run(xs, a, b):
        h, out = np.zeros(1), []
        for v in xs:
            h = np.tanh(np.atleast_1d(v) @ np.atleast_2d(a) + h * b)
            out.append(h)
        return out
    xs = [np.array(v, dtype=float) for v in doc["inputs"]]
    for k, (fa, fb, ba, bb) in enumerate(((0.5, -0.3, -0.4, 0.6),
                                           ([[0.5, 1]], -0.3, [[-0.4, 1]], 0.6))):
        fa, ba = (np.array(w, dtype=float).reshape(-1, 1) for w in (fa, ba))
        f, b = run(xs, fa, fb), run(xs[::-1], ba, bb)[::-1]
        xs = [np.concatenate([u, v]) for u, v in zip(f, b)]
    y = xs[-1][0] - xs[0][1]                          # W_hq·[→h_3; ←h_1]
    lines = [s for s in rnnquiz.solve(doc).steps if s.symbol.startswith("dE/dH^(2)_")]
    assert [(s.symbol, s.t, s.equation) for s in lines] == [
        ("dE/dH^(2)_1", 1, "W_hqᵀ·dE/dy_3"), ("dE/dH^(2)_3", 3, "W_hqᵀ·dE/dy_3")]
    np.testing.assert_allclose(lines[0].value, [0, -(y - 0.5)], rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(lines[1].value, [y - 0.5, 0], rtol=1e-12, atol=1e-15)


@pytest.mark.parametrize("steps", [True, False])
def test_a_hinton_stack_without_read_out_keys_reads_out_zeros_in_a_batch(steps):
    # N = 3 examples, T = 4 steps, 2 units a layer, 1 input: every size differs, so the
    # width of the zero read-out must be the top layer's units (the last axis of the states)
    rng = np.random.default_rng(1)
    x = rng.normal(size=(3, 4, 1)).round(2)
    W1, U1, b1 = np.array([[0.5], [-0.4]]), np.array([[0.1, 0.2], [-0.3, 0.2]]), np.array([0.1, 0.0])
    W2, U2 = np.array([[0.8, 0.1], [0.3, -0.2]]), np.array([[0.2, 0.0], [0.1, 0.3]])
    net = [{"hidden": "tanh", "W_xh": W1.tolist(), "W_hh": U1.tolist(), "b_h": b1.tolist()},
           {"hidden": "tanh", "W_xh": W2.tolist(), "W_hh": U2.tolist()}]
    doc = {"type": "forward", "notation": "hinton", "network": net, "inputs": x.tolist(),
           "batch": True}
    y = rnnquiz.solve({**doc, "ask": {"quantity": "y"}}, steps=steps).answer
    assert np.asarray(y, dtype=float).shape == (3, 4, 1)
    assert not np.any(np.asarray(y, dtype=float))
    # the top layer's states, numpy written here
    h1, h2 = np.zeros((3, 2)), np.zeros((3, 2))
    want = []
    for t in range(4):
        h1 = np.tanh(x[:, t] @ W1.T + h1 @ U1.T + b1)
        h2 = np.tanh(h1 @ W2.T + h2 @ U2.T)
        want.append(h2)
    got = rnnquiz.solve({**doc, "ask": {"quantity": "h"}}, steps=steps).answer
    np.testing.assert_allclose(np.asarray(got, dtype=float), np.stack(want, axis=1),
                               rtol=1e-13, atol=1e-15)


def test_a_keras_gru_stack_writes_its_candidate_reset_after():
    # Keras' GRU (reset_after): ĥ's pre-activation x k_h + b0_h + r ⊙ (h rk_h + b1_h), z and
    # h = z h_prev + (1 - z) ĥ, numpy written here; the working of layer 1 at step 1
    k, rk = np.array([0.5, -0.3, 0.2]), np.array([0.1, 0.4, -0.6])
    b0, b1 = np.array([0.1, 0.2, 0.3]), np.array([0.0, -0.1, 0.25])
    l1 = {"kernel": [k.tolist()], "recurrent_kernel": [rk.tolist()],
          "bias": [b0.tolist(), b1.tolist()]}
    l2 = {"kernel": [[0.3, 0.2, -0.4]], "recurrent_kernel": [[0.2, -0.1, 0.5]],
          "bias": [[0.0, 0.1, -0.2], [0.3, 0.0, 0.15]]}
    doc = {"type": "gru", "notation": "keras", "network": [l1, l2], "inputs": [[1.0], [0.5]]}
    sig = lambda v: 1 / (1 + np.exp(-v))   # noqa: E731
    h, pre = 0.0, None
    for x in (1.0, 0.5):
        z = sig(x * k[0] + b0[0] + h * rk[0] + b1[0])
        r = sig(x * k[1] + b0[1] + h * rk[1] + b1[1])
        pre = x * k[2] + b0[2] + r * (h * rk[2] + b1[2])
        h = z * h + (1 - z) * np.tanh(pre)
    line = next(s for s in rnnquiz.solve(doc).to_json()["steps"] if s["symbol"] == "a^ĥ_1^(1)")
    assert line["equation"] == ("x_1·kernel^(1)_h + bias^(1)[0]_h + "
                                "r^(1)_1⊙(h^(1)_0·recurrent_kernel^(1)_h + bias^(1)[1]_h)")
    np.testing.assert_allclose(line["value"], [pre], rtol=1e-14)


def _torch_stack(seed: int):
    """Two layers of 2 units on 3 inputs of 2, y_t = W_hy h^(2)_t + b_y, squared loss. The
    layers are run by hand on nn.RNN's weights (checked against nn.RNN), so that dE/dh_t
    through time is each state's own gradient."""
    torch = pytest.importorskip("torch", reason="PyTorch is the oracle of this test")
    torch.manual_seed(seed)
    m = torch.nn.RNN(2, 2, num_layers=2)
    x = torch.randn(3, 2, requires_grad=True)
    P = dict(m.named_parameters())
    below, top = x, []
    for k in (0, 1):
        h, states = torch.zeros(2), []
        for t in range(3):
            h = torch.tanh(P[f"weight_ih_l{k}"] @ below[t] + P[f"bias_ih_l{k}"]
                           + P[f"weight_hh_l{k}"] @ h + P[f"bias_hh_l{k}"])
            h.retain_grad()
            states.append(h)
        below, top = states, states
    out = torch.stack(top)
    torch.testing.assert_close(out, m(x)[0], rtol=1e-14, atol=1e-15)
    W = torch.randn(1, 2, requires_grad=True)
    b = torch.randn(1, requires_grad=True)
    y = out @ W.T + b
    y.retain_grad()
    targets = torch.tensor([[0.5], [-0.25], [0.125]])
    E = 0.5 * ((y - targets) ** 2).sum()
    E.backward()
    dh = np.array([h.grad.numpy() for h in top])
    return m, x, dh, W, b, y, targets


def test_every_per_step_quantity_of_a_stack_at_one_step():
    m, x, dh, W, b, y, targets = _torch_stack(3)
    net = {**_state_dict(m), "W_hy": W.detach().numpy().tolist(),
           "b_y": b.detach().numpy().tolist()}
    doc = {"type": "backprop", "cell": "rnn", "notation": "pytorch", "network": net,
           "inputs": x.detach().numpy().tolist(), "targets": targets.numpy().tolist()}
    want = {"y": y.detach().numpy(), "dE/dy": y.grad.numpy(), "dE/dh": dh,
            "dE/dx": x.grad.numpy()}
    for steps in (True, False):
        for q, seq in want.items():
            for t in (0, 2):
                got = rnnquiz.solve({**doc, "ask": {"quantity": q, "t": t}}, steps=steps).answer
                np.testing.assert_allclose(got, seq[t], rtol=1e-10, atol=1e-13,
                                           err_msg=f"{q} t={t} steps={steps}")
        with pytest.raises(ProblemError, match="per-step"):
            rnnquiz.solve({**doc, "ask": {"quantity": "dE/dW_hy", "t": 1}}, steps=steps)


def test_a_deeplearning_ai_stacks_dE_da_at_one_step():
    """The state is `a` in this notation: dE/da_t of the top layer is torch's dE/dh_t."""
    m, x, dh, W, b, y, targets = _torch_stack(5)
    P = {k: v.detach().numpy() for k, v in m.state_dict().items()}
    layers = [{"Wax": P[f"weight_ih_l{k}"].tolist(), "Waa": P[f"weight_hh_l{k}"].tolist(),
               "ba": (P[f"bias_ih_l{k}"] + P[f"bias_hh_l{k}"]).tolist()} for k in (0, 1)]
    layers[1].update(Wya=W.detach().numpy().tolist(), by=b.detach().numpy().tolist())
    doc = {"type": "backprop", "notation": "deeplearning_ai", "network": layers,
           "inputs": x.detach().numpy().tolist(), "targets": targets.numpy().tolist()}
    for steps in (True, False):
        for t in (1, 3):                      # this notation counts its steps from 1
            got = rnnquiz.solve({**doc, "ask": {"quantity": "dE/da", "t": t}},
                                steps=steps).answer
            np.testing.assert_allclose(got, dh[t - 1], rtol=1e-10, atol=1e-13)


def test_a_stack_without_a_read_out_answers_its_top_states_as_y_at_one_step():
    torch = pytest.importorskip("torch", reason="PyTorch is the oracle of this test")
    torch.manual_seed(7)
    m = torch.nn.RNN(2, 2, num_layers=2)
    x = torch.randn(3, 2)
    out, _ = m(x)
    doc = {"type": "forward", "notation": "pytorch", "network": _state_dict(m),
           "inputs": x.numpy().tolist()}
    for steps in (True, False):
        for t in (0, 2):
            got = rnnquiz.solve({**doc, "ask": {"quantity": "y", "t": t}}, steps=steps).answer
            np.testing.assert_allclose(got, out.detach().numpy()[t], rtol=1e-12)


def test_the_graph_of_a_stack_labels_each_layers_states_with_their_values():
    """`--format dot` draws every layer's h_t with its value: layer 1's are nn.RNN's h_n[0]
    path, read here from a one-layer nn.RNN on the same weights."""
    torch = pytest.importorskip("torch", reason="PyTorch is the oracle of this test")
    import io

    from rnnquiz.render.dot import render_dot

    torch.manual_seed(9)
    m = torch.nn.RNN(1, 2, num_layers=2)
    x = torch.tensor([[0.5], [-1.0]])
    first = torch.nn.RNN(1, 2)
    first.load_state_dict({k[:-1] + "0": v for k, v in m.state_dict().items() if k.endswith("l0")})
    h1 = first(x)[0].detach().numpy()
    doc = {"type": "forward", "notation": "pytorch", "network": _state_dict(m),
           "inputs": x.numpy().tolist()}
    out = io.StringIO()
    render_dot(rnnquiz.solve(doc), out)
    text = out.getvalue()
    for t in range(2):
        for i in range(2):
            label = f"h^(1)_{t}[{i + 1}]\\n"
            at = text.index(label) + len(label)
            shown = float(text[at:text.index('"', at)])
            assert shown == pytest.approx(h1[t, i], abs=1e-3), (t, i)


@pytest.mark.parametrize("layers", [1, 2])
def test_a_hinton_stack_without_read_out_keys_takes_one_target_a_step(layers):
    # Hinton's notation reads out with W_hy = 0 when the file gives none, one output wide, as
    # a one-layer network does: y_t = 0, so E = Σ_t t_t²/2 and every weight's gradient is 0
    net = [{"hidden": "tanh", "W_xh": [[0.5], [-0.4]], "W_hh": [[0.1, 0.2], [-0.3, 0.2]]},
           {"hidden": "tanh", "W_xh": [[0.8, 0.1], [0.3, -0.2]],
            "W_hh": [[0.2, 0.0], [0.1, 0.3]]}][:layers]
    doc = {"type": "backprop", "notation": "hinton", "network": net, "inputs": [[1.0], [0.5]],
           "targets": [1.0, -2.0], "ask": {"quantity": "E"}}
    for steps in (True, False):
        assert rnnquiz.solve(doc, steps=steps).answer == 2.5
    with pytest.raises(rnnquiz.ProblemError, match=r"output size is 1"):
        rnnquiz.solve({**doc, "targets": [[1.0, 0.0], [0.0, 1.0]]})


X = [[1.0], [-1.0], [2.0]]
TARGETS = [[0.5], [0.1], [0.2]]


def _d2l_stack(kind="backprop"):
    return {"type": kind, "notation": "d2l", "inputs": X, "targets": TARGETS,
            "network": [{"W_xh": [[0.5]], "W_hh": [[-0.3]]},
                        {"W_xh": [[0.7]], "W_hh": [[0.2]], "W_hq": [[1.5]]}]}


def _numpy_stack(x, w1=(0.5, -0.3), w2=(0.7, 0.2), v=1.5):
    h1 = h2 = 0.0
    H2, Y = [], []
    for xt in x:
        h1 = np.tanh(xt * w1[0] + h1 * w1[1])
        h2 = np.tanh(h1 * w2[0] + h2 * w2[1])
        H2.append(h2)
        Y.append(v * h2)
    return np.array(H2), np.array(Y)


def test_a_d2l_stack_numbers_its_steps_from_1():
    steps = rnnquiz.solve(_d2l_stack()).steps
    _, Y = _numpy_stack([1.0, -1.0, 2.0])
    ys = [(s.symbol, s.t) for s in steps if s.symbol.startswith("y_")]
    assert ys == [("y_1", 1), ("y_2", 2), ("y_3", 3)]
    zs = [(s.symbol, s.t) for s in steps if s.symbol.startswith("z^(2)_")]
    assert zs == [("z^(2)_1", 1), ("z^(2)_2", 2), ("z^(2)_3", 3)]
    lines = {s.symbol: s for s in steps}
    for t in (1, 2, 3):
        np.testing.assert_allclose(lines[f"y_{t}"].value, [Y[t - 1]], rtol=1e-13)
    down = [(s.symbol, s.t) for s in steps if s.equation == "(dE/dx_t)^(2)"]
    assert down == [("dE/dH^(1)_1", 1), ("dE/dH^(1)_2", 2), ("dE/dH^(1)_3", 3)]


def test_a_bidirectional_d2l_stack_reads_out_last_at_step_T():
    layer = lambda a, b: {"W_xh": [[a]], "W_hh": [[b]]}      # noqa: E731
    doc = {"type": "forward", "notation": "d2l", "bidirectional": True, "readout": "last",
           "inputs": X,
           "network": [{"forward": layer(0.5, -0.3), "backward": layer(-0.4, 0.6)},
                       {"forward": {"W_xh": [[0.5], [1]], "W_hh": [[-0.3]]},
                        "backward": {"W_xh": [[-0.4], [1]], "W_hh": [[0.6]]},
                        "W_hq": [[1.0], [-1.0]]}]}
    ys = [(s.symbol, s.t, s.equation) for s in rnnquiz.solve(doc).steps
          if s.symbol.startswith("y")]
    assert ys == [("y_3", 3, "[H^(2→)_3; H^(2←)_1]·W_hq + b_q")]
    every = rnnquiz.solve({**doc, "readout": "every"}).steps
    assert [(s.symbol, s.t) for s in every if s.symbol.startswith("y")] == [
        ("y_1", 1), ("y_2", 2), ("y_3", 3)]
    zs = [(s.symbol, s.t) for s in rnnquiz.solve(doc).steps if s.symbol.startswith("z^(1←)")]
    assert zs == [("z^(1←)_3", 3), ("z^(1←)_2", 2), ("z^(1←)_1", 1)]


@pytest.mark.parametrize("reduction", ["mean", "sum"])
def test_a_stacks_loss_scaled_on_the_vectorised_path(reduction):
    # E = scale · Σ_t ½(y_t - target_t)², scale 1/T for mean; dE/dW_hq by hand-written numpy
    doc = {**_d2l_stack(), "reduction": reduction}
    H2, Y = _numpy_stack([1.0, -1.0, 2.0])
    tg = np.array(TARGETS)[:, 0]
    scale = 1 / 3 if reduction == "mean" else 1.0
    want_E = scale * 0.5 * np.sum((Y - tg) ** 2)
    want_dV = scale * np.sum((Y - tg) * H2)
    for steps in (True, False):
        E = rnnquiz.solve({**doc, "ask": {"quantity": "E"}}, steps=steps).answer
        np.testing.assert_allclose(E, want_E, rtol=1e-12)
        dV = rnnquiz.solve({**doc, "ask": {"quantity": "dE/dW_hq"}}, steps=steps).answer
        np.testing.assert_allclose(np.ravel(dV), [want_dV], rtol=1e-12)
        dy = rnnquiz.solve({**doc, "ask": {"quantity": "dE/dy"}}, steps=steps).answer
        np.testing.assert_allclose(np.ravel(dy), scale * (Y - tg), rtol=1e-12)


def test_a_masked_mean_on_the_vectorised_path_divides_by_the_kept_steps():
    doc = {**_d2l_stack(), "reduction": "mean", "mask": [1, 0, 1]}
    _, Y = _numpy_stack([1.0, -1.0, 2.0])
    tg = np.array(TARGETS)[:, 0]
    want = 0.5 * ((Y[0] - tg[0]) ** 2 + (Y[2] - tg[2]) ** 2) / 2
    for steps in (True, False):
        E = rnnquiz.solve({**doc, "ask": {"quantity": "E"}}, steps=steps).answer
        np.testing.assert_allclose(E, want, rtol=1e-12)


def test_the_embedding_gradient_of_a_one_way_stack():
    # tokens 0, 2, 1: x_t = embedding[token]; dE/dembedding row j = Σ_{t: token_t = j} dE/dx_t
    emb = np.array([[0.5], [-1.0], [0.3]])
    tokens = [0, 2, 2]                 # reversed, a different sequence
    doc = {"type": "backprop", "notation": "hinton", "inputs": tokens, "targets": TARGETS,
           "network": [{"hidden": "tanh", "embedding": emb.tolist(), "W_xh": [[0.5]], "W_hh": [[-0.3]]},
                       {"hidden": "tanh", "W_xh": [[0.7]], "W_hh": [[0.2]], "W_hy": [[1.5]]}]}
    torch = pytest.importorskip("torch", reason="PyTorch is the oracle of this test")
    E_ = torch.tensor(emb, requires_grad=True)
    h1 = h2 = torch.zeros(1, dtype=torch.float64)
    loss = 0
    for t, j in enumerate(tokens):
        h1 = torch.tanh(E_[j] * 0.5 + h1 * -0.3)
        h2 = torch.tanh(h1 * 0.7 + h2 * 0.2)
        loss = loss + 0.5 * (1.5 * h2 - TARGETS[t][0]) ** 2
    loss.sum().backward()
    for steps in (True, False):
        got = rnnquiz.solve({**doc, "ask": {"quantity": "dE/dembedding", "layer": 1}}, steps=steps).answer
        np.testing.assert_allclose(np.asarray(got, dtype=float), E_.grad.numpy(), rtol=1e-12,
                                   atol=1e-15)


@pytest.mark.parametrize("steps", [True, False])
def test_a_one_step_stack_without_read_out_takes_its_loss_on_the_states(steps):
    # MIT's simple RNN has no read-out: E = ½(s^(2)_1 - target)², T = 1, by hand
    doc = {"type": "backprop", "notation": "mit", "inputs": [[1.0]], "targets": [[0.5]],
           "network": [{"hidden": "tanh", "W_sx": [[0.5]], "W_ss": [[-0.3]]},
                       {"hidden": "tanh", "W_sx": [[0.7]], "W_ss": [[0.2]]}]}
    s1 = np.tanh(0.5)
    s2 = np.tanh(0.7 * s1)
    E = rnnquiz.solve({**doc, "ask": {"quantity": "E"}}, steps=steps).answer
    np.testing.assert_allclose(E, 0.5 * (s2 - 0.5) ** 2, rtol=1e-13)
    got = rnnquiz.solve({**doc, "ask": {"quantity": "dE/dW_sx", "layer": 1}}, steps=steps).answer
    want = (s2 - 0.5) * (1 - s2 ** 2) * 0.7 * (1 - s1 ** 2) * 1.0
    np.testing.assert_allclose(np.ravel(got), [want], rtol=1e-12)


def test_a_column_layout_stack_shows_W_hy_as_written():
    # Hinton's column layout: y_t = W_hy h^(2)_t, W_hy (1, 2) shown as the file wrote it
    W1, U1 = np.array([[0.5], [0.2]]), np.array([[-0.3, 0.1], [0.2, 0.4]])
    W2, U2 = np.array([[0.7, 0.1], [0.3, -0.2]]), np.array([[0.2, 0.0], [0.0, 0.1]])
    doc = {"type": "forward", "notation": "hinton", "inputs": [[1.0], [0.5]],
           "network": [{"hidden": "tanh", "W_xh": W1.tolist(), "W_hh": U1.tolist()},
                       {"hidden": "tanh", "W_xh": W2.tolist(), "W_hh": U2.tolist(),
                        "W_hy": [[1.5, -2.0]]}]}
    h2 = np.tanh(W2 @ np.tanh(W1 @ [1.0]))
    line = next(s for s in rnnquiz.solve(doc).to_json()["steps"] if s["symbol"] == "y_0")
    assert line["working"].startswith("[[1.5, -2]]·")
    np.testing.assert_allclose(line["value"], [1.5 * h2[0] - 2.0 * h2[1]], rtol=1e-13)


def test_a_stack_truncated_beyond_its_length_gives_the_full_gradient():
    # truncate: 5 with T = 3 cuts nothing: dE/dW_hh of layer 1 as autograd's full BPTT
    torch = pytest.importorskip("torch", reason="PyTorch is the oracle of this test")
    doc = {**_d2l_stack(), "truncate": 5}
    w = torch.tensor([0.5, -0.3, 0.7, 0.2], dtype=torch.float64, requires_grad=True)
    h1 = h2 = torch.zeros((), dtype=torch.float64)
    E = 0
    for x, tg in zip([1.0, -1.0, 2.0], [0.5, 0.1, 0.2]):
        h1 = torch.tanh(x * w[0] + h1 * w[1])
        h2 = torch.tanh(h1 * w[2] + h2 * w[3])
        E = E + 0.5 * (1.5 * h2 - tg) ** 2
    E.backward()
    for steps in (True, False):
        got = rnnquiz.solve({**doc, "ask": {"quantity": "dE/dW_hh", "layer": 1}},
                            steps=steps).answer
        np.testing.assert_allclose(np.ravel(got), [w.grad[1].item()], rtol=1e-12)
