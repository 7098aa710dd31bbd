"""Issue 30's property: numbers from 1e-320 to 1e300 in the numeric keys never give an internal
error or a silently wrong answer: the answer agrees with exact arithmetic (Python's decimal at
60 digits, which neither overflows nor underflows here) by SPEC 1's tolerance, or the error
names the overflow."""

from __future__ import annotations

import decimal
from decimal import Decimal

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

import rnnquiz

CTX = decimal.Context(prec=60, Emax=10 ** 6, Emin=-10 ** 6)
LARGEST = Decimal("1.7976931348623157e308")

magnitude = st.builds(lambda sign, e, m: sign * m * 10.0 ** e if e > -300 else sign * m * 1e-300
                      * 10.0 ** (e + 300), st.sampled_from([1, -1]), st.integers(-320, 300),
                      st.floats(1, 9.99)).filter(lambda v: v != 0)


def agrees(ours, exact: Decimal) -> bool:
    """SPEC 1 without digits: within 1e-9 relative (1e-9 absolute below 1)."""
    return abs(CTX.subtract(Decimal(ours), exact)) <= CTX.multiply(Decimal("1e-9"),
                                                                   max(Decimal(1), abs(exact)))


def solved_or_named(doc: dict):
    """The answer, or None when the error names the overflow (anything else fails)."""
    try:
        return rnnquiz.solve(doc).answer
    except rnnquiz.ProblemError as err:
        assert "overflow" in str(err), str(err)
        return None


@settings(max_examples=80)
@given(st.lists(magnitude, min_size=1, max_size=4), magnitude.map(abs))
def test_clip_by_norm_at_any_magnitude(grads, theta):
    norm = CTX.sqrt(sum((CTX.multiply(Decimal(g), Decimal(g)) for g in grads), Decimal(0)))
    scale = min(Decimal(1), CTX.divide(Decimal(theta), norm))
    ours = solved_or_named({"type": "clip", "gradients": {"g": grads}, "norm": theta})
    assert ours is not None                   # every clipped value fits float64 (|g·s| ≤ |g|)
    ours = ours if isinstance(ours, list) else [ours]
    for o, g in zip(ours, grads):
        assert agrees(o, CTX.multiply(Decimal(g), scale)), (o, g, theta)
    n = solved_or_named({"type": "clip", "gradients": {"g": grads}, "norm": theta,
                         "ask": {"quantity": "norm"}})
    if norm > LARGEST:
        assert n is None
    else:
        assert n is not None and abs(CTX.divide(Decimal(n) - norm, norm)) < Decimal("1e-12")


@settings(max_examples=60)
@given(st.lists(st.floats(1e-320, 1.0, allow_subnormal=True).filter(lambda v: v > 0),
                min_size=1, max_size=5))
def test_perplexity_at_any_probability(probs):
    E = sum((-CTX.ln(Decimal(p)) for p in probs), Decimal(0))
    pp = CTX.exp(CTX.divide(E, len(probs)))
    assert agrees(rnnquiz.solve({"type": "perplexity", "probabilities": probs,
                                 "ask": {"quantity": "E"}}).answer, E)
    ours = solved_or_named({"type": "perplexity", "probabilities": probs})
    if pp > LARGEST:
        assert ours is None
    else:
        assert ours is not None and abs(CTX.divide(Decimal(ours) - pp, pp)) < Decimal("1e-9")


@settings(max_examples=80)
@given(st.tuples(magnitude, magnitude, magnitude), st.lists(magnitude, min_size=1, max_size=3))
def test_a_linear_rnn_at_any_magnitude(weights, inputs):
    """h_t = W_xh·x_t + W_hh·h_{t-1}, y_t = W_hy·h_t (linear): exact in decimal."""
    w_xh, w_hh, w_hy = (Decimal(w) for w in weights)
    h, ys = Decimal(0), []
    for x in inputs:
        h = CTX.add(CTX.multiply(w_xh, Decimal(x)), CTX.multiply(w_hh, h))
        ys.append(CTX.multiply(w_hy, h))
    doc = {"type": "forward", "inputs": inputs,
           "network": {"hidden": "linear", "output": "linear", "W_xh": weights[0],
                       "W_hh": weights[1], "W_hy": weights[2]},
           "ask": {"quantity": "y"}}
    ours = solved_or_named(doc)
    if ours is None:
        # named: some value on the way is past float64
        assert any(abs(v) > LARGEST / 10 ** 10 for v in ys) or \
            any(abs(CTX.multiply(w, Decimal(x))) > LARGEST / 10 ** 10
                for w in (w_xh,) for x in inputs) or abs(w_hh) > 1
        return
    ours = ours if isinstance(ours, list) else [ours]
    for o, y in zip(ours, ys):
        assert agrees(o, y), (o, y)


@pytest.mark.parametrize("alpha", [1e-320, 1e-5, 0.75, 1e5, 1e300])
def test_beam_search_scores_at_any_alpha(alpha):
    """score = log P / L^α: B C <eos> (L 3, P 0.168) against A <eos> (L 2, P 0.2) and
    B C C <eos> (L 4, P 0.021); the answer is the hypothesis of highest exact score."""
    import math
    from conftest import PROBLEMS
    doc = rnnquiz.load(PROBLEMS / "beam_search_by_hand.yaml")[0].data
    # ln|score| = ln(-ln P) - α·ln L: the higher the score, the smaller this
    log_size = {seq: CTX.subtract(CTX.ln(-CTX.ln(Decimal(p))),
                                  CTX.multiply(Decimal(alpha), CTX.ln(Decimal(L))))
                for seq, p, L in ((("A", "<eos>"), "0.2", 2), (("B", "C", "<eos>"), "0.168", 3),
                                  (("B", "C", "C", "<eos>"), "0.021", 4))}
    best = min(log_size, key=log_size.get)
    r = rnnquiz.solve({**doc, "alpha": alpha})
    assert tuple(r.answer) == best
    s = rnnquiz.solve({**doc, "alpha": alpha, "ask": {"quantity": "score"}}).answer
    exact = -CTX.exp(log_size[best]) if log_size[best] > -2000 else Decimal(0)
    assert math.isfinite(s) and agrees(s, exact)


@settings(max_examples=60)
@given(st.sampled_from(["forward", "backprop", "vanishing", "lstm", "gru", "gated"]),
       st.lists(magnitude, min_size=8, max_size=8), st.lists(magnitude, min_size=2, max_size=3))
def test_every_cell_at_any_magnitude_answers_or_names_the_overflow(ptype, values, inputs):
    """No internal error for any type at these magnitudes: a finite answer, or the error
    names the overflow (the values go to every weight, bias and initial state given)."""
    import math
    keys = {"forward": ["W_xh", "W_hh", "W_hy", "b_h", "b_y", "h_init"],
            "backprop": ["W_xh", "W_hh", "W_hy", "b_h", "b_y", "h_init"],
            "vanishing": ["W_xh", "W_hh", "W_hy", "b_h", "h_init"],
            "lstm": ["W_fh", "W_fx", "b_f", "W_ih", "W_ix", "b_i", "W_ch", "W_cx"],
            "gru": None, "gated": None}[ptype]
    doc = {"type": ptype, "inputs": inputs}
    if keys:
        doc["network"] = dict(zip(keys, values))
    if ptype == "backprop":
        doc["targets"] = [values[-1]] * len(inputs)
    answer = solved_or_named(doc)
    if answer is not None and not isinstance(answer, str):
        assert all(math.isfinite(v) for v in np.ravel(np.asarray(answer, dtype=float)))
