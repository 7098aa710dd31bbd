"""Every format read as a person's tools read it: pdflatex, a CommonMark parser, Jupyter's
display formatter, Graphviz, a JSON parser; and the number format they all share."""

import json
import math
import re
import shutil
import subprocess
from pathlib import Path

import pytest

import rnnquiz
from rnnquiz.render import FORMATS, RENDERERS
from rnnquiz.render.tex import tex_math
from rnnquiz.trace.numbers import fmt, substitute
from rnnquiz.render.table import table_text
from conftest import run

ROOT = Path(__file__).resolve().parent.parent
PROBLEMS = ROOT / "problems"
BUNDLED = sorted(p.stem for p in PROBLEMS.glob("*.yaml"))


# every problem of every bundled file (a file may hold several documents)
BUNDLED_DOCS = sum(len(rnnquiz.load(f)) for f in sorted(PROBLEMS.glob("*.yaml")))


def results(name):
    out = []
    for p in rnnquiz.load(PROBLEMS / f"{name}.yaml"):
        p.file = f"problems/{name}.yaml"
        out.append(rnnquiz.solve(p))
    return out


def rendered(name, fmt, fragment=False):
    return "".join(r.render(fmt, fragment=fragment) for r in results(name))


# ---------------------------------------------------------------- numbers

@pytest.mark.parametrize("value, text", [
    (0.970687769248643, "0.970688"), (-0.35512927312785325, "-0.355129"),
    (1.29e-6, "1.29e-6"),                 # not 0.000001: four significant digits below 1e-4
    (-0.000879, "-0.000879"), (40400, "40400"), (4.0, "4"), (0.0, "0"),
    (10 ** 400, "1e+400"), (3 * 10 ** 300 + 7, "3e+300"), (1e300, "1e+300"),
    (123456789.5, "1.23457e+8"), (float("inf"), "inf"), ([0.5, -1.0], "[0.5, -1]"),
])
def test_one_number_format(value, text):
    assert fmt(value) == text


def test_substitutions_carry_the_digits_of_the_values_they_came_from():
    # h_0 = 0.970688 is shown, so y_0's working uses 0.970688, which gives -0.679481 exactly
    assert substitute("{}·{} + {}", (-0.7, 0.970687769248643, 0.0)) == "(-0.7)·0.970688 + 0"
    assert round(-0.7 * 0.970688, 6) == -0.679482 or round(-0.7 * 0.970688, 6) == -0.679481
    assert substitute("σ({})", (-2.5,)) == "σ(-2.5)"


def test_saturated_activations_read_as_a_ta_writes_them():
    text = table_text(results("mit_lstm_states_1")[0])
    assert re.search(r"f_0 = σ\(z\^f_0\)\s+σ\(-100\)\s+≈ 0", text)
    assert "saturated: 3.72e-44" in text
    o = results("mit_lstm_states_1")[0].to_json()
    f0 = next(s for s in o["steps"] if s["symbol"] == "f_0")
    assert f0["value"] == pytest.approx(3.720075976020836e-44, rel=1e-12, abs=0)  # exact in JSON


def test_the_asked_row_stands_out():
    text = table_text(results("hinton_p4")[0])
    marked = [line for line in text.splitlines() if line.startswith("▶")]
    assert len(marked) == 1 and "dE/dz_1 = dE/dh_1·σ'(z_1)" in marked[0]
    assert marked[0].rstrip().endswith("0.013919")


# ---------------------------------------------------------------- LaTeX

def _math_segments(tex: str) -> list[str]:
    body = tex.split(r"\begin{document}", 1)[-1]
    aligns = re.findall(r"\\begin\{align\*\}(.*?)\\end\{align\*\}", body, re.S)
    inline = re.findall(r"(?<!\\)\$(.+?)(?<!\\)\$", re.sub(r"\\begin\{align\*\}.*?\\end\{align\*\}",
                                                           "", body, flags=re.S))
    return aligns + inline


def _balanced(text: str) -> bool:
    depth = 0
    for i, c in enumerate(text):
        if c in "{}" and i and text[i - 1] == "\\":
            continue
        depth += {"{": 1, "}": -1}.get(c, 0)
        if depth < 0:
            return False
    return depth == 0


@pytest.mark.parametrize("name", BUNDLED)
def test_latex_is_a_balanced_document_with_ascii_math(name):
    tex = run("solve", str(PROBLEMS / f"{name}.yaml"), "--format", "latex").stdout
    assert tex.startswith(r"\documentclass") and tex.rstrip().endswith(r"\end{document}")
    assert tex.count(r"\begin{document}") == 1
    assert _balanced(tex)
    for env in ("align*", "enumerate"):
        assert tex.count(rf"\begin{{{env}}}") == tex.count(rf"\end{{{env}}}")
    for seg in _math_segments(tex):
        assert seg.isascii(), f"non-ASCII math: {seg[:80]!r}"
        assert _balanced(seg)
        assert not re.search(r"\^\{[^{}]*\}\^|\^[A-Za-z0-9]\^", seg), f"double superscript: {seg}"
    assert r"\textbf{Answer:}" in tex


@pytest.mark.parametrize("tex_in, tex_out", [
    ("dE/dz_1", r"\frac{\partial E}{\partial z_1}"),
    ("z^Γ_f<0>", r"z^{\Gamma_{f}\langle 0\rangle}"),
    ("c̃<1>", r"\tilde{c}^{\langle 1\rangle}"),
    ("dz_3/dz_2", r"\frac{\partial z_3}{\partial z_2}"),
    ("σ(-100) = 3.72e-44", r"\sigma(-100) = 3.72\times 10^{-44}"),
])
def test_tex_math_writes_what_a_ta_writes(tex_in, tex_out):
    assert tex_math(tex_in) == tex_out


def test_latex_keeps_the_notes_and_puts_the_answer_under_the_working():
    tex = rendered("hinton_p4", "latex")
    assert "given by the exercise" in tex
    assert tex.index(r"\paragraph{Backward pass}") < tex.index(r"\textbf{Answer:}")
    assert r"\allowdisplaybreaks" in tex
    frag = rendered("hinton_p4", "latex", fragment=True)
    assert r"\documentclass" not in frag and r"\section*" in frag


@pytest.mark.skipif(shutil.which("pdflatex") is None,
                    reason="pdflatex is not installed (apt-get install texlive-latex-base "
                           "texlive-latex-recommended texlive-latex-extra)")
def test_pdflatex_compiles_every_bundled_problem(tmp_path):
    # every problem's working in one document (one pdflatex run: a run per problem cost a
    # quarter of the suite's time), and nothing runs off its pages
    r = run("solve", *[str(PROBLEMS / f"{n}.yaml") for n in BUNDLED], "--format", "latex")
    assert r.exit_code == 0
    assert r.stdout.count(r"\section*") >= BUNDLED_DOCS
    (tmp_path / "all.tex").write_text(r.stdout)
    p = _pdflatex(tmp_path, "all.tex")
    assert p.returncode == 0, [ln for ln in p.stdout.splitlines() if ln.startswith("!")]
    assert "Overfull \\hbox" not in (tmp_path / "all.log").read_text(errors="replace")
    # --out-dir writes a file for each problem of every file, each a document of its own
    # (the same preamble): three of them compiled alone
    out = tmp_path / "each"
    r = run("solve", *[str(PROBLEMS / f"{n}.yaml") for n in BUNDLED], "--format", "latex",
            "--out-dir", str(out))
    assert r.exit_code == 0
    written = r.stdout.split()
    assert len(written) == BUNDLED_DOCS
    for name in ("hinton_p4", "hagan_tapped_delay_line", written[0]):
        tex = Path(name).name if name.endswith(".tex") else f"{name}.tex"
        p = _pdflatex(out, tex)
        assert p.returncode == 0 and (out / tex).with_suffix(".pdf").exists(), tex
    # one long working breaks across pages instead of overflowing a blank first page
    log = (out / "hinton_p4.log").read_text(errors="replace")
    assert "Output written" in log and "pages" in log


def _pdflatex(cwd, name):
    return subprocess.run(["pdflatex", "-interaction=nonstopmode", "-halt-on-error", name],
                          cwd=cwd, capture_output=True, text=True, timeout=120)


@pytest.mark.skipif(shutil.which("pdflatex") is None, reason="pdflatex is not installed")
def test_a_batch_in_latex_is_one_document(tmp_path):
    r = run("solve", "hinton_p3", "hinton_p5", "--format", "latex")
    (tmp_path / "key.tex").write_text(r.stdout)
    assert r.stdout.count(r"\documentclass") == 1 and r.stdout.count(r"\section*") == 2
    p = subprocess.run(["pdflatex", "-interaction=nonstopmode", "-halt-on-error", "key.tex"],
                       cwd=tmp_path, capture_output=True, timeout=120)
    assert p.returncode == 0


# ---------------------------------------------------------------- Markdown

def _md_tokens(text, math=False):
    """CommonMark with tables; with `math`, also the dollarmath plugin (where installed), as
    MyST and Jupyter read `$...$`."""
    from markdown_it import MarkdownIt
    md = MarkdownIt("commonmark").enable("table")
    if math:
        dollarmath = pytest.importorskip("mdit_py_plugins.dollarmath",
                                         reason="mdit-py-plugins is not installed")
        md = md.use(dollarmath.dollarmath_plugin)
    return md.parse(text)


def _inline_text(tok) -> str:
    return "".join(c.content for c in (tok.children or []) if c.type in ("text", "code_inline"))


@pytest.mark.parametrize("name", BUNDLED)
def test_markdown_has_no_swallowed_tags(name):
    tokens = _md_tokens(rendered(name, "markdown"))
    for t in tokens:
        for c in t.children or []:
            assert c.type != "html_inline", f"{c.content!r} read as HTML"
        assert t.type != "html_block"


def test_markdown_keeps_x_t_of_dlai_q10():
    tokens = _md_tokens(rendered("dlai_q10_direction", "markdown"))
    text = " ".join(_inline_text(t) for t in tokens if t.type == "inline")
    assert "x<1> ... x<365>" in text and "y<1>" in text


def _md_rows(tokens) -> list[list[str]]:
    """The Markdown tables' rows as a reader sees them: each cell's text, its math as TeX."""
    rows, row = [], None
    for t in tokens:
        if t.type == "tr_open":
            row = []
        elif t.type == "inline" and row is not None:
            row.append("".join(c.content for c in t.children or []
                               if c.type in ("text", "code_inline", "math_inline")))
        elif t.type == "tr_close":
            rows.append(row)
            row = None
    return [x for x in rows if x[0] != "t"]


def test_markdown_phases_have_headings_and_the_table_text():
    from rnnquiz.render.tex import tex_math
    from rnnquiz.render.working import step_value
    r = results("hinton_p4")[0]
    tokens = _md_tokens(r.render("markdown"), math=True)
    headings = [_inline_text(tokens[i + 1]) for i, t in enumerate(tokens)
                if t.type == "heading_open"]
    for phase in ("forward pass", "values the exercise gives", "loss", "backward pass",
                  "parameter gradients"):
        assert phase in headings
    rows = _md_rows(tokens)
    assert len(rows) == len(r.steps) and all(len(x) == 5 for x in rows)
    # the terminal table, wide enough for one line a step: each of its lines has a row with
    # the same value, whose math has the line's symbols (as TeX) and every one of its numbers
    table = table_text(r, width=300)
    lines = [ln for ln in table.splitlines() if re.match(r"^(▶ )?\d*\s+[^\s]+ = ", ln)
             or re.match(r"^(▶ )?\d*\s+(dE/|E |σ')", ln)]
    assert len(lines) >= 30
    for line in lines:
        body = re.sub(r"^▶?\s*\d*\s+", "", line)
        symbol = tex_math(body.split(" = ", 1)[0].split()[0]).strip()
        numbers = re.findall(r"\d+\.\d+", body)
        md_row = next((x for x in rows if line.rstrip().endswith(x[3]) and symbol in x[1]
                       and all(n in x[1] + x[2] + x[3] for n in numbers)), None)
        assert md_row is not None, line
    assert any("0.013919" in x[3] for x in rows)
    for s, x in zip(r.steps, rows):
        assert x[3] == step_value(s)


@pytest.mark.parametrize("name", BUNDLED)
def test_markdown_math_is_read_as_math(name):
    """Every $...$ is one math span under dollarmath (no dollar left in the text), ASCII TeX
    with no pipe (a table would split there), and no span is empty."""
    text = rendered(name, "markdown")
    spans = 0
    for t in _md_tokens(text, math=True):
        for c in t.children or []:
            if c.type == "math_inline":
                spans += 1
                assert c.content.strip() == c.content and c.content, c.content
                assert c.content.isascii() and "|" not in c.content, c.content
            elif c.type == "text":
                assert "$" not in c.content, c.content
            assert c.type not in ("html_inline", "math_block"), c.content
    if name != "hinton_p2_choice" and "$" in text:
        assert spans >= 1


def test_markdown_math_has_the_symbols_and_numbers_and_the_text_stays_plain():
    tokens = _md_tokens(rendered("hinton_p3", "markdown"), math=True)
    rows = _md_rows(tokens)
    assert ["1", r"h_1 = \sigma(z_1)", r"\sigma(0.029312)", "0.507328", ""] in [
        [c.strip() for c in x] for x in rows]
    asked = next(x for x in rows if x[0].startswith("▶"))
    assert asked[1].startswith("y_1 = W_{hy}") and "0.507328" in asked[2]
    paragraphs = " ".join(_inline_text(t) for t in tokens if t.type == "inline")
    assert "published answer -0.36: agrees" in paragraphs
    # where Markdown has no math (plain CommonMark) the TeX stays between its dollars
    plain = _md_tokens(rendered("dlai_q10_direction", "markdown"))
    text = " ".join(_inline_text(t) for t in plain if t.type == "inline")
    assert "x<1> ... x<365>" in text


# ---------------------------------------------------------------- HTML and Jupyter

def test_html_is_one_self_contained_page():
    page = run("solve", "hinton_p3", "hinton_p4", "--format", "html").stdout
    assert page.startswith("<!DOCTYPE html>") and page.count("<!DOCTYPE") == 1
    assert page.count("<table>") == 2 and page.rstrip().endswith("</html>")
    assert "src=" not in page and "href=" not in page       # nothing fetched from elsewhere
    from html.parser import HTMLParser
    HTMLParser().feed(page)


def test_jupyter_shows_the_working_once_as_a_table(capsys):
    pytest.importorskip("IPython")
    from IPython.core.formatters import DisplayFormatter
    (p,) = rnnquiz.load(PROBLEMS / "hinton_p3.yaml")
    result = rnnquiz.solve(p)
    data, _ = DisplayFormatter().format(result)
    html = data["text/html"]
    assert "<!DOCTYPE" not in html and "<html" not in html
    assert html.count("<table>") == 1
    assert html.count("z_1 = W_xh·x_1 + W_hh·h_0 + b_h") == 1
    assert "-0.355129" in html
    plain = data["text/plain"]
    assert "\n" not in plain and len(plain) < 200
    assert plain == "<Result forward hinton_p3.yaml: y at t=1 = -0.36, agrees>"
    assert capsys.readouterr().out == ""            # nothing printed beside Out[]


def test_repr_is_one_line_for_every_bundled_problem():
    for name in BUNDLED:
        for r in results(name):
            assert "\n" not in repr(r) and len(repr(r)) < 200


@pytest.mark.parametrize("fmt", FORMATS)
def test_result_render_gives_every_format(fmt):
    r = results("hinton_p3")[0]
    text = r.render(fmt)
    if fmt == "dot":
        # no rounded answer in a graph: y_1 = -0.7·σ(0.5·4 - σ(0.5·9 - 1) - 1), by hand
        sig = lambda z: 1 / (1 + math.exp(-z))                  # noqa: E731
        y1 = -0.7 * sig(0.5 * 4 - sig(0.5 * 9 - 1) - 1)
        assert f'"y_1" [label="y_1\\n{y1:.6f}"]' in text and f"{y1:.6f}" == "-0.355129"
    else:
        assert "-0.36" in text
    if fmt == "json":
        assert json.loads(text)["answer_rounded"] == -0.36


def test_check_in_the_api():
    (p,) = rnnquiz.load(PROBLEMS / "hinton_p3.yaml")
    assert rnnquiz.check(p, "-0.36")["agrees"] is True
    v = rnnquiz.check(p, "-0.35")
    assert v["agrees"] is False and v["digits"] == 2 and v["expected_rounded"] == -0.36
    with pytest.raises(rnnquiz.ProblemError, match="answered with numbers"):
        rnnquiz.check(p, "abc")


# ---------------------------------------------------------------- dot

def test_dot_aligns_steps_and_shows_values():
    dot = rendered("hinton_p3", "dot")
    assert dot.startswith('digraph "hinton_p3"')
    assert '"h_1" [label="h_1\\n0.507328"]' in dot
    assert '{ rank=same; "h_0"; "h_1"; "h_2"; }' in dot


@pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz is not installed")
@pytest.mark.parametrize("name", ["hinton_p3", "mit_lstm_states_1", "dlai_q9_lstm_as_gru",
                                  "hinton_p1", "mit_gating_choice"])
def test_graphviz_reads_the_dot(name, tmp_path):
    p = subprocess.run(["dot", "-Tsvg"], input=rendered(name, "dot").split("\n}\n")[0] + "\n}\n",
                       capture_output=True, text=True, timeout=60)
    assert p.returncode == 0, p.stderr
    assert "<svg" in p.stdout


@pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz is not installed")
def test_a_file_named_1st_yaml_gives_a_graph_graphviz_accepts(tmp_path):
    src = tmp_path / "1st.yaml"
    src.write_text((PROBLEMS / "hinton_p3.yaml").read_text())
    dot = run("solve", str(src), "--format", "dot").stdout
    assert dot.startswith('digraph "1st"')
    assert subprocess.run(["dot", "-Tsvg"], input=dot, capture_output=True, text=True).returncode == 0


def test_dot_for_several_problems_goes_to_one_file_each(tmp_path):
    r = run("solve", "hinton_p3", "hinton_p5", "--format", "dot")
    assert r.exit_code == 2 and "--out-dir" in r.stderr
    r = run("solve", "hinton_p3", "hinton_p5", "--format", "dot", "--out-dir", str(tmp_path))
    assert r.exit_code == 0
    files = sorted(f.name for f in tmp_path.iterdir())
    assert files == ["hinton_p3.dot", "hinton_p5.dot"]
    assert all(f.read_text().count("digraph") == 1 for f in tmp_path.iterdir())


def test_dot_for_a_file_of_several_documents_is_one_graph_each(tmp_path):
    """mit_gated_rnn.yaml holds two problems (---): on stdout that is refused as a folder is,
    with nothing written; with --out-dir, one .dot each, every one a graph Graphviz draws."""
    src = PROBLEMS / "mit_gated_rnn.yaml"
    assert len(rnnquiz.load(src)) == 2
    r = run("solve", str(src), "--format", "dot")
    assert r.exit_code == 2 and r.stdout == ""
    assert "holds 2 problems" in r.stderr and "--out-dir" in r.stderr
    r = run("solve", "-", "--format", "dot", input=src.read_text())
    assert r.exit_code == 2 and r.stdout == ""
    r = run("solve", str(src), "--format", "dot", "--out-dir", str(tmp_path))
    assert r.exit_code == 0
    files = sorted(tmp_path.iterdir())
    assert [f.name for f in files] == ["mit_gated_rnn.dot", "mit_gated_rnn_2.dot"]
    assert r.stdout.split() == [str(f) for f in files]
    texts = [f.read_text() for f in files]
    assert all(t.count("digraph") == 1 for t in texts) and texts[0] != texts[1]
    if shutil.which("dot") is None:
        pytest.skip("Graphviz is not installed: the graphs were not drawn")
    for f in files:
        p = subprocess.run(["dot", "-Tsvg", str(f)], capture_output=True, text=True, timeout=60)
        assert p.returncode == 0 and p.stdout.count("<svg") == 1, p.stderr


# ---------------------------------------------------------------- JSON, big and overflowed numbers

def test_json_escapes_the_line_separators():
    doc = (PROBLEMS / "hinton_p3.yaml").read_text().replace(
        "title:", 'title: "a\u2028b\u2029c" #', 1)
    r = run("solve", "-", "--json", input=doc)
    line = r.stdout
    assert "\u2028" not in line and "\\u2028" in line and "\\u2029" in line
    assert json.loads(line)["title"] == "a\u2028b\u2029c"


# (shapes refuses more than 10^9 units by name; its largest count still renders)
BIG = ["type: shapes\ncell: lstm\ninput: 1000000000\nhidden: 1000000000\nask: {quantity: params}\n",
       "type: hmm_bits\nstates: 1" + "0" * 15 + "\n"]


@pytest.mark.parametrize("fmt", FORMATS)
def test_very_large_integers_render(fmt, tmp_path):
    files = []
    for i, text in enumerate(BIG):
        files.append(tmp_path / f"big{i}.yaml")
        files[-1].write_text(text)
    args = ["--out-dir", str(tmp_path / "out")] if fmt == "dot" else []
    r = run("solve", *map(str, files), "--format", fmt, *args)
    assert r.exit_code == 0, r.stderr
    # by hand: an LSTM has 4·(h·x + h·h + h) parameters; 10^15 states carry log2(10^15) bits
    params, bits = 4 * (10 ** 18 + 10 ** 18 + 10 ** 9), 15 * math.log2(10)
    assert params == 8000000004000000000 and f"{bits:.6f}" == "49.828921"
    if fmt == "json":
        o0, o1 = (json.loads(line) for line in r.stdout.splitlines())
        assert o0["answer"] == params and type(o0["answer"]) is int
        assert o1["answer"] == pytest.approx(bits, rel=1e-15)
    elif fmt == "dot":
        graphs = [(tmp_path / "out" / f"big{i}.dot").read_text() for i in range(2)]
        assert all(g.startswith(f'digraph "big{i}"') for i, g in enumerate(graphs))
        assert "shapes problems have no network to draw" in graphs[0]
    else:
        # the answer to the last digit (the working may shorten a step's value to 8e+18)
        assert f"params = {params}" in r.stdout or f"params $=$ {params}" in r.stdout, r.stdout
        assert f"{bits:.6f}" in r.stdout
    if fmt == "table":
        assert "8e+18" in r.stdout and "1e+15" in r.stdout
        assert max(len(line) for line in r.stdout.splitlines()) <= 100


def test_overflowed_steps_are_named_with_a_note(tmp_path):
    src = tmp_path / "ovf.yaml"
    src.write_text("type: forward\nnetwork: {hidden: linear, W_xh: 1, W_hh: 1.0e+300, W_hy: 1}\n"
                   "inputs: [1.0e+10, 1, 1]\nask: {quantity: y, t: 0}\n")
    table = run("solve", str(src)).stdout
    z1 = next(line for line in table.splitlines() if line.lstrip().startswith("1   z_1"))
    assert z1.rstrip().endswith("overflow") and "inf" not in z1.split("  ")[-1]
    assert "overflowed float64" in table
    o = json.loads(run("solve", str(src), "--json").stdout)
    step = next(s for s in o["steps"] if s["symbol"] == "z_1")
    assert step["value"] is None and "overflowed" in step["note"]


def test_the_trace_does_not_import_the_renderers():
    # the renderers read the trace: the trace (the working as data) never imports them back
    for path in (ROOT / "rnnquiz" / "trace").glob("*.py"):
        assert "render" not in " ".join(re.findall(r"^\s*(?:from|import) .*", path.read_text(),
                                                    flags=re.M)), path.name
    assert set(RENDERERS) == set(FORMATS)


def test_batch_summary_on_stderr():
    r = run("solve", str(PROBLEMS), "--json")
    n = BUNDLED_DOCS
    assert r.stderr.strip().splitlines()[-1] == f"{n} solved, {n} agree"
    assert len(r.stdout.splitlines()) == n


def test_a_minibatch_working_names_big_operands_by_shape_and_never_cuts_values():
    text = run("solve", str(PROBLEMS / "cs231n_rnn_step_forward.yaml")).stdout
    # x (3×10) and Wx (10×4) by their shapes; h0 (3×4) and Wh (4×4) small enough to write out
    assert "(3×10)·(10×4) + [[-0.2," in text and "3×4 matrix" in text
    out = json.loads(run("solve", str(PROBLEMS / "cs231n_rnn_step_forward.yaml"), "--json").stdout)
    assert "[0.5, 0.566667, 0.633333, 0.7]] + [-0.2, 0, 0.2, 0.4]" in out["steps"][0]["working"]
    for value in ("-0.581721", "0.92796", "0.998544"):       # each row of next_h, whole
        assert value in text
    assert "…" not in text


def test_an_executed_notebook_shows_the_working_once(tmp_path):
    nbformat = pytest.importorskip("nbformat")
    nbclient = pytest.importorskip("nbclient")
    pytest.importorskip("ipykernel")
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(
        "import rnnquiz\n"
        f"rnnquiz.solve(rnnquiz.load({str(PROBLEMS / 'hinton_p3.yaml')!r})[0])"),
        nbformat.v4.new_code_cell(           # rich would display instead of returning the text
            "text = _.render('table')\n'y_1 = W_hy·h_1 + b_y' in text and '0.355129' in text")]
    from jupyter_client.kernelspec import NoSuchKernel
    try:
        nbclient.NotebookClient(nb, timeout=120, kernel_name="python3").execute()
    except NoSuchKernel as err:       # only a missing kernel; rnnquiz's own errors fail here
        pytest.skip(f"no Jupyter kernel: {err}")
    outputs = nb.cells[0].outputs
    assert [o.output_type for o in outputs] == ["execute_result"]     # no stray print
    html = outputs[0].data["text/html"]
    assert html.count("<table>") == 1 and "<!DOCTYPE" not in html
    assert "\n" not in outputs[0].data["text/plain"]
    assert [o.get("data", {}).get("text/plain") for o in nb.cells[1].outputs] == ["True"]


@pytest.mark.parametrize("tally, line", [
    ({"solved": 25, "agree": 25, "disagree": 0, "failed": 0}, "25 solved, 25 agree"),
    ({"solved": 3, "agree": 1, "disagree": 1, "failed": 2},
     "3 solved, 1 agrees, 1 disagrees, 1 without a published answer, 2 failed"),
    ({"solved": 2, "agree": 0, "disagree": 0, "failed": 0},
     "2 solved (no published answers to compare)"),
    ({"solved": 0, "agree": 0, "disagree": 0, "failed": 2}, "0 solved, 2 failed"),
])
def test_batch_summary_wording(tally, line):
    from rnnquiz.cli.sources import summary
    assert summary(tally) == line


def test_every_format_renders_random_problems(tmp_path):
    from hypothesis import HealthCheck, given, settings
    from test_properties import network_problem
    bodies = []

    @settings(max_examples=60, deadline=None, derandomize=True,
              suppress_health_check=[HealthCheck.too_slow])
    @given(network_problem())
    def check(doc):
        r = rnnquiz.solve(doc)
        for fmt in FORMATS:
            text = r.render(fmt)
            assert text
        tex = r.render("latex")
        assert _balanced(tex)
        for seg in _math_segments(tex):
            assert seg.isascii() and _balanced(seg), seg[:80]
        for t in _md_tokens(r.render("markdown")):
            assert all(c.type != "html_inline" for c in t.children or [])
        bodies.append(r.render("latex", fragment=True))
    check()
    if shutil.which("pdflatex"):            # and pdflatex reads them all, as one document
        from rnnquiz.render.latex import END, PREAMBLE
        (tmp_path / "random.tex").write_text(PREAMBLE + "".join(bodies) + END)
        p = subprocess.run(["pdflatex", "-interaction=nonstopmode", "-halt-on-error",
                            "random.tex"], cwd=tmp_path, capture_output=True, text=True,
                           timeout=300)
        assert p.returncode == 0, [ln for ln in p.stdout.splitlines() if ln.startswith("!")]
