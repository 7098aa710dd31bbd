"""Stanford CS231n, assignment 3 (rnn_layers.py): row vectors, the LSTM's gates stacked i, f, o, g.

    next_h = tanh(x Wx + prev_h Wh + b)        scores = h W_vocab + b_vocab
    a = x Wx + prev_h Wh + b  (N, 4H): i, f, o, g = σ(a[:H]), σ(a[H:2H]), σ(a[2H:3H]), tanh(a[3H:])
    next_c = f ⊙ prev_c + i ⊙ g                next_h = o ⊙ tanh(next_c)
"""

from . import make
from .layouts import Gate, Layout

READOUT = ("W_vocab", "b_vocab")

make("cs231n", Layout("rnn", {"z": Gate(W_x="Wx", W_h="Wh", b=("b",))}, row=True,
                      readout=READOUT),
     states={"h0": "h"}, embedding="W_embed")
make("cs231n", Layout("lstm", {gate: Gate(W_x="Wx", W_h="Wh", b=("b",), block=k, label=gate)
                               for k, gate in enumerate("ifog")}, row=True, readout=READOUT),
     states={"h0": "h", "c0": "c"}, embedding="W_embed")
