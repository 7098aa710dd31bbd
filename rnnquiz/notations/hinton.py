"""Hinton's simple RNN (Neural Networks for Machine Learning, lecture 7).

    z_t = W_xh x_t + W_hh h_{t-1} + b_h      h_t = hidden(z_t)      y_t = output(W_hy h_t + b_y)

These are also the canonical names the simple RNN cell computes with.
"""

from . import HIDDEN_ACTIVATIONS, OUT_B, OUT_W, OUTPUT_ACTIVATIONS, Notation, register, subscript


def _pre(gate, params, canon, h_prev, x, t, state_in=None, convention=None):
    return (f"W_xh·x_{t} + W_hh·{subscript('h', t - 1)} + b_h", "{}·{} + {}·{} + {}",
            (params["W_xh"], x, params["W_hh"], h_prev, params["b_h"]))


register(Notation(
    cell="rnn", name="hinton",
    weights={"W_xh": ("h", "x"), "W_hh": ("h", "h"), **OUT_W},
    biases={"b_h": "h", **OUT_B},
    states={"h_init": "h"},
    words={"hidden": HIDDEN_ACTIVATIONS, "output": OUTPUT_ACTIVATIONS},
    pre=_pre, always_reads_out=True,
))
