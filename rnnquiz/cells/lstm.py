"""The LSTM cell: forward pass, BPTT and the state Jacobian, one named step at a time.

Canonical parameters (MITx names; every notation maps onto them):

    f_t = σ(W_fh h_{t-1} + W_fx x_t + b_f)      i_t = σ(W_ih h_{t-1} + W_ix x_t + b_i)
    o_t = σ(W_oh h_{t-1} + W_ox x_t + b_o)      g_t = tanh(W_ch h_{t-1} + W_cx x_t + b_c)
    c_t = f_t ⊙ c_{t-1} + i_t ⊙ g_t             h_t = o_t ⊙ tanh(c_t)

Backward, given dE/dh_t (from the output at t and from step t+1) and dE/dc_{t+1}·f_{t+1}:

    dE/dc_t   = dE/dh_t ⊙ o_t ⊙ (1 - tanh²(c_t)) + dE/dc_{t+1} ⊙ f_{t+1}
    dE/dz^o_t = dE/dh_t ⊙ tanh(c_t) ⊙ o_t(1 - o_t)
    dE/dz^f_t = dE/dc_t ⊙ c_{t-1} ⊙ f_t(1 - f_t)     dE/dz^i_t = dE/dc_t ⊙ g_t ⊙ i_t(1 - i_t)
    dE/dz^g_t = dE/dc_t ⊙ i_t ⊙ (1 - g_t²)
    dE/dh_{t-1} += Σ_k W_khᵀ dE/dz^k_t
"""

from __future__ import annotations

import numpy as np

from ..rounding import SIGMOID, STATE, TANH
from ..trace import Work
from .functions import sigmoid, tanh
from .gates import accumulate, gate_step, symbols

GATES = (("f", "σ", sigmoid, SIGMOID, "W_fh", "W_fx", "b_f"),
         ("i", "σ", sigmoid, SIGMOID, "W_ih", "W_ix", "b_i"),
         ("o", "σ", sigmoid, SIGMOID, "W_oh", "W_ox", "b_o"),
         ("g", "tanh", tanh, TANH, "W_ch", "W_cx", "b_c"))
_WORD = {"f": "forget gate", "i": "input gate", "o": "output gate", "g": "candidate"}


def forward(notation, params: dict, canon: dict, X: np.ndarray, work: Work, **_) -> dict:
    """Every gate, candidate, c_t and h_t; `canon` holds the canonical parameters."""
    S = symbols(notation)
    h, c = params[_init(notation, "h")], params[_init(notation, "c")]
    cache = {k: [] for k in ("h_prev", "c_prev", "f", "i", "o", "g", "c", "tanh_c", "h")}
    cache["x"] = list(X)
    for t, x in enumerate(X):
        gate = {}
        for name, fsym, fn, tag, W_h, W_x, b in GATES:
            value = canon[W_h] @ h + canon[W_x] @ x + canon[b]
            word = "update gate" if name == "i" and notation.name == "deeplearning_ai" \
                else _WORD[name]
            gate[name] = gate_step(work, notation, name, t, value, fsym, fn, tag, params, canon,
                                   h, x, note=word if t == 0 else "")
        cache["h_prev"].append(h), cache["c_prev"].append(c)
        c_prev = c
        kept = h if "forget_on_h" in work.variants else c_prev
        c = work.q(S("c", t), gate["f"] * kept + gate["i"] * gate["g"], t=t, phase="forward",
                   tags=(STATE,), eq=f"{S('f', t)}⊙{S('c', t - 1)} + {S('i', t)}⊙{S('g', t)}",
                   sub="{}·{} + {}·{}", args=(gate["f"], c_prev, gate["i"], gate["g"]),
                   note="memory cell" if t == 0 else "")
        tc = work.q(f"tanh({S('c', t)})", c if "tanh_missing" in work.variants else tanh(c),
                    t=t, phase="forward", tags=(TANH,),
                    sub="tanh({})", args=(c,))
        h = work.q(S("h", t), gate["o"] * tc, t=t, phase="forward", tags=(STATE,),
                   eq=f"{S('o', t)}⊙tanh({S('c', t)})", sub="{}·{}", args=(gate["o"], tc),
                   note="visible state" if t == 0 else "")
        for name in ("f", "i", "o", "g"):
            cache[name].append(gate[name])
        cache["c"].append(c), cache["tanh_c"].append(tc), cache["h"].append(h)
    return cache


def _init(notation, state: str) -> str:
    return next(k for k, v in notation.states.items() if v == state)


def backward(notation, canon: dict, cache: dict, dE_dh_out: list, work: Work) -> dict:
    """BPTT through the LSTM: dE/dh_t, dE/dc_t, every gate's delta, canonical gradients."""
    S = symbols(notation)
    T = len(cache["h"])
    grads = {k: np.zeros_like(canon[k]) for g in GATES for k in g[4:]}
    dE_dh, dE_dc = [None] * T, [None] * T
    dh_next = np.zeros_like(cache["h"][0])
    dc_next = np.zeros_like(dh_next)
    for t in reversed(range(T)):
        f, i, o, g = (cache[k][t] for k in ("f", "i", "o", "g"))
        tc, c_prev, h_prev = cache["tanh_c"][t], cache["c_prev"][t], cache["h_prev"][t]
        later = t + 1 < T
        dh = work.q(f"dE/d{S('h', t)}", dE_dh_out[t] + dh_next, t=t, phase="backward",
                    eq=f"dE/dy_{t} + Σ_k W_khᵀ·dE/dz^k_{t + 1}" if later else f"dE/dy_{t}",
                    sub="{} + {}" if later else "{}",
                    args=(dE_dh_out[t], dh_next) if later else (dE_dh_out[t],))
        dc = work.q(f"dE/d{S('c', t)}", dh * o * (1 - tc ** 2) + dc_next, t=t,
                    phase="backward",
                    eq=f"dE/d{S('h', t)}⊙{S('o', t)}⊙(1 - tanh²({S('c', t)}))"
                       + (f" + dE/d{S('c', t + 1)}⊙{S('f', t + 1)}" if later else ""),
                    sub="{}·{}·(1 - {}²)" + (" + {}" if later else ""),
                    args=(dh, o, tc) + ((dc_next,) if later else ()))
        o_t, c_t, f_t, i_t, g_t = (S(k, t) for k in ("o", "c", "f", "i", "g"))
        delta = {       # gate -> (value, equation, formula, operands): one chain-rule factor each
            "o": (dh * tc * o * (1 - o), f"dE/d{S('h', t)}⊙tanh({c_t})⊙{o_t}(1 - {o_t})",
                  "{}·{}·{}·(1 - {})", (dh, tc, o, o)),
            "f": (dc * c_prev * f * (1 - f), f"dE/d{c_t}⊙{S('c', t - 1)}⊙{f_t}(1 - {f_t})",
                  "{}·{}·{}·(1 - {})", (dc, c_prev, f, f)),
            "i": (dc * g * i * (1 - i), f"dE/d{c_t}⊙{g_t}⊙{i_t}(1 - {i_t})",
                  "{}·{}·{}·(1 - {})", (dc, g, i, i)),
            "g": (dc * i * (1 - g ** 2), f"dE/d{c_t}⊙{i_t}⊙(1 - {g_t}²)",
                  "{}·{}·(1 - {}²)", (dc, i, g)),
        }
        dh_next = np.zeros_like(dh)
        for name, _, _, _, W_h, W_x, b in GATES:
            value, eq, sub, args = delta[name]
            dz = work.q(f"dE/dz^{S(name, t)}", value, t=t, phase="backward", eq=eq, sub=sub,
                        args=args)
            dh_next = dh_next + accumulate(grads, canon, (W_h, W_x, b), dz, h_prev,
                                           cache["x"][t])
        dc_next = dc * f
        dE_dh[t], dE_dc[t] = dh, dc
    return {"dE/dh": dE_dh, "dE/dc": dE_dc, "grads": grads,
            "init": {"h": dh_next, "c": dc_next}}


def jacobian(canon: dict, cache: dict, t: int) -> np.ndarray:
    """d(h_t, c_t)/d(h_{t-1}, c_{t-1}): the joint state's Jacobian at step t."""
    f, i, o, g = (cache[k][t] for k in ("f", "i", "o", "g"))
    tc, c_prev = cache["tanh_c"][t], cache["c_prev"][t]
    dc_dh = ((c_prev * f * (1 - f))[:, None] * canon["W_fh"]
             + (g * i * (1 - i))[:, None] * canon["W_ih"]
             + (i * (1 - g ** 2))[:, None] * canon["W_ch"])
    dc_dc = np.diag(f)
    k = o * (1 - tc ** 2)
    dh_dh = (tc * o * (1 - o))[:, None] * canon["W_oh"] + k[:, None] * dc_dh
    dh_dc = np.diag(k * f)
    return np.block([[dh_dh, dh_dc], [dc_dh, dc_dc]])
