"""A stack (SPEC 1.9) whose layers ask for different LSTM variants (SPEC 1.15): the variant
words are network keys, so each layer, and each direction, is its own cell. torch builds the
stack layer by layer from SPEC 1.3/1.15's equations (tests/oracles/lstm.py) and is the oracle
of every value and gradient."""

from __future__ import annotations

import numpy as np
import pytest

import rnnquiz
from conftest import run
from oracles.lstm import lstm_variant

GATES = ("f", "i", "o", "c", "r")


def _layer(rng, words: dict, n_x: int, n_h: int = 2) -> dict:
    """A layer in the mit notation's keys, with the keys its words ask for."""
    net = dict(words)
    for g in GATES:
        if g == "r" and not words.get("relevance_gate"):
            continue
        if not (g == "c" and words.get("recurrence") == "cell"):
            net[f"W_{g}h"] = rng.normal(0, 0.7, (n_h, n_h)).tolist()
        net[f"W_{g}x"] = rng.normal(0, 0.7, (n_h, n_x)).tolist()
        net[f"b_{g}"] = rng.normal(0, 0.5, n_h).tolist()
    return net


def _torch_layer(torch, net: dict, X, want_r: bool = False):
    """Every h_t (and r_t) of one layer, its words its own keys, zero initial states."""
    P = {k: torch.tensor(v, dtype=torch.float64) if isinstance(v, list) else v
         for k, v in net.items()}
    zero = torch.zeros(P["b_f"].shape[0], dtype=torch.float64)
    H, R = lstm_variant(torch, P, X, zero, zero, net)
    return (H, R) if want_r else H


MIXES = [
    [{"relevance_gate": True}, {}],
    [{}, {"relevance_gate": True}],
    [{"state_activation": "linear"}, {"relevance_gate": True}],
    [{"recurrence": "cell"}, {}, {"relevance_gate": True, "state_activation": "linear"}],
    [{}, {"recurrence": "cell", "state_activation": "linear"}],
]


@pytest.mark.parametrize("mix", MIXES, ids=lambda m: "|".join(",".join(w) or "plain" for w in m))
@pytest.mark.parametrize("steps", [True, False])
def test_each_layer_of_a_stack_runs_its_own_variant(mix, steps):
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(11)
    X = rng.normal(0, 1, (3, 2))
    layers, n_x = [], 2
    for words in mix:
        layers.append(_layer(rng, words, n_x))
        n_x = 2
    doc = {"type": "lstm", "notation": "mit", "network": layers, "inputs": X.tolist()}
    H = torch.tensor(X)
    per_layer = []
    for net in layers:
        H = _torch_layer(torch, net, H)
        per_layer.append(H)
    got = rnnquiz.solve({**doc, "ask": {"quantity": "h"}}, steps=steps).answer
    np.testing.assert_allclose(got, per_layer[-1].numpy(), rtol=1e-12, atol=1e-14)
    for k, words in enumerate(mix, start=1):
        got = rnnquiz.solve({**doc, "ask": {"quantity": "h", "layer": k}}, steps=steps).answer
        np.testing.assert_allclose(got, per_layer[k - 1].numpy(), rtol=1e-12, atol=1e-14)
        if words.get("relevance_gate"):
            below = torch.tensor(X) if k == 1 else per_layer[k - 2]
            _, R = _torch_layer(torch, layers[k - 1], below, want_r=True)
            got = rnnquiz.solve({**doc, "ask": {"quantity": "r", "layer": k}},
                                steps=steps).answer
            np.testing.assert_allclose(got, R.numpy(), rtol=1e-12, atol=1e-14)


@pytest.mark.parametrize("steps", [True, False])
def test_bptt_through_layers_of_different_variants_matches_autograd(steps):
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(23)
    X = rng.normal(0, 1, (3, 2))
    mix = [{"recurrence": "cell", "state_activation": "linear"}, {"relevance_gate": True}]
    layers = [_layer(rng, mix[0], 2), _layer(rng, mix[1], 2)]
    targets = rng.normal(0, 1, (3, 2))
    doc = {"type": "backprop", "cell": "lstm", "notation": "mit", "network": layers,
           "inputs": X.tolist(), "targets": targets.tolist()}
    leaves = [{k: torch.tensor(v, dtype=torch.float64, requires_grad=True)
               if isinstance(v, list) else v for k, v in net.items()} for net in layers]
    H = torch.tensor(X)
    for net in leaves:
        H = _torch_layer(torch, net, H)
    E = 0.5 * ((H - torch.tensor(targets)) ** 2).sum()      # SPEC 1.1's squared loss
    E.backward()
    assert rnnquiz.solve({**doc, "ask": {"quantity": "E"}}, steps=steps).answer == \
        pytest.approx(E.item(), rel=1e-12)
    for k, key in ((1, "W_fh"), (1, "W_cx"), (2, "W_rh"), (2, "W_ch"), (2, "b_o")):
        got = rnnquiz.solve({**doc, "ask": {"quantity": f"dE/d{key}", "layer": k}},
                            steps=steps).answer
        np.testing.assert_allclose(got, leaves[k - 1][key].grad.numpy(), rtol=1e-10,
                                   atol=1e-13)


@pytest.mark.parametrize("steps", [True, False])
def test_the_two_directions_of_a_layer_may_be_different_variants(steps):
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(7)
    X = rng.normal(0, 1, (3, 2))
    fwd, bwd = _layer(rng, {"relevance_gate": True}, 2), _layer(rng, {}, 2)
    doc = {"type": "lstm", "notation": "mit", "bidirectional": True,
           "network": [{"forward": fwd, "backward": bwd}], "inputs": X.tolist()}
    Hf, R = _torch_layer(torch, fwd, torch.tensor(X), want_r=True)
    Hb = _torch_layer(torch, bwd, torch.tensor(X[::-1].copy())).flip(0)
    got = rnnquiz.solve({**doc, "ask": {"quantity": "h"}}, steps=steps).answer
    np.testing.assert_allclose(got, torch.cat([Hf, Hb], dim=1).numpy(), rtol=1e-12)
    got = rnnquiz.solve({**doc, "ask": {"quantity": "r", "direction": "forward"}},
                        steps=steps).answer
    np.testing.assert_allclose(got, R.numpy(), rtol=1e-12)


def test_a_gate_the_asked_layer_lacks_is_refused_by_name(tmp_path):
    import yaml
    rng = np.random.default_rng(3)
    doc = {"type": "lstm", "notation": "mit", "inputs": [[1.0, 0.5]],
           "network": [_layer(rng, {"relevance_gate": True}, 2), _layer(rng, {}, 2)],
           "ask": {"quantity": "r", "layer": 2}}
    path = tmp_path / "mixed.yaml"
    path.write_text(yaml.safe_dump(doc))
    r = run("solve", str(path))
    assert r.exit_code == 2
    assert "ask.quantity" in r.output and "'r'" in r.output, r.output
