"""Keras / tf.keras layers, weights as `get_weights()` returns them: row vectors (x W).

    SimpleRNN  h_t = tanh(x_t kernel + h_{t-1} recurrent_kernel + bias)
    LSTM       kernel (D, 4H) stacked i, f, c, o
    GRU        kernel (D, 3H) stacked z, r, h;  h_t = z ⊙ h_{t-1} + (1 - z) ⊙ ĥ_t
               reset_after true (TF2's default): bias (2, 3H), the recurrent bias inside r ⊙ (...)
               reset_after false (Keras 2): bias (3H,), the reset before recurrent_kernel
    Dense      y_t = h_t dense_kernel + dense_bias

`recurrent_activation` is the gates' activation (sigmoid, or Keras 2's hard_sigmoid) and
`activation` the candidate's.
"""

from . import CANDIDATE_ACTIVATIONS, GATE_ACTIVATIONS, OUTPUT_ACTIVATIONS, TANH_FIRST, make
from .layouts import Gate, Layout

READOUT = ("dense_kernel", "dense_bias")
KERAS_WORDS = {"recurrent_activation": GATE_ACTIVATIONS,
               "activation": CANDIDATE_ACTIVATIONS, "output": OUTPUT_ACTIVATIONS}
NAMES = {"recurrent_activation": "gate_activation", "activation": "candidate_activation"}
GRU_WORDS = KERAS_WORDS


def stacked(order: str, biases: tuple[str, ...] = ("bias",)) -> dict:
    return {gate: Gate(W_x="kernel", W_h="recurrent_kernel", b=biases, block=k, label=label)
            for k, (gate, label) in enumerate(order)}


make("keras", Layout("rnn", {"z": Gate(W_x="kernel", W_h="recurrent_kernel", b=("bias",))},
                     row=True, readout=READOUT),
     states={"h_init": "h"}, words={"hidden": TANH_FIRST, "output": OUTPUT_ACTIVATIONS},
     word_names={"activation": "hidden"})
make("keras", Layout("lstm", stacked([("i", "i"), ("f", "f"), ("g", "c"), ("o", "o")]), row=True,
                     readout=READOUT),
     states={"h_init": "h", "c_init": "c"}, words=KERAS_WORDS, word_names=NAMES)

_GRU = [("u", "z"), ("r", "r"), ("c", "h")]
_AFTER = make("keras", Layout("gru", stacked(_GRU, ("bias#0", "bias#1")), row=True,
                              readout=READOUT, apart="c"),
              states={"h_init": "h"}, words=GRU_WORDS, word_names=NAMES,
              convention="pytorch", names={"u": ("z", "z"), "c": ("h_tilde", "ĥ")}, keep=True)
_BEFORE = make("keras", Layout("gru", stacked(_GRU), row=True, readout=READOUT),
               states={"h_init": "h"}, words=GRU_WORDS, word_names=NAMES,
               convention="fully_gated", names={"u": ("z", "z"), "c": ("h_tilde", "ĥ")}, keep=True)


def _gru(words: dict, given=()):
    return _AFTER if words.get("reset_after", True) else _BEFORE


make("keras", Layout("gru", stacked(_GRU, ("bias#0", "bias#1")), row=True, readout=READOUT,
                     apart="c"),
     states={"h_init": "h"}, words={**GRU_WORDS, "reset_after": (True, False)},
     word_names=NAMES, names={"u": ("z", "z"), "c": ("h_tilde", "ĥ")}, variant=_gru)
