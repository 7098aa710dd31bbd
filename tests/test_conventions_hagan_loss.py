"""Hagan's performance index F (`notation: hagan`, loss sse by default) has the loss's
conventions as E has in the other notations: asked as F or dF/d<key> (or E, dE/d<key>),
`solve --conventions` lists loss_half and loss_mean, and `check` names loss_half."""

import json

import numpy as np
import pytest

from conftest import run

IW, LW, P, T = 0.5, 0.2, [1.0, -1.0, 2.0], [0.5, 0.0, 1.0]


def _F(iw=IW, lw=LW, half=False, mean=False):
    """numpy: a(t) = lw a(t-1) + iw p(t), a(0) = 0; F = Σ (t - a)², with ½ or over T."""
    a, e = 0.0, []
    for p, t in zip(P, T):
        a = lw * a + iw * p
        e.append(t - a)
    F = float(np.sum(np.square(e)))
    return F * (0.5 if half else 1) / (len(P) if mean else 1)


def _dF_dlw(**kw):
    eps = 1e-6                 # central difference, exact for this polynomial up to rounding
    return (_F(IW, LW + eps, **kw) - _F(IW, LW - eps, **kw)) / (2 * eps)


def _file(tmp_path, quantity, digits=4):
    f = tmp_path / "hagan.yaml"
    f.write_text(f"type: backprop\nnotation: hagan\nnetwork: {{iw: {IW}, lw: {LW}}}\n"
                 f"inputs: {P}\ntargets: {T}\nask: {{quantity: {quantity}, digits: {digits}}}\n")
    return str(f)


def _conventions(path):
    r = run("solve", path, "--conventions", "--json")
    assert r.exit_code == 0, r.output
    return {c["id"]: c["answer"] for c in json.loads(r.stdout)["conventions"]}


@pytest.mark.parametrize("quantity,value", [("F", _F), ("E", _F), ("dF/dlw", _dF_dlw),
                                            ("dE/dlw", _dF_dlw)])
def test_solve_lists_the_half_and_the_mean(tmp_path, quantity, value):
    rows = _conventions(_file(tmp_path, quantity))
    own = [k for k in rows if "loss_no_half" in k]
    assert own and rows[own[0]] == pytest.approx(value(), abs=1e-9)
    assert rows["loss_half"] == pytest.approx(value(half=True), abs=1e-9)
    assert rows["loss_mean"] == pytest.approx(value(mean=True), abs=1e-9)


def test_the_same_loss_in_hinton_notation_has_the_same_conventions(tmp_path):
    f = tmp_path / "hinton.yaml"
    f.write_text(f"type: backprop\nnetwork: {{hidden: linear, output: linear, W_xh: {IW}, "
                 f"W_hh: {LW}, W_hy: 1, h_init: 0}}\ninputs: {P}\ntargets: {T}\nloss: sse\n"
                 "ask: {quantity: E, digits: 4}\n")
    hinton, hagan = _conventions(str(f)), _conventions(_file(tmp_path, "F"))
    assert sorted(hinton) == sorted(hagan)
    assert all(hinton[k] == pytest.approx(hagan[k], abs=1e-12) for k in hinton)


def test_check_names_the_half(tmp_path):
    half = round(_F(IW, LW, half=True), 6)             # 0.0832 by hand: ½ · 0.1664
    assert half == pytest.approx(0.0832)
    r = run("check", _file(tmp_path, "F", digits=6), "--answer", f"{half}", "--json")
    assert r.exit_code == 1
    first = json.loads(r.stdout)["diagnosis"][0]
    assert first["kind"] == "convention" and first["id"] == "loss_half"
    r = run("check", _file(tmp_path, "dF/dlw"), "--answer",
            f"{_dF_dlw(half=True):.4f}", "--json")
    assert json.loads(r.stdout)["diagnosis"][0]["id"] == "loss_half"


def test_check_names_a_flipped_sign_of_dF(tmp_path):
    # the slips' gradient test knows F too: dF/dlw = -0.352 by hand, given as +0.352
    assert _dF_dlw() == pytest.approx(-0.352)
    r = run("check", _file(tmp_path, "dF/dlw"), "--answer", "0.352", "--json")
    assert r.exit_code == 1
    assert [d["id"] for d in json.loads(r.stdout)["diagnosis"]][:1] == ["sign_flipped"]
