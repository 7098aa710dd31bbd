"""The conventions' table in LaTeX, Markdown and HTML: ids and names from code are text
(gru_update_old_state is not a symbol with a subscript), and pdflatex reads it."""

import re
import shutil
import subprocess

import pytest

from conftest import run

# files whose tables have every kind of label: names from code (reset_after, bias_ih,
# ctc_loss, clip_by_norm), h^(1), ½ and log₂
FILES = ["hinton_p3", "cmu11785_hw3p1", "keras_simple_rnn_dense", "cmu11785_hw3_ctc",
         "d2l_9_5_clip_norm", "hagan_sse_gradient", "perplexity_by_hand"]


def _latex(name):
    r = run("solve", name, "--conventions", "--format", "latex")
    assert r.exit_code == 0, r.output
    return r.stdout


def _table(tex):
    """The conventions' table alone (the working has its own symbols)."""
    start = tex.index("each convention")
    return tex[start:tex.index(r"\end{tabular}", start)]


def test_an_id_is_typewriter_text_with_its_underscores_escaped():
    tex = _table(_latex("hinton_p3"))
    # written by hand: the id as the user types it, breakable after each underscore
    assert r"\texttt{steps\_\allowbreak{}from\_\allowbreak{}0}" in tex
    assert r"\mathrm{steps}" not in tex and r"{from,0}" not in tex


def test_names_from_code_in_a_label_are_text():
    tex = _table(_latex("cmu11785_hw3p1"))
    assert r"\texttt{gru\_\allowbreak{}update\_\allowbreak{}old\_\allowbreak{}state" in tex
    assert r"\mathrm{gru}" not in tex and r"\mathrm{reset}" not in tex
    tex = _table(_latex("keras_simple_rnn_dense"))
    assert r"\texttt{bias\_\allowbreak{}ih}" in tex and r"\mathrm{bias}" not in tex
    assert r"\texttt{reset\_\allowbreak{}after}" in tex
    # the courses' symbols stay math: Goodfellow's h^(1), the ½ and log₂ are typeset
    assert r"($h^{(1)}$)" in _latex("hinton_p3")
    assert r"\tfrac{1}{2}" in _latex("hagan_sse_gradient")
    assert "log$_2$" in _latex("perplexity_by_hand")


def test_markdown_and_html_keep_the_underscores():
    md = run("solve", "cmu11785_hw3p1", "--conventions", "--format", "markdown").stdout
    start = md.index("each convention")
    table = md[start:md.index("\n\n", md.index("|---", start))]
    # outside code spans an underscore is escaped, so nothing between two is italic
    prose = re.sub(r"`[^`]*`", "", table)
    assert re.search(r"(?<!\\)_", prose) is None
    assert "`gru_update_old_state+gru_reset_after`" in table
    html = run("solve", "cmu11785_hw3p1", "--conventions", "--format", "html").stdout
    assert "<code>gru_update_old_state+gru_reset_after</code>" in html
    start = html.index("each convention")
    assert "<em>" not in html[start:html.index("</table>", start)]


@pytest.mark.skipif(shutil.which("pdflatex") is None, reason="pdflatex is not installed")
def test_pdflatex_reads_the_tables(tmp_path):
    failed = []
    for name in FILES:
        (tmp_path / f"{name}.tex").write_text(_latex(name))
        p = subprocess.run(["pdflatex", "-interaction=nonstopmode", "-halt-on-error",
                            f"{name}.tex"], cwd=tmp_path, capture_output=True, text=True,
                           timeout=120)
        if p.returncode != 0:
            failed.append((name, [ln for ln in p.stdout.splitlines() if ln.startswith("!")]))
    assert not failed
    # nothing runs off the page: a matrix answer breaks after its commas
    wide = [f.name for f in tmp_path.glob("*.log")
            if "Overfull \\hbox" in f.read_text(errors="replace")]
    assert not wide
