"""Hinton's simple RNN (Neural Networks for Machine Learning, lecture 7).

    z_t = W_xh x_t + W_hh h_{t-1} + b_h      h_t = hidden(z_t)      y_t = output(W_hy h_t + b_y)

With output feedback (Jordan networks, Goodfellow fig. 10.4; SPEC 1.1) the file also gives
`W_yh` (and `y_init`, y_{-1}): z_t = W_xh x_t + W_hh h_{t-1} + W_yh y_{t-1} + b_h.

These are also the canonical names the simple RNN cell computes with.
"""

from dataclasses import replace

from . import HIDDEN_ACTIVATIONS, OUT_B, OUT_W, OUTPUT_ACTIVATIONS, Notation, register, subscript


def _pre(gate, params, canon, h_prev, x, t, state_in=None, convention=None):
    return (f"W_xh·x_{t} + W_hh·{subscript('h', t - 1)} + b_h", "{}·{} + {}·{} + {}",
            (params["W_xh"], x, params["W_hh"], h_prev, params["b_h"]))


def _pre_feedback(gate, params, canon, h_prev, x, t, state_in=None, convention=None):
    """state_in is (the fed-back y_{t-1}, its symbol): the own output, a target or a one-hot."""
    y_prev, ysym = state_in
    return (f"W_xh·x_{t} + W_hh·{subscript('h', t - 1)} + W_yh·{ysym} + b_h",
            "{}·{} + {}·{} + {}·{} + {}",
            (params["W_xh"], x, params["W_hh"], h_prev, params["W_yh"], y_prev, params["b_h"]))


HINTON = Notation(
    cell="rnn", name="hinton",
    weights={"W_xh": ("h", "x"), "W_hh": ("h", "h"), **OUT_W},
    biases={"b_h": "h", **OUT_B},
    states={"h_init": "h"},
    words={"hidden": HIDDEN_ACTIVATIONS, "output": OUTPUT_ACTIVATIONS},
    pre=_pre, always_reads_out=True,
)
FEEDBACK = replace(HINTON, weights={**HINTON.weights, "W_yh": ("h", "y")},
                   states={"h_init": "h", "y_init": "y"}, pre=_pre_feedback)
register(replace(HINTON, feedback=FEEDBACK))
