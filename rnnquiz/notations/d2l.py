"""Dive into Deep Learning: row vectors (X_t W), steps from 1 (H_0 is the initial state).

    RNN   H_t = φ(X_t W_xh + H_{t-1} W_hh + b_h)                      O_t = H_t W_hq + b_q
    LSTM  I_t = σ(X_t W_xi + H_{t-1} W_hi + b_i), F_t, O_t likewise, C̃_t = tanh(X_t W_xc + H_{t-1} W_hc + b_c)
          C_t = F_t ⊙ C_{t-1} + I_t ⊙ C̃_t,  H_t = O_t ⊙ tanh(C_t)
    GRU   Z_t, R_t = σ(X_t W_x· + H_{t-1} W_h· + b_·),  H̃_t = tanh(X_t W_xh + (R_t ⊙ H_{t-1}) W_hh + b_h)
          H_t = Z_t ⊙ H_{t-1} + (1 - Z_t) ⊙ H̃_t   (the reset before W_hh, the update keeping the state)
"""

from . import CELL_WORDS, LSTM_VARIANT_WORDS, make, with_lstm_variants
from .layouts import Gate, Layout

READOUT = ("W_hq", "b_q")
STATES = {"h_init": "h"}


def g(x: str, h: str, b: str) -> Gate:
    return Gate(W_x=x, W_h=h, b=(b,))


make("d2l", Layout("rnn", {"z": g("W_xh", "W_hh", "b_h")}, row=True, readout=READOUT),
     states=STATES, first=1, x="X", state="H", names={"h": ("h", "H")})
_GATES = {"i": g("W_xi", "W_hi", "b_i"), "f": g("W_xf", "W_hf", "b_f"),
          "o": g("W_xo", "W_ho", "b_o"), "g": g("W_xc", "W_hc", "b_c")}
_LSTM = dict(states={"h_init": "h", "c_init": "c"}, first=1, x="X", state="H",
             names={"h": ("h", "H"), "c": ("c", "C"), "i": ("i", "I"), "f": ("f", "F"),
                    "o": ("o", "O"), "g": ("c_tilde", "C̃"), "r": ("r", "R")})
_PLAIN = make("d2l", Layout("lstm", _GATES, row=True, readout=READOUT), keep=True, **_LSTM)
# SPEC 1.15: a relevance gate R_t = σ(X_t W_xr + H_{t-1} W_hr + b_r) on the candidate's H_{t-1}
_R = Layout("lstm", {**_GATES, "r": g("W_xr", "W_hr", "b_r")}, row=True, readout=READOUT)
_RELEVANT = make("d2l", _R, keep=True, gate_words={"r": "relevance gate"}, **_LSTM)
make("d2l", _R, words={**CELL_WORDS["lstm"], **LSTM_VARIANT_WORDS},
     variant=with_lstm_variants(_PLAIN, _RELEVANT), **_LSTM)
make("d2l", Layout("gru", {"u": g("W_xz", "W_hz", "b_z"), "r": g("W_xr", "W_hr", "b_r"),
                           "c": g("W_xh", "W_hh", "b_h")}, row=True, readout=READOUT),
     states=STATES, first=1, x="X", state="H", convention="fully_gated",
     names={"h": ("h", "H"), "u": ("z", "Z"), "r": ("r", "R"), "c": ("h_tilde", "H̃")})
