"""The LSTM variants' keys (SPEC 1.15) in the notations with a key per gate: the notation a
file's words ask for, derived from the course's plain LSTM and its LSTM with a relevance gate
(both described by the course's module). Loaded only when a file asks for a variant.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from .refused import Refused

if TYPE_CHECKING:
    from . import Notation

PEEPHOLES = ("w_cf", "w_ci", "w_co")
WORDS = ("relevance_gate", "state_activation", "recurrence")


def _refuse(key: str, message: str) -> Refused:
    return Refused(("network", key), message)


def derive(plain: Notation, relevant: Notation, words: dict, given=(), *,
           cell_state: tuple | None = None) -> Notation:
    """The notation of the variant `words` ask for. `cell_state` = (the working's symbol of
    c_{t-1}, the pre-activations reading it, the symbol of h_{t-1} in the course's gate
    words) where the course's recurrent keys may read c_{t-1} (`recurrence: cell`); None:
    refused in this notation."""
    given = set(given)
    relevance = bool(words.get("relevance_gate"))
    from_cell = words.get("recurrence") == "cell"
    own = sorted(set(relevant.params) - set(plain.params))
    if not relevance:
        for key in own:
            if key in given:
                raise _refuse(key, "is the relevance gate's weight: add relevance_gate: true "
                                   "(CS230's cheatsheet), or leave it out")
    asked = [w for w, default in zip(WORDS, (False, "tanh", "hidden"))
             if words.get(w, default) != default]
    peep = [k for k in PEEPHOLES if k in given]
    if peep and asked:
        raise _refuse(peep[0], f"peephole weights do not combine with {asked[0]}: "
                               f"{_word(words[asked[0]])} (recurrence: cell is the peephole "
                               "LSTM through full matrices)")
    n = relevant if relevance else plain
    if not from_cell:
        return replace(n, variant=None)
    if cell_state is None:
        raise _refuse("recurrence", f"recurrence: cell reads c_{{t-1}} through the recurrent "
                                    f"keys, which the {n.name} notation names after the hidden "
                                    "state; write it in mit (W_fh, W_ih, W_oh read c_{t-1}), "
                                    "goodfellow (W_f, W_g, W_o read s^(t-1)) or slp "
                                    "notation (U_f, U_i, U_o read c_{t-1})")
    if relevance:
        raise _refuse("relevance_gate", "the relevance gate gates the candidate's recurrent "
                                        "term, which recurrence: cell leaves out; drop one")
    dropped = n.file_names.get("W_ch", "W_ch")
    if dropped in given:
        raise _refuse(dropped, f"recurrence: cell: the candidate reads x_t alone (no recurrent "
                               f"term); leave {dropped} out")
    symbol, pre_c, h_symbol = cell_state
    W_x = n.file_names.get("W_cx", "W_cx")
    b = n.file_names.get("b_c", "b_c")

    def canonical(params, sizes):
        import numpy as np   # noqa: PLC0415 (start-up: the notations load without numpy)
        h = sizes["h"]
        return n.canonical({**params, dropped: np.zeros((h, h))}, sizes)

    def gradients(grads, params, sizes):
        import numpy as np   # noqa: PLC0415 (start-up: the notations load without numpy)
        h = sizes["h"]
        out = n.gradients({**grads, "W_ch": np.zeros((h, h))},
                          {**params, dropped: np.zeros((h, h))}, sizes)
        out.pop(dropped, None)
        return out

    def pre(gate, params, canon, h_prev, x, t, state_in=None, convention=None):
        if gate != "g":
            return pre_c(gate, params, canon, h_prev, x, t)
        return (f"{W_x}·{n.sub(n.x, t)} + {b}", "{}·{} + {}", (params[W_x], x, params[b]))

    words_of = {"g": "candidate (recurrence: cell: no recurrent term)"}
    for gate, word in (("f", "forget gate"), ("i", "input gate"), ("o", "output gate")):
        own = n.gate_words.get(gate)      # Goodfellow's, SLP3's roles name the state read
        words_of[gate] = own.replace(h_symbol, symbol) if own and h_symbol else \
            f"{word}, reading {symbol}"
    return replace(n, variant=None, weights={k: v for k, v in n.weights.items() if k != dropped},
                   canonical=canonical, gradients=gradients, pre=pre, gate_words=words_of,
                   file_names={k: v for k, v in n.file_names.items() if v != dropped})


def _word(v) -> str:
    return ("true" if v else "false") if isinstance(v, bool) else str(v)
