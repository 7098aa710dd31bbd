"""quiz driven by piped stdin: questions in words, unreadable answers asked again, the first
wrong element named, a summary however it ends."""

import subprocess
import sys
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

import rnnquiz
from rnnquiz.cli.commands import cli
from rnnquiz.teaching.question import question_text
from conftest import run

PROBLEMS = Path(__file__).resolve().parent.parent / "problems"


def quiz(name, answers):
    return run("quiz", str(PROBLEMS / f"{name}.yaml"), input="".join(a + "\n" for a in answers))


def test_the_question_in_words():
    (p,) = rnnquiz.load(PROBLEMS / "hinton_p3.yaml")
    assert question_text(p, rnnquiz.solve(p)) == (
        "An RNN (logistic hidden units, linear output) with W_xh = 0.5, W_hh = -1, "
        "W_hy = -0.7, b_h = -1, b_y = 0, h_init = 0, receives x = 9, 4, -2. "
        "What is y_1, to 2 decimals?")
    r = quiz("hinton_p3", ["-0.36"])
    assert "What is y_1, to 2 decimals?" in " ".join(r.stdout.split())      # as wrapped
    asked = r.stdout.split("your answer")[0]
    assert "{'" not in asked and "': " not in asked             # no Python dict


def test_a_file_question_is_used_as_written(tmp_path):
    doc = (PROBLEMS / "hinton_p3.yaml").read_text() + "question: What does the net output at step 1?\n"
    f = tmp_path / "q.yaml"
    f.write_text(doc)
    assert "What does the net output at step 1?" in run("quiz", str(f), input="-0.36\n").stdout


def test_garbage_is_asked_again():
    r = quiz("hinton_p3", ["abc", "1,,2", "-0.36"])
    assert r.stdout.count("could not read that") == 2
    assert r.exit_code == 0 and r.stdout.rstrip().endswith("1/1 right")


@pytest.mark.parametrize("bad", ["1;2", "1e999", "2.9", "0", "5", "three"])
def test_a_choice_asks_again_for_what_is_not_an_option(bad):
    r = quiz("dlai_q10_direction", [bad, "3"])
    assert "could not read that" in r.stdout and "Traceback" not in r.stdout
    assert r.exit_code == 0 and r.stdout.rstrip().endswith("1/1 right")


def test_2_9_is_not_option_2():
    r = quiz("dlai_q10_direction", ["2.9"])
    assert "expected option numbers from 1 to 4, got 2.9" in r.stdout
    assert "right\n" not in r.stdout


def test_the_valid_words_are_listed_and_others_asked_again():
    r = quiz("hinton_p5", ["maybe", "vanishing"])
    assert "vanishing, exploding or neither" in r.stdout
    assert "could not read that (expected vanishing, exploding or neither" in r.stdout
    assert r.exit_code == 0


def test_a_wrong_list_names_its_first_wrong_element():
    r = quiz("mit_lstm_states_1", ["0,0,1,1,1,0"])
    assert "h_3: you said 1, it is -1" in r.stdout
    assert "published answer" not in r.stdout                    # the student was graded
    assert r.exit_code == 1 and r.stdout.rstrip().endswith("0/1 right")


def test_the_end_of_the_answers_gives_a_summary():
    r = run("quiz", str(PROBLEMS / "hinton_p3.yaml"), str(PROBLEMS / "hinton_p5.yaml"),
            "--seed", "1", input="")
    assert r.exit_code == 1 and "0/0 right (stopped after 0 of 2 questions)" in r.stdout


def test_ctrl_c_gives_a_summary(monkeypatch):
    calls = []

    def prompt(text, *a, **k):
        calls.append(1)
        if len(calls) == 1:
            return "vanishing" if "vanishing" in text else "-0.36"
        raise KeyboardInterrupt
    monkeypatch.setattr(click, "prompt", prompt)
    r = run("quiz", str(PROBLEMS / "hinton_p3.yaml"), str(PROBLEMS / "hinton_p5.yaml"),
            "--seed", "2")
    lines = r.stdout.rstrip().splitlines()
    assert lines[-1] == "1/1 right (stopped after 1 of 2 questions)"
    assert r.exit_code == 1


def test_a_closed_stdin_is_one_line_not_a_traceback():
    p = subprocess.run(["bash", "-c", f'"{sys.executable}" -m rnnquiz quiz hinton_p3 <&-'],
                       capture_output=True, text=True, timeout=60)
    assert p.returncode == 2 and "Traceback" not in p.stderr
    assert p.stderr.strip() == "error: quiz reads your answers from stdin, which is closed"


def test_colour_only_at_a_terminal():
    args = ["quiz", str(PROBLEMS / "hinton_p3.yaml")]
    coloured = CliRunner().invoke(cli, args, input="-0.36\n", color=True).stdout
    plain = CliRunner().invoke(cli, args, input="-0.36\n").stdout
    assert "\x1b[32m" in coloured and "\x1b[" not in plain


def test_check_refuses_a_fraction_of_an_option():
    (p,) = rnnquiz.load(PROBLEMS / "dlai_q10_direction.yaml")
    with pytest.raises(rnnquiz.ProblemError, match="from 1 to 4, got 2.9"):
        rnnquiz.check(p, "2.9")
    assert rnnquiz.check(p, "3")["agrees"] is True
