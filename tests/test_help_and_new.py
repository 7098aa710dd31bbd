"""Help that teaches (an example per command, options grouped by cell) and `new` exercises
with their question in words and a handout without answers."""

import re

import pytest
import yaml

import rnnquiz
from rnnquiz.cli.commands import cli
from conftest import run


@pytest.mark.parametrize("name", ["solve", "check", "new", "rnn", "bptt", "vanishing", "lstm",
                                  "gru", "gated", "hmm", "shapes"])
def test_every_command_has_an_example(name):
    text = run(name, "--help").stdout
    assert re.search(rf"^\s+rnnquiz {name}\b", text, re.M), text


def test_bptt_help_groups_the_keys_by_cell():
    text = run("bptt", "--help").stdout
    sections = re.findall(r"^(\S[^:\n]*):$", text, re.M)
    assert sections[:2] == ["Options", "Simple RNN network, hinton notation"]
    assert "LSTM network, mit notation" in sections and "Simple RNN network, d2l notation" in sections
    simple = text.split("Simple RNN network, hinton notation:")[1].split("\n\n")[0]
    assert "--W_xh" in simple and "--W_fh" not in simple
    assert re.search(r"--hidden WORD\s+hidden activation: logistic, tanh", text)


@pytest.mark.parametrize("name", ["rnn", "bptt", "vanishing", "lstm", "gru", "gated", "hmm",
                                  "shapes", "solve", "check", "new", "quiz"])
def test_every_common_option_says_what_it_is(name):
    text = run(name, "--help").stdout
    common = text.split("Options:\n")[1].split("\n\n")[0]
    # one entry per option: its line (2 spaces, then the flag) and the lines under it
    entries = re.split(r"\n(?=  -)", common)
    assert len(entries) >= 2 and entries[-1].startswith("  -h, --help"), common
    for entry in entries:
        first, *more = entry.splitlines()
        assert re.match(r"  --?\w", first), entry
        # the help follows the flag after two spaces or more, or starts on the next line
        said = first[2:].split("  ", 1)[1:] + [line.strip() for line in more]
        words = " ".join(said).split()
        assert len(words) >= 2, entry


def test_the_option_help_check_sees_an_option_without_help():
    entries = re.split(r"\n(?=  -)", "  --out-dir DIR\n  -h, --help  Show this message.")
    first, *more = entries[0].splitlines()
    assert " ".join(first[2:].split("  ", 1)[1:] + more).split() == []


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


def _bash_complete(words, cwd):
    import os
    import shutil
    import subprocess
    exe = shutil.which("rnnquiz")
    if exe is None or shutil.which("bash") is None:
        pytest.skip("needs bash and the rnnquiz console script")
    script = ('eval "$(_RNNQUIZ_COMPLETE=bash_source rnnquiz)"; COMP_WORDS=(%s); '
              'COMP_CWORD=%d; _rnnquiz_completion rnnquiz 2>/dev/null; '
              'printf "%%s\\n" "${COMPREPLY[@]}"' % (" ".join(words), len(words) - 1))
    env = {k: v for k, v in os.environ.items() if not k.startswith("_RNNQUIZ")}
    return subprocess.run(["bash", "-c", script], capture_output=True, text=True, cwd=cwd,
                          env=env, timeout=60).stdout.split()


def test_completion_offers_bundled_names(tmp_path):
    assert _bash_complete(["rnnquiz", "solve", "hinton_p"], tmp_path) == [
        "hinton_p1", "hinton_p2_choice", "hinton_p3", "hinton_p4", "hinton_p5"]
    assert "mit_lstm_states_1" in _bash_complete(["rnnquiz", "check", "mit_l"], tmp_path)


def test_completion_leaves_files_to_the_shell(tmp_path):
    from click.testing import CliRunner as Runner
    (tmp_path / "my_problem.yaml").write_text("type: hmm_bits\nstates: 4\n")
    env = {"COMP_WORDS": "rnnquiz solve my_", "COMP_CWORD": "2",
           "_RNNQUIZ_COMPLETE": "bash_complete"}
    import os
    old = os.getcwd()
    os.chdir(tmp_path)
    try:
        out = Runner().invoke(cli, [], env=env, prog_name="rnnquiz").stdout
    finally:
        os.chdir(old)
    assert out.strip() == "file,my_"          # bash then completes the file name itself


def test_new_help_names_every_type_that_draws_an_exercise():
    from rnnquiz.types import TYPES
    r = run("new", "--help")
    text = " ".join(r.stdout.split())
    drawn = [t for t in TYPES if hasattr(TYPES[t], "generate")]
    assert len(drawn) >= 14 and "choice" not in drawn
    assert f"TYPE is one of {', '.join(drawn)}." in text
