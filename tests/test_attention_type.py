"""type: attention end to end (SPEC 1.14): the bundled problems through `rnnquiz solve`, an
encoder network (an LSTM, a two-layer bidirectional GRU) run through the same working against
torch's nn.LSTM / nn.GRU, torch.bmm and torch.softmax, hand-worked weights, errors by key path."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest
import yaml

import rnnquiz
from conftest import PROBLEMS, run

FILES = ["cs224n_attention_step.yaml", "dlai_attention_context.yaml", "luong_lstm_encoder.yaml"]


@pytest.mark.parametrize("name", FILES)
def test_the_bundled_problems_agree(name):
    r = run("solve", str(PROBLEMS / name), "--json")
    assert r.exit_code == 0, r.output
    results = [json.loads(line) for line in r.stdout.splitlines() if line.strip()]
    assert results and all(x["agrees"] is True for x in results)


def test_luong_dot_by_hand():
    # q = [1, 0]: e = [1, 0]; α = [e, 1]/(1 + e); c = α (the values are the unit vectors)
    doc = {"type": "attention", "notation": "luong", "score": "dot", "query": [1.0, 0.0],
           "values": [[1.0, 0.0], [0.0, 1.0]]}
    a = math.e / (1 + math.e)
    assert rnnquiz.solve(doc).answer == pytest.approx([a, 1 - a], abs=1e-15)
    alpha = rnnquiz.solve({**doc, "ask": {"quantity": "alpha"}}).answer
    assert alpha == pytest.approx([a, 1 - a], abs=1e-15)
    assert rnnquiz.solve({**doc, "ask": {"quantity": "energies"}}).answer == [1.0, 0.0]


def _luong_doc():
    return next(yaml.safe_load_all((PROBLEMS / "luong_lstm_encoder.yaml").read_text()))


def test_the_lstm_encoder_against_torch():
    torch = pytest.importorskip("torch")
    doc = _luong_doc()
    enc, net = doc["encoder"], doc["network"]
    lstm = torch.nn.LSTM(2, 2, batch_first=True).double()
    with torch.no_grad():
        for k in ("weight_ih", "weight_hh", "bias_ih", "bias_hh"):
            getattr(lstm, f"{k}_l0").copy_(torch.tensor(enc["network"][k], dtype=torch.float64))
        H, _ = lstm(torch.tensor([enc["inputs"]], dtype=torch.float64))
        Wa = torch.tensor(net["W_a"], dtype=torch.float64)
        q = torch.tensor([doc["query"]], dtype=torch.float64)
        e = torch.bmm(H @ Wa.T, q.unsqueeze(2)).squeeze(2)
        a = torch.softmax(e, dim=1)
        c = torch.bmm(a.unsqueeze(1), H).squeeze(1)
        o = torch.tanh(torch.cat([c, q], 1) @ torch.tensor(net["W_c"], dtype=torch.float64).T)
    for quantity, want in (("energies", e), ("alpha", a), ("context", c), ("output", o)):
        got = rnnquiz.solve({**doc, "ask": {"quantity": quantity}}).answer
        np.testing.assert_allclose(got, want[0].numpy(), rtol=0, atol=1e-13)


def test_the_encoders_working_comes_first():
    r = rnnquiz.solve(_luong_doc())
    phases = [s.phase for s in r.steps]
    assert phases[0] == "forward"
    assert phases.index("energies") > max(i for i, p in enumerate(phases) if p == "forward")


def test_a_two_layer_bidirectional_gru_encoder_against_torch():
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(5)
    h, x = 2, 3
    gru = torch.nn.GRU(x, h, num_layers=2, bidirectional=True, batch_first=True).double()
    net = {}
    with torch.no_grad():
        for name, param in gru.named_parameters():
            value = np.round(rng.uniform(-0.8, 0.8, tuple(param.shape)), 2)
            param.copy_(torch.tensor(value))
            net[name] = value.tolist()
        X = np.round(rng.uniform(-1, 1, (4, x)), 2)
        H, _ = gru(torch.tensor(X[None]))           # (1, T, 2h): [→h_t; ←h_t] of layer 2
        q = torch.tensor([[0.5, -0.3, 0.2, 0.7]], dtype=torch.float64)
        e = torch.bmm(H, q.unsqueeze(2)).squeeze(2) / math.sqrt(4)
        a = torch.softmax(e, dim=1)
        c = torch.bmm(a.unsqueeze(1), H).squeeze(1)
    doc = {"type": "attention", "notation": "d2l", "score": "scaled_dot",
           "query": q[0].tolist(),
           "encoder": {"cell": "gru", "notation": "pytorch", "bidirectional": True,
                       "network": net, "inputs": X.tolist()}}
    np.testing.assert_allclose(rnnquiz.solve(doc).answer, c[0].numpy(), rtol=0, atol=1e-13)
    alpha = rnnquiz.solve({**doc, "ask": {"quantity": "alpha"}}).answer
    np.testing.assert_allclose(alpha, a[0].numpy(), rtol=0, atol=1e-13)


def test_several_decoder_steps_are_asked_from_1():
    doc = next(yaml.safe_load_all((PROBLEMS / "dlai_attention_context.yaml").read_text()))
    doc = {**doc, "energies": [[0.0, 1.0, 2.0], [2.0, 0.0, -1.0]]}
    z = math.exp(2) + 1 + math.exp(-1)          # the second row, by hand
    alpha2 = rnnquiz.solve({**doc, "ask": {"quantity": "alpha", "t": 2}}).answer
    assert alpha2 == pytest.approx([math.exp(2) / z, 1 / z, math.exp(-1) / z], abs=1e-15)
    every = rnnquiz.solve({**doc, "ask": {"quantity": "alpha"}}).answer
    assert len(every) == 2 and every[1] == pytest.approx(alpha2, abs=0)
    with pytest.raises(rnnquiz.ProblemError, match=r"ask\.t: expected a decoder step from 1 to 2"):
        rnnquiz.solve({**doc, "ask": {"quantity": "alpha", "t": 3}})


def test_energies_alone_give_the_weights():
    doc = {"type": "attention", "notation": "deeplearning_ai", "energies": [0.0, math.log(3)]}
    r = rnnquiz.solve(doc)
    assert r.extra["quantity"] == "alpha" and r.answer == pytest.approx([0.25, 0.75], abs=1e-15)
    with pytest.raises(rnnquiz.ProblemError, match=r"values: are missing"):
        rnnquiz.solve({**doc, "ask": {"quantity": "context"}})


def test_the_softmax_over_the_wrong_axis():
    torch = pytest.importorskip("torch")
    E = [[0.0, 1.0, 2.0], [2.0, 0.0, -1.0]]
    doc = {"type": "attention", "notation": "deeplearning_ai", "energies": E,
           "values": [[0.2, -0.1], [0.5, 0.3], [-0.4, 0.6]], "ask": {"quantity": "alpha"}}
    right = rnnquiz.solve(doc).answer
    from rnnquiz.types import solve
    slip = solve(doc, variants=frozenset({"softmax_axis"})).answer
    E_t = torch.tensor(E, dtype=torch.float64)
    np.testing.assert_allclose(right, torch.softmax(E_t, dim=1).numpy(), atol=1e-15)
    np.testing.assert_allclose(slip, torch.softmax(E_t, dim=0).numpy(), atol=1e-15)


@pytest.mark.parametrize("change, message", [
    ({"score": "dense"}, r"score: expected one of dot, scaled_dot, general, concat, additive"),
    ({"notation": "deeplearning_ai", "energies": [1.0, 2.0], "query": None, "score": "dot"},
     r"score: deeplearning_ai gives the energies"),
    ({"score": "additive"}, r"score: 'additive' is not a score of the luong notation"),
    ({"encoder": {"inputs": [[1.0]], "network": {"W_zz": 1}}, "values": None},
     r"encoder\.network"),
    ({"encoder": {"inputs": [[1.0]], "cells": "lstm"}, "values": None},
     r"encoder\.cells: unknown key for an encoder"),
    ({"encoder": [1, 2], "values": None}, r"encoder: expected a mapping"),
    ({"values": None}, r"values: missing"),
    ({"ask": {"quantity": "h"}}, r"ask\.quantity: attention has no quantity 'h'"),
])
def test_errors_name_the_key(change, message):
    doc = {"type": "attention", "notation": "luong", "score": "dot", "query": [1.0, 0.0],
           "values": [[1.0, 0.0], [0.0, 1.0]], **change}
    doc = {k: v for k, v in doc.items() if v is not None}
    with pytest.raises(rnnquiz.ProblemError, match=message):
        rnnquiz.solve(doc)


def test_an_encoder_error_on_the_command_line_names_file_line_and_key(tmp_path):
    text = (PROBLEMS / "luong_lstm_encoder.yaml").read_text()
    bad = text.replace("    bias_hh: [-0.6, -0.4, -0.2, 0.0, 0.5, 0.2, -0.2, -0.6]",
                       "    bias_hh: [-0.6, -0.4]")
    assert bad != text
    f = tmp_path / "bad.yaml"
    f.write_text(bad)
    r = run("solve", str(f))
    assert r.exit_code == 2
    line = 1 + bad.splitlines().index("    bias_hh: [-0.6, -0.4]")
    assert f"bad.yaml:{line}: encoder.network.bias_hh" in r.stderr, r.stderr
    assert "Traceback" not in r.stderr


def test_the_encoders_round_rounds_its_states_and_the_attention_reads_them():
    doc = {**_luong_doc(), "ask": {"quantity": "context"}}
    doc["encoder"] = {**doc["encoder"], "round": 2}
    r = rnnquiz.solve(doc)
    H = np.array([s.value for s in r.steps if s.symbol in ("h_0", "h_1", "h_2")])
    assert H.shape == (3, 2) and np.array_equal(H, np.round(H, 2))
    e = H @ np.array(doc["network"]["W_a"]).T @ np.array(doc["query"])
    alpha = np.exp(e) / np.exp(e).sum()
    np.testing.assert_allclose(r.answer, alpha @ H, rtol=0, atol=1e-15)


def test_an_unknown_or_empty_notation_is_an_error_by_key():
    # notation: '' once reached the notation table and ended in KeyError('')
    import rnnquiz
    for name in ("", "luongg"):
        doc = {"type": "attention", "notation": name, "energies": [0.0, 1.0],
               "values": [[0.2], [0.5]]}
        with pytest.raises(rnnquiz.ProblemError, match="notation"):
            rnnquiz.solve(doc)
