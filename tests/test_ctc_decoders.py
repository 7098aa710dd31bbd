"""The CTC decoders (rnnquiz/types/ctc/decoders.py) against hand-worked cases and against every
path enumerated by brute force."""

from __future__ import annotations

import itertools
import math
from collections import defaultdict

import numpy as np
import pytest

from rnnquiz.types.ctc import decoders as dec

# Graves (2012) sec. 7.5: two frames, blank 0.6 and a 0.4 at each
GRAVES = np.array([[0.6, 0.4], [0.6, 0.4]])


def every_labelling(y, blank):
    """p(ℓ|x) for every ℓ, and the most probable path, by enumerating all K^T paths."""
    T, K = y.shape
    probs = defaultdict(float)
    best = (-1.0, None)
    for path in itertools.product(range(K), repeat=T):
        p = math.prod(y[t, k] for t, k in enumerate(path))
        probs[tuple(dec.collapse(path, blank))] += p
        best = max(best, (p, path), key=lambda e: e[0])
    return dict(probs), best


def test_collapse_merges_repeats_then_drops_blanks():
    assert "".join(dec.collapse("c_oo_o_kk___b_ooooo__oo__kkk", "_")) == "cookbook"
    assert dec.collapse([1, 1, 0, 1, 2, 2], 0) == [1, 1, 2]
    assert dec.collapse([0, 0], 0) == []


def test_best_path_misses_the_most_probable_labelling():
    """Best path "--" (0.36) gives the empty labelling, yet p(a) = 0.16 + 0.24 + 0.24 = 0.64."""
    path, labelling, p = dec.best_path(GRAVES, 0)
    assert (path, labelling) == ([0, 0], [])
    assert p == pytest.approx(0.36)
    assert dec.labelling_probability(GRAVES, [1], 0) == pytest.approx(0.64)
    assert dec.labelling_probability(GRAVES, [], 0) == pytest.approx(0.36)
    assert dec.labelling_probability(GRAVES, [1, 1], 0) == 0.0   # needs 3 frames


def test_best_path_is_the_most_probable_path_of_all():
    rng = np.random.default_rng(1)
    for _ in range(5):
        y = rng.dirichlet(np.ones(3), size=5)
        probs, (p_best, path_best) = every_labelling(y, 0)
        path, labelling, p = dec.best_path(y, 0)
        assert tuple(path) == path_best and p == pytest.approx(p_best, rel=1e-12)
        assert labelling == dec.collapse(path_best, 0)
        for lab, q in probs.items():
            assert dec.labelling_probability(y, list(lab), 0) == pytest.approx(q, rel=1e-12)


def test_a_best_path_tie_goes_to_the_lowest_column():
    assert dec.best_path(np.array([[0.4, 0.4, 0.2]]), 0)[0] == [0]


def test_prefix_beam_by_hand_on_graves_example():
    """Beam 2 keeps "" and "a": frame 2 gives p("a") = p_b 0.24 + p_nb (0.16 + 0.24) = 0.64.
    Beam 1 keeps "" only after frame 1 (0.6 > 0.4), so it ends with "" (0.36) against a's
    0.24 (the path "-a")."""
    best, history = dec.prefix_beam(GRAVES, 0, 2)
    assert best.labels == (1,)
    assert (best.p_b, best.p_nb) == pytest.approx((0.24, 0.40))
    assert [(p.labels, p.p_b, p.p_nb) for p in history[0]] == [((), 0.6, 0.0), ((1,), 0.0, 0.4)]
    best1, history1 = dec.prefix_beam(GRAVES, 0, 1)
    assert best1.labels == () and best1.p == pytest.approx(0.36)
    assert [p.labels for p in history1[0]] == [()]


def test_a_wide_beam_gives_every_labelling_its_exact_probability():
    rng = np.random.default_rng(2)
    y = rng.dirichlet(np.ones(3), size=4)
    probs, _ = every_labelling(y, 0)
    best, history = dec.prefix_beam(y, 0, 1000)
    final = {p.labels: p.p for p in history[-1]}
    for lab, q in probs.items():
        assert final[lab] == pytest.approx(q, rel=1e-12)
    assert best.p == pytest.approx(max(probs.values()), rel=1e-12)
    label, merged = dec.beam_cmu11785(y, 0, 1000)
    for lab, q in probs.items():
        assert merged[lab] == pytest.approx(q, rel=1e-12)
    assert merged[label] == pytest.approx(max(probs.values()), rel=1e-12)


def test_beam_ties_go_to_the_earlier_symbol():
    y = np.array([[0.2, 0.4, 0.4]])
    assert dec.prefix_beam(y, 0, 1)[0].labels == (1,)
    assert dec.prefix_beam(y, 0, 1, order=[0, 2, 1])[0].labels == (2,)


def test_blank_last_as_keras_puts_it():
    y = GRAVES[:, ::-1]                      # columns [a, blank]
    assert dec.best_path(y, 1)[1] == []
    assert dec.prefix_beam(y, 1, 2)[0].labels == (0,)
    assert dec.labelling_probability(y, [0], 1) == pytest.approx(0.64)


def test_the_11785_beam_prunes_blank_and_symbol_ending_paths_together():
    """Beam 1 on Graves' example: after frame 1 the cut is 0.6, so only "-" stays; frame 2
    gives "" 0.36 (blank-ending) and "a" 0.24: the best is ""."""
    best, merged = dec.beam_cmu11785(GRAVES, 0, 1)
    assert best == () and merged == pytest.approx({(): 0.36, (1,): 0.24})
