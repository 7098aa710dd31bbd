"""Hinton's simple RNN (Neural Networks for Machine Learning, lecture 7)."""

from . import HIDDEN_ACTIVATIONS, OUT_B, OUT_W, OUTPUT_ACTIVATIONS, Notation, register

register(Notation(
    cell="rnn", name="hinton",
    weights={"W_xh": ("h", "x"), "W_hh": ("h", "h"), **OUT_W},
    biases={"b_h": "h", **OUT_B},
    states={"h_init": "h"},
    words={"hidden": HIDDEN_ACTIVATIONS, "output": OUTPUT_ACTIVATIONS},
))
