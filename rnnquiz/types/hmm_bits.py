"""`hmm_bits`: how many bits a hidden state carries (Hinton, lecture 7, problem 1).

An HMM with N hidden states is in one of N states at a time: log2(N) bits.
An RNN with N binary hidden units can be in any of 2^N patterns: N bits.
"""

from __future__ import annotations

import math

from . import Outcome
from .keys import COMMON

NAME = "hmm_bits"
TOPIC = "Hidden state capacity"   # what an exported question is filed under (PrairieLearn's topic)
ALIASES = ("hmm", "bits")   # what a file may call the type, for the advice on an unknown type
COUNTS = True   # its numbers are counts (parameters, dimensions, bits): graded exactly
KEYS = COMMON | {"states", "binary_units"}   # the type's top-level keys
SLIPS = ("states_not_bits",)   # the slips this type's answers can make: its own (below)
ASK = "How many bits?"   # the question asked


def validate(p, data: dict) -> None:
    # start-up: the problem package (numpy) is read here, so `rnnquiz hmm --help` imports none
    from ..problem.values import error_at, integer   # noqa: PLC0415 (start-up: see above)
    has_s, has_b = data.get("states") is not None, data.get("binary_units") is not None
    if has_s == has_b:
        raise error_at(("states",), "expected exactly one of states or binary_units")
    if has_s:
        p.states = integer(data["states"], ("states",), low=1)
    else:
        p.binary_units = integer(data["binary_units"], ("binary_units",), low=1)


def schema() -> dict:
    """Its part of `rnnquiz schema`: one of states (an HMM's) or binary_units (an RNN's)."""
    count = {"type": "integer", "minimum": 1}
    return {"properties": {"states": count, "binary_units": count}}



def solve(p, work) -> Outcome:
    if p.states is not None:
        n = p.states                # at most 10^15 (problem validation): whole digits
        bits = math.log2(p.states)
        work.note("bits", bits, eq="log2(N)", sub="log2({})", args=(p.states,),
                  note=f"an HMM is in exactly one of its N = {n} states at a time")
        work.note("RNN", p.states, eq="N binary units", note=f"an RNN with {n} binary hidden units "
                  f"would carry {n} bits: 2^{n} patterns")
        notes = [f"{n} states can be told apart with log2({n}) = {bits:g} bits; the HMM's "
                 "state is one choice among N, so its information grows only as log N."]
    else:
        n = p.binary_units
        bits = float(p.binary_units)
        work.note("patterns", f"2^{n}", eq="2^N", note=f"each of the {n} units is 0 or 1 "
                  "independently")
        work.note("bits", bits, eq="log2(2^N) = N", sub="log2(2^{})", args=(p.binary_units,))
        work.note("HMM states", f"2^{n}", eq="2^N",
                  note=f"an HMM would need 2^{n} states to carry as much")
        notes = [f"{n} binary units carry {n} bits, while an HMM needs 2^{n} states for the same: "
                 "the RNN's distributed state grows exponentially more expressive."]
    return Outcome(values={"bits": bits}, default="bits", notes=notes)


def _slips():
    """Its own slips (teaching/slips.py's catalogue gathers them)."""
    from .slip import Slip, Variant   # noqa: PLC0415 (start-up: `check` only)
    return (Slip("states_not_bits", "the HMM question answered with the number of states, not "
                 "log2 of it", lambda p: [Variant("states_not_bits", answer=lambda _:
                                                  float(p.states))] if p.states else []),)


OWN_SLIPS = _slips


def generate(rng) -> dict:
    """A new exercise (`rnnquiz new hmm_bits`)."""
    from ..problem import draw   # noqa: PLC0415 (start-up: only `new` draws)
    draw.sequence(rng)
    return {"type": "hmm_bits", "states": rng.choice([2, 4, 8, 10, 16, 32, 64, 100])}


def question(p, ask: str) -> str:
    """The question in words (quiz, new, export)."""
    from ..trace.numbers import fmt   # noqa: PLC0415 (quiz only)
    if p.states is not None:
        return (f"How many bits of information can the hidden state of an HMM with "
                f"{fmt(p.states)} states carry?")
    return (f"How many bits of information can an RNN hidden state of "
            f"{fmt(p.binary_units)} binary units carry?")


def vary(data: dict, rng) -> dict:
    """`rnnquiz vary`: a new count of states or units, drawn about the file's; an HMM whose
    states were a power of two keeps a whole number of bits (2 to 1024 states)."""
    from ..problem.redraw import power_of_two, size   # noqa: PLC0415 (vary only)
    states, units = data.get("states"), data.get("binary_units")
    if isinstance(states, int) and not isinstance(states, bool):
        data["states"] = 2 ** int(rng.integers(1, 11)) if power_of_two(states) \
            else size(states, rng, low=2)
    if isinstance(units, int) and not isinstance(units, bool):
        data["binary_units"] = size(units, rng, low=1)
    return data


def _build(opts: dict) -> dict:
    """`rnnquiz hmm --states N` or `--binary-units N`; neither: Hinton's problem 1."""
    if opts.get("states") is None and opts.get("binary_units") is None:
        return dict(CALCULATOR["seed"])
    return {"type": NAME, **{k: opts[k] for k in ("states", "binary_units")
                             if opts.get(k) is not None}}


# `rnnquiz hmm`: the calculator
CALCULATOR = {
    "name": "hmm",
    "help": "Bits of information in a hidden state: an HMM's (log2 N) or an RNN's (N).",
    "examples": "rnnquiz hmm                        Hinton's problem 1 (16 states)\n"
                "rnnquiz hmm --states 10            log2(10) = 3.32 bits\n"
                "rnnquiz hmm --binary-units 16      16 bits",
    "options": (
        {"flags": ("--states",), "kind": "int", "min": 1,
         "help": "An HMM with this many hidden states."},
        {"flags": ("--binary-units",), "kind": "int", "min": 1,
         "help": "An RNN hidden state of this many binary units."},
    ),
    "build": _build,
    "seed": {               # problems/hinton_p1.yaml
        "type": "hmm_bits",
        "title": "Hinton lecture 7, problem 1: bits in an HMM's hidden state",
        "source": "Hinton, Neural Networks for Machine Learning (Coursera), lecture 7 quiz",
        "states": 16,
        "answer": 4,
    },
}
