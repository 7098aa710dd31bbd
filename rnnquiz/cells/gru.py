"""The GRU cell in its two conventions: one step forward and back, the state Jacobian, the scan.

Canonical parameters W_uh, W_ux, b_u (update), W_rh, W_rx, b_r (reset), W_ch, W_cx, b_c
(candidate), and b_hn (PyTorch's hidden-side candidate bias, 0 unless given):

    u_t = σ(W_uh h_{t-1} + W_ux x_t + b_u)      r_t = σ(W_rh h_{t-1} + W_rx x_t + b_r)
    ng:      c_t = tanh(W_ch (r_t ⊙ h_{t-1}) + W_cx x_t + b_c),  h_t = u_t ⊙ c_t + (1 - u_t) ⊙ h_{t-1}
    pytorch: c_t = tanh(W_cx x_t + b_c + r_t ⊙ (W_ch h_{t-1} + b_hn)),  h_t = (1 - u_t) ⊙ c_t + u_t ⊙ h_{t-1}
    fully_gated: c_t as ng (reset before W_ch),  h_t as pytorch (Cho et al. 2014, d2l, Goodfellow
             10.45-10.46, and Keras with reset_after false)

So in the ng convention an update gate near 0 keeps the state; in the others, near 1.
Backward (ng; PyTorch's swaps u and 1 - u and moves r_t outside W_ch):

    dE/dz^c_t = dE/dh_t ⊙ u_t ⊙ (1 - c_t²)       dE/dz^u_t = dE/dh_t ⊙ (c_t - h_{t-1}) ⊙ u_t(1 - u_t)
    dE/dz^r_t = (W_chᵀ dE/dz^c_t) ⊙ h_{t-1} ⊙ r_t(1 - r_t)
    dE/dh_{t-1} = dE/dh_t ⊙ (1 - u_t) + (W_chᵀ dE/dz^c_t) ⊙ r_t + W_uhᵀ dE/dz^u_t + W_rhᵀ dE/dz^r_t

The gates' activation may be Keras 2's hard sigmoid (`gate_activation`) and the candidate's σ
(`candidate_activation`); each derivative above is then that activation's (SPEC 1.3).
"""

from __future__ import annotations

import numpy as np

from ..trace.rounding import STATE
from .activations import ACTIVATIONS
from .batch_form import terms
from .marks import in_layer
from .base import (Cell, Ctx, Term, accumulate, batch_sum, gate_step, outer_sum, pre_letter,
                   slope_of)

PARAMS = ("W_uh", "W_ux", "b_u", "W_rh", "W_rx", "b_r", "W_ch", "W_cx", "b_c", "b_hn")


def activations(words: dict) -> dict:
    """Each gate's activation: u and r (σ, or Keras 2's hard sigmoid), the candidate's (tanh,
    or σ)."""
    gate = words.get("gate_activation", "logistic")
    return {"u": gate, "r": gate, "c": words.get("candidate_activation", "tanh")}


class GRU(Cell):
    name = "gru"
    params = PARAMS
    quantities = ("h", "u", "r", "c")
    input_weights = ("W_ux", "W_rx", "W_cx")

    def step(self, P, x, prev, t, ctx: Ctx):
        S, work = ctx.S, ctx.work
        h = prev["h"]
        acts, z = activations(ctx.words), {}

        def gate(name, value, state_in=None, word=""):
            fn, _, fsym, tag = ACTIVATIONS[acts[name]]
            z[name] = value
            word = ctx.notation.gate_words.get(name, word)    # Goodfellow's: each matrix's role
            return gate_step(ctx, name, t, value, fsym, fn, tag, h, x,
                             note=word if t == ctx.first else "", state_in=state_in)

        u = gate("u", h @ P["W_uh"].T + x @ P["W_ux"].T + P["b_u"], word="update gate")
        r = gate("r", h @ P["W_rh"].T + x @ P["W_rx"].T + P["b_r"], word="reset gate")
        if ctx.convention != "pytorch":
            hn = r * h
            c = gate("c", hn @ P["W_ch"].T + x @ P["W_cx"].T + P["b_c"], state_in=hn,
                     word="candidate")
        else:
            hn = h @ P["W_ch"].T + P["b_hn"]
            c = gate("c", x @ P["W_cx"].T + P["b_c"] + r * hn, state_in=r, word="candidate")
        if ctx.convention == "ng":
            new = work.q(S("h", t), u * c + (1 - u) * h, t=t, phase="forward", tags=(STATE,),
                         eq=f"{S('u', t)}⊙{S('c', t)} + (1 - {S('u', t)})⊙{S('h', t - 1)}",
                         sub="{}·{} + (1 - {})·{}", args=(u, c, u, h))
        else:
            new = work.q(S("h", t), (1 - u) * c + u * h, t=t, phase="forward", tags=(STATE,),
                         eq=f"(1 - {S('u', t)})⊙{S('c', t)} + {S('u', t)}⊙{S('h', t - 1)}",
                         sub="(1 - {})·{} + {}·{}", args=(u, c, u, h))
        cache = {"x": x, "h_prev": h, "u": u, "r": r, "c": c, "hn": hn, "h": new,
                 "convention": ctx.convention, "acts": acts, "z": z}
        return {"h": new}, cache

    def step_back(self, P, cache, d, t, ctx: Ctx, grads):
        S, work = ctx.S, ctx.work
        u, r, c, hn = cache["u"], cache["r"], cache["c"], cache["hn"]
        h_prev, x = cache["h_prev"], cache["x"]
        dh = ctx.total(f"dE/d{S('h', t)}", d["h"], t)
        u_t, c_t, r_t, hp = S("u", t), S("c", t), S("r", t), S("h", t - 1)
        acts, z = cache["acts"], cache["z"]
        su, su_eq, su_sub, su_args = slope_of(acts["u"], u, z["u"], u_t)
        sr, sr_eq, sr_sub, sr_args = slope_of(acts["r"], r, z["r"], r_t)
        a = pre_letter(ctx.notation)        # dE/dz^c_t, or dE/da^n_t beside PyTorch's z_t
        sc, sc_eq, sc_sub, sc_args = slope_of(acts["c"], c, z["c"], c_t)
        # the blend: ng keeps the state where u is 0; d2l and PyTorch where u is 1
        ng = ctx.convention == "ng"
        keep, take = (1 - u, u) if ng else (u, 1 - u)
        dz_c = work.q(f"dE/d{a}^{c_t}", dh * take * sc, t=t, phase="backward",
                      eq=f"dE/d{S('h', t)}⊙{u_t if ng else f'(1 - {u_t})'}⊙{sc_eq}",
                      sub=("{}·{}·" if ng else "{}·(1 - {})·") + sc_sub,
                      args=(dh, u, *sc_args))
        new, old = (c, h_prev) if ng else (h_prev, c)
        new_s, old_s = (c_t, hp) if ng else (hp, c_t)
        dz_u = work.q(f"dE/d{a}^{u_t}", dh * (new - old) * su, t=t, phase="backward",
                      eq=f"dE/d{S('h', t)}⊙({new_s} - {old_s})⊙{su_eq}",
                      sub="{}·({} - {})·" + su_sub, args=(dh, new, old, *su_args))
        dh_prev = dh * keep
        # the reset: before W_ch (ng, d2l) or inside r ⊙ (W_ch h_{t-1} + b_hn) (PyTorch)
        reset = _reset_words(ctx, t, h_prev, x, r, f"dE/d{a}^{c_t}")
        if ctx.convention != "pytorch":
            d_rh = dz_c @ P["W_ch"]
            dz_r = work.q(f"dE/d{a}^{r_t}", d_rh * h_prev * sr, t=t, phase="backward",
                          eq=f"({reset})⊙{hp}⊙{sr_eq}",
                          sub="{}·{}·" + sr_sub, args=(d_rh, h_prev, *sr_args))
            grads["W_ch"] += outer_sum(dz_c, hn)
            dh_prev = dh_prev + d_rh * r
        else:
            dz_r = work.q(f"dE/d{a}^{r_t}", dz_c * hn * sr, t=t, phase="backward",
                          eq=f"dE/d{a}^{c_t}⊙({reset})⊙{sr_eq}",
                          sub="{}·{}·" + sr_sub, args=(dz_c, hn, *sr_args))
            d_hn = dz_c * r
            grads["W_ch"] += outer_sum(d_hn, h_prev)
            grads["b_hn"] += batch_sum(d_hn)
            dh_prev = dh_prev + d_hn @ P["W_ch"]
        grads["W_cx"] += outer_sum(dz_c, x)
        grads["b_c"] += batch_sum(dz_c)
        dx = dz_c @ P["W_cx"]
        for gate, dz in (("u", dz_u), ("r", dz_r)):
            keys = (f"W_{gate}h", f"W_{gate}x", f"b_{gate}")
            dh_prev = dh_prev + accumulate(grads, P, keys, dz, h_prev, x)
            dx = dx + dz @ P[keys[1]]
        return {"h": [Term(dh_prev, f"dE/d{S('h', t - 1)} from step {t}")]}, dx, {"h": dh}

    def jacobian(self, P, cache):
        """dh_t/dh_{t-1} at step t."""
        u, r, c, hn, h_prev = (cache[k] for k in ("u", "r", "c", "hn", "h_prev"))
        acts, z = cache.get("acts", activations({})), cache.get("z")
        su, sr, sc = (slope_of(acts[k], cache[k], z[k] if z else None, "")[0] for k in "urc")
        du = su[:, None] * P["W_uh"]
        dr = sr[:, None] * P["W_rh"]
        convention = cache.get("convention", "ng")
        if convention != "pytorch":
            d_rh = np.diag(r) + h_prev[:, None] * dr           # d(r ⊙ h_{t-1})/dh_{t-1}
            dc = sc[:, None] * (P["W_ch"] @ d_rh)
            if convention == "ng":
                return np.diag(1 - u) + (c - h_prev)[:, None] * du + u[:, None] * dc
            return np.diag(u) + (h_prev - c)[:, None] * du + (1 - u)[:, None] * dc
        dc = sc[:, None] * (r[:, None] * P["W_ch"] + hn[:, None] * dr)
        return np.diag(u) + (h_prev - c)[:, None] * du + (1 - u)[:, None] * dc

    # ------------------------------------------------------------ vectorised

    def scan(self, P, X, init, convention="ng", words=None, **_):
        n = init["h"].shape[-1]
        acts = activations(words or {})
        gate_fn, cand_fn = ACTIVATIONS[acts["u"]][0], ACTIVATIONS[acts["c"]][0]
        W_ur = np.vstack([P["W_uh"], P["W_rh"]]).T.copy()
        A_ur = X @ np.vstack([P["W_ux"], P["W_rx"]]).T + np.concatenate([P["b_u"], P["b_r"]])
        A_c = X @ P["W_cx"].T + P["b_c"]
        W_cT = P["W_ch"].T.copy()
        shape = A_c.shape
        U, R, Cn, H, HN = (np.empty(shape) for _ in range(5))
        Z = np.empty(shape[:-1] + (3 * n,))        # the pre-activations u, r, c
        h = init["h"].copy()
        ng, after = convention == "ng", convention == "pytorch"
        for t in range(len(X)):
            z_ur = A_ur[t] + h @ W_ur
            ur = gate_fn(z_ur)
            u, r = ur[..., :n], ur[..., n:]
            if after:
                hn = h @ W_cT + P["b_hn"]
                z_c = A_c[t] + r * hn
            else:
                hn = r * h
                z_c = hn @ W_cT + A_c[t]
            c = cand_fn(z_c)
            Z[t, ..., :2 * n], Z[t, ..., 2 * n:] = z_ur, z_c
            h = u * c + (1 - u) * h if ng else (1 - u) * c + u * h
            U[t], R[t], Cn[t], H[t], HN[t] = u, r, c, h, hn
        return {"h": H, "u": U, "r": R, "c": Cn, "hn": HN, "_Z": Z, "_acts": acts}

    def scan_back(self, P, X, init, fwd, DH, convention="ng", **_):
        ng, after = convention == "ng", convention == "pytorch"
        U, R, Cn, H, HN = (fwd[k] for k in ("u", "r", "c", "h", "hn"))
        acts, Z, n = fwd["_acts"], fwd["_Z"], H.shape[-1]
        SU, SR, SC = (slope_of(acts[k], v, Z[..., j * n:(j + 1) * n], "")[0]
                      for j, (k, v) in enumerate((("u", U), ("r", R), ("c", Cn))))
        H_prev = np.concatenate([init["h"][None], H[:-1]])
        DZu, DZr, DZc, DHs, DHN = (np.zeros_like(H) for _ in range(5))
        dh_next = np.zeros_like(init["h"])
        W_u, W_r, W_c = P["W_uh"], P["W_rh"], P["W_ch"]
        for t in range(len(X) - 1, -1, -1):
            dh = DH[t] + dh_next
            u, r, hp = U[t], R[t], H_prev[t]
            su, sr, sc = SU[t], SR[t], SC[t]
            if ng:
                dzc = dh * u * sc
                dzu = dh * (Cn[t] - hp) * su
                d_rh = dzc @ W_c
                dzr = d_rh * hp * sr
                dh_prev = dh * (1 - u) + d_rh * r
            elif not after:
                dzc = dh * (1 - u) * sc
                dzu = dh * (hp - Cn[t]) * su
                d_rh = dzc @ W_c
                dzr = d_rh * hp * sr
                dh_prev = dh * u + d_rh * r
            else:
                dzc = dh * (1 - u) * sc
                dzu = dh * (hp - Cn[t]) * su
                dzr = dzc * HN[t] * sr
                d_hn = dzc * r
                DHN[t] = d_hn
                dh_prev = dh * u + d_hn @ W_c
            dh_next = dh_prev + dzu @ W_u + dzr @ W_r
            DZu[t], DZr[t], DZc[t], DHs[t] = dzu, dzr, dzc, dh
        grads = {"W_uh": outer_sum(DZu, H_prev), "W_ux": outer_sum(DZu, X),
                 "b_u": batch_sum(DZu), "W_rh": outer_sum(DZr, H_prev),
                 "W_rx": outer_sum(DZr, X), "b_r": batch_sum(DZr),
                 "W_cx": outer_sum(DZc, X), "b_c": batch_sum(DZc)}
        if not after:
            grads["W_ch"], grads["b_hn"] = outer_sum(DZc, R * H_prev), np.zeros_like(P["b_hn"])
        else:
            grads["W_ch"], grads["b_hn"] = outer_sum(DHN, H_prev), batch_sum(DHN)
        DX = DZu @ P["W_ux"] + DZr @ P["W_rx"] + DZc @ P["W_cx"]
        return {"dE/dh": DHs, "grads": grads, "dE/dx": DX, "init": {"h": dh_next}}


CELL = GRU()


def _reset_words(ctx, t: int, h_prev, x, r, dz: str) -> str:
    """What the reset gate's delta reads of the candidate, in the candidate line's own words
    (the file's keys, its layout, a stack's marks): reset after the product, the term r_t
    multiplies (W_hn·h_{t-1} + b_hn; h_{t-1}·W_hnᵀ + b_hn in a batch's rows); before it, the
    recurrent matrix's transpose on `dz` (W_chᵀ·dz; dz·W_hhᵀ in a row layout)."""
    after = ctx.convention == "pytorch"
    eq = ctx.notation.pre("c", ctx.params, None, h_prev, x, t, r if after else r * h_prev,
                          ctx.convention)[0]
    for term in terms(eq):
        if after and "⊙(" in term and term.endswith(")"):
            return term.split("⊙(", 1)[1][:-1]
        if not after and "⊙" in term and term.startswith("(") and ")·" in term:
            return f"{dz}·{term.rsplit(')·', 1)[1]}ᵀ"
        if not after and "⊙" in term and "·(" in term:
            return f"{term.split('·(', 1)[0]}ᵀ·{dz}"
    # a candidate written on the concatenation (deeplearning.ai's W_c·[Γ_r*c; x]): its key
    W = in_layer(ctx.work, ctx.notation.file_names.get("W_ch", "W_ch"))
    return f"{W}·{ctx.S('h', t - 1)} + b_hn" if after else f"{W}ᵀ·{dz}"
