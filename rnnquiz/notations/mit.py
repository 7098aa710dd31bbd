"""MITx 6.86x: one weight per gate and source, W_fh h_{t-1} + W_fx x_t + b_f.

These are also the canonical names the cells compute with.
"""

from . import (CELL_WORDS, LSTM_VARIANT_WORDS, OUT_B, OUT_W, Notation, register,
               with_lstm_variants)

# canonical gate -> (weight on the state, weight on the input, bias)
LSTM_GATES = {"f": ("W_fh", "W_fx", "b_f"), "i": ("W_ih", "W_ix", "b_i"),
              "o": ("W_oh", "W_ox", "b_o"), "g": ("W_ch", "W_cx", "b_c")}
GRU_GATES = {"u": ("W_uh", "W_ux", "b_u"), "r": ("W_rh", "W_rx", "b_r"),
             "c": ("W_ch", "W_cx", "b_c")}
GATED_GATES = {"g": ("W_gs", "W_gx", "b_g"), "s": ("W_ss", "W_sx", "b_s")}


def _mit_pre(gates: dict, state: str):
    def pre(gate, params, canon, h_prev, x, t, state_in=None, convention="ng"):
        W_h, W_x, b = gates[gate]
        h_sym = f"{state}_{t - 1}" if t > 0 else f"{state}_{{-1}}"
        if state_in is not None and convention == "pytorch":    # reset after the product
            return (f"{W_x}·x_{t} + {b} + r_{t}⊙({W_h}·{h_sym})", "{}·{} + {} + {}⊙({}·{})",
                    (params[W_x], x, params[b], state_in, params[W_h], h_prev))
        if state_in is not None:            # the GRU candidate acts on r_t ⊙ h_{t-1}
            return (f"{W_h}·(r_{t}⊙{h_sym}) + {W_x}·x_{t} + {b}", "{}·{} + {}·{} + {}",
                    (params[W_h], state_in, params[W_x], x, params[b]))
        return (f"{W_h}·{h_sym} + {W_x}·x_{t} + {b}", "{}·{} + {}·{} + {}",
                (params[W_h], h_prev, params[W_x], x, params[b]))
    return pre


def _shapes(gates: dict) -> tuple[dict, dict]:
    weights, biases = {}, {}
    for W_h, W_x, b in gates.values():
        weights[W_h], weights[W_x], biases[b] = ("h", "h"), ("h", "x"), "h"
    return {**weights, **OUT_W}, {**biases, **OUT_B}


# Peepholes (Gers & Graves): w_cf, w_ci, w_co act element-wise on the cell state. The
# registered notation lists them; a file that gives none gets the plain LSTM (no terms, no
# gradients), one that gives any gets all three (those not given are 0).
PEEPHOLES = ("w_cf", "w_ci", "w_co")
_w, _b = _shapes(LSTM_GATES)
_LSTM = dict(cell="lstm", name="mit", weights=_w, states={"h_init": "h", "c_init": "c"},
             pre=_mit_pre(LSTM_GATES, "h"), words=CELL_WORDS["lstm"])
_PLAIN = Notation(biases=_b, **_LSTM)
_PEEP = Notation(biases={**_b, **{k: "h" for k in PEEPHOLES}}, **_LSTM)


def _peephole(words: dict, given=()):
    return _PEEP if any(k in given for k in PEEPHOLES) else _PLAIN


# SPEC 1.15: the relevance gate (W_rh, W_rx, b_r; CS230's cheatsheet), state_activation, and
# recurrence: cell, where the *h keys read c_{t-1} (the peephole LSTM of Wikipedia and UvA)
_RELEVANT = Notation(**{**_LSTM, "weights": {**_w, "W_rh": ("h", "h"), "W_rx": ("h", "x")},
                        "pre": _mit_pre({**LSTM_GATES, "r": ("W_rh", "W_rx", "b_r")}, "h")},
                     biases={**_b, "b_r": "h"}, gate_words={"r": "relevance gate"})
register(Notation(**{**_LSTM, "weights": _RELEVANT.weights,
                     "words": {**CELL_WORDS["lstm"], **LSTM_VARIANT_WORDS}},
                  biases={**_PEEP.biases, "b_r": "h"},
                  variant=with_lstm_variants(_peephole, _RELEVANT,
                                        ("c_{t-1}", _mit_pre(LSTM_GATES, "c"), None))))

_w, _b = _shapes(GRU_GATES)
register(Notation(cell="gru", name="mit", weights=_w, biases=_b, states={"h_init": "h"},
                  pre=_mit_pre(GRU_GATES, "h"), words=CELL_WORDS["gru"]))

_w, _b = _shapes(GATED_GATES)
_w["W_hy"] = ("y", "h")
register(Notation(cell="gated", name="mit", weights=_w, biases=_b, states={"s_init": "h"},
                  names={"h": ("s", "s"), "g": ("g", "g"), "s": ("s_tilde", "s̃")},
                  pre=_mit_pre(GATED_GATES, "s"), words=CELL_WORDS["gated"]))
