"""`gated`: the MITx gated RNN's forward pass (SPEC 1.3)."""

from __future__ import annotations

from . import cell_forward
from .keys import COMMON, NET

NAME = "gated"
TOPIC = "Gated RNN"   # what an exported question is filed under (PrairieLearn's topic)
ALIASES = ("gatedrnn")   # what a file may call the type, for the advice on an unknown type
KEYS = COMMON | NET   # the type's top-level keys
# teaching/slips.py's slips this type's answers can make
SLIPS = ("no_bias", "off_by_one_step", "initial_state_as_input", "no_rounding", "rounded_early")
WHO = "A gated RNN"   # the question's subject
STEP_COST = 60_000   # units a time step costs beyond its multiply-adds (problem/limits.py)
CELL = "gated"       # the cell this type always runs
NETWORK = True       # ask.layer and ask.direction pick a layer
SHORT_HEAD = True    # a long sequence's working shows its first steps


validate, solve, scan = cell_forward(CELL)


def generate(rng) -> dict:
    """A new exercise (`rnnquiz new gated`): the last s_t of MITx's gated RNN."""
    from ..problem import draw   # noqa: PLC0415 (start-up: only `new` draws)
    T, inputs = draw.sequence(rng)
    net = {k: draw.w(rng) for k in ("W_gs", "W_gx", "b_g", "W_ss", "W_sx")}
    return {"type": "gated", "network": {**net, "s_init": 0}, "inputs": inputs,
            "round": "none", "ask": {"quantity": "s", "t": T - 1, "digits": 3}}


# `rnnquiz gated`: the calculator (cli/calculators.py builds its options from the notations)
CALCULATOR = {
    "name": "gated",
    "help": "The MITx gated RNN's states s_t.",
    "examples": "rnnquiz gated                            the MITx gated RNN\n"
                "rnnquiz gated --b_g -100                 a gate of 0 keeps the state",
    "network": "gated",
    "seed": {
        "type": "gated",
        "title": "MITx gated RNN: a gate of 1 overwrites the state",
        "source": "MITx 6.86x, lecture 10, 5. Gating and LSTM",
        "network": {"W_gs": 0, "W_gx": 0, "b_g": 100, "W_ss": 1, "W_sx": 1, "s_init": 0.5},
        "inputs": [1, -1],
        "round": "none",
    },
}
