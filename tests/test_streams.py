"""Standard output at the edge: a closed pipe, a full disk, Ctrl-C and an ascii locale
end as SPEC 2 and 4 say (quietly, or one line), never with a traceback (issue 16)."""

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PROBLEMS = str(ROOT / "problems")

# every command that writes to stdout, through the click-free path and through click
COMMANDS = [
    ["solve", PROBLEMS], ["solve", PROBLEMS, "--json"], ["solve", PROBLEMS, "--format", "latex"],
    ["solve", "hinton_p3", "--format", "markdown"], ["solve", "hinton_p3", "--format", "dot"],
    ["schema"], ["list"], ["rnn"], ["rnn", "--json"], ["bptt", "--format", "markdown"],
    ["hmm"], ["shapes", "--json"], ["lstm"], ["check", "hinton_p3", "--answer", "-0.36"],
    ["new", "lstm", "--seed", "1", "--count", "20"], ["probe", "--length", "4"],
    ["--help"], ["solve", "--help"], ["--version"],
]


def rnnquiz(args, **kw):
    env = dict(os.environ, **kw.pop("env", {}))
    env.pop("RNNQUIZ_DEBUG", None)
    return subprocess.Popen([sys.executable, "-m", "rnnquiz", *args], cwd=kw.pop("cwd", None),
                            env=env, **kw)


def _no_trace(err: str) -> None:
    assert "Traceback" not in err and "Exception ignored" not in err, err


@pytest.mark.parametrize("args", COMMANDS, ids=" ".join)
def test_a_closed_pipe_ends_quietly_with_the_usual_code(args):
    p = rnnquiz(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    p.stdout.read(10)
    p.stdout.close()                      # as `| head -c 10` does
    code = p.wait(timeout=60)
    err = p.stderr.read().decode()
    _no_trace(err)
    assert err == ""
    full = subprocess.run([sys.executable, "-m", "rnnquiz", *args], capture_output=True)
    assert code == full.returncode        # the code the command ends with when read to the end


@pytest.mark.parametrize("args", COMMANDS, ids=" ".join)
def test_a_full_disk_is_one_line_and_exit_2(args):
    if not os.path.exists("/dev/full"):
        pytest.skip("no /dev/full here")
    with open("/dev/full", "w") as full:
        p = rnnquiz(args, stdout=full, stderr=subprocess.PIPE)
        err = p.stderr.read().decode()
        code = p.wait(timeout=60)
    _no_trace(err)
    assert code == 2
    assert err == "error: cannot write the output: No space left on device\n"


def test_ctrl_c_during_solve_json_leaves_whole_lines(tmp_path):
    big = (ROOT / "problems" / "hinton_p3.yaml").read_text()
    for i in range(3000):
        (tmp_path / f"p{i:04}.yaml").write_text(big)
    out = tmp_path.parent / f"{tmp_path.name}.jsonl"
    for wait_bytes in (1, 40_000, 200_000):
        with open(out, "wb") as fh:
            p = rnnquiz(["solve", str(tmp_path), "--json"], stdout=fh, stderr=subprocess.PIPE)
            while out.stat().st_size < wait_bytes and p.poll() is None:
                time.sleep(0.002)
            p.send_signal(signal.SIGINT)
            code = p.wait(timeout=60)
        err = p.stderr.read().decode()
        _no_trace(err)
        assert (code, err) == (130, "")
        text = out.read_text()
        assert text.endswith("\n") and 0 < text.count("\n") < 3000    # stopped part-way
        for line in text.splitlines():
            assert json.loads(line)["answer_rounded"] == -0.36


def test_an_ascii_locale_still_gives_valid_json():
    utf8 = subprocess.run([sys.executable, "-m", "rnnquiz", "solve", "hinton_p3", "--json"],
                          capture_output=True, env=dict(os.environ, PYTHONIOENCODING="utf-8"))
    for args in (["solve", "hinton_p3", "--json"], ["rnn", "--json"], ["schema"]):
        p = subprocess.run([sys.executable, "-m", "rnnquiz", *args], capture_output=True,
                           env=dict(os.environ, PYTHONIOENCODING="ascii"))
        _no_trace(p.stderr.decode())
        assert p.returncode == 0, p.stderr
        p.stdout.decode("ascii")
        docs = [json.loads(line) for line in p.stdout.decode().splitlines()] \
            if args != ["schema"] else [json.loads(p.stdout)]
        if args[0] == "solve":
            assert docs == [json.loads(utf8.stdout)]     # the same data, escaped
    table = subprocess.run([sys.executable, "-m", "rnnquiz", "solve", "hinton_p3"],
                           capture_output=True, env=dict(os.environ, PYTHONIOENCODING="ascii"))
    assert table.returncode == 0 and b"-0.36" in table.stdout


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX file names are bytes")
def test_a_file_name_that_is_not_utf8_still_gives_utf8_json(tmp_path):
    folder = os.path.join(os.fsencode(tmp_path), b"bad\xff")
    os.mkdir(folder)
    with open(os.path.join(folder, b"p.yaml"), "wb") as fh:
        fh.write((ROOT / "problems" / "hinton_p3.yaml").read_bytes())
    p = subprocess.run([sys.executable, "-m", "rnnquiz", "solve", folder, "--json"],
                       capture_output=True)
    assert p.returncode == 0, p.stderr
    doc = json.loads(p.stdout.decode("utf-8"))          # valid UTF-8, valid JSON
    assert doc["file"].endswith("bad\udcff/p.yaml") and doc["answer_rounded"] == -0.36


@pytest.mark.skipif(sys.platform == "win32", reason="closing descriptors is POSIX")
@pytest.mark.parametrize("args", [["solve", "hinton_p3"], ["solve", "hinton_p3", "--json"],
                                  ["schema"], ["--version"], ["rnn"]], ids=" ".join)
def test_a_closed_stdout_or_stderr_is_one_line_or_silent(args):
    p = subprocess.run([sys.executable, "-m", "rnnquiz", *args], stderr=subprocess.PIPE,
                       preexec_fn=lambda: os.close(1))
    assert (p.returncode, p.stderr) == (2, b"error: cannot write the output: stdout is closed\n")
    both = subprocess.run([sys.executable, "-m", "rnnquiz", *args],
                          preexec_fn=lambda: (os.close(1), os.close(2)))
    assert both.returncode == 2
    bad = subprocess.run([sys.executable, "-m", "rnnquiz", "solve", "nowhere.yaml"],
                         stdout=subprocess.PIPE, preexec_fn=lambda: os.close(2))
    assert (bad.returncode, bad.stdout) == (2, b"")
