"""A derivative with no step in free text (a title, a question): dF/diw, dE/dW, dE/du is set as
the fraction the working's own lines set it as, not left as the text 'dF/diw'; words with a
slash (and/or) stay text."""

import pytest

from conftest import ROOT, run
from rnnquiz.render.tex import tex_text


@pytest.mark.parametrize("text, tex", [
    ("Hagan's tapped delay lines: dF/diw by delay",
     r"Hagan's tapped delay lines: $\frac{\partial F}{\partial\ \mathrm{iw}}$ by delay"),
    ("CTC: dE/du at frame 2", r"CTC: $\frac{\partial E}{\partial u}$ at frame 2"),
    ("dF/db, (dE/dW).", r"$\frac{\partial F}{\partial b}$, ($\frac{\partial E}{\partial W}$)."),
])
def test_a_derivative_without_a_step_is_math(text, tex):
    assert tex_text(text) == tex


@pytest.mark.parametrize("text", ["and/or", "km/h", "dad/dog", "input/output"])
def test_words_with_a_slash_stay_text(text):
    assert tex_text(text) == text


def test_the_bundled_titles_in_latex():
    r = run("solve", str(ROOT / "problems" / "hagan_tapped_delay_line.yaml"), "--format",
            "latex")
    assert r.exit_code == 0
    assert r"\section*{Hagan's tapped delay lines: $\frac{\partial F}{\partial\ \mathrm{iw}}$ " \
           r"by delay}" in r.stdout
    assert "dF/d" not in r.stdout
