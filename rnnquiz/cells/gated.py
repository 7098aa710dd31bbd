"""The MITx 6.86x gated RNN: forward, BPTT and the state Jacobian.

    g_t = σ(W_gs s_{t-1} + W_gx x_t + b_g)
    s_t = (1 - g_t) ⊙ s_{t-1} + g_t ⊙ tanh(W_ss s_{t-1} + W_sx x_t + b_s)

A gate of 0 keeps the state (ds_t/ds_{t-1} = 1); a gate of 1 overwrites it.
Canonical names are the MITx names (the state is `h` inside the cell code).
"""

from __future__ import annotations

import numpy as np

from ..rounding import SIGMOID, STATE, TANH
from ..trace import Work
from .functions import sigmoid, tanh
from .gates import accumulate, gate_step, symbols

PARAMS = ("W_gs", "W_gx", "b_g", "W_ss", "W_sx", "b_s")


def forward(notation, params: dict, canon: dict, X: np.ndarray, work: Work, **_) -> dict:
    S = symbols(notation)
    s = params[next(iter(notation.states))]
    cache = {k: [] for k in ("h_prev", "g", "s", "h")}
    cache["x"] = list(X)
    for t, x in enumerate(X):
        g = gate_step(work, notation, "g", t, canon["W_gs"] @ s + canon["W_gx"] @ x + canon["b_g"],
                      "σ", sigmoid, SIGMOID, params, canon, s, x, note="gate" if t == 0 else "")
        cand = gate_step(work, notation, "s", t,
                         canon["W_ss"] @ s + canon["W_sx"] @ x + canon["b_s"], "tanh", tanh, TANH,
                         params, canon, s, x, note="candidate" if t == 0 else "")
        new = work.q(S("h", t), (1 - g) * s + g * cand, t=t, phase="forward", tags=(STATE,),
                     eq=f"(1 - {S('g', t)})⊙{S('h', t - 1)} + {S('g', t)}⊙{S('s', t)}",
                     sub="(1 - {})·{} + {}·{}", args=(g, s, g, cand))
        cache["h_prev"].append(s), cache["g"].append(g), cache["s"].append(cand)
        s = new
        cache["h"].append(s)
    return cache


def backward(notation, canon: dict, cache: dict, dE_dh_out: list, work: Work) -> dict:
    S = symbols(notation)
    T = len(cache["h"])
    grads = {k: np.zeros_like(canon[k]) for k in PARAMS}
    dE_dh = [None] * T
    ds_next = np.zeros_like(cache["h"][0])
    for t in reversed(range(T)):
        g, cand, s_prev, x = cache["g"][t], cache["s"][t], cache["h_prev"][t], cache["x"][t]
        later = t + 1 < T
        ds = work.q(f"dE/d{S('h', t)}", dE_dh_out[t] + ds_next, t=t, phase="backward",
                    eq=f"dE/dy_{t} + dE/d{S('h', t)} from step {t + 1}" if later else f"dE/dy_{t}",
                    sub="{} + {}" if later else "{}",
                    args=(dE_dh_out[t], ds_next) if later else (dE_dh_out[t],))
        dz_s = work.q(f"dE/dz^{S('s', t)}", ds * g * (1 - cand ** 2), t=t, phase="backward",
                      eq=f"dE/d{S('h', t)}⊙{S('g', t)}⊙(1 - {S('s', t)}²)",
                      sub="{}·{}·(1 - {}²)", args=(ds, g, cand))
        dz_g = work.q(f"dE/dz^{S('g', t)}", ds * (cand - s_prev) * g * (1 - g), t=t,
                      phase="backward",
                      eq=f"dE/d{S('h', t)}⊙({S('s', t)} - {S('h', t - 1)})⊙{S('g', t)}(1 - {S('g', t)})",
                      sub="{}·({} - {})·{}·(1 - {})", args=(ds, cand, s_prev, g, g))
        ds_prev = ds * (1 - g)
        for name, dz in (("g", dz_g), ("s", dz_s)):
            keys = (f"W_{name}s", f"W_{name}x", f"b_{name}")
            ds_prev = ds_prev + accumulate(grads, canon, keys, dz, s_prev, x)
        ds_next = ds_prev
        dE_dh[t] = ds
    return {"dE/dh": dE_dh, "grads": grads, "init": {"h": ds_next}}


def jacobian(canon: dict, cache: dict, t: int) -> np.ndarray:
    """ds_t/ds_{t-1} at step t."""
    g, cand, s_prev = cache["g"][t], cache["s"][t], cache["h_prev"][t]
    return (np.diag(1 - g) + ((cand - s_prev) * g * (1 - g))[:, None] * canon["W_gs"]
            + (g * (1 - cand ** 2))[:, None] * canon["W_ss"])
