"""MITx 6.86x's simple RNN (lecture 9): the state s_t, no read-out (the state is the output).

    s_t = tanh(W_ss s_{t-1} + W_sx x_t + b_s)
"""

from . import make
from .layouts import Gate, Layout

make("mit", Layout("rnn", {"z": Gate(W_x="W_sx", W_h="W_ss", b=("b_s",))}),
     states={"s_init": "h"}, state="s", x_first=False, names={"h": ("s", "s")}, readout=())
