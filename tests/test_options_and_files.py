"""Issue 16: hostile option values and odd files end in one line and exit 2: calculators'
--answer, --round and --inputs; FIFOs, /dev/zero, a flood and a closed stdin; `new --out`."""

import json
import os
import subprocess
import sys
import threading

import pytest
from click.testing import CliRunner

from rnnquiz.problem import files
from rnnquiz.cli.commands import cli

DEEP = "[" * 5000 + "]" * 5000


def one_line_error(r, *words):
    assert r.exit_code == 2, (r.exit_code, r.stdout, r.stderr)
    assert r.stderr.startswith("error: ") and r.stderr.count("\n") == 1, r.stderr
    for w in words:
        assert w in r.stderr, r.stderr
    assert "Traceback" not in r.stderr and len(r.stderr) < 300


@pytest.mark.parametrize("args,words", [
    (["rnn", "--answer", ""], ["--answer", "got ''"]),
    (["rnn", "--answer", "1,,2"], ["--answer", "'1,,2'"]),
    (["rnn", "--answer", ";;"], ["--answer", "';;'"]),
    (["hmm", "--answer", ";;"], ["--answer"]),
    (["shapes", "--answer", "1,,2"], ["--answer"]),
    (["rnn", "--round", "400"], ["--round", "at most 15 decimal places, got 400"]),
    (["rnn", "--round", "²"], ["--round", "'²'"]),
    (["rnn", "--round", "floor"], ["--round", "'floor'"]),
    (["rnn", "--inputs", DEEP], ["--inputs", "..."]),
    (["bptt", "--targets", DEEP], ["--targets"]),
    (["bptt", "--W_hh", DEEP], ["--W_hh"]),
    (["bptt", "--targets", "1:1,1:2"], ["--targets", "step 1 is given twice"]),
    (["check", "hinton_p3", "--answer", "1,,2"], ["--answer"]),
    (["solve", "hinton_p3", "--jsn"], ["No such option", "--json"]),
    (["new", "forward", "--seed", "1", "--count", "100000"], ["--count", "1<=x<=1000"]),
    (["new", "forward", "--seed", "1", "--out", ""], ["--out", "expected a folder name"]),
    (["new", "forward", "--seed", "1", "--out", "/proc/nope"], ["/proc/nope", "cannot write"]),
])
def test_hostile_options_are_one_line_errors(args, words):
    one_line_error(CliRunner().invoke(cli, args, catch_exceptions=False), *words)


def test_a_round_in_range_still_works():
    r = CliRunner().invoke(cli, ["rnn", "--round", "2", "--json"], catch_exceptions=False)
    assert r.exit_code == 0 and '"round": 2' in r.stdout


def test_new_count_states_its_bound_in_help():
    r = CliRunner().invoke(cli, ["new", "--help"])
    assert "How many exercises (1 to 1,000)" in r.stdout


def test_new_out_writes_whole_files_through_a_temporary_file(tmp_path, monkeypatch):
    out = tmp_path / "out"
    r = CliRunner().invoke(cli, ["new", "gru", "--seed", "3", "--out", str(out)],
                           catch_exceptions=False)
    assert r.exit_code == 0
    good = (out / "gru_3.yaml").read_text()
    # a write that fails part-way leaves the old file as it was, and no temporary file
    real = os.fdopen

    def failing(fd, *a, **kw):
        fh = real(fd, *a, **kw)

        class Half:
            def __enter__(self):
                return self

            def __exit__(self, *exc):
                fh.close()

            def write(self, text):
                fh.write(text[:10])
                raise OSError(28, "No space left on device")
        return Half()
    monkeypatch.setattr(os, "fdopen", failing)
    r = CliRunner().invoke(cli, ["new", "gru", "--seed", "4", "--out", str(out)])
    one_line_error(r, "No space left on device")
    r = CliRunner().invoke(cli, ["new", "gru", "--seed", "4", "--out", str(out), "--force"])
    monkeypatch.undo()
    assert sorted(p.name for p in out.iterdir()) == ["gru_3.yaml"]
    assert (out / "gru_3.yaml").read_text() == good
    files.write_atomic(str(out / "gru_3.yaml"), "replaced\n")
    assert (out / "gru_3.yaml").read_text() == "replaced\n"


# ---------------------------------------------------------------- streams and odd files

def rnnquiz(args, **kw):
    return subprocess.run([sys.executable, "-m", "rnnquiz", *args], capture_output=True,
                          timeout=30, **kw)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_a_fifo_nobody_writes_to_does_not_hang(tmp_path):
    fifo = tmp_path / "f.yaml"
    os.mkfifo(fifo)
    p = rnnquiz(["solve", str(fifo)])
    assert p.returncode == 2
    assert p.stderr.decode() == f"error: {fifo}: a FIFO with nothing written to it (no writer)\n"


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_a_fifo_with_a_writer_is_read(tmp_path):
    fifo = tmp_path / "f.yaml"
    os.mkfifo(fifo)
    text = "type: hmm_bits\nstates: 16\n"

    def write():
        with open(fifo, "w") as fh:       # blocks until the reader opens
            fh.write(text)
    # the writer opens first, as a shell's `<(...)` does
    t = threading.Thread(target=write)
    t.start()
    fd = os.open(fifo, os.O_RDONLY | os.O_NONBLOCK)     # let the writer's open return
    try:
        t.join(timeout=5)
        p = rnnquiz(["solve", str(fifo), "--json"], stdin=subprocess.DEVNULL)
    finally:
        os.close(fd)
    # the data sat in the pipe for whichever reader came; ours took it
    assert p.returncode == 0, p.stderr
    assert json.loads(p.stdout)["answer"] == 4


@pytest.mark.skipif(not os.path.exists("/dev/zero"), reason="no /dev/zero here")
def test_dev_zero_and_a_flood_on_stdin_stop_at_64_mib():
    p = rnnquiz(["solve", "/dev/zero"])
    assert (p.returncode, p.stderr.decode()) == (
        2, "error: /dev/zero: more than 64 MiB to read; a problem file is smaller\n")
    with open("/dev/zero", "rb") as zero:
        p = rnnquiz(["solve", "-"], stdin=zero)
    assert (p.returncode, p.stderr.decode()) == (
        2, "error: <stdin>: more than 64 MiB to read; a problem file is smaller\n")


def test_solve_with_stdin_closed_is_one_line():
    p = subprocess.run([sys.executable, "-m", "rnnquiz", "solve", "-"], capture_output=True,
                       timeout=30, stdin=None, preexec_fn=lambda: os.close(0))
    assert p.returncode == 2
    assert p.stderr.decode() == "error: <stdin>: stdin is closed; give a file, or pipe one in\n"


def test_read_bounded_refuses_past_the_limit(monkeypatch):
    import io
    monkeypatch.setattr(files, "MAX_BYTES", 10)
    assert files.read_bounded(io.BytesIO(b"x" * 10), "s") == b"x" * 10
    with pytest.raises(files.ProblemError, match="s: more than 0 MiB"):
        files.read_bounded(io.BytesIO(b"x" * 11), "s")


# ---------------------------------------------------------------- probe

def test_probe_errors_name_the_file_and_option(tmp_path):
    f = tmp_path / "p.yaml"
    f.write_text("type: lstm\ninputs: [[1, 2]]\nnetwork: {W_fx: [[1, 2]]}\n")
    r = CliRunner().invoke(cli, ["probe", "--problem", str(f), "--length", "2"])
    one_line_error(r, f"{f}:3: network.W_fx: has shape 1x2, expected 1x1", "length 2")
    c = tmp_path / "c.yaml"
    c.write_text("type: choice\nquestion: Q\noptions: [a, b]\ncorrect: [1]\n")
    r = CliRunner().invoke(cli, ["probe", "--problem", str(c)])
    one_line_error(r, f"{c}: type: probe runs a network forward", "got choice", "--problem")


def test_usage_errors_are_one_line_and_bare_rnnquiz_is_the_help():
    for args in (["solve"], ["new"], ["check", "hinton_p3"], ["nope"], ["rnn", "--t", "-1"]):
        one_line_error(CliRunner().invoke(cli, args), "(see `")
    r = CliRunner().invoke(cli, [])
    assert r.exit_code == 0 and r.stdout.startswith("Usage: cli [OPTIONS] COMMAND")
