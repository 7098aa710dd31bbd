"""Jurafsky and Martin, Speech and Language Processing (3rd ed.), chapter 8: steps from 1, h_0
the initial state, and the letters the other way round from Goodfellow's:

    h_t = g(U h_{t-1} + W x_t + b)      y_t = f(V h_t + c)                       (8.1-8.2)

U is the recurrent matrix (on h_{t-1}) and W the input one (on x_t); Goodfellow writes
W h^(t-1) + U x^(t). Square matrices cannot tell the two apart, so the working names each
matrix's role at the first step.

LSTM (8.5): f_t = σ(U_f h_{t-1} + W_f x_t + b_f), i_t, o_t alike, g_t = tanh(U_g h_{t-1} +
W_g x_t + b_g), c_t = f_t ⊙ c_{t-1} + i_t ⊙ g_t, h_t = o_t ⊙ tanh(c_t). The read-out is V with
the bias b_y there (c is the cell state). SLP3 writes no GRU.
"""

from . import CELL_WORDS, LSTM_VARIANT_WORDS, make, subscript, with_lstm_variants
from .layouts import Gate, Layout, pre_for


def _role(gate: str, W_h: str, W_x: str, word: str = "") -> str:
    lead = f"{word}: " if word else ""
    return f"{lead}{W_h} the recurrent matrix (on h_{{t-1}}), {W_x} the input one (on x_t)"


make("slp", Layout("rnn", {"z": Gate(W_x="W", W_h="U", b=("b",))}, readout=("V", "c")),
     states={"h_init": "h"}, first=1, x_first=False, gate_words={"z": _role("z", "U", "W")})

_LSTM = {"f": ("U_f", "W_f", "b_f", "forget gate"), "i": ("U_i", "W_i", "b_i", "input gate"),
         "o": ("U_o", "W_o", "b_o", "output gate"), "g": ("U_g", "W_g", "b_g", "candidate")}
_GATES = {k: Gate(W_x=W_x, W_h=W_h, b=(b,)) for k, (W_h, W_x, b, _) in _LSTM.items()}
_KW = dict(states={"h_init": "h", "c_init": "c"}, first=1, x_first=False,
           gate_words={k: _role(k, W_h, W_x, word) for k, (W_h, W_x, _, word) in _LSTM.items()})
_PLAIN = make("slp", Layout("lstm", _GATES, readout=("V", "b_y")), keep=True, **_KW)
# SPEC 1.15 in SLP3's letters: a relevance gate r_t = σ(U_r h_{t-1} + W_r x_t + b_r) on the
# candidate's h_{t-1}; recurrence: cell, where U_f, U_i, U_o read c_{t-1} and there is no U_g
_R = Layout("lstm", {**_GATES, "r": Gate(W_x="W_r", W_h="U_r", b=("b_r",))},
            readout=("V", "b_y"))
_RELEVANT = make("slp", _R, keep=True, **{**_KW, "gate_words": {
    **_KW["gate_words"], "r": _role("r", "U_r", "W_r", "relevance gate")}})
make("slp", _R, words={**CELL_WORDS["lstm"], **LSTM_VARIANT_WORDS}, **_KW,
     variant=with_lstm_variants(_PLAIN, _RELEVANT, (
         "c_{t-1}", pre_for(Layout("lstm", _GATES), "c", subscript, x_first=False),
         "h_{t-1}")))
