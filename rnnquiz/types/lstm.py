"""`lstm`: the LSTM's forward pass (SPEC 1.3), in the file's notation."""

from __future__ import annotations

from . import cell_forward, method_hooks
from .keys import COMMON, NET

NAME = "lstm"
TOPIC = "LSTM"   # what an exported question is filed under (PrairieLearn's topic)
KEYS = COMMON | NET | {"method"}   # the type's top-level keys
# teaching/slips.py's slips this type's answers can make
SLIPS = ("no_bias", "off_by_one_step", "initial_state_as_input", "letters_swapped", "no_rounding",
         "rounded_early", "forget_on_h", "tanh_missing", "tanh_kept", "rtrl_not_carried")
WHO = "An LSTM"   # the question's subject
STEP_COST = 60_000   # units a time step costs beyond its multiply-adds (problem/limits.py)
CELL = "lstm"       # the cell this type always runs
NETWORK = True       # ask.layer and ask.direction pick a layer
SHORT_HEAD = True    # a long sequence's working shows its first steps


validate, solve, scan = cell_forward(CELL)
scannable, asked_words, schema = method_hooks()


def generate(rng) -> dict:
    """A new exercise (`rnnquiz new lstm`): MITx's saturated gates, h_t rounded; sometimes a
    relevance gate or a linear state activation."""
    from ..problem import draw, draw_features   # noqa: PLC0415 (start-up: only `new` draws)
    alt = draw_features.other(rng)     # sometimes an LSTM variant (SPEC 1.15) instead
    draw.sequence(rng)
    big = [-100, -50, 0, 50, 100]
    net = {k: rng.choice(big) for k in ("W_fx", "b_f", "W_ix", "b_i", "W_ox", "b_o",
                                         "W_ch", "W_cx")}
    if alt:
        return draw_features.lstm(alt)
    return {"type": "lstm", "network": {**net, "h_init": 0, "c_init": 0},
            "inputs": [rng.randint(0, 1) for _ in range(5)], "round": "state",
            "ask": {"quantity": "h"}}


# `rnnquiz lstm`: the calculator (cli/calculators.py builds its options from the notations)
CALCULATOR = {
    "name": "lstm",
    "help": "LSTM states, MIT notation (default: MITx homework 4, rounding h_t and c_t).",
    "examples": "rnnquiz lstm --inputs 0,0,1,1,1,0      the MITx homework's h_t\n"
                "rnnquiz lstm --inputs 1,1,0,1,1 --json",
    "network": "lstm",
    "options": ("notation",),
    "fresh_keeps": ("round",),    # the homework's rounding holds for any network of its kind
    "seed": {               # problems/mit_lstm_states_1.yaml
        "type": "lstm",
        "title": "MITx 6.86x homework 4: LSTM states 1",
        "source": "MITx 6.86x, homework 4, 2. LSTM",
        "network": {"W_fh": 0, "W_fx": 0, "b_f": -100, "W_ih": 0, "W_ix": 100, "b_i": 100,
                    "W_oh": 0, "W_ox": 100, "b_o": 0, "W_ch": -100, "W_cx": 50, "b_c": 0,
                    "h_init": 0, "c_init": 0},
        "inputs": [0, 0, 1, 1, 1, 0],
        "round": "state",
        "ask": {"quantity": "h"},
        "answer": [0, 0, 1, -1, 1, 0],
    },
}
