"""What is pasted where it is read: HTML that shows subscripts as subscripts (and keeps its look
and the asked row's mark when pasted as a fragment), Markdown whose math Moodle's and Canvas'
MathJax read (`--math parens`), a LaTeX fragment that says which packages it needs and that
compiles with exactly those, and tokens such as <eos> set as text."""

from __future__ import annotations

import re
import shutil
import subprocess
from html.parser import HTMLParser

import pytest

from conftest import run


class _Page(HTMLParser):
    """The text a browser shows (attributes left out), and every element with its attributes."""

    def __init__(self):
        super().__init__()
        self.text, self.elements, self._skip = [], [], 0

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, dict(attrs)))
        self._skip += tag in ("style", "script")

    def handle_endtag(self, tag):
        self._skip -= tag in ("style", "script")

    def handle_data(self, data):
        if not self._skip:
            self.text.append(data)


def _page(html: str) -> _Page:
    p = _Page()
    p.feed(html)
    p.close()
    return p


def test_html_shows_subscripts_not_braces():
    html = run("solve", "hinton_p3", "--format", "html").stdout
    page = _page(html)
    shown = "".join(page.text)
    assert "h_{-1}" not in shown and "W_hh" not in shown and "_" not in shown
    assert "<i>h</i><sub>-1</sub>" in html and "<i>W</i><sub>hh</sub>" in html
    # the TeX is kept for a page that runs MathJax, the working's own text for copying
    spans = [a for tag, a in page.elements if tag == "span" and a.get("class") == "math"]
    assert any(a["data-tex"] == r"z_0 = W_{xh}\cdot x_0 + W_{hh}\cdot h_{-1} + b_h"
               and a["title"] == "z_0 = W_xh·x_0 + W_hh·h_{-1} + b_h" for a in spans)


@pytest.mark.parametrize("text, html", [
    ("z^g_0", "<i>z</i><sub>0</sub><sup>g</sup>"),
    ("Γ_u<1>", "Γ<sub>u</sub><sup>⟨1⟩</sup>"),
    ("z^Γ_u<3>", "<i>z</i><sup>Γ<sub>u</sub>⟨3⟩</sup>"),
    ("h^(1)_2", "<i>h</i><sub>2</sub><sup>(1)</sup>"),
    ("dE/dW_hh", "dE/dW<sub>hh</sub>"),
    ("argmax_y", "argmax<sub>y</sub>"),
    ("gate_dim", "gate_dim"),
    ("A <eos>", "A &lt;eos&gt;"),
])
def test_html_math_sets_each_kind_of_symbol(text, html):
    from rnnquiz.render.htmlmath import math_html
    assert math_html(text) == html


def test_an_html_fragment_keeps_its_look_and_the_asked_row_its_mark():
    html = run("solve", "hinton_p3", "--format", "html", "--fragment").stdout
    assert "<style" not in html and "<!DOCTYPE" not in html
    page = _page(html)
    rows = [a for tag, a in page.elements if tag == "td"]
    assert all("style" in a for a in rows)
    asked = [a for tag, a in page.elements if tag == "td" and "background:#fff6d5" in a["style"]]
    assert len(asked) == 4                       # the one asked row, each of its cells
    assert "".join(page.text).count("▶") == 1    # the mark, also where styles are dropped


def test_html_with_mathjax_delimiters():
    html = run("solve", "hinton_p3", "--format", "html", "--math", "parens").stdout
    assert r"\(z_0 = W_{xh}\cdot x_0 + W_{hh}\cdot h_{-1} + b_h\)" in "".join(_page(html).text)


def _markdown_html(text: str) -> str:
    from markdown_it import MarkdownIt
    return MarkdownIt("commonmark").enable("table").render(text)


def test_markdown_parens_reads_as_mathjax_math_after_markdown():
    md = run("solve", "hinton_p3", "--format", "markdown", "--math", "parens").stdout
    html = _markdown_html(md)
    assert r"\(z_0 = W_{xh}\cdot x_0 + W_{hh}\cdot h_{-1} + b_h\)" in html
    assert r"\(h_0 = \sigma(z_0)\)" in html
    assert "<em>" not in html and "$" not in html


def test_markdown_parens_keeps_tokens_as_math_text():
    md = run("solve", "d2l_10_8_greedy", "--format", "markdown", "--math", "parens").stdout
    html = _markdown_html(md)
    assert r"\mathtt{\lt eos\gt}" in html
    assert "<eos>" not in html                   # never a tag the browser would swallow


def test_markdown_without_math_is_the_working_as_text():
    md = run("solve", "hinton_p3", "--format", "markdown", "--math", "none").stdout
    html = _markdown_html(md)
    assert "z_0 = W_xh·x_0 + W_hh·h_{-1} + b_h" in html and "$" not in html and r"\(" not in html


def test_math_is_refused_where_it_means_nothing():
    r = run("solve", "hinton_p3", "--format", "latex", "--math", "parens")
    assert r.exit_code == 2 and "--math parens is not for --format latex" in r.stderr


def test_the_latex_fragment_names_its_packages_first():
    tex = run("solve", "hinton_p3", "hinton_p4", "--format", "latex", "--fragment").stdout
    assert tex.startswith("% ") and r"\usepackage{amsmath,amssymb}" in tex.splitlines()[0]
    assert tex.count(r"\usepackage") == 2        # said once, in the comment


def test_tokens_are_text_in_latex():
    tex = run("solve", "d2l_10_8_greedy", "--format", "latex").stdout
    assert r"\texttt{<eos>}" in tex
    assert r"<\mathrm{eos}>" not in tex and r"\textless{}eos" not in tex


def test_no_backtick_leaks_into_the_working():
    for fmt in ("table", "html", "latex"):
        out = run("solve", "mit_lstm_info_choice", "--format", fmt).stdout
        assert "`" not in out


@pytest.mark.skipif(shutil.which("pdflatex") is None, reason="pdflatex is not installed")
def test_the_fragment_compiles_with_exactly_the_packages_it_names(tmp_path):
    tex = run("solve", "d2l_10_8_greedy", "mit_lstm_calculation", "--format", "latex",
              "--fragment").stdout
    packages = re.findall(r"\\usepackage(?:\[[^]]*\])?\{[^}]*\}", tex.splitlines()[0])
    assert len(packages) == 2
    doc = "\\documentclass{article}\n" + "\n".join(packages) + \
        "\n\\begin{document}\n" + tex + "\\end{document}\n"
    (tmp_path / "mine.tex").write_text(doc, encoding="utf-8")
    p = subprocess.run(["pdflatex", "-interaction=nonstopmode", "-halt-on-error", "mine.tex"],
                       cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert p.returncode == 0, [ln for ln in p.stdout.splitlines() if ln.startswith("!")]
    if shutil.which("pdftotext"):                # <eos> reads as <eos>, not ¡eos¿
        text = subprocess.run(["pdftotext", "mine.pdf", "-"], cwd=tmp_path,
                              capture_output=True, text=True).stdout
        assert "<eos>" in text and "¡" not in text and "P(B | A)" in text


def test_the_api_takes_the_same_math_choice():
    import rnnquiz
    from conftest import PROBLEMS
    (p,) = rnnquiz.load(PROBLEMS / "hinton_p3.yaml")
    md = rnnquiz.solve(p).render("markdown", math="parens")
    assert r"\\(h\_0 = \\sigma(z\_0)\\)" in md
