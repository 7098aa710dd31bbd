"""A layered digital dynamic network (Hagan's tapped delay lines) answers to Hagan's F and
dF/d<key> as to E and dE/d<key>, through backpropagation through time and real-time recurrent
learning alike, dF/dn at any step: the numbers worked by hand in
problems/hagan_tapped_delay_line.yaml (F = 0.053125, dF/dn(1..3) = -0.05, 0.125, 0.45,
dF/dlw = {1: 0.5425, 2: 0.455})."""

from __future__ import annotations

import pytest

import rnnquiz

NET = {"type": "backprop", "notation": "hagan", "inputs": [1, 0, 2], "targets": [1, 1, 2],
       "network": {"iw": {0: 1, 1: 0.5}, "lw": {1: 0.5, 2: -0.25}, "a_init": [0.2, 0.4]}}


def _answer(method, quantity, t=None):
    ask = {"quantity": quantity, **({"t": t} if t is not None else {})}
    return rnnquiz.solve({**NET, "method": method, "ask": ask}, steps=False).answer


@pytest.mark.parametrize("method", ["bptt", "rtrl"])
def test_F_and_its_gradients_answer_beside_E(method):
    for name in ("F", "E"):
        assert _answer(method, name) == pytest.approx(0.053125, abs=1e-12)
    for name in ("dF/dlw", "dE/dlw"):
        got = _answer(method, name)
        assert set(got) == {"1", "2"}                   # the delays, as JSON keys
        assert [got["1"], got["2"]] == pytest.approx([0.5425, 0.455], abs=1e-12)


@pytest.mark.parametrize("t, value", [(1, -0.05), (2, 0.125), (3, 0.45)])
def test_dF_dn_is_asked_at_a_step(t, value):
    assert _answer("bptt", "dF/dn", t) == pytest.approx(value, abs=1e-12)
    assert _answer("bptt", "dE/dn", t) == pytest.approx(value, abs=1e-12)
