"""The largest problem within the default limits, for each type, solved by the command line:
its wall time and peak memory against the bound the README states (10 s and 1 GiB on this
project's machine: 2 cores, Python 3.11), and the limits' own estimate of its work.
Run: python benchmarks/limits.py [--quick] [--json]

    forward    1,249,000 steps (h = 1), and 57,000 hidden units left out (T = 1)
    backprop   498,000 steps (h = 1), and 1,480 hidden units (T = 2): the gradients
    vanishing  111,000 steps;  lstm, gru, gated  their most steps;  backprop lstm
    clip       its most numbers, as rows [[x], ...] and flat
    numbers    1,999,000 numbers as a block list (- x), for perplexity
    documents  500 documents in one file, as a table

Each is sized from rnnquiz.limits (work and memory) and yamlio (numbers, documents), so the
rows follow the limits when they change.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from rnnquiz.problem import limits, yamlio   # noqa: E402
from rnnquiz.types import TYPES   # noqa: E402

SECONDS, GIB = 10.0, 1.0                  # the bound stated in the README


def nums(n: int, value: str = "0.5") -> str:
    return "[" + ", ".join([value] * n) + "]"


def steps_within(ptype: str, cell: str | None = None, multiply: int = 3) -> int:
    step = limits.CELL_BACKPROP_STEP if ptype == "backprop" and cell not in (None, "rnn") \
        else getattr(TYPES[ptype], "STEP_COST", limits.STEP_COST)
    return int(limits.MAX_WORK // (step + multiply)) // 1000 * 1000


def cases(quick: bool) -> list[tuple[str, str, list[str]]]:
    """(name, file text, extra options) of each largest problem."""
    out = []
    T = steps_within("forward")
    out.append((f"forward, {T:,} steps", f"type: forward\ninputs: {nums(T)}\n"
                f"network: {{W_xh: 0.5, W_hh: 0.1, W_hy: 1}}\n", []))
    h = int((limits.MAX_WORK / limits.ZERO_WEIGHT) ** 0.5) // 1000 * 1000
    out.append((f"forward, {h:,} units left out", f"type: forward\ninputs: [1]\n"
                f"network: {{h_init: {nums(h, '0')}}}\n", []))
    T = steps_within("backprop") - 1000
    out.append((f"backprop, {T:,} steps", f"type: backprop\ninputs: {nums(T)}\n"
                f"targets: {nums(T, '0.1')}\nnetwork: {{W_xh: 0.5, W_hh: 0.1, W_hy: 1}}\n", []))
    h = 1480
    out.append((f"backprop, {h:,} units (its h x h gradients)",
                f"type: backprop\ninputs: [1, 2]\ntargets: [0, 1]\n"
                f"network: {{b_h: {nums(h, '0.1')}, W_hy: [{nums(h, '1')}]}}\n", []))
    for ptype in ("vanishing", "lstm", "gru", "gated"):
        T = steps_within(ptype, multiply=12)
        net = "network: {W_xh: 1, W_hh: 0.5, W_hy: 1}\n" if ptype == "vanishing" else ""
        out.append((f"{ptype}, {T:,} steps", f"type: {ptype}\ninputs: {nums(T)}\n{net}", []))
    T = steps_within("backprop", "lstm", multiply=12)
    out.append((f"backprop lstm, {T:,} steps", f"type: backprop\ncell: lstm\ninputs: "
                f"{nums(T)}\ntargets: {nums(T, '0.1')}\n", []))
    n = int(limits.MAX_WORK // (limits.NUMBER_COST + limits.ROW_COST)) // 1000 * 1000
    out.append((f"clip, {n:,} numbers as rows [[x], ...]",
                "type: clip\nnorm: 1\ngradients:\n  g: [" + ", ".join(["[0.5]"] * n) + "]\n", []))
    n = int(limits.MAX_MEMORY // limits.NUMBER_BYTES) // 1000 * 1000
    out.append((f"clip, {n:,} numbers", "type: clip\nnorm: 1\ngradients:\n  g: "
                f"{nums(n)}\n", []))
    n = yamlio.MAX_NUMBERS - 1000
    out.append((f"perplexity, {n:,} numbers as a block list",
                "type: perplexity\nprobabilities:\n" + "- 0.5\n" * n, []))
    docs = yamlio.MAX_NUMBERS // yamlio.NUMBERS_PER_DOCUMENT
    one = (ROOT / "problems" / "hinton_p3.yaml").read_text()
    out.append((f"{docs:,} documents in one file, as a table", "---\n".join([one] * docs),
                ["--format", "table"]))
    return out[:3] if quick else out


def run(path: str, extra: list[str]) -> tuple[float, float, int, str]:
    """Wall seconds, peak MiB, exit code and the first line of stderr of one solve."""
    cmd = [sys.executable, "-m", "rnnquiz", "solve", path, "--json", *extra]
    env = {**os.environ, "PYTHONPATH": str(ROOT), "NO_COLOR": "1"}
    t = time.perf_counter()
    with open(os.devnull, "w") as null, tempfile.TemporaryFile("w+") as err:
        proc = subprocess.Popen(cmd, stdout=null, stderr=err, env=env)
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - t
        err.seek(0)
        first = err.readline().strip()
    return seconds, usage.ru_maxrss / 1024, os.waitstatus_to_exitcode(status), first


def main() -> None:
    quick = "--quick" in sys.argv
    rows = []
    print(f"{'the largest problem within the limits':<52} {'s':>6} {'MiB':>7}   bound "
          f"{SECONDS:g} s, {GIB:g} GiB")
    with tempfile.TemporaryDirectory() as d:
        for name, text, extra in cases(quick):
            path = os.path.join(d, "p.yaml")
            with open(path, "w", encoding="utf-8") as fh:
                fh.write(text)
            seconds, mib, code, err = run(path, extra)
            ok = code in (0, 1) and seconds <= SECONDS and mib <= GIB * 1024
            print(f"{name:<52} {seconds:6.2f} {mib:7.0f}   {'ok' if ok else 'MISSED'}"
                  + (f"  (exit {code}: {err[:80]})" if code not in (0, 1) else ""))
            rows.append({"what": name, "seconds": seconds, "MiB": mib, "exit": code,
                         "bound_seconds": SECONDS, "bound_GiB": GIB})
    if "--json" in sys.argv:
        print(json.dumps(rows, indent=2))


if __name__ == "__main__":
    main()
