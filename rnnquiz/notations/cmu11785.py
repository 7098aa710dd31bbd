"""CMU 11-785 (Introduction to Deep Learning), HW3P1's mytorch cells, by the assignment's own
attribute names; column layout (`W x`), steps from 0.

    RNNCell   h_t = tanh(W_ih x_t + b_ih + W_hh h_{t-1} + b_hh)
    GRUCell   r_t = σ(Wrx x_t + brx + Wrh h_{t-1} + brh)
              z_t = σ(Wzx x_t + bzx + Wzh h_{t-1} + bzh)
              n_t = tanh(Wnx x_t + bnx + r_t ⊙ (Wnh h_{t-1} + bnh))
              h_t = (1 - z_t) ⊙ n_t + z_t ⊙ h_{t-1}               (PyTorch's nn.GRUCell)

A read-out `projection.weight`, `projection.bias` (HW3P1's CharacterPredictor) gives
y_t = projection.weight h_t + projection.bias.
"""

from __future__ import annotations

from . import make
from .layouts import Gate, Layout

READOUT = ("projection.weight", "projection.bias")

make("cmu11785", Layout("rnn", {"z": Gate(W_x="W_ih", W_h="W_hh", b=("b_ih", "b_hh"))},
                        readout=READOUT),
     states={"h_init": "h"})

make("cmu11785", Layout("gru", {"r": Gate(W_x="Wrx", W_h="Wrh", b=("brx", "brh")),
                                "u": Gate(W_x="Wzx", W_h="Wzh", b=("bzx", "bzh")),
                                "c": Gate(W_x="Wnx", W_h="Wnh", b=("bnx", "bnh"))},
                        readout=READOUT, apart="c"),
     states={"h_init": "h"}, convention="pytorch",
     names={"u": ("z", "z"), "r": ("r", "r"), "c": ("n", "n"), "h": ("h", "h")})
