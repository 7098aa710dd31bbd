"""Issue 30: what an error line echoes of the file is cut (with its length said), and shows
invisible characters escaped; COLUMNS=0 does not make the tables vanish."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from hypothesis import given, settings, strategies as st

from conftest import PROBLEMS, ROOT, run

P3 = (PROBLEMS / "hinton_p3.yaml").read_text()
BIG = "W" * 300_000


def error_of(tmp_path, text: str) -> str:
    f = tmp_path / "p.yaml"
    f.write_text(text, encoding="utf-8")
    r = run("solve", str(f))
    assert r.exit_code == 2
    assert r.stderr.count("\n") == 1
    return r.stderr.removeprefix(f"error: {f}:")


@pytest.mark.parametrize("text, expected", [
    (P3.replace("network:\n", f"network:\n  ? {BIG}\n  : 1\n"),
     "5: network." + "W" * 60 + "… (300,000 characters): unknown key for the rnn cell"),
    (P3.replace("quantity: y", f"quantity: {BIG}"),
     "14: ask.quantity: forward has no quantity '" + "W" * 60 + "…' (300,000 characters); "
     "expected one of h, y, z"),
    (P3 + f"? {BIG}\n: 1\n",
     "16: " + "W" * 60 + "… (300,000 characters): unknown key for type forward"),
])
def test_a_300_kb_key_or_word_is_cut_with_its_length(tmp_path, text, expected):
    line = error_of(tmp_path, text)
    assert line.startswith(expected)
    assert len(line) < 400


def test_a_300_kb_token_is_cut_with_its_length(tmp_path):
    doc = (PROBLEMS / "beam_search_by_hand.yaml").read_text().split("---")[0]
    line = error_of(tmp_path, doc.replace("eos: <eos>", f"eos: {BIG}"))
    assert line == (f"11: eos: '{'W' * 60}…' (300,000 characters) is not in the vocabulary "
                    "(A, B, C, <eos>)\n")


def test_a_long_option_on_the_command_line_is_cut():
    r = run("solve", "--" + "W" * 100_000)
    assert r.exit_code == 2
    assert r.stderr.startswith("error: No such option '--" + "W" * 58 + "…' (100,002 characters)")


@pytest.mark.parametrize("char, shown", [("\u200b", "\\u200b"), ("\ufeff", "\\ufeff"),
                                         ("\xa0", "\\xa0"), ("\xad", "\\xad"),
                                         ("\u2060", "\\u2060")])
def test_an_invisible_character_in_a_key_is_shown_escaped(tmp_path, char, shown):
    line = error_of(tmp_path, P3.replace("W_hh: -1.0", f"W_hh{char}: -1.0"))
    assert line.startswith(f"8: network.W_hh{shown}: unknown key")
    assert char not in line


def test_what_is_visible_is_kept():
    from rnnquiz.errors import printable
    assert printable("θ/‖g‖ ≤ 5: dE/dW_hh, x<t>, é") == "θ/‖g‖ ≤ 5: dE/dW_hh, x<t>, é"


@settings(max_examples=60)
@given(st.text(min_size=0, max_size=3000))
def test_no_error_line_echoes_more_than_about_a_thousand_characters(text):
    """Whatever a key holds: one line, bounded, every character visible or escaped."""
    import rnnquiz
    try:
        rnnquiz.solve({"type": "forward", "inputs": [1], "network": {text: 1}})
    except rnnquiz.ProblemError as err:
        message = str(err)
    else:
        return                       # a valid key
    assert message.isprintable() and len(message) < 1300


@pytest.mark.parametrize("columns", ["0", "-5", "abc", "3"])
@pytest.mark.parametrize("args", [["solve", "hinton_p3"], ["rnn"],
                                  ["check", "hinton_p3", "--answer", "1"]])
def test_columns_0_still_prints_the_working(columns, args):
    env = {**os.environ, "PYTHONPATH": str(ROOT), "COLUMNS": columns}
    r = subprocess.run([sys.executable, "-m", "rnnquiz", *args], capture_output=True,
                       text=True, env=env, timeout=60)
    # the values z_1 and h_1 of Hinton's problem 3 (all three solve it) in the table
    assert "0.029312" in r.stdout and "0.507328" in r.stdout


def test_apostrophes_in_a_message_quote_nothing():
    # "PyTorch's ... PyTorch's" once read as one quoted value of 84 characters and was cut
    from rnnquiz.errors import shorten
    text = ("network.h_init: expected one row per layer and direction (2 rows, as PyTorch's h_0), "
            "or (layers x directions, examples, hidden) = (2, 2, hidden) as PyTorch's h_0 in a "
            "batch, got 3x3")
    assert shorten(text) == text
    assert shorten("got '" + "W" * 61 + "'") == "got '" + "W" * 60 + "…' (61 characters)"
