"""The MITx 6.86x gated RNN: one step forward and back, the state Jacobian, the scan.

    g_t = σ(W_gs s_{t-1} + W_gx x_t + b_g)
    s_t = (1 - g_t) ⊙ s_{t-1} + g_t ⊙ tanh(W_ss s_{t-1} + W_sx x_t + b_s)

A gate of 0 keeps the state (ds_t/ds_{t-1} = 1); a gate of 1 overwrites it.
Canonical names are the MITx names (the state is `h` inside the cell code); s̃_t is the candidate.

    dE/dz^s̃_t = dE/ds_t ⊙ g_t ⊙ (1 - s̃_t²)      dE/dz^g_t = dE/ds_t ⊙ (s̃_t - s_{t-1}) ⊙ g_t(1 - g_t)
    dE/ds_{t-1} = dE/ds_t ⊙ (1 - g_t) + W_ssᵀ dE/dz^s̃_t + W_gsᵀ dE/dz^g_t

`gate_activation` (σ, or Keras 2's hard sigmoid) and `candidate_activation` (tanh, or σ)
change the gate's and the candidate's activation and their derivatives above (SPEC 1.3).
"""

from __future__ import annotations

import numpy as np

from ..trace.rounding import STATE
from .activations import ACTIVATIONS
from .base import Cell, Ctx, Term, accumulate, batch_sum, gate_step, outer_sum, slope_of

PARAMS = ("W_gs", "W_gx", "b_g", "W_ss", "W_sx", "b_s")


def activations(words: dict) -> dict:
    return {"g": words.get("gate_activation", "logistic"),
            "s": words.get("candidate_activation", "tanh")}


class Gated(Cell):
    name = "gated"
    params = PARAMS
    quantities = ("h", "g", "s")
    input_weights = ("W_gx", "W_sx")

    def step(self, P, x, prev, t, ctx: Ctx):
        S = ctx.S
        s = prev["h"]
        acts = activations(ctx.words)
        z = {"g": s @ P["W_gs"].T + x @ P["W_gx"].T + P["b_g"],
             "s": s @ P["W_ss"].T + x @ P["W_sx"].T + P["b_s"]}
        out = {}
        for name, word in (("g", "gate"), ("s", "candidate")):
            fn, _, fsym, tag = ACTIVATIONS[acts[name]]
            out[name] = gate_step(ctx, name, t, z[name], fsym, fn, tag, s, x,
                                  note=word if t == ctx.first else "")
        g, cand = out["g"], out["s"]
        new = ctx.work.q(S("h", t), (1 - g) * s + g * cand, t=t, phase="forward",
                         tags=(STATE,),
                         eq=f"(1 - {S('g', t)})⊙{S('h', t - 1)} + {S('g', t)}⊙{S('s', t)}",
                         sub="(1 - {})·{} + {}·{}", args=(g, s, g, cand))
        return {"h": new}, {"x": x, "h_prev": s, "g": g, "s": cand, "h": new, "z": z,
                            "acts": acts}

    def step_back(self, P, cache, d, t, ctx: Ctx, grads):
        S, work = ctx.S, ctx.work
        g, cand, s_prev, x = cache["g"], cache["s"], cache["h_prev"], cache["x"]
        ds = ctx.total(f"dE/d{S('h', t)}", d["h"], t)
        acts, z = cache["acts"], cache["z"]
        ss, ss_eq, ss_sub, ss_args = slope_of(acts["s"], cand, z["s"], S("s", t))
        sg, sg_eq, sg_sub, sg_args = slope_of(acts["g"], g, z["g"], S("g", t))
        dz_s = work.q(f"dE/dz^{S('s', t)}", ds * g * ss, t=t, phase="backward",
                      eq=f"dE/d{S('h', t)}⊙{S('g', t)}⊙{ss_eq}",
                      sub="{}·{}·" + ss_sub, args=(ds, g, *ss_args))
        dz_g = work.q(f"dE/dz^{S('g', t)}", ds * (cand - s_prev) * sg, t=t,
                      phase="backward",
                      eq=f"dE/d{S('h', t)}⊙({S('s', t)} - {S('h', t - 1)})⊙{sg_eq}",
                      sub="{}·({} - {})·" + sg_sub, args=(ds, cand, s_prev, *sg_args))
        ds_prev = ds * (1 - g)
        dx = 0.0
        for name, dz in (("g", dz_g), ("s", dz_s)):
            keys = (f"W_{name}s", f"W_{name}x", f"b_{name}")
            ds_prev = ds_prev + accumulate(grads, P, keys, dz, s_prev, x)
            dx = dx + dz @ P[keys[1]]
        return {"h": [Term(ds_prev, f"dE/d{S('h', t - 1)} from step {t}")]}, dx, {"h": ds}

    def jacobian(self, P, cache):
        """ds_t/ds_{t-1} at step t."""
        g, cand, s_prev = cache["g"], cache["s"], cache["h_prev"]
        acts, z = cache.get("acts", activations({})), cache.get("z")
        sg, ss = (slope_of(acts[k], cache[k], z[k] if z else None, "")[0] for k in "gs")
        return (np.diag(1 - g) + ((cand - s_prev) * sg)[:, None] * P["W_gs"]
                + (g * ss)[:, None] * P["W_ss"])

    # ------------------------------------------------------------ vectorised

    def scan(self, P, X, init, words=None, **_):
        acts = activations(words or {})
        gate_fn, cand_fn = ACTIVATIONS[acts["g"]][0], ACTIVATIONS[acts["s"]][0]
        A_g = X @ P["W_gx"].T + P["b_g"]
        A_s = X @ P["W_sx"].T + P["b_s"]
        W_gT, W_sT = P["W_gs"].T.copy(), P["W_ss"].T.copy()
        Gt, Ct, S, Zg, Zs = (np.empty(A_g.shape) for _ in range(5))
        s = init["h"].copy()
        for t in range(len(X)):
            Zg[t], Zs[t] = A_g[t] + s @ W_gT, A_s[t] + s @ W_sT
            g, cand = gate_fn(Zg[t]), cand_fn(Zs[t])
            s = (1 - g) * s + g * cand
            Gt[t], Ct[t], S[t] = g, cand, s
        return {"h": S, "g": Gt, "s": Ct, "_Z": (Zg, Zs), "_acts": acts}

    def scan_back(self, P, X, init, fwd, DH, **_):
        S, Gt, Ct = fwd["h"], fwd["g"], fwd["s"]
        (Zg, Zs), acts = fwd["_Z"], fwd["_acts"]
        SG, SS = slope_of(acts["g"], Gt, Zg, "")[0], slope_of(acts["s"], Ct, Zs, "")[0]
        S_prev = np.concatenate([init["h"][None], S[:-1]])
        DZg, DZs, DSs = (np.empty_like(S) for _ in range(3))
        ds_next = np.zeros_like(init["h"])
        W_g, W_s = P["W_gs"], P["W_ss"]
        for t in range(len(X) - 1, -1, -1):
            ds = DH[t] + ds_next
            g, cand, sp = Gt[t], Ct[t], S_prev[t]
            dzs = ds * g * SS[t]
            dzg = ds * (cand - sp) * SG[t]
            ds_next = ds * (1 - g) + dzs @ W_s + dzg @ W_g
            DZg[t], DZs[t], DSs[t] = dzg, dzs, ds
        grads = {"W_gs": outer_sum(DZg, S_prev), "W_gx": outer_sum(DZg, X),
                 "b_g": batch_sum(DZg), "W_ss": outer_sum(DZs, S_prev),
                 "W_sx": outer_sum(DZs, X), "b_s": batch_sum(DZs)}
        return {"dE/dh": DSs, "grads": grads, "dE/dx": DZg @ P["W_gx"] + DZs @ P["W_sx"],
                "init": {"h": ds_next}}


CELL = Gated()
