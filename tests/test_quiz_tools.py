"""quiz, new, probe, the LaTeX/dot/Markdown formats, --plot, notebooks, the bundled wheel."""

import io
import json
import os
import subprocess
import sys
import venv
from pathlib import Path

import pytest

import rnnquiz
from rnnquiz.cli import cli
from conftest import run

ROOT = Path(__file__).resolve().parent.parent
PROBLEMS = ROOT / "problems"


def test_quiz_grades_piped_answers_in_seed_order():
    files = [str(PROBLEMS / "hinton_p3.yaml"), str(PROBLEMS / "dlai_q10_direction.yaml")]
    first = run("quiz", *files, "--seed", "4", input="\n\n").stdout
    order = ["hinton" if "Hinton" in line else "dlai" for line in first.splitlines()
             if line.startswith("Question ")]
    answers = {"hinton": "-0.36", "dlai": "3"}
    r = run("quiz", *files, "--seed", "4", input="\n".join(answers[k] for k in order) + "\n")
    assert r.exit_code == 0 and r.stdout.rstrip().endswith("2/2 right")
    wrong = {"hinton": "-0.51", "dlai": "3"}
    r = run("quiz", *files, "--seed", "4", input="\n".join(wrong[k] for k in order) + "\n")
    assert r.exit_code == 1 and "1/2 right" in r.stdout
    assert "wrong: the answer is -0.36" in r.stdout and "maybe no_bias" in r.stdout
    assert "z_1 = W_xh·x_1" in r.stdout              # the working is shown on a wrong answer


def test_quiz_count_and_eof():
    r = run("quiz", str(PROBLEMS), "--count", "3", "--seed", "1", input="")
    assert r.exit_code == 1 and "0/0 right (stopped after 0 of 3 questions)" in r.stdout


@pytest.mark.parametrize("ptype", ["forward", "backprop", "vanishing", "hmm_bits", "lstm", "gru",
                                   "gated", "shapes", "clip", "perplexity", "decode"])
def test_new_is_deterministic_and_solvable(ptype, tmp_path):
    a = run("new", ptype, "--seed", "7").stdout
    assert a == run("new", ptype, "--seed", "7").stdout
    assert a != run("new", ptype, "--seed", "8").stdout
    r = run("solve", "-", "--json", input=a)
    assert r.exit_code == 0, r.stderr
    assert json.loads(r.stdout)["agrees"] is True


def test_new_never_overwrites_without_force(tmp_path):
    r = run("new", "forward", "--seed", "1", "--count", "2", "--out", str(tmp_path))
    assert r.exit_code == 0 and len(list(tmp_path.glob("*.yaml"))) == 2
    r = run("new", "forward", "--seed", "1", "--count", "2", "--out", str(tmp_path))
    assert r.exit_code == 2 and "exists; use --force" in r.stderr
    assert run("new", "forward", "--seed", "1", "--count", "2", "--out", str(tmp_path),
               "--force").exit_code == 0


def test_probe_names_consecutive_ones():
    r = run("probe", "--json")
    o = json.loads(r.stdout)
    assert o["answer"] == "whether the number of consecutive ones is odd"
    row = next(x for x in o["evidence"] if x["statistic"] == o["answer"])
    assert row["mapping"] == {"even": -1, "none": 0, "odd": 1}
    assert "h_t encodes whether the number of consecutive ones is odd" in run("probe").stdout


def test_latex_and_dot():
    tex = run("solve", "hinton_p3", "--format", "latex").stdout
    assert r"z_0 &= W_{xh}\cdot x_0 + W_{hh}\cdot h_{-1} + b_h" in tex
    assert r"\textbf{Answer:}" in tex
    dot = run("solve", "hinton_p3", "--format", "dot").stdout
    assert dot.startswith('digraph "hinton_p3"') and '"h_0" -> "h_1" [label="W_hh = -1"]' in dot
    assert '"x_2" -> "h_2" [label="W_xh = 0.5"]' in dot


def test_markdown_answer_key_for_a_choice():
    md = run("solve", str(PROBLEMS / "dlai_q3_many_to_one.yaml"), "--format", "markdown").stdout
    assert "- **✓** 2. Sentiment classification" in md and "**Answer:** 2, 4" in md


def test_plot_writes_a_real_png(tmp_path):
    pytest.importorskip("matplotlib")
    out = tmp_path / "p.png"
    r = run("solve", "hinton_p5", "mit_lstm_states_1", "--plot", str(out))
    assert r.exit_code == 0
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and out.stat().st_size > 10000
    r = run("solve", "hinton_p3", "--plot", str(tmp_path / "p.gif"))
    assert r.exit_code == 2 and ".png or .svg" in r.stderr


def test_notebook_shows_the_working_as_a_table():
    (p,) = rnnquiz.load(PROBLEMS / "hinton_p3.yaml")
    html = rnnquiz.solve(p)._repr_html_()
    assert "<" in html and "z_1 = W_xh·x_1 + W_hh·h_0 + b_h" in html and "-0.36" in html


@pytest.mark.skipif(bool(os.environ.get("RNNQUIZ_SKIP_WHEEL")), reason="RNNQUIZ_SKIP_WHEEL set")
def test_wheel_solves_bundled_problems_by_name(tmp_path):
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-w", str(tmp_path),
                    str(ROOT)], check=True, capture_output=True)
    wheel = next(tmp_path.glob("rnnquiz-*.whl"))
    env_dir = tmp_path / "venv"
    venv.create(env_dir, with_pip=True, system_site_packages=True)
    py = env_dir / "bin" / "python"
    subprocess.run([py, "-m", "pip", "install", "--no-deps", str(wheel)], check=True,
                   capture_output=True)
    out = subprocess.run([env_dir / "bin" / "rnnquiz", "solve", "hinton_p3", "--json"],
                         capture_output=True, text=True, cwd=tmp_path)
    assert out.returncode == 0 and json.loads(out.stdout)["agrees"] is True
    listing = subprocess.run([env_dir / "bin" / "rnnquiz", "list"], capture_output=True,
                             text=True, cwd=tmp_path).stdout
    assert "hinton_p3" in listing


def test_render_is_plain_for_a_stringio():
    (p,) = rnnquiz.load(PROBLEMS / "hinton_p3.yaml")
    out = io.StringIO()
    from rnnquiz.render import render_table
    render_table(rnnquiz.solve(p), out)
    assert "\x1b[" not in out.getvalue()
