"""The comparison of a solve's working with lines worked by hand: each line's step, symbol,
equation, formula and note as text, its operands and value as numbers (the LSTM's working
and its variants' are both written by hand in their test files as
(t, symbol, equation, formula, operands, value, note))."""

import numpy as np
import pytest


def flat(v):
    """The one number of a one-unit value (a float, or a 1-element array)."""
    return float(np.ravel(v)[0])


def assert_working(r, lines):
    got = [s for s in r.steps if s.phase in ("forward", "backward")]
    assert [(s.t, s.symbol, s.equation, s.formula, s.note) for s in got] == \
        [(t, sym, eq, sub, note) for t, sym, eq, sub, _, _, note in lines]
    for s, (*_, ops, value, _) in zip(got, lines):
        assert [flat(a) for a in s.operands] == pytest.approx(ops, rel=1e-12, abs=1e-15), \
            s.symbol
        assert flat(s.value) == pytest.approx(value, rel=1e-12, abs=1e-15), s.symbol
