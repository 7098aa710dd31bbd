"""Goodfellow, Bengio and Courville, Deep Learning, chapter 10: steps from 1, h^(0) initial.

    a^(t) = b + W h^(t-1) + U x^(t)      h^(t) = tanh(a^(t))      o^(t) = c + V h^(t)   (10.8-10.10)

LSTM (10.40-10.44), its candidate through σ: f = σ(b^f + U^f x + W^f h), g = σ(b^g + U^g x + W^g h)
(the external input gate), q = σ(b^o + U^o x + W^o h), s^(t) = f s^(t-1) + g σ(b + U x + W h),
h^(t) = tanh(s^(t)) q.

GRU (10.45-10.47), fully gated, its candidate through σ as 10.45 prints it, the gates from x^(t)
and h^(t-1): u = σ(b^u + U^u x + W^u h), r = σ(b^r + U^r x + W^r h),
h^(t) = u ⊙ h^(t-1) + (1 - u) ⊙ σ(b + U x^(t) + W (r ⊙ h^(t-1))).

U is the input matrix and W the recurrent one (SLP3 writes them the other way round): square
matrices cannot tell them apart, so the working names each one's role at the first step.
"""

from . import (CANDIDATE_ACTIVATIONS, GATE_ACTIVATIONS, LSTM_VARIANT_WORDS, OUTPUT_ACTIVATIONS,
               make, with_lstm_variants)
from .layouts import Gate, Layout, pre_for


def paren(name: str, t: int) -> str:
    return f"{name}^({t})"



def _role(W_x: str, W_h: str, word: str = "", on: str = "h^(t-1)") -> str:
    lead = f"{word}: " if word else ""
    return f"{lead}{W_x} the input matrix (on x^(t)), {W_h} the recurrent one (on {on})"


make("goodfellow", Layout("rnn", {"z": Gate(W_x="U", W_h="W", b=("b",))}, readout=("V", "c")),
     states={"h_init": "h"}, sub=paren, first=1, x_first=False, names={"z": ("a", "a")},
     gate_words={"z": _role("U", "W")})

_GATES = {"f": Gate(W_x="U_f", W_h="W_f", b=("b_f",)), "i": Gate(W_x="U_g", W_h="W_g", b=("b_g",)),
          "o": Gate(W_x="U_o", W_h="W_o", b=("b_o",)), "g": Gate(W_x="U", W_h="W", b=("b",))}
_LSTM = dict(states={"h_init": "h", "s_init": "c"}, sub=paren, first=1, x_first=False,
             names={"c": ("s", "s"), "i": ("g", "g"), "o": ("q", "q"), "g": ("s_tilde", "s̃")},
             gate_words={"f": _role("U_f", "W_f", "forget gate"),
                         "i": _role("U_g", "W_g", "external input gate"),
                         "o": _role("U_o", "W_o", "output gate"), "g": _role("U", "W", "candidate")},
             words={"gate_activation": GATE_ACTIVATIONS,
                    "candidate_activation": tuple(reversed(CANDIDATE_ACTIVATIONS)),
                    "output": OUTPUT_ACTIVATIONS})
_PLAIN = make("goodfellow", Layout("lstm", _GATES, readout=("V", "c")), keep=True, **_LSTM)
# SPEC 1.15: a relevance gate r = σ(b_r + U_r x + W_r h) on the candidate's h^(t-1), and
# recurrence: cell, where W_f, W_g, W_o read s^(t-1) and the candidate has no W
_R = Layout("lstm", {**_GATES, "r": Gate(W_x="U_r", W_h="W_r", b=("b_r",))}, readout=("V", "c"))
_RELEVANT = make("goodfellow", _R, keep=True, **{
    **_LSTM, "gate_words": {**_LSTM["gate_words"], "r": _role("U_r", "W_r", "relevance gate")}})
make("goodfellow", _R, **{**_LSTM, "words": {**_LSTM["words"], **LSTM_VARIANT_WORDS}},
     variant=with_lstm_variants(_PLAIN, _RELEVANT, (
         "s^(t-1)", pre_for(Layout("lstm", _GATES), "s", paren, x_first=False), "h^(t-1)")))

make("goodfellow", Layout("gru", {"u": Gate(W_x="U_u", W_h="W_u", b=("b_u",)),
                                  "r": Gate(W_x="U_r", W_h="W_r", b=("b_r",)),
                                  "c": Gate(W_x="U", W_h="W", b=("b",))}, readout=("V", "c")),
     states={"h_init": "h"}, sub=paren, first=1, x_first=False, convention="fully_gated",
     names={"c": ("h_tilde", "h̃")},
     gate_words={"u": _role("U_u", "W_u", "update gate"), "r": _role("U_r", "W_r", "reset gate"),
                 "c": _role("U", "W", "candidate (10.45)", on="r^(t) ⊙ h^(t-1)")},
     words={"gate_activation": GATE_ACTIVATIONS,
            "candidate_activation": tuple(reversed(CANDIDATE_ACTIVATIONS)),
            "output": OUTPUT_ACTIVATIONS})
