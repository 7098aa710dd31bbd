"""Run mutants each with a fresh import of the package: for code that only runs at import.

mutmut switches a mutant on inside a test process that has already imported the package,
so a function that only runs at import (a notation's tables, built when it registers
itself) always ran unmutated there and its mutants "survive" without meaning anything.
Here each mutant gets a new process with MUTANT_UNDER_TEST set before rnnquiz is imported,
runs the chosen test files with -x, and is killed when pytest fails (an import that breaks
is a kill too: the product would not start).

    cd <the checkout where mutmut ran> && . .venv/bin/activate
    python benchmarks/mutation_fresh.py -t tests/test_golden.py -t tests/test_courses.py \\
        'rnnquiz.notations.x_make__mutmut_3' ...
    mutmut results 2>/dev/null | grep survived | grep -o 'rnnquiz[.]notations[^:]*' > names
    python benchmarks/mutation_fresh.py --names-from names -t tests/test_golden.py

Names come from the command line or a file (one a line). Test paths are relative to
mutants/. The interpreter must be the one mutmut ran with (the mutated code
imports mutmut's trampoline). One line per mutant: killed, survived or timeout; then a count.

Each process is forked from this one after it has imported the heavy libraries the tests
use (numpy, torch, hypothesis, ...; never rnnquiz), so a mutant costs its tests and one
import of rnnquiz, not an interpreter's start-up; `--spawn` starts a new interpreter
instead. One thread per numeric library, as in the mutation run (a forked pool can hang).
"""

from __future__ import annotations

import argparse
import importlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ONE_THREAD = {k: "1" for k in ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS")}
PRELOAD = ("numpy", "yaml", "click", "click.testing", "rich.console", "hypothesis", "pytest",
           "torch", "mutmut.mutation.trampoline")


def status_of(code: int | None) -> str:
    # 0: every test passed; 5: no test collected (a wrong path, not a kill)
    return "timeout" if code is None else {0: "survived", 5: "no tests"}.get(code, "killed")


def spawn(name: str, mutants: Path, pytest_args: list[str], timeout: float, log: Path):
    env = {**os.environ, **ONE_THREAD, "MUTANT_UNDER_TEST": name, "RNNQUIZ_SKIP_WHEEL": "1"}
    with log.open("wb") as out:
        try:
            return subprocess.run([sys.executable, "-m", "pytest", *pytest_args], cwd=mutants,
                                  env=env, stdout=out, stderr=subprocess.STDOUT,
                                  timeout=timeout).returncode
        except subprocess.TimeoutExpired:
            return None


def fork(name: str, mutants: Path, pytest_args: list[str], timeout: float, log: Path):
    pid = os.fork()
    if pid == 0:                                     # the child: a fresh import of rnnquiz
        code = 3
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        try:
            fd = os.open(log, os.O_WRONLY | os.O_CREAT | os.O_TRUNC)
            os.dup2(fd, 1)
            os.dup2(fd, 2)
            os.environ["MUTANT_UNDER_TEST"] = name
            os.chdir(mutants)
            sys.path.insert(0, str(mutants))
            import pytest   # noqa: PLC0415
            code = int(pytest.main(pytest_args))
        finally:
            os._exit(code)
    deadline = time.monotonic() + timeout

    def stop(signum, frame):                         # stopped: the child goes with us
        os.kill(pid, signal.SIGKILL)
        sys.exit(1)
    signal.signal(signal.SIGTERM, stop)
    while True:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            return os.waitstatus_to_exitcode(status)
        if time.monotonic() > deadline:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
            return None
        time.sleep(0.05)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("names", nargs="*", help="mutant names, as `mutmut show` takes them")
    ap.add_argument("--names-from", type=Path, metavar="FILE", help="more names, one a line")
    ap.add_argument("--tests", "-t", action="append", required=True, metavar="FILE",
                    help="a test file, relative to mutants/ (repeat for more)")
    ap.add_argument("-k", dest="select", metavar="EXPR", help="pytest's -k: the tests to run")
    ap.add_argument("--mutants", type=Path, default=ROOT / "mutants", help="mutmut's directory")
    ap.add_argument("--timeout", type=float, default=300.0, help="seconds per mutant")
    ap.add_argument("--spawn", action="store_true", help="a new interpreter for each mutant")
    ap.add_argument("--log", type=Path, help="keep each mutant's pytest output in this folder")
    args = ap.parse_args(argv)
    names = list(args.names)
    if args.names_from:
        names += args.names_from.read_text().split()
    os.environ.update({**ONE_THREAD, "RNNQUIZ_SKIP_WHEEL": "1"})
    mutants = args.mutants.resolve()
    run = spawn if args.spawn else fork
    if not args.spawn:
        for module in PRELOAD:
            try:
                importlib.import_module(module)
            except ImportError:
                pass
        assert not any(m.split(".")[0] == "rnnquiz" for m in sys.modules), "rnnquiz preloaded"
    logs = args.log or Path(os.environ.get("TMPDIR", "/tmp"))
    logs.mkdir(parents=True, exist_ok=True)
    # no assertion rewriting nor tracebacks: a kill needs no explanation, and pytest's diff
    # of two large tables can take longer than the tests (run the test alone to see it)
    # -n 0: pytest-xdist (on by default in pyproject) would start workers for every mutant
    pytest_args = ["-q", "-x", "-n", "0", "-p", "no:cacheprovider", "--assert=plain",
                   "--tb=no", *args.tests]
    if args.select:
        pytest_args[:0] = ["-k", args.select]
    # the tests must pass unmutated, or every "kill" below means nothing
    log = logs / f"mutation_fresh.{os.getpid()}.none.txt"
    code = run("none", mutants, pytest_args, args.timeout, log)
    if code != 0:
        print(f"the tests do not pass without a mutant ({status_of(code)}): see {log}",
              file=sys.stderr)
        return 2
    counts: dict[str, int] = {}
    for name in names:
        log = logs / (name if args.log else f"mutation_fresh.{os.getpid()}.txt")
        start = time.monotonic()
        status = status_of(run(name, mutants, pytest_args, args.timeout, log))
        counts[status] = counts.get(status, 0) + 1
        print(f"{status:8} {name}  ({time.monotonic() - start:.1f} s)", flush=True)
    print(", ".join(f"{k} {v}" for k, v in sorted(counts.items())) or "no mutants")
    return 0


if __name__ == "__main__":
    sys.exit(main())
