"""Attention's working and data (rnnquiz.types.attention): the numbers substituted in each energy,
the course's symbols, several decoder steps, the problem files (their answers worked again, by
torch for CS224n's), and errors that name their key."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest
import yaml

from rnnquiz.types.attention.keys import detail_from_dict
from rnnquiz.types.attention.working import AttentionDetail, work_attention
from rnnquiz.errors import ProblemError
from rnnquiz.trace import Work

HERE = Path(__file__).resolve().parent.parent / "problems"
E = math.e


def solve(d: AttentionDetail):
    work = Work()
    values, default, per_step = work_attention(d, work)
    return values, default, per_step, work.steps


def step(steps, symbol):
    (s,) = [s for s in steps if s.symbol == symbol]
    return s


def _linear(torch, W):
    W = np.asarray(W, dtype=np.float64)
    layer = torch.nn.Linear(W.shape[1], W.shape[0], bias=False)
    with torch.no_grad():
        layer.weight.copy_(torch.tensor(W))
    return layer


# ---------------------------------------------------------------- the working and the data

def test_the_working_shows_each_energy_with_its_numbers():
    d = AttentionDetail("luong", "general", np.array([0.3, -0.2]),
                        np.array([[0.5, -0.2], [0.1, 0.4], [-0.3, 0.8]]),
                        network={"W_a": np.array([[1.0, 0.5], [0.0, 1.0]])},
                        mask=np.array([1, 1, 0]))
    _, _, _, steps = solve(d)
    s = step(steps, "score(h_t, h̄_2)")
    assert s.equation == "h_tᵀ·W_a·h̄_2"
    assert s.formula == "{}·{} + {}·{}"
    assert s.operands == pytest.approx((0.3, 0.1 + 0.5 * 0.4, -0.2, 0.4), rel=1e-15)
    assert s.value == pytest.approx(0.3 * 0.3 - 0.2 * 0.4, rel=1e-15)
    assert step(steps, "W_a·h̄_3").value == pytest.approx([-0.3 + 0.4, 0.8], rel=1e-15)
    Z = step(steps, "Σ_s' exp(score(h_t, h̄_s'))")
    assert Z.value == pytest.approx(math.exp(0.16) + math.exp(0.01), rel=1e-14)
    assert [s.phase for s in steps][-1] == "context"


def test_several_decoder_steps_are_numbered_from_one():
    d = AttentionDetail("cs224n", query=np.array([[1.0, 0.0], [0.0, 1.0]]), values=np.eye(2),
                        network={"W_attProj": np.eye(2)})
    v, _, per, steps = solve(d)
    assert per == ("energies", "alpha", "context")
    assert step(steps, "e_2,1").t == 2 and step(steps, "a_2").t == 2
    assert v["alpha"][1] == pytest.approx([1 / (E + 1), E / (E + 1)], rel=1e-15)


def test_bahdanau_attends_from_the_previous_decoder_state():
    d = dict(values=np.eye(2), network={"W_a": np.eye(2), "U_a": np.eye(2), "v_a": np.ones(2)})
    _, _, _, one = solve(AttentionDetail("bahdanau", query=np.array([1.0, 0.0]), **d))
    _, _, _, two = solve(AttentionDetail("bahdanau", query=np.eye(2), **d))
    assert step(one, "e_i,1").equation == "v_aᵀ·tanh(W_a·s_{i-1} + U_a·h_1)"
    assert step(two, "e_1,2").equation == "v_aᵀ·tanh(W_a·s_0 + U_a·h_2)"
    assert step(two, "W_a·s_1").value.tolist() == [0.0, 1.0]


@pytest.mark.parametrize("name", ["cs224n_attention_step.yaml", "dlai_attention_context.yaml"])
def test_the_problem_files_answers(name):
    for doc in yaml.safe_load_all((HERE / name).read_text(encoding="utf-8")):
        v, _, per, _ = solve(detail_from_dict(doc))
        ask = doc["ask"]
        names = ask["quantity"] if isinstance(ask["quantity"], list) else [ask["quantity"]]
        answers = doc["answer"] if isinstance(ask["quantity"], list) else [doc["answer"]]
        for q, expected in zip(names, answers):
            got = v[q][ask["t"] - 1] if "t" in ask else v[q]
            assert q in per or "t" not in ask
            assert np.round(got, ask["digits"]).tolist() == expected, (doc["title"], q)


def test_the_cs224n_problem_file_against_torch():
    torch = pytest.importorskip("torch")
    doc = next(yaml.safe_load_all((HERE / "cs224n_attention_step.yaml").read_text()))
    v, *_ = solve(detail_from_dict(doc))
    enc = torch.tensor([doc["values"]])
    dec = torch.tensor([doc["query"]])
    with torch.no_grad():
        e = torch.bmm(_linear(torch, doc["network"]["W_attProj"])(enc), dec.unsqueeze(2))
        e = e.squeeze(2).masked_fill(torch.tensor([[False, False, True]]), -float("inf"))
        a = torch.bmm(torch.softmax(e, dim=1).unsqueeze(1), enc).squeeze(1)
        o = torch.tanh(_linear(torch, doc["network"]["W_u"])(torch.cat([a, dec], dim=1)))
    assert np.allclose(v["output"], o[0].numpy(), rtol=1e-13, atol=0)


# ---------------------------------------------------------------- errors name their key

@pytest.mark.parametrize("doc, key", [
    ({"notation": "luong", "query": [1, 0], "values": [[1, 0]]}, "network.W_a"),
    ({"notation": "cs224n", "query": [1, 0], "values": [[1, 0, 1]],
      "network": {"W_attProj": [[1, 0], [0, 1]]}}, "network.W_attProj"),
    ({"notation": "bahdanau", "score": "dot", "query": [1], "values": [[1]]}, "score"),
    ({"notation": "luong", "score": "dot", "query": [1, 0], "values": [[1, 0]],
      "keys": [[1, 0], [0, 1]]}, "keys"),
    ({"notation": "luong", "score": "dot", "query": [1, 0], "values": [[1, 0]],
      "network": {"U_a": [[1]]}}, "network.U_a"),
    ({"notation": "deeplearning_ai", "energies": [1, 2], "values": [[1], [2]],
      "encoder": {"cell": "lstm"}}, "encoder"),
    ({"notation": "d2l", "energies": [1, 2], "mask": [1, 0, 1]}, "mask"),
    ({"notation": "luong", "score": "dot", "query": [1, "x"], "values": [[1, 0]]}, "query"),
    ({"notation": "luong", "score": "dot", "query": [1, 0]}, "values"),
    ({"notation": "luong", "energies": [[1, 2]], "query": [[1, 0], [0, 1]], "values": [[1], [2]]},
     "query"),
    ({"notation": "deeplearning_ai", "query": [1], "values": [[1]]}, "energies"),
])
def test_errors_name_the_key(doc, key):
    with pytest.raises(ProblemError) as err:
        solve(detail_from_dict(doc))
    assert err.value.path == key


@pytest.mark.parametrize("doc, quantity, key, words", [
    ({"notation": "bahdanau", "query": [1], "values": [[1]],
      "network": {"W_a": [[1]], "U_a": [[1]], "v_a": [1]}}, "output", "ask.quantity", "context"),
    ({"notation": "luong", "score": "dot", "query": [1], "values": [[1]]}, "output",
     "network.W_c", "W_c"),
    ({"notation": "deeplearning_ai", "energies": [1, 2]}, "context", "values", "values"),
])
def test_a_quantity_left_out_is_explained(doc, quantity, key, words):
    from rnnquiz.types.attention.check import missing_quantity
    d = detail_from_dict(doc)
    v, *_ = solve(d)
    assert quantity not in v
    err = missing_quantity(d.notation, quantity, d.network, has_values=d.values is not None,
                           has_query=d.query is not None)
    assert err.path == key and words in err.reason
