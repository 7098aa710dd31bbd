"""deeplearning.ai (Sequence Models): weights on the concatenation [a<t-1>; x<t>], state first.

    LSTM  Γ_f = σ(W_f[a<t-1>, x<t>] + b_f) ... c<t> = Γ_u*c̃<t> + Γ_f*c<t-1>, a<t> = Γ_o*tanh(c<t>)
    GRU   c̃<t> = tanh(W_c[Γ_r*c<t-1>, x<t>] + b_c), c<t> = Γ_u*c̃<t> + (1 - Γ_u)*c<t-1>
"""

from __future__ import annotations

from dataclasses import replace

from . import (CELL_WORDS, LSTM_VARIANT_WORDS, OUT_B, OUT_W, Notation, make, register,
               with_lstm_variants)
from .layouts import Gate, Layout
from .mit import GRU_GATES, LSTM_GATES

# canonical gate -> this notation's weight and bias
LSTM_KEYS = {"f": ("W_f", "b_f"), "i": ("W_u", "b_u"), "o": ("W_o", "b_o"), "g": ("W_c", "b_c")}
GRU_KEYS = {"u": ("W_u", "b_u"), "r": ("W_r", "b_r"), "c": ("W_c", "b_c")}


def angle(name: str, t: int) -> str:
    return f"{name}<{t}>"


def _split(keys: dict, gates: dict):
    def canonical(params: dict, sizes: dict) -> dict:
        h = sizes["h"]
        out = {}
        for gate, (W, b) in keys.items():
            W_h, W_x, b_c = gates[gate]
            out[W_h], out[W_x], out[b_c] = params[W][:, :h], params[W][:, h:], params[b]
        return out

    def gradients(grads: dict, params: dict, sizes: dict) -> dict:
        import numpy as np   # noqa: PLC0415 (numpy stays out of --help)
        out = {}
        for gate, (W, b) in keys.items():
            W_h, W_x, b_c = gates[gate]
            out[W], out[b] = np.hstack([grads[W_h], grads[W_x]]), grads[b_c]
        return out
    return canonical, gradients


def _pre(keys: dict, state: str, names: dict):
    def pre(gate, params, canon, h_prev, x, t, state_in=None, convention=None):
        import numpy as np   # noqa: PLC0415 (numpy stays out of --help)
        W, b = keys[gate]
        prev = angle(state, t - 1)
        if state_in is not None:
            return (f"{W}·[{names['r']}<{t}>*{prev}; x<{t}>] + {b}", "{}·{} + {}",
                    (params[W], np.concatenate([state_in, x], axis=-1), params[b]))
        return (f"{W}·[{prev}; x<{t}>] + {b}", "{}·{} + {}",
                (params[W], np.concatenate([h_prev, x], axis=-1), params[b]))
    return pre


def _shapes(keys: dict) -> tuple[dict, dict]:
    return ({W: ("h", "h+x") for W, _ in keys.values()} | OUT_W,
            {b: "h" for _, b in keys.values()} | OUT_B)


_canon, _grads = _split(LSTM_KEYS, LSTM_GATES)
_w, _b = _shapes(LSTM_KEYS)
_LSTM = dict(cell="lstm", name="deeplearning_ai", states={"a_init": "h", "c_init": "c"},
             sub=angle, first=1, words=CELL_WORDS["lstm"])
_NAMES = {"h": ("a", "a"), "c": ("c", "c"), "f": ("gamma_f", "Γ_f"), "i": ("gamma_u", "Γ_u"),
          "o": ("gamma_o", "Γ_o"), "g": ("c_tilde", "c̃")}
_PLAIN = Notation(weights=_w, biases=_b, names=_NAMES, canonical=_canon, gradients=_grads,
                  gate_words={"i": "update gate"}, pre=_pre(LSTM_KEYS, "a", {}), **_LSTM)
# CS230's cheatsheet (SPEC 1.15): the relevance gate Γ_r = σ(W_r[a<t-1>; x<t>] + b_r), and
# c̃<t> = tanh(W_c[Γ_r*a<t-1>; x<t>] + b_c)
_RKEYS = {**LSTM_KEYS, "r": ("W_r", "b_r")}
# the candidate's state columns, which the working names alone (dE/d(Γ_r*a) = their transpose
# times dE/dz^c̃), as the course's backward pass writes them: Wc[:, :n_a]
_STATE_COLUMNS = {"W_ch": "W_c[:, :n_a]"}
_canon, _grads = _split(_RKEYS, {**LSTM_GATES, "r": ("W_rh", "W_rx", "b_r")})
_w, _b = _shapes(_RKEYS)
_RELEVANT = Notation(weights=_w, biases=_b, names={**_NAMES, "r": ("gamma_r", "Γ_r")},
                     canonical=_canon, gradients=_grads, pre=_pre(_RKEYS, "a", {"r": "Γ_r"}),
                     gate_words={"i": "update gate", "r": "relevance gate"},
                     file_names=_STATE_COLUMNS, **_LSTM)
register(replace(_RELEVANT, words={**CELL_WORDS["lstm"], **LSTM_VARIANT_WORDS},
                 variant=with_lstm_variants(_PLAIN, _RELEVANT)))

_canon, _grads = _split(GRU_KEYS, GRU_GATES)
_w, _b = _shapes(GRU_KEYS)
register(Notation(
    cell="gru", name="deeplearning_ai", weights=_w, biases=_b, states={"c_init": "h"},
    names={"h": ("c", "c"), "u": ("gamma_u", "Γ_u"), "r": ("gamma_r", "Γ_r"),
           "c": ("c_tilde", "c̃")},
    canonical=_canon, gradients=_grads, sub=angle, convention="ng", first=1,
    words=CELL_WORDS["gru"], file_names=_STATE_COLUMNS,
    pre=_pre(GRU_KEYS, "c", {"r": "Γ_r"}),
))

# The simple RNN of week 1: a<t> = tanh(Waa a<t-1> + Wax x<t> + ba), ŷ<t> = softmax(Wya a<t> + by)
make("deeplearning_ai", Layout("rnn", {"z": Gate(W_x="Wax", W_h="Waa", b=("ba",))},
                               readout=("Wya", "by")),
     states={"a_init": "h"}, sub=angle, first=1, state="a", x_first=False,
     names={"h": ("a", "a"), "y": ("y", "ŷ")})
