"""Benchmark: `check` with the conventions and slips against `check` with the slips alone
(RNNQUIZ_NO_CONVENTIONS=1, the search as it was before the conventions), measured in the same
run, in-process (the interpreter's start-up, the same for both, is left out), in CPU time
of this process (the machine's other load left out).
Run: python benchmarks/check_conventions.py [--quick]

    every numeric bundled problem with a convention that applies, checked with
      a wrong answer no convention or slip gives (the whole search, pairs included)
      and the answer under its first convention (found among the singles)
    the time with conventions and slips / slips alone, for each kind and both
                                                                goal <= 1.5
      (the median of the ratios of runs made in pairs; the times are the medians)
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GOAL = 1.5


def _cases():
    sys.path.insert(0, str(ROOT))
    import numpy as np

    import rnnquiz
    from rnnquiz.teaching.conventions import applying, under
    from rnnquiz.types import solve
    out = []
    for path in sorted((ROOT / "problems").glob("*.yaml")):
        for p in rnnquiz.load(path):
            if p.options or p.ask.parts is not None or not applying(p):
                continue
            right = solve(p)
            if isinstance(right.answer, (str, dict)) or \
                    rnnquiz.problem.answers.is_words(right.answer):
                continue            # words, and answers by delay (Hagan's), are not typed here
            wrong = np.asarray(right.answer, dtype=float) * 1.37 + 0.0123   # no slip's
            c = applying(p)[0]
            try:
                theirs, _ = under(p, (c,))
            except Exception:   # noqa: BLE001 - a case the benchmark leaves out
                continue
            for kind, value in (("random", wrong), ("convention", theirs)):
                text = ",".join(f"{v:.6f}" for v in np.asarray(value, float).reshape(-1))
                out.append((kind, p, text, right))
    return out


def _run(cases, conventions: bool) -> float:
    from rnnquiz.teaching.checking import check
    if conventions:
        os.environ.pop("RNNQUIZ_NO_CONVENTIONS", None)
    else:
        os.environ["RNNQUIZ_NO_CONVENTIONS"] = "1"
    t = time.process_time()
    for _, p, text, right in cases:
        check(p, text, right)
    return time.process_time() - t


def check_conventions(runs: int) -> list[dict]:
    every = _cases()
    out = []
    for kind, words in (("random", "a random wrong answer (the whole search)"),
                        ("convention", "the answer under a convention"), (None, "both")):
        cases = [c for c in every if kind is None or c[0] == kind]
        out.append(_pairs(cases, runs, f"check, {len(cases)} x {words}"))
    return out


def _pairs(cases, runs: int, what: str) -> dict:
    _run(cases, True), _run(cases, False)
    base, new = [], []
    for _ in range(runs):            # in pairs, so a noisy neighbour slows both alike
        base.append(_run(cases, False))
        new.append(_run(cases, True))
    os.environ.pop("RNNQUIZ_NO_CONVENTIONS", None)
    t_base, t_new = statistics.median(base), statistics.median(new)
    ratio = statistics.median(n / b for n, b in zip(new, base))
    print(f"{what:<58} {t_new * 1000:9.1f} ms / {t_base * 1000:8.1f} ms = {ratio:5.2f}  "
          f"(goal <= {GOAL}) {'ok' if ratio <= GOAL else 'MISSED'}")
    return {"what": what, "ms": t_new * 1000, "reference_ms": t_base * 1000, "ratio": ratio,
            "goal": GOAL}


if __name__ == "__main__":
    check_conventions(3 if "--quick" in sys.argv else 9)
