"""What the type modules share: `Outcome` (what a solver returns), and the hooks of the types
that run one cell forward (`cell_forward`) and take `method: bptt | rtrl` (`method_hooks`)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass          # with a docstring: else @dataclass writes one by inspect.signature (start-up)
class Outcome:
    """What a solver computed: every quantity, which are per step, the default asked."""

    values: dict[str, Any]
    per_step: tuple[str, ...] = ()
    default: str = ""
    extra: dict = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    sub: list = field(default_factory=list)
    log_zero: tuple[str, ...] = ()   # quantities (logarithms) whose -inf is ln 0: null in JSON
    # lines a scan recorded (a verdict): a long sequence's working ends with them
    working: list = field(default_factory=list)


def cell_forward(cell: str):
    """`validate`, `solve` and `scan` of a type that runs one cell forward (lstm, gru, gated):
    the network read for `cell`, the asked step checked, the states with or without working;
    with `method: rtrl` (where the type's KEYS take it) the sensitivities carried forward."""
    def validate(p, data: dict) -> None:
        # start-up: the problem package (numpy) is read here: `rnnquiz lstm --help` needs none
        from ..problem import asked_step   # noqa: PLC0415 (start-up: see above)
        from ..problem.network_keys import network_problem   # noqa: PLC0415 (network types)
        network_problem(p, data, cell)
        asked_step(p)
        if "method" in data:
            from ..problem.method import read_method   # noqa: PLC0415 (start-up: RTRL files only)
            read_method(p, data)

    def solve(p, work) -> Outcome:
        if p.method == "rtrl":      # the sensitivities dh_t/d<key> carried forward (SPEC 1.17)
            from ..cells import rtrl_run   # noqa: PLC0415 (start-up: RTRL files only)
            values, per_step, default = rtrl_run.forward_values(p, work)
        else:
            from ..cells import runner   # noqa: PLC0415 (start-up: network types only)
            values, per_step, default = runner(p).forward_values(p, work)
        return Outcome(values=values, per_step=per_step, default=default)

    def scan(p) -> Outcome:
        from ..cells import runner   # noqa: PLC0415 (start-up: network types only)
        values, per_step, default = runner(p).scan_values(p)
        return Outcome(values=values, per_step=per_step, default=default)

    return validate, solve, scan


def method_hooks():
    """`scannable`, `asked_words` and `schema` of a type that takes `method: bptt | rtrl`."""
    def scannable(p) -> bool:
        return p.method == "bptt"      # the scan has no sensitivities

    def asked_words(q: str, p=None) -> str:
        from ..problem.method import asked_words   # noqa: PLC0415 (start-up: questions only)
        return asked_words(q)

    def schema() -> dict:
        from ..problem.method import SCHEMA   # noqa: PLC0415 (start-up: `rnnquiz schema` only)
        return {"properties": {"method": SCHEMA}}

    return scannable, asked_words, schema
