"""`--format latex` of Hagan's RTRL through tapped delay lines (Neural Network Design,
ch. 14): the sensitivity dn(3)/dlw^{1,1}(1) is the fraction ∂n(3)/∂lw^{1,1}(1), not the text
'dn(3)/dlw', and an answer by delay, a mapping, keeps its braces in math: {0: 0.85, 1: 0.125}."""

from __future__ import annotations

import shutil
import subprocess

import pytest

from conftest import ROOT, run
from rnnquiz.render.tex import tex_math, tex_text


def test_a_sensitivity_by_delay_is_a_fraction():
    assert tex_math("dn(3)/dlw^{1,1}(1)") == r"\frac{\partial n(3)}{\partial lw^{1,1}(1)}"
    assert tex_math("da(2)/dlw^{1,1}(2)") == r"\frac{\partial a(2)}{\partial lw^{1,1}(2)}"
    # the BPTT's sensitivity of F keeps its step after the fraction, as before
    assert tex_math("dF/dn(3)") == r"\frac{\partial F}{\partial n}(3)"


def test_a_mapping_keeps_its_braces_in_math_and_in_text():
    assert tex_math("d = {0: 0.85, 1: 0.125}") == r"d = \{0: 0.85, 1: 0.125\}"
    assert tex_text("published answer {1: 1.45, 2: 1.1}: agrees") == \
        r"published answer \{1: 1.45, 2: 1.1\}: agrees"
    # a weight's layers in braces are no mapping: lw^{1,1}(1) stays a superscript
    assert tex_math("lw^{1,1}(1)") == "lw^{1,1}(1)"


def test_the_bundled_rtrl_working_in_latex():
    r = run("solve", str(ROOT / "problems" / "hagan_tapped_delay_line.yaml"), "--format",
            "latex")
    assert r.exit_code == 0
    tex = r.stdout
    assert r"\mathrm{dn}" not in tex and r"\mathrm{da}" not in tex
    assert r"\frac{\partial n(3)}{\partial lw^{1,1}(1)} &= a(2) + lw^{1,1}(1)\cdot " \
           r"\frac{\partial a(2)}{\partial lw^{1,1}(1)}" in tex
    assert r"$\approx \{1: 1.45,\allowbreak 2: 1.1\}$" in tex
    assert r"d = \boxed{\{1: 0.5425, 2: 0.455\}}" in tex


@pytest.mark.skipif(shutil.which("pdflatex") is None, reason="pdflatex is not installed")
def test_pdflatex_compiles_it(tmp_path):
    r = run("solve", str(ROOT / "problems" / "hagan_tapped_delay_line.yaml"), "--format",
            "latex")
    (tmp_path / "h.tex").write_text(r.stdout)
    p = subprocess.run(["pdflatex", "-interaction=nonstopmode", "-halt-on-error", "h.tex"],
                       cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert p.returncode == 0, [ln for ln in p.stdout.splitlines() if ln.startswith("!")]
