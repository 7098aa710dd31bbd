"""The comparison of a solve's working with lines worked by hand: each line's step, symbol,
equation, formula and note as text, its operands and value as numbers (the LSTM's working
and its variants' are both written by hand in their test files as
(t, symbol, equation, formula, operands, value, note))."""

import numpy as np
import pytest

# the one-unit LSTM both files work by hand: its weights, two inputs and dE/dh_t from above
NET = {"W_fh": 0.5, "W_fx": 1.0, "b_f": -0.2, "W_ih": -0.7, "W_ix": 0.4, "b_i": 0.3,
       "W_oh": 0.9, "W_ox": -0.3, "b_o": 0.2, "W_ch": -0.8, "W_cx": 0.6, "b_c": 0.1,
       "h_init": 0.3, "c_init": -0.4}
X, UP = [1.0, -2.0], [0.5, -1.0]
# each gate's weights and bias, and the words its working lines say
KEYS = {"f": ("W_fh", "W_fx", "b_f"), "i": ("W_ih", "W_ix", "b_i"),
        "o": ("W_oh", "W_ox", "b_o"), "g": ("W_ch", "W_cx", "b_c")}
WORDS = {"f": "forget gate", "i": "input gate", "o": "output gate", "g": "candidate"}


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
