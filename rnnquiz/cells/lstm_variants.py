"""The LSTM's variants (network words, SPEC 1.15), canonical names as in cells/lstm.py:

relevance_gate: true (CS230's cheatsheet), a gate on the state the candidate reads:

    r_t = σ(W_rh h_{t-1} + W_rx x_t + b_r)      g_t = tanh(W_ch (r_t ⊙ h_{t-1}) + W_cx x_t + b_c)

state_activation: linear (CS230's a = Γ_o ⊙ c):   h_t = o_t ⊙ c_t   (default h_t = o_t ⊙ tanh(c_t))

recurrence: cell (the peephole LSTM of Wikipedia and UvA's course): the gates read c_{t-1}
through full matrices and the candidate has no recurrent term, h_{t-1} feeds nothing:

    k_t = σ(W_kh c_{t-1} + W_kx x_t + b_k)  (k = f, i, o)      g_t = tanh(W_cx x_t + b_c)

Backward, s the state the gates read (h_{t-1}, or c_{t-1}), φ the state activation:

    dE/dz^o_t = dE/dh_t ⊙ φ(c_t) ⊙ o_t(1 - o_t)
    dE/dc_t   = dE/dh_t ⊙ o_t ⊙ φ'(c_t) + dE/dc_{t+1} ⊙ f_{t+1} (+ Σ_k W_khᵀ dE/dz^k_{t+1})
    dE/dz^f_t, dE/dz^i_t, dE/dz^g_t as the LSTM's
    dE/d(r_t ⊙ h_{t-1}) = W_chᵀ dE/dz^g_t      dE/dz^r_t = dE/d(r_t ⊙ h_{t-1}) ⊙ h_{t-1} ⊙ r_t(1 - r_t)
    dE/dh_{t-1} = Σ_{k=f,i,o,r} W_khᵀ dE/dz^k_t + dE/d(r_t ⊙ h_{t-1}) ⊙ r_t   (hidden recurrence)
    dE/dW_kh += dE/dz^k_t sᵀ        dE/dW_ch += dE/dz^g_t (r_t ⊙ h_{t-1})ᵀ
    dE/dx_t = Σ_k W_kxᵀ dE/dz^k_t
"""

from __future__ import annotations

import numpy as np

from ..trace.rounding import STATE, TANH
from .activations import ACTIVATIONS, derivative_from_output
from .base import Ctx, Term, batch_sum, gate_step, outer_sum, slope_of
from .lstm import LSTM, ACTIVATION_WORDS, activations_of
from .marks import in_layer

KEYS = {"f": ("W_fh", "W_fx", "b_f"), "i": ("W_ih", "W_ix", "b_i"),
        "o": ("W_oh", "W_ox", "b_o"), "g": ("W_ch", "W_cx", "b_c"),
        "r": ("W_rh", "W_rx", "b_r")}
WORDS = {**ACTIVATION_WORDS, "r": "relevance gate"}


class Variant(LSTM):
    """The LSTM with the variant's flags as class attributes (`variant` makes one a set)."""

    relevance = False        # relevance_gate: true
    linear = False           # state_activation: linear
    from_cell = False        # recurrence: cell

    @property
    def sigmoids(self) -> tuple[str, ...]:
        return ("f", "i", "o") + (("r",) if self.relevance else ())

    def phi(self, c):
        """What the output gate lets through with state_activation: linear: c_t itself (a
        slip, teaching/slips.py's tanh_kept, replaces it)."""
        return c

    def step(self, P, x, prev, t, ctx: Ctx):
        S, work = ctx.S, ctx.work
        h, c_prev = prev["h"], prev["c"]
        acts = activations_of(ctx.words)
        acts["r"] = acts["f"]
        src = c_prev if self.from_cell else h
        gate, z = {}, {}
        first = t == ctx.first
        for name in self.sigmoids:
            W_h, W_x, b = KEYS[name]
            z[name] = value = src @ P[W_h].T + x @ P[W_x].T + P[b]
            fn, _, fsym, tag = ACTIVATIONS[acts[name]]
            note = ctx.notation.gate_words.get(name, WORDS[name]) if first else ""
            gate[name] = gate_step(ctx, name, t, value, fsym, fn, tag, src, x, note=note)
        _, W_x, b = KEYS["g"]
        value, rh = x @ P[W_x].T + P[b], None
        if self.relevance:
            r = gate["r"]
            rh = work.q(f"{S('r', t)}⊙{S('h', t - 1)}", r * h, t=t, phase="forward",
                        sub="{}·{}", args=(r, h))
            value = value + rh @ P["W_ch"].T
        elif not self.from_cell:
            value = value + h @ P["W_ch"].T
        z["g"] = value
        fn, _, fsym, tag = ACTIVATIONS[acts["g"]]
        note = ctx.notation.gate_words.get("g", WORDS["g"]) if first else ""
        gate["g"] = gate_step(ctx, "g", t, value, fsym, fn, tag, src, x, note=note, state_in=rh)
        f, i, o, g = (gate[k] for k in "fiog")
        c = work.q(S("c", t), f * self.kept(h, c_prev) + i * g, t=t, phase="forward",
                   tags=(STATE,), eq=f"{S('f', t)}⊙{S('c', t - 1)} + {S('i', t)}⊙{S('g', t)}",
                   sub="{}·{} + {}·{}", args=(f, c_prev, i, g),
                   note="memory cell" if first else "")
        if self.linear:
            phi = self.phi(c)
            h_new = work.q(S("h", t), o * phi, t=t, phase="forward", tags=(STATE,),
                           eq=f"{S('o', t)}⊙{S('c', t)}", sub="{}·{}", args=(o, phi),
                           note="visible state (state_activation: linear)" if first else "")
        else:
            phi = work.q(f"tanh({S('c', t)})", self.squash(c), t=t, phase="forward",
                         tags=(TANH,), sub="tanh({})", args=(c,))
            h_new = work.q(S("h", t), o * phi, t=t, phase="forward", tags=(STATE,),
                           eq=f"{S('o', t)}⊙tanh({S('c', t)})", sub="{}·{}", args=(o, phi),
                           note="visible state" if first else "")
        cache = {"x": x, "h_prev": h, "c_prev": c_prev, "src": src, "rh": rh, "c": c,
                 "tanh_c": phi, "h": h_new, "z": z, "acts": acts, **gate}
        return {"h": h_new, "c": c}, cache

    def step_back(self, P, cache, d, t, ctx: Ctx, grads):
        S, work = ctx.S, ctx.work
        f, i, o, g = (cache[k] for k in "fiog")
        phi, c_prev, h_prev, src = cache["tanh_c"], cache["c_prev"], cache["h_prev"], cache["src"]
        acts, z = cache["acts"], cache["z"]
        o_t, c_t, f_t, i_t, g_t = (S(k, t) for k in ("o", "c", "f", "i", "g"))
        h_t, c_p = S("h", t), S("c", t - 1)
        dh = ctx.total(f"dE/d{h_t}", d["h"], t)
        if self.linear:
            own = Term(dh * o, f"dE/d{h_t}⊙{o_t}", "{}·{}", (dh, o))
            phi_eq, phi_sub, phi_args = c_t, "{}", (phi,)
        else:
            own = Term(dh * o * derivative_from_output("tanh", phi),
                       f"dE/d{h_t}⊙{o_t}⊙(1 - tanh²({c_t}))", "{}·{}·(1 - {}²)", (dh, o, phi))
            phi_eq, phi_sub, phi_args = f"tanh({c_t})", "{}", (phi,)
        dc = ctx.total(f"dE/d{c_t}", [own] + d.get("c", []), t)
        sl = {k: slope_of(acts[k], cache[k], z[k], S(k, t)) for k in (*self.sigmoids, "g")}
        delta = {
            "o": (dh * phi * sl["o"][0], f"dE/d{h_t}⊙{phi_eq}⊙{sl['o'][1]}",
                  "{}·" + phi_sub + "·" + sl["o"][2], (dh, *phi_args, *sl["o"][3])),
            "f": (dc * c_prev * sl["f"][0], f"dE/d{c_t}⊙{c_p}⊙{sl['f'][1]}",
                  "{}·{}·" + sl["f"][2], (dc, c_prev, *sl["f"][3])),
            "i": (dc * g * sl["i"][0], f"dE/d{c_t}⊙{g_t}⊙{sl['i'][1]}",
                  "{}·{}·" + sl["i"][2], (dc, g, *sl["i"][3])),
            "g": (dc * i * sl["g"][0], f"dE/d{c_t}⊙{i_t}⊙{sl['g'][1]}",
                  "{}·{}·" + sl["g"][2], (dc, i, *sl["g"][3])),
        }
        dz = {}
        for name in ("o", "f", "i", "g"):
            value, eq, sub, args = delta[name]
            dz[name] = work.q(f"dE/dz^{S(name, t)}", value, t=t, phase="backward", eq=eq,
                              sub=sub, args=args)
        W_hc = P["W_ch"]
        back_h = np.zeros_like(dh)
        if self.relevance:
            r, rh = cache["r"], cache["rh"]
            rh_sym = f"{S('r', t)}⊙{S('h', t - 1)}"
            W = in_layer(ctx.work, ctx.notation.file_names.get("W_ch", "W_ch"))   # d2l: W_hc
            eq, args = ((f"dE/dz^{g_t}·{W}ᵀ", (dz["g"], W_hc)) if ctx.notation.layout == "row"
                        else (f"{W}ᵀ·dE/dz^{g_t}", (W_hc.T, dz["g"])))
            d_rh = work.q(f"dE/d({rh_sym})", dz["g"] @ W_hc, t=t, phase="backward", eq=eq,
                          sub="{}·{}", args=args)
            sr = sl["r"]
            dz["r"] = work.q(f"dE/dz^{S('r', t)}", d_rh * h_prev * sr[0], t=t,
                             phase="backward",
                             eq=f"dE/d({rh_sym})⊙{S('h', t - 1)}⊙{sr[1]}",
                             sub="{}·{}·" + sr[2], args=(d_rh, h_prev, *sr[3]))
            grads["W_ch"] += outer_sum(dz["g"], rh)
            back_h = back_h + d_rh * r
        elif not self.from_cell:
            grads["W_ch"] += outer_sum(dz["g"], h_prev)
            back_h = back_h + dz["g"] @ W_hc
        x, dx = cache["x"], 0.0
        back_src = np.zeros_like(dh)
        for name in (*self.sigmoids, "g"):
            W_h, W_x, b = KEYS[name]
            grads[W_x] += outer_sum(dz[name], x)
            grads[b] += batch_sum(dz[name])
            dx = dx + dz[name] @ P[W_x]
            if name != "g":
                grads[W_h] += outer_sum(dz[name], src)
                back_src = back_src + dz[name] @ P[W_h]
        back_c = [Term(dc * f, f"dE/d{c_t}⊙{f_t}")]
        if self.from_cell:
            back_c.append(Term(back_src, f"Σ_k W_khᵀ·dE/dz^k_{t} (the gates read {c_p})"))
            back = {"h": [Term(back_h, f"0 ({S('h', t - 1)} feeds no gate)")], "c": back_c}
        else:
            eq = f"Σ_k W_khᵀ·dE/dz^k_{t}" + (f" + dE/d({S('r', t)}⊙{S('h', t - 1)})⊙"
                                              f"{S('r', t)}" if self.relevance else "")
            back = {"h": [Term(back_h + back_src, eq)], "c": back_c}
        return back, dx, {"h": dh, "c": dc}

    def jacobian(self, P, cache):
        """d(h_t, c_t)/d(h_{t-1}, c_{t-1}) at step t."""
        f, i, o, g, phi = (cache[k] for k in ("f", "i", "o", "g", "tanh_c"))
        c_prev, h_prev = cache["c_prev"], cache["h_prev"]
        sl = {k: slope_of(cache["acts"][k], cache[k], cache["z"][k], "")[0]
              for k in (*self.sigmoids, "g")}
        dphi = np.ones_like(phi) if self.linear else 1 - phi ** 2
        # what c_t moves by through the gates that read s (h_{t-1} or c_{t-1})
        d_gates = ((c_prev * sl["f"])[:, None] * P["W_fh"]
                   + (g * sl["i"])[:, None] * P["W_ih"])
        n = len(f)
        if self.relevance:
            dg = P["W_ch"] * cache["r"][None, :] + \
                (P["W_ch"] * h_prev[None, :]) @ (sl["r"][:, None] * P["W_rh"])
            d_gates = d_gates + (i * sl["g"])[:, None] * dg
        elif not self.from_cell:
            d_gates = d_gates + (i * sl["g"])[:, None] * P["W_ch"]
        d_o = (phi * sl["o"])[:, None] * P["W_oh"]
        k = (o * dphi)[:, None]
        zero = np.zeros((n, n))
        if self.from_cell:
            dc_dc = np.diag(f) + d_gates
            return np.block([[zero, d_o + k * dc_dc], [zero, dc_dc]])
        dc_dh = d_gates
        return np.block([[d_o + k * dc_dh, np.diag(o * dphi * f)], [dc_dh, np.diag(f)]])

    # ------------------------------------------------------------ vectorised

    def scan(self, P, X, init, words=None, **_):
        acts = activations_of(words or {})
        acts["r"] = acts["f"]
        names = (*self.sigmoids, "g")
        fns = {k: ACTIVATIONS[acts[k]][0] for k in names}
        A = {k: X @ P[KEYS[k][1]].T + P[KEYS[k][2]] for k in names}
        out = {k: np.empty(A["f"].shape) for k in (*names, "h", "c", "rh")}
        Z = {k: np.empty(A[k].shape) for k in names}
        h, c = init["h"].copy(), init["c"].copy()
        for t in range(len(X)):
            src = c if self.from_cell else h
            gate = {}
            for k in self.sigmoids:
                Z[k][t] = A[k][t] + src @ P[KEYS[k][0]].T
                gate[k] = out[k][t] = fns[k](Z[k][t])
            Z["g"][t] = A["g"][t]
            if self.relevance:
                out["rh"][t] = gate["r"] * h
                Z["g"][t] += out["rh"][t] @ P["W_ch"].T
            elif not self.from_cell:
                Z["g"][t] += h @ P["W_ch"].T
            out["g"][t] = fns["g"](Z["g"][t])
            c = gate["f"] * c + gate["i"] * out["g"][t]
            h = gate["o"] * (c if self.linear else np.tanh(c))
            out["c"][t], out["h"][t] = c, h
        return {**out, "_Z": Z, "_acts": acts}

    def scan_back(self, P, X, init, fwd, DH, DC_last=None, **_):
        acts, Z = fwd["_acts"], fwd["_Z"]
        names = (*self.sigmoids, "g")
        C, H = fwd["c"], fwd["h"]
        C_prev = np.concatenate([init["c"][None], C[:-1]])
        H_prev = np.concatenate([init["h"][None], H[:-1]])
        SRC = C_prev if self.from_cell else H_prev
        PHI = C if self.linear else np.tanh(C)
        DPHI = np.ones_like(C) if self.linear else 1 - PHI ** 2
        SL = {k: slope_of(acts[k], fwd[k], Z[k], "")[0] for k in names}
        DZ = {k: np.empty(fwd[k].shape) for k in names}
        DHs, DCs = np.empty_like(H), np.empty_like(H)
        DX = np.zeros(X.shape[:-1] + (P["W_fx"].shape[1],))
        dh_next = np.zeros_like(init["h"])
        dc_next = np.zeros_like(init["c"]) if DC_last is None else DC_last
        for t in range(len(X) - 1, -1, -1):
            dh = DH[t] + dh_next
            o = fwd["o"][t]
            dc = dh * o * DPHI[t] + dc_next
            DZ["o"][t] = dh * PHI[t] * SL["o"][t]
            DZ["f"][t] = dc * C_prev[t] * SL["f"][t]
            DZ["i"][t] = dc * fwd["g"][t] * SL["i"][t]
            DZ["g"][t] = dzg = dc * fwd["i"][t] * SL["g"][t]
            back_h = np.zeros_like(dh)
            if self.relevance:
                d_rh = dzg @ P["W_ch"]
                DZ["r"][t] = d_rh * H_prev[t] * SL["r"][t]
                back_h = d_rh * fwd["r"][t]
            elif not self.from_cell:
                back_h = dzg @ P["W_ch"]
            back_src = sum(DZ[k][t] @ P[KEYS[k][0]] for k in self.sigmoids)
            DX[t] = sum(DZ[k][t] @ P[KEYS[k][1]] for k in names)
            dc_next = dc * fwd["f"][t]
            if self.from_cell:
                dc_next = dc_next + back_src
                dh_next = back_h
            else:
                dh_next = back_h + back_src
            DHs[t], DCs[t] = dh, dc
        grads = {}
        for k in names:
            W_h, W_x, b = KEYS[k]
            grads[W_x], grads[b] = outer_sum(DZ[k], X), batch_sum(DZ[k])
            if k != "g":
                grads[W_h] = outer_sum(DZ[k], SRC)
        if self.relevance:
            grads["W_ch"] = outer_sum(DZ["g"], fwd["rh"])
        elif not self.from_cell:
            grads["W_ch"] = outer_sum(DZ["g"], H_prev)
        return {"dE/dh": DHs, "dE/dc": DCs, "grads": grads, "dE/dx": DX,
                "init": {"h": dh_next, "c": dc_next}}


_MADE: dict[tuple, Variant] = {}


def variant(words: dict) -> Variant:
    """The LSTM the network's words ask for (one class a combination, made once)."""
    flags = (bool(words.get("relevance_gate")), words.get("state_activation") == "linear",
             words.get("recurrence") == "cell")
    if flags not in _MADE:
        relevance, linear, from_cell = flags
        params = tuple(k for g in "fiog" for k in KEYS[g] if not (from_cell and k == "W_ch"))
        params += KEYS["r"] if relevance else ()
        attrs = {"relevance": relevance, "linear": linear, "from_cell": from_cell,
                 "params": params, "input_weights": tuple(KEYS[g][1] for g in "fiogr"
                                                          if g != "r" or relevance),
                 "quantities": LSTM.quantities + (("r",) if relevance else ())}
        _MADE[flags] = type("LSTMVariant", (Variant,), attrs)()
    return _MADE[flags]
