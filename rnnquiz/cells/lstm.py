"""The LSTM cell: one step forward and back, the state Jacobian, and the vectorised scan.

Canonical parameters (MITx names; every notation maps onto them):

    f_t = σ(W_fh h_{t-1} + W_fx x_t + b_f)      i_t = σ(W_ih h_{t-1} + W_ix x_t + b_i)
    o_t = σ(W_oh h_{t-1} + W_ox x_t + b_o)      g_t = tanh(W_ch h_{t-1} + W_cx x_t + b_c)
    c_t = f_t ⊙ c_{t-1} + i_t ⊙ g_t             h_t = o_t ⊙ tanh(c_t)

Backward, given dE/dh_t (from the output at t and from step t+1) and dE/dc_{t+1}·f_{t+1}:

    dE/dc_t   = dE/dh_t ⊙ o_t ⊙ (1 - tanh²(c_t)) + dE/dc_{t+1} ⊙ f_{t+1}
    dE/dz^o_t = dE/dh_t ⊙ tanh(c_t) ⊙ o_t(1 - o_t)
    dE/dz^f_t = dE/dc_t ⊙ c_{t-1} ⊙ f_t(1 - f_t)     dE/dz^i_t = dE/dc_t ⊙ g_t ⊙ i_t(1 - i_t)
    dE/dz^g_t = dE/dc_t ⊙ i_t ⊙ (1 - g_t²)
    dE/dh_{t-1} = Σ_k W_khᵀ dE/dz^k_t        dE/dx_t = Σ_k W_kxᵀ dE/dz^k_t

Peepholes (Gers & Graves; the keys w_cf, w_ci, w_co, present only when the file gives one):
z^f_t and z^i_t add w_cf ⊙ c_{t-1} and w_ci ⊙ c_{t-1}, z^o_t adds w_co ⊙ c_t. Backward,
dE/dc_t gains dE/dz^o_t ⊙ w_co, and dE/dc_{t-1} gains dE/dz^f_t ⊙ w_cf + dE/dz^i_t ⊙ w_ci:

    dE/dw_cf = Σ_t dE/dz^f_t ⊙ c_{t-1}    dE/dw_ci = Σ_t dE/dz^i_t ⊙ c_{t-1}
    dE/dw_co = Σ_t dE/dz^o_t ⊙ c_t
"""

from __future__ import annotations

import numpy as np

from ..trace.rounding import SIGMOID, STATE, TANH
from .activations import ACTIVATIONS, derivative_from_output, sigmoid, tanh
from .base import (Cell, Ctx, Term, accumulate, batch_sum, gate_step, outer_sum, pre_symbol,
                   slope_of)

GATES = (("f", "σ", sigmoid, SIGMOID, "W_fh", "W_fx", "b_f"),
         ("i", "σ", sigmoid, SIGMOID, "W_ih", "W_ix", "b_i"),
         ("o", "σ", sigmoid, SIGMOID, "W_oh", "W_ox", "b_o"),
         ("g", "tanh", tanh, TANH, "W_ch", "W_cx", "b_c"))
ACTIVATION_WORDS = {"f": "forget gate", "i": "input gate", "o": "output gate", "g": "candidate"}
PEEPHOLES = {"f": "w_cf", "i": "w_ci", "o": "w_co"}     # gate -> its weight on the cell state


def peepholes(P) -> bool:
    """Whether the file gave peephole weights (the notation then supplies all three)."""
    return "w_cf" in P


def _peep_gate(ctx: Ctx, name, t, value, fsym, fn, tag, h, x, c, c_sym, P, note=""):
    """gate_step with the peephole term w ⊙ c added to the pre-activation's working."""
    notation = ctx.notation
    w = PEEPHOLES[name]
    eq, sub, args = notation.pre(name, ctx.params, None, h, x, t, None, ctx.convention)
    zsym = pre_symbol(notation, name, t)
    z = ctx.work.q(zsym, value, t=t, phase="forward", eq=f"{eq} + {w}⊙{c_sym}",
                   sub=f"{sub} + {{}}·{{}}", args=(*args, P[w], c))
    return ctx.work.q(notation.symbol(name, t), fn(z), t=t, phase="forward", tags=(tag,),
                      eq=f"{fsym}({zsym})", sub=f"{fsym}({{}})", args=(z,), note=note)


class LSTM(Cell):
    name = "lstm"
    states = ("h", "c")
    params = tuple(k for g in GATES for k in g[4:])
    quantities = ("h", "c", "f", "i", "o", "g")
    input_weights = tuple(g[5] for g in GATES)

    # the two places where students slip (rnnquiz.teaching.slips overrides them)
    def kept(self, h_prev, c_prev):
        """What the forget gate keeps: c_{t-1}."""
        return c_prev

    def squash(self, c):
        """What the output gate lets through: tanh(c_t)."""
        return tanh(c)

    def step(self, P, x, prev, t, ctx: Ctx):
        S, work = ctx.S, ctx.work
        h, c_prev = prev["h"], prev["c"]
        gate, z = {}, {}
        acts = activations_of(ctx.words)
        peep = peepholes(P)
        fns = {}
        for name, fsym, fn, tag, W_h, W_x, b in GATES:
            z[name] = value = h @ P[W_h].T + x @ P[W_x].T + P[b]
            word = ctx.notation.gate_words.get(name, ACTIVATION_WORDS[name])
            if acts[name] != ("logistic" if name != "g" else "tanh"):
                fn, _, fsym, tag = ACTIVATIONS[acts[name]]
            note = word if t == ctx.first else ""
            if not peep:
                gate[name] = gate_step(ctx, name, t, value, fsym, fn, tag, h, x, note=note)
            elif name in "fi":
                z[name] = value = value + P[PEEPHOLES[name]] * c_prev
                gate[name] = _peep_gate(ctx, name, t, value, fsym, fn, tag, h, x, c_prev,
                                        S("c", t - 1), P, note=note)
            elif name == "g":
                gate[name] = gate_step(ctx, name, t, value, fsym, fn, tag, h, x, note=note)
            fns[name] = (fsym, fn, tag, note)
        f, i, g = (gate[k] for k in "fig")
        c = work.q(S("c", t), f * self.kept(h, c_prev) + i * g, t=t, phase="forward",
                   tags=(STATE,), eq=f"{S('f', t)}⊙{S('c', t - 1)} + {S('i', t)}⊙{S('g', t)}",
                   sub="{}·{} + {}·{}", args=(f, c_prev, i, g),
                   note="memory cell" if t == ctx.first else "")
        if peep:        # the output gate looks at the new cell state
            fsym, fn, tag, note = fns["o"]
            z["o"] = value = z["o"] + P["w_co"] * c
            gate["o"] = _peep_gate(ctx, "o", t, value, fsym, fn, tag, h, x, c, S("c", t), P,
                                   note=note)
        o = gate["o"]
        tc = work.q(f"tanh({S('c', t)})", self.squash(c), t=t, phase="forward", tags=(TANH,),
                    sub="tanh({})", args=(c,))
        h_new = work.q(S("h", t), o * tc, t=t, phase="forward", tags=(STATE,),
                       eq=f"{S('o', t)}⊙tanh({S('c', t)})", sub="{}·{}", args=(o, tc),
                       note="visible state" if t == ctx.first else "")
        cache = {"x": x, "h_prev": h, "c_prev": c_prev, "f": f, "i": i, "o": o, "g": g,
                 "c": c, "tanh_c": tc, "h": h_new, "z": z, "acts": acts}
        return {"h": h_new, "c": c}, cache

    def step_back(self, P, cache, d, t, ctx: Ctx, grads):
        S, work = ctx.S, ctx.work
        f, i, o, g = (cache[k] for k in "fiog")
        tc, c_prev, h_prev = cache["tanh_c"], cache["c_prev"], cache["h_prev"]
        peep = peepholes(P)
        o_t, c_t, f_t, i_t, g_t = (S(k, t) for k in ("o", "c", "f", "i", "g"))
        acts, z = cache["acts"], cache["z"]
        dh = ctx.total(f"dE/d{S('h', t)}", d["h"], t)
        so, so_eq, so_sub, so_args = slope_of(acts["o"], o, z["o"], o_t)
        o_delta = (dh * tc * so, f"dE/d{S('h', t)}⊙tanh({c_t})⊙{so_eq}",
                   "{}·{}·" + so_sub, (dh, tc, *so_args))
        terms = [Term(dh * o * derivative_from_output("tanh", tc),
                      f"dE/d{S('h', t)}⊙{o_t}⊙(1 - tanh²({c_t}))",
                      "{}·{}·(1 - {}²)", (dh, o, tc))]
        if peep:        # o_t looks at c_t: its delta reaches the cell through w_co
            value, eq, sub, args = o_delta
            dz_o = work.q(f"dE/dz^{o_t}", value, t=t, phase="backward", eq=eq, sub=sub,
                          args=args)
            terms.append(Term(dz_o * P["w_co"], f"dE/dz^{o_t}⊙w_co", "{}·{}",
                              (dz_o, P["w_co"])))
        dc = ctx.total(f"dE/d{c_t}", terms + d.get("c", []), t)
        sf, sf_eq, sf_sub, sf_args = slope_of(acts["f"], f, z["f"], f_t)
        si, si_eq, si_sub, si_args = slope_of(acts["i"], i, z["i"], i_t)
        sg, sg_eq, sg_sub, sg_args = slope_of(acts["g"], g, z["g"], g_t)
        delta = {       # gate -> (value, equation, formula, operands): one chain-rule factor each
            "o": o_delta,
            "f": (dc * c_prev * sf, f"dE/d{c_t}⊙{S('c', t - 1)}⊙{sf_eq}",
                  "{}·{}·" + sf_sub, (dc, c_prev, *sf_args)),
            "i": (dc * g * si, f"dE/d{c_t}⊙{g_t}⊙{si_eq}",
                  "{}·{}·" + si_sub, (dc, g, *si_args)),
            "g": (dc * i * sg, f"dE/d{c_t}⊙{i_t}⊙{sg_eq}",
                  "{}·{}·" + sg_sub, (dc, i, *sg_args)),
        }
        dh_prev = np.zeros_like(dh)
        dx = 0.0
        dzs = {}
        for name, _, _, _, W_h, W_x, b in GATES:
            if peep and name == "o":
                dz = dz_o
            else:
                value, eq, sub, args = delta[name]
                dz = work.q(f"dE/dz^{S(name, t)}", value, t=t, phase="backward", eq=eq,
                            sub=sub, args=args)
            dzs[name] = dz
            dh_prev = dh_prev + accumulate(grads, P, (W_h, W_x, b), dz, h_prev, cache["x"])
            dx = dx + dz @ P[W_x]
        back_c = [Term(dc * f, f"dE/d{c_t}⊙{f_t}")]
        if peep:
            grads["w_cf"] += batch_sum(dzs["f"] * c_prev)
            grads["w_ci"] += batch_sum(dzs["i"] * c_prev)
            grads["w_co"] += batch_sum(dzs["o"] * cache["c"])
            back_c.append(Term(dzs["f"] * P["w_cf"] + dzs["i"] * P["w_ci"],
                               f"dE/dz^{f_t}⊙w_cf + dE/dz^{i_t}⊙w_ci"))
        back = {"h": [Term(dh_prev, f"Σ_k W_khᵀ·dE/dz^k_{t}")], "c": back_c}
        return back, dx, {"h": dh, "c": dc}

    def zero_grads(self, P):
        keys = self.params + (tuple(PEEPHOLES.values()) if peepholes(P) else ())
        return {k: np.zeros_like(P[k]) for k in keys}

    def jacobian(self, P, cache):
        """d(h_t, c_t)/d(h_{t-1}, c_{t-1}): the joint state's Jacobian at step t (with
        peepholes, c_{t-1} also reaches f_t and i_t, and c_t reaches o_t)."""
        f, i, o, g = (cache[k] for k in "fiog")
        tc, c_prev = cache["tanh_c"], cache["c_prev"]
        sl = {k: slope_of(cache["acts"][k], cache[k], cache["z"][k], "")[0] for k in "fiog"}
        dc_dh = ((c_prev * sl["f"])[:, None] * P["W_fh"]
                 + (g * sl["i"])[:, None] * P["W_ih"]
                 + (i * sl["g"])[:, None] * P["W_ch"])
        dcc = f.copy()
        w_co = 0.0
        if peepholes(P):
            dcc = dcc + c_prev * sl["f"] * P["w_cf"] + g * sl["i"] * P["w_ci"]
            w_co = P["w_co"]
        dc_dc = np.diag(dcc)
        k = o * derivative_from_output("tanh", tc)
        so = tc * sl["o"]
        dh_dh = so[:, None] * P["W_oh"] + (k + so * w_co)[:, None] * dc_dh
        dh_dc = np.diag((k + so * w_co) * dcc)
        return np.block([[dh_dh, dh_dc], [dc_dh, dc_dc]])

    # ------------------------------------------------------------ vectorised

    def scan(self, P, X, init, words=None, **_):
        """The gates stacked f, i, o, g: one projection of every input, the recurrence alone
        in the loop."""
        acts = activations_of(words or {})
        gate_fn, cand_fn = ACTIVATIONS[acts["f"]][0], ACTIVATIONS[acts["g"]][0]
        n = init["h"].shape[-1]
        W_h = np.vstack([P[g[4]] for g in GATES])                  # (4n, n)
        W_x = np.vstack([P[g[5]] for g in GATES])                  # (4n, x)
        b = np.concatenate([P[g[6]] for g in GATES])
        A = X @ W_x.T + b
        T = len(X)
        G = np.empty(A.shape)       # f, i, o (sigmoids) and g (tanh), after activation
        C = np.empty(A.shape[:-1] + (n,))
        H = np.empty_like(C)
        h, c = init["h"].copy(), init["c"].copy()
        W_hT = W_h.T.copy()
        peep = peepholes(P)
        Z = np.empty(A.shape) if acts["f"] == "hard_sigmoid" or peep else None
        if peep:
            w_fi = np.concatenate([P["w_cf"], P["w_ci"]])
        for t in range(T):
            z = A[t] + h @ W_hT
            gt = G[t]
            if peep:            # f, i see c_{t-1}; o sees c_t
                z[..., :2 * n] += w_fi * np.concatenate([c, c], axis=-1)
                gt[..., :2 * n] = gate_fn(z[..., :2 * n])
                gt[..., 3 * n:] = cand_fn(z[..., 3 * n:])
                c = gt[..., :n] * c + gt[..., n:2 * n] * gt[..., 3 * n:]
                z[..., 2 * n:3 * n] += P["w_co"] * c
                gt[..., 2 * n:3 * n] = gate_fn(z[..., 2 * n:3 * n])
            else:
                gt[..., :3 * n] = gate_fn(z[..., :3 * n])
                gt[..., 3 * n:] = cand_fn(z[..., 3 * n:])
                c = gt[..., :n] * c + gt[..., n:2 * n] * gt[..., 3 * n:]
            if Z is not None:
                Z[t] = z
            h = gt[..., 2 * n:3 * n] * np.tanh(c)
            C[t], H[t] = c, h
        return {"h": H, "c": C, "f": G[..., :n], "i": G[..., n:2 * n],
                "o": G[..., 2 * n:3 * n], "g": G[..., 3 * n:], "_W": (W_h, W_x), "_Z": Z,
                "_acts": acts}

    def scan_back(self, P, X, init, fwd, DH, DC_last=None, **_):
        n = init["h"].shape[-1]
        W_h, W_x = fwd["_W"]
        T = len(X)
        C, H = fwd["c"], fwd["h"]
        TC = np.tanh(C)
        C_prev = np.concatenate([init["c"][None], C[:-1]])
        H_prev = np.concatenate([init["h"][None], H[:-1]])
        F, I, O, Gc = fwd["f"], fwd["i"], fwd["o"], fwd["g"]
        acts, Z = fwd["_acts"], fwd["_Z"]
        zs = [None] * 4 if Z is None else np.split(Z, 4, axis=-1)     # f, i, o, g stacked
        SF, SI, SO, SG = (slope_of(acts[k], fwd[k], z, "")[0] for k, z in zip("fiog", zs))
        peep = peepholes(P)
        if peep:
            w_cf, w_ci, w_co = P["w_cf"], P["w_ci"], P["w_co"]
        DZ = np.empty(H.shape[:-1] + (4 * n,))
        DHs, DCs = np.empty_like(H), np.empty_like(H)
        dh_next = np.zeros_like(init["h"])
        dc_next = np.zeros_like(init["c"]) if DC_last is None else DC_last
        for t in range(T - 1, -1, -1):
            dh = DH[t] + dh_next
            tc, o = TC[t], O[t]
            dz = DZ[t]
            dz[..., 2 * n:3 * n] = dzo = dh * tc * SO[t]
            dc = dh * o * derivative_from_output("tanh", tc) + dc_next
            if peep:
                dc = dc + dzo * w_co
            f, i, g = F[t], I[t], Gc[t]
            dz[..., :n] = dc * C_prev[t] * SF[t]
            dz[..., n:2 * n] = dc * g * SI[t]
            dz[..., 3 * n:] = dc * i * SG[t]
            dh_next = dz @ W_h
            dc_next = dc * f
            if peep:
                dc_next = dc_next + dz[..., :n] * w_cf + dz[..., n:2 * n] * w_ci
            DHs[t], DCs[t] = dh, dc
        dW_x, dW_h = outer_sum(DZ, X), outer_sum(DZ, H_prev)
        db = DZ.reshape(-1, 4 * n).sum(axis=0)
        grads = {}
        for k, (_, _, _, _, wh, wx, bk) in enumerate(GATES):
            rows = slice(k * n, (k + 1) * n)
            grads[wh], grads[wx], grads[bk] = dW_h[rows], dW_x[rows], db[rows]
        if peep:
            grads["w_cf"] = batch_sum(DZ[..., :n] * C_prev)
            grads["w_ci"] = batch_sum(DZ[..., n:2 * n] * C_prev)
            grads["w_co"] = batch_sum(DZ[..., 2 * n:3 * n] * C)
        return {"dE/dh": DHs, "dE/dc": DCs, "grads": grads, "dE/dx": DZ @ W_x,
                "init": {"h": dh_next, "c": dc_next}}


def activations_of(words: dict) -> dict:
    """Each gate's activation: the gates' (σ, or Keras 2's hard sigmoid), the candidate's
    (tanh, or σ as in Goodfellow's LSTM)."""
    gate = words.get("gate_activation", "logistic")
    return {"f": gate, "i": gate, "o": gate, "g": words.get("candidate_activation", "tanh")}


CELL = LSTM()
