"""Hagan's notation writes every gradient of his performance index dF/d… (∂F/∂… in RTRL) on
each path the plain network reaches: truncation, the input's gradient, Pascanu's Ω, an
embedding, a stack (its layers' gradients are passed down as from above), both directions.
The lines take the loss's name from the runner that writes F, so a line that writes dE/d…
instead shows here. The values are the same network's by hand: a = 0.5, -0.4, 0.92,
e = 0, 0.4, 0.08, dF/da(3) = -2e(3) = -0.16 (tests/test_hagan_plain_working_in_his_names.py)."""

from __future__ import annotations

import pytest

import rnnquiz

PLAIN = {"type": "backprop", "notation": "hagan", "inputs": [1, -1, 2],
         "targets": [0.5, 0, 1], "network": {"iw": 0.5, "lw": 0.2, "a_init": 0}}
TWO = [{"iw": 1.0, "lw": 0.0}, {"iw": 0.5, "lw": 0.2}]     # layer 1 passes p through
PATHS = {
    "truncate": {"truncate": 1, "ask": {"quantity": "dF/dn"}},
    "input": {"ask": {"quantity": "dF/dx"}},
    "omega": {"regularization": {"information_flow": 0.1}},
    "ar_tar": {"regularization": {"ar": 0.5, "tar": 0.25}},
    "embedding": {"inputs": [0, 2, 1],
                  "network": {"embedding": [[1.0], [0.0], [-1.0]], "iw": 0.5, "lw": 0.2}},
    "stack": {"network": TWO, "ask": {"quantity": "dF/dx"}},
    "rtrl": {"method": "rtrl"},
    "batch": {"batch": True, "inputs": [[1, -1, 2]], "targets": [[0.5, 0, 1]]},
}


def _lines(doc):
    r = rnnquiz.solve(doc)
    return r, [" ".join((s.symbol, s.equation, s.note)) for s in r.steps]


@pytest.mark.parametrize("extra", PATHS.values(), ids=PATHS)
def test_every_gradient_line_names_f(extra):
    r, lines = _lines({**PLAIN, **extra})
    assert not [t for t in lines if "dE/" in t or "∂E/" in t], lines
    assert any(t.startswith(("dF/d", "∂F/∂")) for t in lines), lines


def test_the_top_layers_gradient_in_a_stack_is_the_plain_networks():
    r, lines = _lines({**PLAIN, "network": TWO, "ask": {"quantity": "dF/da", "layer": 2}})
    steps = {s.symbol: s for s in r.steps}
    assert steps["dF/da^(2)(3)"].value == pytest.approx(-0.16, abs=1e-12)
    # the loss's own gradient reaches the top layer: Hagan's -2e(t), as for one layer
    assert steps["dF/da^(2)(3)"].equation == "-2e(3)"
    assert "dF/dlw^(2)" in steps and "dF/dlw^(1)" in steps


def test_gradients_from_above_keep_e():
    """With `upstream` there is no F: the lines write dE/d…, in Hagan's symbols."""
    doc = {**PLAIN, "upstream": {"h": [1.0, 0.0, 0.0]}, "ask": {"quantity": "dE/dlw"}}
    del doc["targets"]
    r, lines = _lines(doc)
    assert "dE/da(3) from above" in {s.equation for s in r.steps}
    assert not [t for t in lines if "dF/" in t]
