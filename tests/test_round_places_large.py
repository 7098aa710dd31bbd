"""Rounding a large value at many places (answers.round_places): below |x|·10^digits = 2^52
neighbouring floats are finer than the place, so the value must still be rounded there, as
Python's correctly rounded round() does: 43000000 + 6·2^-27 = 43000000.0000000447 at 8 places is
43000000.00000004, whose nearest float is 5·2^-27 above 43000000 (floats are 2^-27 apart
there, finer than 10^-8)."""

from __future__ import annotations

import numpy as np
import pytest

from rnnquiz.problem.answers import agree, round_places, rounded


@pytest.mark.parametrize("x, digits", [
    (43000000 + 6 * 2.0 ** -27, 8),
    (-(43000000 + 6 * 2.0 ** -27), 8),
])
def test_a_large_value_is_still_rounded_where_floats_are_finer_than_the_place(x, digits):
    want = round(x, digits)
    assert want != x and abs(want - x) < 10.0 ** -digits
    assert float(round_places(np.array(x), digits)) == want
    assert rounded(x, digits) == want
    assert agree(x, want, digits)
