"""Start-up: the paired ratios of the start-up issue, and the import profile of a plain solve.
Run: python benchmarks/startup.py [--runs N] [--bytecode | --source] [--profile-only] [--json]

    rnnquiz --help                      / python -c pass              goal <= 2
    solve hinton_p3 --json              / python -c "import numpy"    goal <= 1.5
    solve hinton_p3 (table, piped)      / python -c "import numpy"    goal <= 1.9

Each command and its reference run alternately, so a busy neighbour slows both alike; the
ratio of the medians is what is compared, never an absolute time. The ratio of CPU times
(user + system) is printed below each: on a shared machine it moves less than the wall's.

The profile runs `python -X importtime` on a plain `solve --json` and on the table form
several times and prints, per module of rnnquiz, the median of its own import time (not its
children's), then the other modules the solve loads beyond `import numpy`'s: a regression
names its module.
"""

from __future__ import annotations

import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable
P3 = str(ROOT / "problems" / "hinton_p3.yaml")
GOALS = {"help": 2.0, "json": 1.5, "table": 1.9}


# Where rnnquiz is imported from, and whether its bytecode is kept: an installed copy has its
# bytecode (pip compiles it; --bytecode); a checkout run with PYTHONDONTWRITEBYTECODE=1
# compiles every module of rnnquiz on each run (--source: a copy without __pycache__), about
# 25 ms more. Both are measured unless one is asked for.
SOURCE = {"root": str(ROOT), "bytecode": True}


def _once(cmd: list[str]) -> tuple[float, float]:
    """(wall time, CPU time: user + system) of one run of a command, in seconds."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t = time.perf_counter()
    subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False,
                   env=_env(), cwd=SOURCE["root"])
    wall = time.perf_counter() - t
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def _env() -> dict:
    env = dict(os.environ)
    env.setdefault("NO_COLOR", "1")
    if SOURCE["bytecode"]:
        env.pop("PYTHONDONTWRITEBYTECODE", None)
    else:
        env["PYTHONDONTWRITEBYTECODE"] = "1"
    env["PYTHONPATH"] = os.pathsep.join([SOURCE["root"], env.get("PYTHONPATH", "")]).rstrip(
        os.pathsep)
    return env


def paired(cmd: list[str], ref: list[str], runs: int) -> tuple[float, float, float, float]:
    """Medians of the command and its reference, run alternately: wall times, then CPU times
    (on a busy machine the CPU time waits for no neighbour, so its ratio is the steadier)."""
    ours, theirs = [], []
    for _ in range(runs):
        theirs.append(_once(ref))
        ours.append(_once(cmd))
    return (statistics.median(w for w, _ in ours), statistics.median(w for w, _ in theirs),
            statistics.median(c for _, c in ours), statistics.median(c for _, c in theirs))


def rnnquiz(*args: str) -> list[str]:
    """The console script beside this Python (a venv's), else `python -m rnnquiz`.

    Not whatever `rnnquiz` is first on PATH: a pyenv shim there adds 40 ms of bash.
    """
    exe = Path(PY).with_name("rnnquiz")
    return [str(exe), *args] if exe.is_file() else [PY, "-m", "rnnquiz", *args]


def row(what: str, value: float, ref: float, cpu: float, cpu_ref: float, goal: float) -> dict:
    ratio = value / ref
    ok = "ok" if ratio <= goal else "MISSED"
    print(f"{what:<58} {value * 1000:9.1f} ms / {ref * 1000:8.1f} ms = {ratio:5.2f}"
          f"  (goal <= {goal}) {ok}")
    print(f"{'  CPU time (user + system)':<58} {cpu * 1000:9.1f} ms / {cpu_ref * 1000:8.1f} ms"
          f" = {cpu / cpu_ref:5.2f}")
    return {"what": what, "ms": value * 1000, "reference_ms": ref * 1000, "ratio": ratio,
            "cpu_ms": cpu * 1000, "cpu_reference_ms": cpu_ref * 1000,
            "cpu_ratio": cpu / cpu_ref, "goal": goal}


def ratios(runs: int) -> list[dict]:
    py_pass, py_numpy = [PY, "-c", "pass"], [PY, "-c", "import numpy"]
    for cmd in (rnnquiz("--help"), rnnquiz("solve", P3), rnnquiz("solve", P3, "--json")):
        _once(cmd)                              # write the bytecode before measuring
    return [
        row("rnnquiz --help / python -c pass",
            *paired(rnnquiz("--help"), py_pass, runs), GOALS["help"]),
        row("solve hinton_p3 --json / import numpy",
            *paired(rnnquiz("solve", P3, "--json"), py_numpy, runs), GOALS["json"]),
        row("solve hinton_p3 (table, piped) / import numpy",
            *paired(rnnquiz("solve", P3), py_numpy, runs), GOALS["table"]),
    ]


def _importtime(code: str) -> dict[str, tuple[int, int]]:
    """module -> (own µs, cumulative µs) of one `python -X importtime -c code`."""
    out = subprocess.run([PY, "-X", "importtime", "-c", code], capture_output=True, text=True,
                         cwd=SOURCE["root"], env=_env())
    if out.returncode:
        raise SystemExit(f"importtime run failed:\n{out.stderr[-2000:]}")
    times = {}
    for line in out.stderr.splitlines():
        if not line.startswith("import time:") or "self [us]" in line:
            continue
        own, cumulative, name = line[len("import time:"):].split("|")
        times[name.strip()] = (int(own), int(cumulative))
    return times


# -X importtime reports what the `import` statement loads, not importlib.import_module (the
# registries' way to load a member on first use): route that through __import__ for the profile.
_VISIBLE = """import importlib, sys
def _import_module(name, package=None):
    if name.startswith('.'):
        level = len(name) - len(name.lstrip('.'))
        base = package.rsplit('.', level - 1)[0]
        name = base + '.' + name[level:] if name[level:] else base
    __import__(name)
    return sys.modules[name]
importlib.import_module = _import_module
"""


def _solve_code(*argv: str) -> str:
    return (_VISIBLE + "sys.argv = ['rnnquiz', *%r]\n"
            "from rnnquiz.cli import main\n"
            "try:\n    main()\nexcept SystemExit:\n    pass\n" % (list(argv),))


def profile(argv: tuple[str, ...], runs: int) -> dict:
    """Median own import time (ms) of each module a command loads beyond `import numpy`."""
    base = set(_importtime("import numpy"))
    _importtime(_solve_code(*argv))             # write the bytecode before measuring
    samples: dict[str, list[int]] = {}
    for _ in range(runs):
        for name, (own, _) in _importtime(_solve_code(*argv)).items():
            samples.setdefault(name, []).append(own)
    ours = {m: statistics.median(v) / 1000 for m, v in samples.items()
            if m == "rnnquiz" or m.startswith("rnnquiz.")}
    others = {m: statistics.median(v) / 1000 for m, v in samples.items()
              if m not in ours and m not in base and not m.startswith("numpy")}
    return {"argv": list(argv), "rnnquiz": ours, "others": others}


def print_profile(p: dict) -> None:
    argv = [os.path.relpath(a, ROOT) if a == P3 else a for a in p["argv"]]
    print(f"\nimport profile of `rnnquiz {' '.join(argv)}` "
          "(median own import time, ms; python -X importtime)")
    for title, mods, shown in (("rnnquiz modules", p["rnnquiz"], None),
                               ("other modules beyond `import numpy`'s", p["others"], 12)):
        print(f"  {title}: {len(mods)}, {sum(mods.values()):.1f} ms")
        ranked = sorted(mods.items(), key=lambda kv: -kv[1])
        for m, ms in ranked[:shown]:
            print(f"    {ms:6.2f}  {m}")
        rest = ranked[shown:] if shown is not None else []
        if rest:
            print(f"    {sum(ms for _, ms in rest):6.2f}  ... {len(rest)} more")


def from_source(tmp: str) -> None:
    """Measure a copy of the package without bytecode, compiled on every run."""
    shutil.copytree(ROOT / "rnnquiz", Path(tmp) / "rnnquiz",
                    ignore=shutil.ignore_patterns("__pycache__"))
    SOURCE.update(root=tmp, bytecode=False)


MODES = {"bytecode": "rnnquiz with its bytecode, as installed (the goals are for this)",
         "source": "rnnquiz compiled from source on every run (a checkout run with "
                   "PYTHONDONTWRITEBYTECODE=1)"}


def main() -> None:
    args = sys.argv[1:]
    runs = int(args[args.index("--runs") + 1]) if "--runs" in args else 15
    modes = [m for m in MODES if f"--{m}" in args] or list(MODES)
    out = {}
    for mode in modes:
        print(f"\n{MODES[mode]}")
        tmp = tempfile.mkdtemp(prefix="rnnquiz-startup-")
        try:
            if mode == "source":
                from_source(tmp)
            else:
                SOURCE.update(root=str(ROOT), bytecode=True)
            out[mode] = _measure(args, runs)
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
    if "--json" in args:
        print(json.dumps(out, indent=2))


def _measure(args: list[str], runs: int) -> dict:
    rows = [] if "--profile-only" in args else ratios(runs)
    profiles = [profile(("solve", P3, "--json"), max(3, runs // 3)),
                profile(("solve", P3), max(3, runs // 3))]
    for p in profiles:
        print_profile(p)
    return {"ratios": rows, "profiles": profiles}


if __name__ == "__main__":
    main()
