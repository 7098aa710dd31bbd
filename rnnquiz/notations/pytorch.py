"""PyTorch's nn.LSTMCell / nn.GRUCell, keys exactly as `state_dict()` prints them (nn.LSTM's
one-layer `weight_ih_l0` too).

weight_ih (G·h, x), weight_hh (G·h, h), bias_ih and bias_hh (G·h), the gates stacked in
PyTorch's order: LSTM i, f, g, o; GRU r, z, n. The GRU is PyTorch's exactly:

    n_t = tanh(W_in x_t + b_in + r_t ⊙ (W_hn h_{t-1} + b_hn)),  h_t = (1 - z_t) ⊙ n_t + z_t ⊙ h_{t-1}
"""

from __future__ import annotations

from . import CELL_WORDS, OUT_B, OUT_W, OUTPUT_ACTIVATIONS, Notation, make, register
from .layouts import Gate, Layout
from .mit import GRU_GATES, LSTM_GATES

LSTM_ORDER = ("i", "f", "g", "o")          # PyTorch's stacking, in canonical gate names
GRU_ORDER = ("r", "u", "c")                 # r, z, n
GRU_LETTER = {"r": "r", "u": "z", "c": "n"}


def _block(a, k: int, h: int):
    return a[k * h:(k + 1) * h]


def _stacked(order: tuple, gates: dict, apart: str | None = None):
    """(canonical, gradients) for weights stacked in `order`.

    Each gate's two biases add up to the canonical one, except the gate `apart`
    (the GRU's candidate), whose hidden-side bias b_hn stays inside the reset product.
    """
    def canonical(params: dict, sizes: dict) -> dict:
        h, out = sizes["h"], {}
        for k, gate in enumerate(order):
            W_h, W_x, b = gates[gate]
            out[W_x] = _block(params["weight_ih"], k, h)
            out[W_h] = _block(params["weight_hh"], k, h)
            b_i, b_h = _block(params["bias_ih"], k, h), _block(params["bias_hh"], k, h)
            if gate == apart:
                out[b], out["b_hn"] = b_i, b_h
            else:
                out[b] = b_i + b_h
        return out

    def gradients(grads: dict, params: dict, sizes: dict) -> dict:
        import numpy as np   # noqa: PLC0415 (numpy stays out of --help)
        rows = [gates[g] for g in order]
        hidden = [grads["b_hn"] if g == apart else grads[gates[g][2]] for g in order]
        return {"weight_ih": np.vstack([grads[r[1]] for r in rows]),
                "weight_hh": np.vstack([grads[r[0]] for r in rows]),
                "bias_ih": np.concatenate([grads[r[2]] for r in rows]),
                "bias_hh": np.concatenate(hidden)}
    return canonical, gradients


_lstm_canonical, _lstm_gradients = _stacked(LSTM_ORDER, LSTM_GATES)
_gru_canonical, _gru_gradients = _stacked(GRU_ORDER, GRU_GATES, apart="c")


def pre_activations(order: tuple, letters: dict):
    def pre(gate, params, canon, h_prev, x, t, state_in=None, convention=None):
        h = h_prev.shape[-1]                # the state's size, one row per example in a batch
        k = order.index(gate)
        L = letters.get(gate, gate)
        h_sym = f"h_{t - 1}" if t > 0 else "h_{-1}"
        W_i, b_i = _block(params["weight_ih"], k, h), _block(params["bias_ih"], k, h)
        W_h, b_h = _block(params["weight_hh"], k, h), _block(params["bias_hh"], k, h)
        if state_in is not None:            # the candidate: r_t ⊙ (W_hn h_{t-1} + b_hn)
            return (f"W_i{L}·x_{t} + b_i{L} + r_{t}⊙(W_h{L}·{h_sym} + b_h{L})",
                    "{}·{} + {} + {}⊙({}·{} + {})", (W_i, x, b_i, state_in, W_h, h_prev, b_h))
        return (f"W_i{L}·x_{t} + b_i{L} + W_h{L}·{h_sym} + b_h{L}", "{}·{} + {} + {}·{} + {}",
                (W_i, x, b_i, W_h, h_prev, b_h))
    return pre


_W = {"weight_ih": ("4h", "x"), "weight_hh": ("4h", "h")}
register(Notation(
    cell="lstm", name="pytorch", weights={**_W, **OUT_W},
    biases={"bias_ih": "4h", "bias_hh": "4h", **OUT_B}, states={"h_init": "h", "c_init": "c"},
    canonical=_lstm_canonical, gradients=_lstm_gradients, words=CELL_WORDS["lstm"],
    pre=pre_activations(LSTM_ORDER, {"i": "i", "f": "f", "g": "g", "o": "o"}), suffix="_l0",
))
register(Notation(
    cell="gru", name="pytorch", weights={"weight_ih": ("3h", "x"), "weight_hh": ("3h", "h"),
                                         **OUT_W},
    biases={"bias_ih": "3h", "bias_hh": "3h", **OUT_B}, states={"h_init": "h"},
    names={"u": ("z", "z"), "r": ("r", "r"), "c": ("n", "n"), "h": ("h", "h")},
    canonical=_gru_canonical, gradients=_gru_gradients, convention="pytorch",
    words=CELL_WORDS["gru"],
    pre=pre_activations(GRU_ORDER, GRU_LETTER), suffix="_l0",
))

# nn.RNN: h_t = tanh(W_ih x_t + b_ih + W_hh h_{t-1} + b_hh), or relu (nonlinearity='relu')
make("pytorch", Layout("rnn", {"z": Gate(W_x="weight_ih", W_h="weight_hh",
                                         b=("bias_ih", "bias_hh"))}, readout=("W_hy", "b_y")),
     states={"h_init": "h"}, words={"hidden": ("tanh", "relu"), "output": OUTPUT_ACTIVATIONS},
     suffix="_l0")
