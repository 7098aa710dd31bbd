"""Help that teaches (an example per command, options grouped by cell) and `new` exercises
with their question in words and a handout without answers."""

import re

import pytest
import yaml
from click.testing import CliRunner

import rnnquiz
from rnnquiz.cli import cli


def run(*args):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False, terminal_width=80)


@pytest.mark.parametrize("name", ["solve", "check", "new", "rnn", "bptt", "vanishing", "lstm",
                                  "gru", "gated", "hmm", "shapes"])
def test_every_command_has_an_example(name):
    text = run(name, "--help").stdout
    assert re.search(rf"^\s+rnnquiz {name}\b", text, re.M), text


def test_bptt_help_groups_the_keys_by_cell():
    text = run("bptt", "--help").stdout
    sections = re.findall(r"^(\S[^:\n]*):$", text, re.M)
    assert sections[:3] == ["Options", "Simple RNN network, hinton notation",
                            "LSTM network, mit notation"]
    simple = text.split("Simple RNN network, hinton notation:")[1].split("\n\n")[0]
    assert "--W_xh" in simple and "--W_fh" not in simple
    assert re.search(r"--hidden WORD\s+hidden activation: logistic, tanh", text)


@pytest.mark.parametrize("name", ["rnn", "bptt", "vanishing", "lstm", "gru", "gated", "hmm",
                                  "shapes", "solve", "check", "new", "quiz"])
def test_every_common_option_says_what_it_is(name):
    text = run(name, "--help").stdout
    common = text.split("Options:")[1].split("\n\n")[0]
    for line in common.splitlines():
        m = re.match(r"\s{2}(-[-\w, ]+?)(?: [A-Z\[][^ ]*)?(\s{2,}|$)", line)
        if m and m.group(2) == "" and not line.rstrip().endswith("]"):
            # an option alone on its line has its help on the next line
            nxt = common.splitlines()[common.splitlines().index(line) + 1]
            assert nxt.startswith(" " * 10), line


def test_new_help_lists_the_types():
    text = run("new", "--help").stdout
    for t in ("forward", "backprop", "vanishing", "hmm_bits", "lstm", "gru", "gated", "shapes"):
        assert t in text


def test_new_writes_the_question_and_whole_numbers():
    doc = yaml.safe_load(run("new", "lstm", "--seed", "1").stdout)
    assert doc["question"].startswith("An LSTM with W_fx = -100")
    assert doc["question"].endswith("What are h_0, …, h_4 (comma-separated)?")
    assert doc["answer"] == [0, -1, -1, -1, -1]
    assert all(type(v) is int for v in doc["answer"])            # not 0.0, -1.0
    (p,) = [rnnquiz.solve(d) for d in [doc]]
    assert p.agrees is True


def test_new_handout_has_the_questions_without_answers(tmp_path):
    r = run("new", "forward", "--seed", "2", "--count", "2", "--out", str(tmp_path), "--handout")
    assert r.exit_code == 0
    sheet = (tmp_path / "handout.md").read_text()
    keys = [yaml.safe_load((tmp_path / f"forward_2_{i}.yaml").read_text()) for i in (1, 2)]
    for k in keys:
        assert k["question"].split(" What")[0][:40].replace("_", "\\_") in sheet
        assert str(k["answer"]) not in sheet
    assert "answer" not in sheet.lower()
