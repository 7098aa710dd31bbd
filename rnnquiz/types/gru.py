"""`gru`: the GRU's forward pass (SPEC 1.3), in the file's notation and convention."""

from __future__ import annotations

from . import cell_forward, method_hooks
from .keys import COMMON, NET

NAME = "gru"
TOPIC = "GRU"   # what an exported question is filed under (PrairieLearn's topic)
KEYS = COMMON | NET | {"convention", "method"}   # the type's top-level keys
# teaching/slips.py's slips this type's answers can make
SLIPS = ("no_bias", "off_by_one_step", "initial_state_as_input", "letters_swapped", "no_rounding",
         "rounded_early", "rtrl_not_carried")
WHO = "A GRU"   # the question's subject
STEP_COST = 70_000   # units a time step costs beyond its multiply-adds (problem/limits.py)
CELL = "gru"       # the cell this type always runs
NETWORK = True       # ask.layer and ask.direction pick a layer
SHORT_HEAD = True    # a long sequence's working shows its first steps


validate, solve, scan = cell_forward(CELL)
scannable, asked_words, schema = method_hooks()


def generate(rng) -> dict:
    """A new exercise (`rnnquiz new gru`): the last h_t of a one-unit GRU."""
    from ..problem import draw   # noqa: PLC0415 (start-up: only `new` draws)
    T, inputs = draw.sequence(rng)
    net = {k: draw.w(rng) for k in ("W_uh", "W_ux", "b_u", "W_rh", "W_rx", "W_ch", "W_cx")}
    return {"type": "gru", "network": {**net, "h_init": 0}, "inputs": inputs,
            "round": "none", "ask": {"quantity": "h", "t": T - 1, "digits": 3}}


# `rnnquiz gru`: the calculator (cli/calculators.py builds its options from the notations)
CALCULATOR = {
    "name": "gru",
    "help": "GRU states (convention ng, pytorch or fully_gated).",
    "examples": "rnnquiz gru                              deeplearning.ai Q8's GRU\n"
                "rnnquiz gru --fresh --W_uh 1 --W_ux 0.5 --W_ch 1 --W_cx 1 --inputs 1,2",
    "network": "gru",
    "options": ("notation", "convention"),
    "seed": {
        "type": "gru",
        "title": "A deeplearning.ai GRU with Γ_r = 1 and Γ_u ≈ 0 (week 1, Q8)",
        "source": "deeplearning.ai, Sequence Models, week 1 quiz, question 8",
        "notation": "deeplearning_ai",
        "network": {"W_u": [[0, 0]], "b_u": -100, "W_r": [[0, 0]], "b_r": 100,
                    "W_c": [[0.5, 1.0]], "b_c": 0, "c_init": 0.5},
        "inputs": [1, -1, 0.5, 2],
        "round": "none",
    },
}
