"""The CTC tables asked whole in natural log (`log_alpha`, `log_beta`) where some entries are
ln 0 = -inf: positions no alignment reaches by a frame (a short input), or a long input whose
α underflows float64 and whose forward-backward runs in log space. The answer holds them; JSON
writes them null with a note (SPEC 3). Values against a log-space recursion written here and
torch's ctc_loss (reduction='none') for p(z|x)."""

from __future__ import annotations

import json

import numpy as np
import pytest

import rnnquiz
from conftest import run

# SPEC 1.12's example: columns [blank, a, b]
Y = [[0.5, 0.3, 0.2], [0.4, 0.4, 0.2], [0.3, 0.2, 0.5], [0.6, 0.1, 0.3]]


def log_tables(log_y: np.ndarray, target: list[int]) -> tuple[np.ndarray, np.ndarray]:
    """ln α_t(s) and ln β_t(s) (Graves 2006: both include y_t(l'_s)), by the plain recursions
    on logarithms, one entry at a time."""
    T = log_y.shape[0]
    ext = [0]
    for k in target:
        ext += [k, 0]
    S = len(ext)
    la = np.full((T, S), -np.inf)
    lb = np.full((T, S), -np.inf)
    la[0, :2] = log_y[0, ext[:2]]
    lb[-1, -2:] = log_y[-1, ext[-2:]]
    for t in range(1, T):
        for s in range(S):
            terms = [la[t - 1, s]] + ([la[t - 1, s - 1]] if s else [])
            if s >= 2 and ext[s] != 0 and ext[s] != ext[s - 2]:
                terms.append(la[t - 1, s - 2])
            la[t, s] = np.logaddexp.reduce(terms) + log_y[t, ext[s]]
    for t in range(T - 2, -1, -1):
        for s in range(S):
            terms = [lb[t + 1, s]] + ([lb[t + 1, s + 1]] if s + 1 < S else [])
            if s + 2 < S and ext[s + 2] != 0 and ext[s + 2] != ext[s]:
                terms.append(lb[t + 1, s + 2])
            lb[t, s] = np.logaddexp.reduce(terms) + log_y[t, ext[s]]
    return la, lb


def same_table(answer, expected: np.ndarray) -> None:
    got = np.asarray(answer, dtype=np.float64)
    assert got.shape == expected.shape
    assert np.array_equal(np.isneginf(got), np.isneginf(expected))
    finite = np.isfinite(expected)
    np.testing.assert_allclose(got[finite], expected[finite], rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("quantity", ["log_alpha", "log_beta"])
def test_a_short_input_answers_its_whole_log_table_with_ln_0_where_unreachable(quantity):
    la, lb = log_tables(np.log(np.array(Y)), [1, 2])
    doc = {"type": "ctc", "symbols": ["a", "b"], "probabilities": Y, "target": "ab",
           "ask": {"quantity": quantity}}
    r = rnnquiz.solve(doc)
    same_table(r.answer, la if quantity == "log_alpha" else lb)
    # α_1(3..5), α_2(5); β_4(1..3), β_3(1): 4 entries each
    assert any(f"{quantity}: 4 of its 20 entries are ln 0" in n for n in r.notes), r.notes


def test_json_writes_ln_0_as_null_with_a_note(tmp_path):
    import yaml
    f = tmp_path / "short.yaml"
    f.write_text(yaml.safe_dump({"type": "ctc", "symbols": ["a", "b"], "probabilities": Y,
                                 "target": "ab", "ask": {"quantity": "log_alpha"}}))
    r = run("solve", str(f), "--json")
    assert r.exit_code == 0, r.stderr
    out = json.loads(r.stdout)
    assert out["answer"][0][:2] == pytest.approx([np.log(0.5), np.log(0.3)], rel=1e-15)
    assert out["answer"][0][2:] == [None, None, None] and out["answer"][1][4] is None
    assert all(v is not None for row in out["answer"][2:] for v in row)
    assert any("ln 0 = -infinity" in n and "null" in n for n in out["notes"])


def test_a_frame_every_position_reaches_needs_no_note():
    doc = {"type": "ctc", "symbols": ["a", "b"], "probabilities": Y, "target": "ab",
           "ask": {"quantity": "log_alpha", "t": 4}}
    r = rnnquiz.solve(doc)
    assert np.isfinite(r.answer).all()
    assert not any("ln 0" in n for n in r.notes)


def long_input(T: int = 2000):
    """Logits where some y_t(k) is below e^-300 (log space) and α underflows float64."""
    rng = np.random.default_rng(7)
    u = rng.normal(0, 1, (T, 4)).round(3)
    u[::50, 2] = -400.0                 # b almost impossible at every 50th frame
    return u


def test_a_long_input_in_log_space_answers_log_alpha_whole_against_torch():
    torch = pytest.importorskip("torch")
    u = long_input()
    T = u.shape[0]
    target = [1, 2, 3] * 12
    doc = {"type": "ctc", "symbols": ["a", "b", "c"], "logits": u.tolist(),
           "target": "abc" * 12, "ask": {"quantity": "log_alpha"}}
    r = rnnquiz.solve(doc)
    log_y = torch.log_softmax(torch.tensor(u), 1)
    la, _ = log_tables(log_y.numpy(), target)
    same_table(r.answer, la)
    assert np.isneginf(r.answer).any()
    nll = torch.nn.functional.ctc_loss(log_y[:, None, :], torch.tensor([target]), [T],
                                       [len(target)], blank=0, reduction="none")
    a = np.asarray(r.answer)
    assert np.logaddexp(a[-1, -1], a[-1, -2]) == pytest.approx(-float(nll[0]), rel=1e-12)
    assert any("log space" in n for n in r.notes), r.notes
    assert any("underflow float64" in n for n in r.notes), r.notes
    # the working says so too
    assert any("log space" in (s.note or "") for s in r.steps)


def test_a_long_input_answers_gamma_whole_and_alpha_is_an_error_naming_log_alpha():
    torch = pytest.importorskip("torch")
    u = long_input(600)
    target = [1, 2, 3] * 12
    doc = {"type": "ctc", "symbols": ["a", "b", "c"], "logits": u.tolist(),
           "target": "abc" * 12}
    g = np.asarray(rnnquiz.solve({**doc, "ask": {"quantity": "gamma"}}).answer)
    la, lb = log_tables(torch.log_softmax(torch.tensor(u), 1).numpy(), target)
    ext = [0] + [k for c in target for k in (c, 0)]
    lg = la + lb - torch.log_softmax(torch.tensor(u), 1).numpy()[:, ext]
    expected = np.exp(lg - np.logaddexp.reduce(lg, axis=1, keepdims=True))
    # atol=0: γ goes down to 1e-280, and 17,817 of its entries are below atol=1e-15
    np.testing.assert_allclose(g, expected, rtol=1e-9, atol=0)
    with pytest.raises(rnnquiz.ProblemError, match="alpha underflows.*log_alpha"):
        rnnquiz.solve({**doc, "ask": {"quantity": "alpha"}})
