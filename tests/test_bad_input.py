"""Every rule of SPEC 4, through every way in: one line naming file, line and key; exit 2.

Never a traceback, never a warning on the terminal, nothing on stdout for a bad input.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

import rnnquiz
from rnnquiz.cli.commands import cli
from conftest import run

ROOT = Path(__file__).resolve().parent.parent
P3 = (ROOT / "problems" / "hinton_p3.yaml").read_text()

# (file text, the line, the key path and words the one-line error must hold)
BAD = {
    "malformed": ("type: forward\ninputs: [1, 2\n", "malformed YAML"),
    "unknown type": ("type: forwards\ninputs: [1]\n", ":1: type: expected one of forward"),
    "unknown key": ("type: forward\ninputs: [1]\nanswr: 3\n", ":3: answr: unknown key"),
    "unknown network key": ("type: forward\ninputs: [1]\nnetwork:\n  W_hx: 1\n",
                            ":4: network.W_hx: unknown key"),
    "unknown activation": ("type: forward\ninputs: [1]\nnetwork:\n  hidden: softsign\n",
                           ":4: network.hidden: expected one of logistic, tanh, relu, linear, step"),
    "unknown rounding": ("type: lstm\ninputs: [1]\nround: floor\n", ":3: round: expected"),
    "string for number": ("type: forward\ninputs: [1, two]\n", ":2: inputs[1]: expected a number"),
    "deep wrong type": ("type: forward\ninputs: [[1, 2]]\nnetwork:\n  W_xh: [[1, 2], [3, x]]\n",
                        ":4: network.W_xh[1][1]: expected a number, got 'x'"),
    "ragged matrix": ("type: forward\ninputs: [[1, 2]]\nnetwork:\n  W_xh: [[1, 2], [3]]\n",
                      "network.W_xh[1]: rows differ in length"),
    "bool for number": ("type: forward\ninputs: [1]\nnetwork: {W_hh: true}\n", "got true"),
    "yes is a word": ("type: forward\ninputs: [1]\nnetwork: {W_hh: yes}\n", "got 'yes'"),
    "shape mismatch": ("type: lstm\ninputs: [[1, 2]]\nnetwork:\n  W_fx: [[1, 2, 3]]\n",
                       ":4: network.W_fx: has shape 1x3, expected 1x2"),
    "nan": ("type: forward\ninputs: [1]\nnetwork: {W_hh: .nan}\n", "NaN is not allowed"),
    "inf": ("type: forward\ninputs: [1, -.inf]\n", "inputs[1]: infinity is not allowed"),
    "overflowing literal": ("type: forward\ninputs: [1e400]\n", "inputs[0]: infinity"),
    "empty inputs": ("type: forward\ninputs: []\n", "inputs: expected at least one input"),
    "missing inputs": ("type: forward\n", "inputs: missing"),
    "t out of range": ("type: forward\ninputs: [1, 2]\nask: {quantity: y, t: 2}\n",
                       "ask.t: expected a time step from 0 to 1, got 2"),
    "negative t": ("type: forward\ninputs: [1, 2]\nask: {t: -1}\n", "ask.t: expected a whole"),
    "zero states": ("type: hmm_bits\nstates: 0\n", "states: expected a whole number >= 1"),
    "negative size": ("type: shapes\ninput: -3\nhidden: 2\n", "input: expected a whole number"),
    "empty file": ("", "no problem in the file"),
    "comments only": ("# nothing here\n", "no problem in the file"),
    "top-level list": ("- type: forward\n", "expected a mapping"),
    "python tag": ("!!python/object/apply:os.system [echo pwned]\n",
                   "tags that build objects are not allowed"),
    "local tag": ("type: !custom forward\n", "tags that build objects are not allowed"),
    "alias": ("type: forward\ninputs: &x [1]\nnetwork: {W_hh: 1}\n", "anchors (&x)"),
    "single step vanishing": ("type: vanishing\ninputs: [1]\n", "single-step sequence"),
    "targets count": ("type: backprop\ninputs: [1, 2]\ntargets: [1]\n", "expected 2 targets"),
    "target step": ("type: backprop\ninputs: [1, 2]\ntargets: {5: 1}\n", "targets[5]"),
    "no targets": ("type: backprop\ninputs: [1, 2]\n", "targets: missing"),
    "ask quantity": ("type: forward\ninputs: [1]\nask: {quantity: q}\n", ":3: ask.quantity"),
    "cross entropy linear": ("type: backprop\ninputs: [1]\ntargets: [1]\nloss: cross_entropy\n",
                             "loss: cross_entropy needs"),
    "given length": ("type: backprop\ninputs: [1, 2]\ntargets: [0, 1]\ngiven: {h: [0.1]}\n",
                     "given.h: expected a list of 2 values"),
    "choice correct": ("type: choice\nquestion: Q\noptions: [a, b]\ncorrect: [0]\n",
                       "correct[0]"),
    "notation": ("type: lstm\nnotation: tensorflow\ninputs: [1]\n", "notation: expected one of"),
    "convention on lstm": ("type: lstm\nconvention: ng\ninputs: [1]\n", "convention: unknown key"),
}

ALIAS_BOMB = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"{c}: &{c} [*{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}]\n"
    for p, c in zip("abcdefgh", "bcdefghi"))


def check_one_line(r, path, fragment):
    assert r.exit_code == 2, (r.exit_code, r.stdout, r.stderr)
    assert r.stdout == ""
    err = r.stderr
    assert err.count("\n") == 1 and err.startswith(f"error: {path}"), err
    assert "Traceback" not in err and fragment in err, err


@pytest.mark.parametrize("name", sorted(BAD))
def test_each_bad_file(tmp_path, name):
    text, fragment = BAD[name]
    f = tmp_path / "bad.yaml"
    f.write_text(text)
    check_one_line(run("solve", str(f), "--json"), f, fragment)


@pytest.mark.parametrize("name", sorted(BAD))
def test_each_bad_file_through_stdin_and_the_api(name):
    text, fragment = BAD[name]
    check_one_line(run("solve", "-", input=text), "<stdin>", fragment)
    from rnnquiz.types import load_text
    with pytest.raises(rnnquiz.ProblemError) as info:
        for p in load_text(text, "x.yaml"):
            rnnquiz.solve(p)
    assert isinstance(info.value, ValueError) and fragment.split(":")[-1].strip() in str(info.value)


def test_alias_bomb_is_refused_fast(tmp_path):
    f = tmp_path / "bomb.yaml"
    f.write_text(ALIAS_BOMB)
    check_one_line(run("solve", str(f)), f, "anchors (&a) are not allowed")


def test_api_dicts_are_validated_too():
    with pytest.raises(rnnquiz.ProblemError, match=r"network.W_hh: expected a number"):
        rnnquiz.solve({"type": "forward", "inputs": [1], "network": {"W_hh": "abc"}})
    with pytest.raises(rnnquiz.ProblemError, match=r"expected a mapping"):
        rnnquiz.solve([1, 2])


def test_too_many_numbers_and_the_override(tmp_path):
    f = tmp_path / "many.yaml"
    f.write_text("type: forward\ninputs: [" + ", ".join(["0.5"] * 300) + "]\n")
    r = run("solve", str(f), "--max-numbers", "100")
    check_one_line(r, f, "more than 100 numbers in one file")
    assert run("solve", str(f), "--max-numbers", "1000", "--json").exit_code == 0


def test_unreadable_non_utf8_and_missing(tmp_path):
    f = tmp_path / "bin.yaml"
    f.write_bytes(b"type: forward\ninputs: [1]\ntitle: \xff\xfe\n")
    check_one_line(run("solve", str(f)), f, "not UTF-8")
    d = tmp_path / "dir.yaml"
    d.mkdir()
    r = run("solve", str(tmp_path / "nope.yaml"))
    check_one_line(r, tmp_path / "nope.yaml", "no such file")
    empty = tmp_path / "empty"
    empty.mkdir()
    check_one_line(run("solve", str(empty)), empty, "no problem files (*.yaml) in this directory")


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads every file")
def test_permission_denied(tmp_path):
    f = tmp_path / "locked.yaml"
    f.write_text(P3)
    f.chmod(0)
    check_one_line(run("solve", str(f)), f, "cannot read")


def test_unreadable_is_reported_as_one_line(tmp_path, monkeypatch):
    f = tmp_path / "locked.yaml"
    f.write_text(P3)
    real_open = open

    def deny(path, *a, **k):
        if str(path) == str(f):
            raise PermissionError(13, "Permission denied")
        return real_open(path, *a, **k)
    monkeypatch.setattr("builtins.open", deny)
    check_one_line(run("solve", str(f)), f, "cannot read: Permission denied")


def test_batch_reports_the_bad_and_solves_the_rest(tmp_path):
    (tmp_path / "a.yaml").write_text(P3)
    (tmp_path / "b.yaml").write_text("type: forward\ninputs: [oops]\n")
    (tmp_path / "c.yaml").write_text(P3.replace("answer: -0.36", "answer: -0.5"))
    r = run("solve", str(tmp_path), "--json")
    assert r.exit_code == 2
    objs = [json.loads(x) for x in r.stdout.splitlines()]
    assert [o["agrees"] for o in objs] == [True, False]
    errors, summary = r.stderr.splitlines()
    assert "b.yaml:2: inputs[0]" in errors
    assert summary == "2 solved, 1 agrees, 1 disagrees, 1 failed"
    (tmp_path / "b.yaml").unlink()
    assert run("solve", str(tmp_path), "--json").exit_code == 1


@pytest.mark.parametrize("args, fragment", [
    (["rnn", "--W_hh", "1,2;3"], "network.W_hh[1]: rows differ in length"),
    (["rnn", "--inputs", "1,,2"], "--inputs"),
    (["rnn", "--W_hh", "[[1, 2, 3], [3, 4, 5]]", "--inputs", "1"], "network.W_hh: has shape 2x3"),
    (["rnn", "--param", "W_zz=1"], "--param"),
    (["bptt", "--inputs", "1,2"], "targets"),
    (["lstm", "--round", "sometimes"], "round"),
    (["hmm", "--states", "0"], "--states"),
    (["shapes", "--hidden", "-1"], "--hidden"),
])
def test_calculator_options_are_checked(args, fragment):
    r = run(*args)
    assert r.exit_code == 2 and fragment in r.stderr and "Traceback" not in r.stderr, r.stderr


def test_saturation_and_overflow_are_clean():
    """Weights of 1e308 saturate cleanly; an unrepresentable result is an error, not nan."""
    code = (
        "import warnings, json, rnnquiz\n"
        "warnings.simplefilter('error')\n"
        "r = rnnquiz.solve({'type': 'forward', 'inputs': [5, -5, 3], 'network': {'W_xh': 1e308,"
        " 'W_hh': -1e308, 'W_hy': 2, 'b_h': 100, 'hidden': 'tanh', 'output': 'logistic'}})\n"
        "print(json.dumps(r.to_json(), allow_nan=False)[:20])\n"
        "r = rnnquiz.solve({'type': 'lstm', 'inputs': [1e308, -1e308], 'network': {'W_fx': 1e308,"
        " 'W_ix': -1e308, 'W_cx': 1e308, 'W_ox': 1}})\n"
        "print(r.answer)\n")
    out = subprocess.run([sys.executable, "-W", "error", "-c", code], capture_output=True,
                         text=True)
    assert out.returncode == 0 and out.stderr == "", out.stderr
    f = ROOT / "tests" / "bad_overflow.yaml"
    try:
        f.write_text("type: backprop\ninputs: [5, -5]\ntargets: [0, 1]\n"
                     "network: {W_xh: 1e308, W_hh: -1e308, W_hy: 1e308}\n")
        out = subprocess.run([sys.executable, "-m", "rnnquiz", "solve", str(f), "--json"],
                             capture_output=True, text=True)
        assert out.returncode == 2 and out.stdout == ""
        assert "overflows float64" in out.stderr and "Warning" not in out.stderr
    finally:
        f.unlink()
