"""Goodfellow, Bengio and Courville, Deep Learning, chapter 10: steps from 1, h^(0) initial.

    a^(t) = b + W h^(t-1) + U x^(t)      h^(t) = tanh(a^(t))      o^(t) = c + V h^(t)   (10.8-10.10)

LSTM (10.40-10.44), its candidate through σ: f = σ(b^f + U^f x + W^f h), g = σ(b^g + U^g x + W^g h)
(the external input gate), q = σ(b^o + U^o x + W^o h), s^(t) = f s^(t-1) + g σ(b + U x + W h),
h^(t) = tanh(s^(t)) q.
"""

from . import CANDIDATE_ACTIVATIONS, GATE_ACTIVATIONS, OUTPUT_ACTIVATIONS, make
from .layouts import Gate, Layout


def paren(name: str, t: int) -> str:
    return f"{name}^({t})"


make("goodfellow", Layout("rnn", {"z": Gate(W_x="U", W_h="W", b=("b",))}, readout=("V", "c")),
     states={"h_init": "h"}, sub=paren, first=1, x_first=False, names={"z": ("a", "a")})

make("goodfellow", Layout("lstm", {
    "f": Gate(W_x="U_f", W_h="W_f", b=("b_f",)), "i": Gate(W_x="U_g", W_h="W_g", b=("b_g",)),
    "o": Gate(W_x="U_o", W_h="W_o", b=("b_o",)), "g": Gate(W_x="U", W_h="W", b=("b",))},
    readout=("V", "c")),
    states={"h_init": "h", "s_init": "c"}, sub=paren, first=1, x_first=False,
    names={"c": ("s", "s"), "i": ("g", "g"), "o": ("q", "q"), "g": ("s_tilde", "s̃")},
    gate_words={"i": "external input gate", "g": "candidate, through σ"},
    words={"gate_activation": GATE_ACTIVATIONS,
           "candidate_activation": tuple(reversed(CANDIDATE_ACTIVATIONS)),
           "output": OUTPUT_ACTIVATIONS})
