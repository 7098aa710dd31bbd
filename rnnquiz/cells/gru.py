"""The GRU cell in its two conventions: forward, BPTT and the state Jacobian.

Canonical parameters W_uh, W_ux, b_u (update), W_rh, W_rx, b_r (reset), W_ch, W_cx, b_c
(candidate), and b_hn (PyTorch's hidden-side candidate bias, 0 unless given):

    u_t = σ(W_uh h_{t-1} + W_ux x_t + b_u)      r_t = σ(W_rh h_{t-1} + W_rx x_t + b_r)
    ng:      c_t = tanh(W_ch (r_t ⊙ h_{t-1}) + W_cx x_t + b_c),  h_t = u_t ⊙ c_t + (1 - u_t) ⊙ h_{t-1}
    pytorch: c_t = tanh(W_cx x_t + b_c + r_t ⊙ (W_ch h_{t-1} + b_hn)),  h_t = (1 - u_t) ⊙ c_t + u_t ⊙ h_{t-1}

So in the ng convention an update gate near 0 keeps the state; in PyTorch's, near 1.
"""

from __future__ import annotations

import numpy as np

from ..rounding import SIGMOID, STATE, TANH
from ..trace import Work
from .functions import sigmoid, tanh
from .gates import accumulate, gate_step, symbols

PARAMS = ("W_uh", "W_ux", "b_u", "W_rh", "W_rx", "b_r", "W_ch", "W_cx", "b_c", "b_hn")


def forward(notation, params: dict, canon: dict, X: np.ndarray, work: Work,
            convention: str = "ng") -> dict:
    S = symbols(notation)
    h = params[next(iter(notation.states))]
    b_hn = canon.get("b_hn", np.zeros_like(canon["b_c"]))
    cache = {k: [] for k in ("h_prev", "u", "r", "c", "h", "hn")}
    cache["x"] = list(X)
    for t, x in enumerate(X):
        def gate(name, value, fsym="σ", fn=sigmoid, tag=SIGMOID, state_in=None, word=""):
            return gate_step(work, notation, name, t, value, fsym, fn, tag, params, canon, h, x,
                             note=word if t == 0 else "", state_in=state_in,
                             convention=convention)

        u = gate("u", canon["W_uh"] @ h + canon["W_ux"] @ x + canon["b_u"], word="update gate")
        r = gate("r", canon["W_rh"] @ h + canon["W_rx"] @ x + canon["b_r"], word="reset gate")
        if convention == "ng":
            hn = r * h
            c = gate("c", canon["W_ch"] @ hn + canon["W_cx"] @ x + canon["b_c"], "tanh", tanh,
                     TANH, state_in=hn, word="candidate")
            new = work.q(S("h", t), u * c + (1 - u) * h, t=t, phase="forward", tags=(STATE,),
                         eq=f"{S('u', t)}⊙{S('c', t)} + (1 - {S('u', t)})⊙{S('h', t - 1)}",
                         sub="{}·{} + (1 - {})·{}", args=(u, c, u, h))
        else:
            hn = canon["W_ch"] @ h + b_hn
            c = gate("c", canon["W_cx"] @ x + canon["b_c"] + r * hn, "tanh", tanh, TANH,
                     state_in=r, word="candidate")
            new = work.q(S("h", t), (1 - u) * c + u * h, t=t, phase="forward", tags=(STATE,),
                         eq=f"(1 - {S('u', t)})⊙{S('c', t)} + {S('u', t)}⊙{S('h', t - 1)}",
                         sub="(1 - {})·{} + {}·{}", args=(u, c, u, h))
        for k, v in (("h_prev", h), ("u", u), ("r", r), ("c", c), ("hn", hn)):
            cache[k].append(v)
        h = new
        cache["h"].append(h)
    cache["convention"] = convention
    return cache


def backward(notation, canon: dict, cache: dict, dE_dh_out: list, work: Work) -> dict:
    S = symbols(notation)
    ng = cache["convention"] == "ng"
    T = len(cache["h"])
    grads = {k: np.zeros_like(canon[k]) if k in canon else np.zeros_like(canon["b_c"])
             for k in PARAMS}
    dE_dh = [None] * T
    dh_next = np.zeros_like(cache["h"][0])
    for t in reversed(range(T)):
        u, r, c, hn = cache["u"][t], cache["r"][t], cache["c"][t], cache["hn"][t]
        h_prev, x = cache["h_prev"][t], cache["x"][t]
        later = t + 1 < T
        dh = work.q(f"dE/d{S('h', t)}", dE_dh_out[t] + dh_next, t=t, phase="backward",
                    eq=f"dE/dy_{t} + dE/d{S('h', t)} from step {t + 1}" if later else f"dE/dy_{t}",
                    sub="{} + {}" if later else "{}",
                    args=(dE_dh_out[t], dh_next) if later else (dE_dh_out[t],))
        if ng:
            dz_c = work.q(f"dE/dz^{S('c', t)}", dh * u * (1 - c ** 2), t=t, phase="backward",
                          eq=f"dE/d{S('h', t)}⊙{S('u', t)}⊙(1 - {S('c', t)}²)",
                          sub="{}·{}·(1 - {}²)", args=(dh, u, c))
            dz_u = work.q(f"dE/dz^{S('u', t)}", dh * (c - h_prev) * u * (1 - u), t=t,
                          phase="backward",
                          eq=f"dE/d{S('h', t)}⊙({S('c', t)} - {S('h', t - 1)})⊙{S('u', t)}(1 - {S('u', t)})",
                          sub="{}·({} - {})·{}·(1 - {})", args=(dh, c, h_prev, u, u))
            d_rh = canon["W_ch"].T @ dz_c
            dz_r = work.q(f"dE/dz^{S('r', t)}", d_rh * h_prev * r * (1 - r), t=t,
                          phase="backward",
                          eq=f"(W_chᵀ·dE/dz^{S('c', t)})⊙{S('h', t - 1)}⊙{S('r', t)}(1 - {S('r', t)})")
            grads["W_ch"] += np.outer(dz_c, hn)
            dh_prev = dh * (1 - u) + d_rh * r
        else:
            dz_c = work.q(f"dE/dz^{S('c', t)}", dh * (1 - u) * (1 - c ** 2), t=t,
                          phase="backward",
                          eq=f"dE/d{S('h', t)}⊙(1 - {S('u', t)})⊙(1 - {S('c', t)}²)",
                          sub="{}·(1 - {})·(1 - {}²)", args=(dh, u, c))
            dz_u = work.q(f"dE/dz^{S('u', t)}", dh * (h_prev - c) * u * (1 - u), t=t,
                          phase="backward",
                          eq=f"dE/d{S('h', t)}⊙({S('h', t - 1)} - {S('c', t)})⊙{S('u', t)}(1 - {S('u', t)})",
                          sub="{}·({} - {})·{}·(1 - {})", args=(dh, h_prev, c, u, u))
            dz_r = work.q(f"dE/dz^{S('r', t)}", dz_c * hn * r * (1 - r), t=t, phase="backward",
                          eq=f"dE/dz^{S('c', t)}⊙(W_ch·{S('h', t - 1)} + b_hn)⊙{S('r', t)}(1 - {S('r', t)})")
            d_hn = dz_c * r
            grads["W_ch"] += np.outer(d_hn, h_prev)
            grads["b_hn"] += d_hn
            dh_prev = dh * u + canon["W_ch"].T @ d_hn
        grads["W_cx"] += np.outer(dz_c, x)
        grads["b_c"] += dz_c
        for gate, dz in (("u", dz_u), ("r", dz_r)):
            keys = (f"W_{gate}h", f"W_{gate}x", f"b_{gate}")
            dh_prev = dh_prev + accumulate(grads, canon, keys, dz, h_prev, x)
        dh_next = dh_prev
        dE_dh[t] = dh
    return {"dE/dh": dE_dh, "grads": grads, "init": {"h": dh_next}}


def jacobian(canon: dict, cache: dict, t: int) -> np.ndarray:
    """dh_t/dh_{t-1} at step t."""
    u, r, c, hn = cache["u"][t], cache["r"][t], cache["c"][t], cache["hn"][t]
    h_prev = cache["h_prev"][t]
    du = (u * (1 - u))[:, None] * canon["W_uh"]
    dr = (r * (1 - r))[:, None] * canon["W_rh"]
    if cache["convention"] == "ng":
        d_rh = np.diag(r) + h_prev[:, None] * dr           # d(r ⊙ h_{t-1})/dh_{t-1}
        dc = (1 - c ** 2)[:, None] * (canon["W_ch"] @ d_rh)
        return np.diag(1 - u) + (c - h_prev)[:, None] * du + u[:, None] * dc
    dc = (1 - c ** 2)[:, None] * (r[:, None] * canon["W_ch"] + hn[:, None] * dr)
    return np.diag(u) + (h_prev - c)[:, None] * du + (1 - u)[:, None] * dc
