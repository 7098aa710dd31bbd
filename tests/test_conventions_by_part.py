"""`solve --conventions` on a question in several parts: each entry of the JSON `parts` has
its own `conventions`, and every format shows one table a part."""

import json
import shutil
import subprocess

import numpy as np
import pytest

from conftest import run

IW, LW, P, T = 0.5, 0.2, [1.0, -1.0, 2.0], [0.5, 0.0, 1.0]


def _E(lw=LW, factor=1.0):
    """numpy: h_t = W_hh h_{t-1} + W_xh x_t (linear, h_0 = 0, y = h); E = factor·Σ(y - t)²."""
    h, E = 0.0, 0.0
    for x, t in zip(P, T):
        h = lw * h + IW * x
        E += factor * (h - t) ** 2
    return E


def _dE_dW_hh(factor=1.0, eps=1e-6):
    return (_E(LW + eps, factor) - _E(LW - eps, factor)) / (2 * eps)


def _write(tmp_path, text):
    f = tmp_path / "parts.yaml"
    f.write_text(text)
    return str(f)


HINTON = (f"type: backprop\nnetwork: {{hidden: linear, output: linear, W_xh: {IW}, "
          f"W_hh: {LW}, W_hy: 1, h_init: 0}}\ninputs: {P}\ntargets: {T}\n"
          "ask: {quantity: [E, dE/dW_hh], digits: 4}\n")
HAGAN = (f"type: backprop\nnotation: hagan\nnetwork: {{iw: {IW}, lw: {LW}}}\ninputs: {P}\n"
         f"targets: {T}\nask: {{quantity: [F, dF/dlw], digits: 4}}\n")


def _parts(path):
    r = run("solve", path, "--conventions", "--json")
    assert r.exit_code == 0, r.output
    d = json.loads(r.stdout)
    assert "conventions" not in d            # the tables are the parts'
    return [{c["id"]: c["answer"] for c in e["conventions"]} for e in d["parts"]]


@pytest.mark.parametrize("text,own,other,factor", [
    (HINTON, "loss_half", "loss_no_half", 2.0),      # the courses' ½: without it, doubled
    (HAGAN, "loss_no_half", "loss_half", 0.5)])      # Hagan's F has none: with it, halved
def test_each_part_has_its_own_conventions(tmp_path, text, own, other, factor):
    base = 0.5 if own == "loss_half" else 1.0
    e, g = _parts(_write(tmp_path, text))
    for rows, value in ((e, _E), (g, _dE_dW_hh)):
        mine = [k for k in rows if own in k]
        assert mine and rows[mine[0]] == pytest.approx(value(factor=base), abs=1e-9)
        assert rows[other] == pytest.approx(value(factor=base * factor), abs=1e-9)
        assert rows["loss_mean"] == pytest.approx(value(factor=base) / 3, abs=1e-9)
    # by hand: F = Σ e² = 0 + 0.16 + 0.0064 = 0.1664, with ½ 0.0832
    assert e[other] == pytest.approx(0.0832 if own == "loss_no_half" else 0.1664)


def test_a_part_is_solved_under_a_convention_that_rereads_the_file():
    # transposed re-reads the document: the part must stay itself (not the whole list)
    d = json.loads(run("solve", "cmu11785_rnncell_backward_parts", "--conventions",
                       "--json").stdout)
    for e in d["parts"]:
        t = [c for c in e["conventions"] if c["id"] == "transposed"][0]["answer"]
        assert np.shape(t) == np.shape(e["answer"]) and not np.allclose(t, e["answer"])


def test_every_format_shows_a_table_a_part(tmp_path):
    path = _write(tmp_path, HAGAN)
    text = run("solve", path, "--conventions").stdout
    assert "each convention: F" in text and "each convention: dF/dlw" in text
    md = run("solve", path, "--conventions", "--format", "markdown").stdout
    assert md.count("| convention | id | answer |") == 2
    html = run("solve", path, "--conventions", "--format", "html").stdout
    assert html.count(">convention</th>") == 2
    tex = run("solve", path, "--conventions", "--format", "latex").stdout
    assert tex.count("The answer under each convention") == 2
    if shutil.which("pdflatex"):
        (tmp_path / "parts.tex").write_text(tex)
        p = subprocess.run(["pdflatex", "-interaction=nonstopmode", "-halt-on-error",
                            "parts.tex"], cwd=tmp_path, capture_output=True, timeout=120)
        assert p.returncode == 0


def test_the_python_api_gives_each_part_its_table():
    import yaml

    import rnnquiz
    r = rnnquiz.solve(yaml.safe_load(HAGAN), steps=False, conventions=True)
    rows = [{c["id"]: c["answer"] for c in e["conventions"]} for e in r.extra["parts"]]
    assert rows[0]["loss_half"] == pytest.approx(_E(factor=0.5))          # 0.0832
    assert rows[1]["loss_half"] == pytest.approx(_dE_dW_hh(factor=0.5))   # -0.176
