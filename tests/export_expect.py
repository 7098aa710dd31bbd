"""What an export must hold, computed here from the solver's JSON and SPEC 2's tolerance rule,
without the exporter's code: the tests read each export back and compare with these."""

from __future__ import annotations

import math
from pathlib import Path

import rnnquiz

ROOT = Path(__file__).resolve().parent.parent
BUNDLED = sorted(str(p.relative_to(ROOT)) for p in (ROOT / "problems").glob("*.yaml"))
COUNTS = {"shapes", "hmm_bits"}


def spec_tolerance(a: float, digits, integer: bool) -> float:
    """SPEC 2: ±0.5·10^-d; without digits three significant digits (0 as order 1); counts 0."""
    if integer:
        return 0.0
    if digits is not None:
        return 0.5 / 10 ** digits
    order = 0 if a == 0 else math.floor(math.log10(abs(a)))
    return 0.5 * 10.0 ** (order - 2)


def flat(v) -> list:
    if isinstance(v, list):
        return [e for x in v for e in flat(x)]
    if isinstance(v, dict):
        return [e for x in v.values() for e in flat(x)]
    return [v]


def expected(problem) -> list[tuple]:
    """(value, tolerance) of every number, word or token the problem's answer holds, in order;
    a choice gives (sorted right option numbers, None)."""
    j = rnnquiz.solve(problem).to_json()
    if problem.type == "choice":
        return [(sorted(problem.correct), None)]
    digits = problem.ask.digits
    out = []
    for v in flat(j["answer"]):
        if isinstance(v, str):
            out.append((v, None))
        else:
            integer = problem.type in COUNTS and float(v).is_integer()
            out.append((v, spec_tolerance(v, digits, integer)))
    return out


def all_problems(paths=BUNDLED) -> list:
    """The problems of files named from the project's root (the current folder: ids derive
    from the path as given)."""
    return [p for path in paths for p in rnnquiz.load(path)]


def hinton_p3_by_hand() -> float:
    """Hinton's lecture 7 problem 3, worked by hand: y_1 with logistic hidden units."""
    def s(z):
        return 1 / (1 + math.exp(-z))
    h0 = s(0.5 * 9 + (-1.0) * 0 - 1.0)
    h1 = s(0.5 * 4 + (-1.0) * h0 - 1.0)
    return -0.7 * h1


def hinton_p3_variant_by_hand() -> float:
    """The same exercise with W_hh = -0.5 (a variant with new numbers), by hand."""
    def s(z):
        return 1 / (1 + math.exp(-z))
    h0 = s(0.5 * 9 - 1.0)
    h1 = s(0.5 * 4 + (-0.5) * h0 - 1.0)
    return -0.7 * h1


def two_variants(tmp_path, name: str = "hinton_p3", change=("W_hh: -1.0", "W_hh: -0.5")):
    """A stand-in for `vary`: the exercise itself and a copy with one number changed."""
    text = (ROOT / "problems" / f"{name}.yaml").read_text(encoding="utf-8")
    assert change[0] in text
    other = tmp_path / f"{name}_variant.yaml"
    other.write_text(text.replace(*change), encoding="utf-8")

    def draw(problem):
        return [problem, rnnquiz.load(str(other))[problem.doc_index or 0]]
    return draw
