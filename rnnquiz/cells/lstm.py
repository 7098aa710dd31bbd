"""The LSTM cell in MITx 6.86x notation, one named step at a time.

    f_t = σ(W_fh h_{t-1} + W_fx x_t + b_f)      i_t = σ(W_ih h_{t-1} + W_ix x_t + b_i)
    o_t = σ(W_oh h_{t-1} + W_ox x_t + b_o)      g_t = tanh(W_ch h_{t-1} + W_cx x_t + b_c)
    c_t = f_t ⊙ c_{t-1} + i_t ⊙ g_t             h_t = o_t ⊙ tanh(c_t)

Each pre-activation is a named quantity z_t^f ... (rounded with `round: k`).
"""

from __future__ import annotations

import numpy as np

from ..rounding import SIGMOID, STATE, TANH
from ..trace import Work
from .functions import sigmoid, tanh
from .rnn import sym

GATES = (("f", "W_fh", "W_fx", "b_f", "σ", sigmoid, SIGMOID),
         ("i", "W_ih", "W_ix", "b_i", "σ", sigmoid, SIGMOID),
         ("o", "W_oh", "W_ox", "b_o", "σ", sigmoid, SIGMOID),
         ("g", "W_ch", "W_cx", "b_c", "tanh", tanh, TANH))


def forward(net, X: np.ndarray, work: Work) -> dict:
    """Every gate, candidate, c_t and h_t of the LSTM (MIT notation)."""
    h, c = net["h_init"], net["c_init"]
    out = {k: [] for k in ("f", "i", "o", "g", "c", "tanh_c", "h", "y")}
    for t, x in enumerate(X):
        gate = {}
        hp = sym("h", t - 1)
        for name, Wh, Wx, b, fsym, fn, tag in GATES:
            z = work.q(f"z_{t}^{name}", net[Wh] @ h + net[Wx] @ x + net[b], t=t,
                       phase="forward", eq=f"{Wh}·{hp} + {Wx}·x_{t} + {b}",
                       sub="{}·{} + {}·{} + {}", args=(net[Wh], h, net[Wx], x, net[b]))
            gate[name] = work.q(sym(name, t), fn(z), t=t, phase="forward", tags=(tag,),
                                eq=f"{fsym}(z_{t}^{name})", sub=f"{fsym}({{}})", args=(z,),
                                note="candidate" if name == "g" else f"{_GATE_WORD[name]} gate")
        c_prev = c
        c = work.q(sym("c", t), gate["f"] * c_prev + gate["i"] * gate["g"], t=t,
                   phase="forward", tags=(STATE,),
                   eq=f"f_{t}⊙{sym('c', t - 1)} + i_{t}⊙g_{t}", sub="{}·{} + {}·{}",
                   args=(gate["f"], c_prev, gate["i"], gate["g"]), note="memory cell")
        tc = work.q(f"tanh(c_{t})", tanh(c), t=t, phase="forward", tags=(TANH,),
                    eq=f"tanh(c_{t})", sub="tanh({})", args=(c,))
        h = work.q(sym("h", t), gate["o"] * tc, t=t, phase="forward", tags=(STATE,),
                   eq=f"o_{t}⊙tanh(c_{t})", sub="{}·{}", args=(gate["o"], tc),
                   note="visible state")
        for name in ("f", "i", "o", "g"):
            out[name].append(gate[name])
        out["c"].append(c), out["tanh_c"].append(tc), out["h"].append(h)
        if net.has_output:
            out["y"].append(work.q(sym("y", t), net["W_hy"] @ h + net["b_y"], t=t,
                                   phase="forward", eq=f"W_hy·h_{t} + b_y", sub="{}·{} + {}",
                                   args=(net["W_hy"], h, net["b_y"])))
    return out


_GATE_WORD = {"f": "forget", "i": "input", "o": "output"}
