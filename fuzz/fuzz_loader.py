"""Coverage-guided fuzzing of the loader and solver with atheris.

    python fuzz/fuzz_loader.py -max_total_time=600 fuzz/corpus   # a long run
    python fuzz/fuzz_loader.py -runs=2000                          # what the tests run

Any input must end as a list of problems, a solved result, or a ProblemError: never
another exception (that would be a traceback for a user), never a hang.
"""

from __future__ import annotations

import sys
import warnings
from pathlib import Path

import atheris

with atheris.instrument_imports():
    import numpy as np

    import rnnquiz
    from rnnquiz.types import load_text

ROOT = Path(__file__).resolve().parent.parent


def one_input(data: bytes) -> None:
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return
    try:
        problems = load_text(text, "fuzz.yaml", max_numbers=5000)
    except rnnquiz.ProblemError:
        return
    for p in problems:
        if p.T > 200:
            continue
        try:
            r = rnnquiz.solve(p)
            r.to_json()
        except rnnquiz.ProblemError:
            pass


def seeds() -> list[bytes]:
    return [f.read_bytes() for f in sorted((ROOT / "problems").glob("*.yaml"))]


def main(argv: list[str]) -> None:
    warnings.simplefilter("error")         # a warning is a bug here, as it would be on a terminal
    np.seterr(all="ignore")
    corpus = [a for a in argv[1:] if not a.startswith("-")]
    if corpus:
        Path(corpus[0]).mkdir(parents=True, exist_ok=True)
        for i, s in enumerate(seeds()):
            (Path(corpus[0]) / f"seed{i}.yaml").write_bytes(s)
    atheris.Setup(argv, one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main(sys.argv)
