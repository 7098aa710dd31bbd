"""With the course's rounding, each step whose rounded value differs from exact arithmetic
carries the exact value, past steps that cannot be compared too (Hagan's dF/diw and dF/dlw,
one gradient per delay): the whole working is set beside the same file solved exactly; a
working with a slip committed on purpose is not."""

from __future__ import annotations

import numpy as np

import rnnquiz
from rnnquiz.teaching.slips import variants_for
from rnnquiz.types import from_dict, solve

HAGAN = "problems/hagan_tapped_delay_line.yaml"


def test_every_step_rounding_changed_carries_its_exact_value():
    data = {k: v for k, v in rnnquiz.load(HAGAN)[0].data.items() if k != "answer"}
    rounded = rnnquiz.solve(from_dict({**data, "round": 1}))
    exact = rnnquiz.solve(from_dict(data))
    marked = []
    for s, e in zip(rounded.steps, exact.steps, strict=True):
        assert s.symbol == e.symbol
        if s.exact is not None:
            assert np.array_equal(s.exact, e.value)
            marked.append(s.symbol)
    assert marked[-2:] == ["dF/db", "dF/da_init"]      # after dF/diw and dF/dlw (by delay)
    assert f"rounding changed {len(marked)} step(s) compared with exact arithmetic, " \
           "first at n(2)" in rounded.notes


def test_a_slip_committed_on_purpose_is_not_set_beside_exact_arithmetic():
    """A working with a slip (teaching/slips.py) differs from exact arithmetic by the slip, not
    by the rounding: none of its steps is marked, and no note counts them."""
    data = {k: v for k, v in rnnquiz.load("problems/hinton_p4.yaml")[0].data.items()
            if k != "answer"}
    p = from_dict({**data, "round": 2})
    assert any(n.startswith("rounding changed") for n in solve(p).notes)
    (slip,) = [v for v in variants_for(p) if v.slip == "direct_term_only"]
    r = solve(p, variants=slip.flags, overrides=slip.overrides)
    assert [s.symbol for s in r.steps if s.exact is not None] == []
    assert not any(n.startswith("rounding changed") for n in r.notes)
