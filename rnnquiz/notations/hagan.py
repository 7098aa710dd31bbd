"""Hagan, Demuth, Beale and De Jesús, Neural Network Design (2nd ed.), chapter 14: layered
digital dynamic networks, steps from 1, inputs before t = 1 zero, and the performance index
F = Σ_t e(t)ᵀe(t) without ½ (`loss: sse` by default):

    n(t) = iw(0) p(t) + iw(1) p(t-1) + ... + lw(1) a(t-1) + lw(2) a(t-2) + ... + b
    a(t) = transfer(n(t))               transfer: purelin (default), tansig, logsig

`iw` and `lw` written as a number or a matrix are iw(0) and lw(1): the simple RNN, which the
layout below maps onto the simple RNN cell (a list of such layers is a stack). Written as
mappings `{delay: weight}` (tapped delay lines), or `lw: {from_layer: {delay: weight}}`
(feedback from another layer), the network is read by `problem/hagan_network.py` and run by
`cells/lddn.py`, whose working writes each weight as Hagan does: iw^{1,1}(0), lw^{1,1}(1).
"""

from . import make
from .layouts import Gate, Layout

TRANSFER = ("purelin", "tansig", "logsig")


def paren(name: str, t: int) -> str:
    """a(1), n(0), p(2): Hagan's time in parentheses."""
    return f"{name}({t})"


# tapped delay lines (a mapping for iw or lw) are read as an LDDN by problem/hagan_network.py;
# the rest, plain
make("hagan", Layout("rnn", {"z": Gate(W_x="iw", W_h="lw", b=("b",))}),
     states={"a_init": "h"}, state="a", x="p", sub=paren, first=1, readout=(),
     names={"h": ("a", "a"), "z": ("n", "n"), "E": ("F", "F")},
     words={"transfer": TRANSFER},
     word_names={"transfer": "hidden"}, loss="sse", own_network="hagan_network")
