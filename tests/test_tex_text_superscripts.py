"""Free text in LaTeX (titles, notes, questions, options): a symbol in parentheses keeps its own
closing parenthesis, and a superscript as the courses write it (Goodfellow's h^(1), CS230's
x^(i)<j>, MITx's W^{s,s}, 2^16) is set as math, never printed as a literal ^. Each expected
string is the LaTeX a person writes for it by hand."""

import shutil
import subprocess

import pytest

from rnnquiz.render.tex import tex_text

CASES = [
    ("the state of layer 1 (h^(1))", r"the state of layer 1 ($h^{(1)}$)"),
    ("Goodfellow's RNN (10.8-10.10): o^(2)", r"Goodfellow's RNN (10.8-10.10): $o^{(2)}$"),
    ("(on x^(t)), W the recurrent one (on h^(t-1))",
     r"(on $x^{(t)}$), W the recurrent one (on $h^{(t-1)}$)"),
    ("x^(i)<j>", r"$x^{(i)\langle j\rangle}$"),
    ("x^<j>(i)", r"$x^{\langle j\rangle(i)}$"),
    ("tanh(W^{s,s} s_{t-1} + W^{s,x} x_t)",
     r"tanh($W^{s,s}$ $s_{t-1}$ + $W^{s,x}$ $x_t$)"),
    ("would carry 16 bits: 2^16 patterns", r"would carry 16 bits: $2^{16}$ patterns"),
    ("= (Π_t 1/p_t)^(1/T): the geometric mean", r"= ($\Pi_t$ 1/p\_t)$^{1/T}$: the geometric mean"),
    ("λ(W) = -0.69", r"$\lambda(W)$ = -0.69"),
    ("1 where α_t(s) may come from α_{t-1}(s-2):",
     r"1 where $\alpha_t(s)$ may come from $\alpha_{t-1}(s-2)$:"),
]


@pytest.mark.parametrize("text, tex", CASES)
def test_free_text_sets_symbols_and_superscripts_as_math(text, tex):
    assert tex_text(text) == tex
    assert r"\textasciicircum" not in tex_text(text)


def test_a_caret_that_is_no_superscript_stays_text():
    assert tex_text("a ^ b") == r"a \textasciicircum{} b"


@pytest.mark.skipif(shutil.which("pdflatex") is None, reason="pdflatex is not installed")
def test_pdflatex_reads_them(tmp_path):
    body = "\n\n".join(tex_text(text) for text, _ in CASES)
    (tmp_path / "t.tex").write_text("\\documentclass{article}\n\\usepackage{amsmath,amssymb}\n"
                                    f"\\begin{{document}}\n{body}\n\\end{{document}}\n")
    p = subprocess.run(["pdflatex", "-interaction=nonstopmode", "-halt-on-error", "t.tex"],
                       cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert p.returncode == 0, [ln for ln in p.stdout.splitlines() if ln.startswith("!")]


def test_a_layers_sensitivity_keeps_its_superscript_in_the_denominator():
    """Hagan's dF/da^2(t), the sensitivity to layer 2's output: ∂F/∂a², not (∂F/∂a)²."""
    from rnnquiz.render.tex import tex_math
    assert tex_math("dF/da^2(4)") == r"\frac{\partial F}{\partial a^2}(4)"
    assert tex_math("dF/dn^1(t)") == r"\frac{\partial F}{\partial n^1}(t)"
