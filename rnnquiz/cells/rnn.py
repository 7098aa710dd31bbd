"""The simple RNN cell: one step forward and back, the state Jacobian, and the scan.

    z_t = W_xh x_t + W_hh h_{t-1} + b_h        h_t = hidden(z_t)

(the read-out y_t = output(W_hy h_t + b_y) is the runner's, as for every cell). Backward,
one chain-rule factor per line as in min-char-rnn's lossFun:

    dE/dh_t     = W_hyᵀ dE/du_t + W_hhᵀ dE/dz_{t+1}     (from the output, and from step t+1)
    dE/dz_t     = dE/dh_t ⊙ hidden'(z_t)
    dE/dh_{t-1} = W_hhᵀ dE/dz_t                           dE/dx_t = W_xhᵀ dE/dz_t
    dE/dW_xh += dE/dz_t x_tᵀ      dE/dW_hh += dE/dz_t h_{t-1}ᵀ      dE/db_h += dE/dz_t
"""

from __future__ import annotations

import math

import numpy as np

from ..trace.rounding import STATE
from .batch_form import ROWS_OF_EXAMPLES
from .activations import ACTIVATIONS, DERIVATIVE_FORMULA
from .base import Cell, Ctx, Term, batch_sum, outer_sum
from .jacobians import rnn_state

# The formulas of the working's gradient lines, in Hinton's names.
GRADIENT_EQ = {"W_xh": "Σ_t dE/dz_t·x_t", "W_hh": "Σ_t dE/dz_t·h_{t-1}", "b_h": "Σ_t dE/dz_t",
               "h_init": "W_hh·dE/dz_0", "W_hy": "Σ_t dE/du_t·h_t", "b_y": "Σ_t dE/du_t",
               "W_yh": "Σ_t dE/dz_t·y_{t-1} (y_{t-1} as fed back)", "y_init": "W_yh·dE/dz_0"}


def pre_activation(P: dict, x, h) -> np.ndarray:
    """z_t = W_xh x_t + W_hh h_{t-1} + b_h (x, h: one example's vectors or a batch's rows)."""
    return x @ P["W_xh"].T + h @ P["W_hh"].T + P["b_h"]


class SimpleRNN(Cell):
    name = "rnn"
    params = ("W_xh", "W_hh", "b_h")
    quantities = ("z", "h")
    input_weights = ("W_xh",)
    default_gradient = "dE/dz"
    gradient_eq = GRADIENT_EQ

    # where students slip (rnnquiz.teaching.slips overrides these)
    def slope(self, z, cache, ctx: Ctx):
        """hidden'(z_t), taken at z_t (never from a rounded or given h_t: SPEC 1.1)."""
        return ACTIVATIONS[ctx.words["hidden"]][1](z)

    def step(self, P, x, prev, t, ctx: Ctx):
        hidden = ctx.words["hidden"]
        act, _, hsym, htag = ACTIVATIONS[hidden]
        S, work = ctx.S, ctx.work
        h = prev["h"]
        fed = prev.get("y")         # output feedback: (y_{t-1} as fed, its symbol, which it is)
        eq, sub, args = ctx.notation.pre("z", ctx.params, None, h, x, t, fed and fed[:2],
                                         ctx.convention)
        z = pre_activation(P, x, h)
        if fed is not None:
            z = z + fed[0] @ P["W_yh"].T
        # a notation whose letters readers swap (SLP3's U, W) names each matrix's role once
        role = ctx.notation.gate_words.get("z", "") if t == ctx.first else ""
        z = work.q(S("z", t), z, t=t, phase="forward", eq=eq, sub=sub, args=args,
                   note=fed[2] if fed is not None else role)
        name = hsym or hidden
        h_new = work.q(S("h", t), act(z), t=t, phase="forward", tags=(STATE, htag),
                       eq=f"{name}({S('z', t)})", sub=f"{name}({{}})", args=(z,))
        return {"h": h_new}, {"x": x, "h_prev": h, "z": z, "h": h_new, "hidden": hidden,
                              "y_prev": fed[0] if fed is not None else None}

    def step_back(self, P, cache, d, t, ctx: Ctx, grads):
        hidden = cache["hidden"]
        act, _, hsym, _ = ACTIVATIONS[hidden]
        name = hsym or hidden
        S, work, dE = ctx.S, ctx.work, ctx.dE
        z, x, h_prev = cache["z"], cache["x"], cache["h_prev"]
        dh = ctx.total(f"{dE}{S('h', t)}", d["h"], t)
        eq, sub = DERIVATIVE_FORMULA[hidden]
        slope = work.q(f"{name}'({S('z', t)})", self.slope(z, cache, ctx), t=t,
                       phase="backward", eq=eq.replace("z", S("z", t)), sub=sub,
                       args=(act(z),) * sub.count("{}"), note=DERIVATIVE_NOTE.get(hidden, ""))
        dz = work.q(f"{dE}{S('z', t)}", dh * slope, t=t, phase="backward",
                    eq=f"{dE}{S('h', t)}·{name}'({S('z', t)})", sub="{}·{}", args=(dh, slope))
        grads["W_xh"] += outer_sum(dz, x)
        grads["W_hh"] += outer_sum(dz, h_prev)
        grads["b_h"] += batch_sum(dz)
        name = ctx.notation.file_names.get("W_hh", "W_hh")
        note = f"from the output at step {t - 1} + carried back from {S('z', t)}"
        if ctx.notation.layout == "row":            # d2l, CS231n, Keras: dE/dz_t W_hhᵀ
            back = Term(dz @ P["W_hh"], f"{dE}{S('z', t)}·{name}ᵀ", "{}·{}", (dz, P["W_hh"]),
                        note=note)
        elif np.ndim(dz) == 2 and ctx.notation.name in ROWS_OF_EXAMPLES:   # dE/dz_t·W_hh
            back = Term(dz @ P["W_hh"], f"{dE}{S('z', t)}·{name}", "{}·{}", (dz, P["W_hh"]),
                        note=note)
        else:
            back = Term(dz @ P["W_hh"], f"{name}·{dE}{S('z', t)}", "{}·{}", (P["W_hh"].T, dz),
                        note=note)
        return {"h": [back]}, dz @ P["W_xh"], {"h": dh, "z": dz}

    def jacobian(self, P, cache):
        """dh_t/dh_{t-1} = diag(hidden'(z_t)) W_hh (with the own output fed back, W_hh +
        W_yh diag(output'(u_{t-1})) W_hy: the runner keeps that as cache["W_rec"])."""
        return rnn_state(ACTIVATIONS[cache["hidden"]][1](cache["z"]),
                         cache.get("W_rec", P["W_hh"]))

    # ------------------------------------------------------------ vectorised

    def scan(self, P, X, init, hidden="logistic", feed=None, **_):
        """z_t = W_xh x_t + W_hh h_{t-1} + b_h (+ W_yh y_{t-1} with `feed`: the output fed
        back, cells/feedback.py; feed = (y_init, next(h_t, y_{t-1} as fed) -> y_t as fed),
        and fwd["fed"] holds each step's y_{t-1})."""
        act = ACTIVATIONS[hidden][0]
        W_hh = P["W_hh"]
        A = X @ P["W_xh"].T + P["b_h"]                 # every input projection at once
        Z, H = np.empty(A.shape), np.empty(A.shape)
        h = init["h"].copy()
        if feed is not None:
            f, fed_next = feed
            W_yT, F = P["W_yh"].T.copy(), np.empty((len(X), *np.shape(f)))
        if A.ndim == 2 and A.shape[1] == 1 and hidden in _SCALAR and feed is None:
            # one unit: the recurrence on Python floats, where numpy's per-call cost dominates
            f, w, hv, a = _SCALAR[hidden], float(W_hh[0, 0]), float(h[0]), A[:, 0].tolist()
            zs, hs = [0.0] * len(a), [0.0] * len(a)
            for t, at in enumerate(a):
                z = at + w * hv
                hv = f(z)
                zs[t], hs[t] = z, hv
            Z[:, 0], H[:, 0] = zs, hs
        else:
            W_T = W_hh.T.copy()
            for t in range(len(X)):
                z = A[t] + h @ W_T
                if feed is not None:
                    F[t] = f
                    z = z + f @ W_yT
                h = act(z)
                if feed is not None:
                    f = fed_next(h, f)
                Z[t], H[t] = z, h
        return {"z": Z, "h": H} if feed is None else {"z": Z, "h": H, "fed": F}

    def scan_back(self, P, X, init, fwd, DH, hidden="logistic", from_output=None, **_):
        """BPTT over the scan; `from_output(t, dE/dz_{t+1})` gives the output's share of
        dE/dh_t where it depends on step t+1 (the own output fed back: cells/feedback.py)."""
        Z, H = fwd["z"], fwd["h"]
        W_hh = P["W_hh"]
        Sl = ACTIVATIONS[hidden][1](Z)                 # hidden'(z_t), all steps
        DZ, DHs = np.empty_like(Z), np.empty_like(Z)
        T = len(X)
        if Z.ndim == 2 and Z.shape[1] == 1 and from_output is None:
            w, s, o = float(W_hh[0, 0]), Sl[:, 0].tolist(), DH[:, 0].tolist()
            dz_l, dh_l = [0.0] * T, [0.0] * T
            d = 0.0
            for t in range(T - 1, -1, -1):
                dh = o[t] + w * d
                d = dh * s[t]
                dz_l[t], dh_l[t] = d, dh
            DZ[:, 0], DHs[:, 0] = dz_l, dh_l
        else:
            d = np.zeros_like(init["h"])
            for t in range(T - 1, -1, -1):
                dh = (DH[t] if from_output is None else from_output(t, d)) + d @ W_hh
                d = dh * Sl[t]
                DZ[t], DHs[t] = d, dh
        H_prev = np.concatenate([init["h"][None], H[:-1]])
        grads = {"W_xh": outer_sum(DZ, X), "W_hh": outer_sum(DZ, H_prev), "b_h": batch_sum(DZ)}
        return {"dE/dh": DHs, "dE/dz": DZ, "grads": grads, "dE/dx": DZ @ P["W_xh"],
                "init": {"h": DZ[0] @ W_hh}}


# Said under the derivative where it is not what the student expects.
DERIVATIVE_NOTE = {"step": "a threshold unit's derivative is taken as 0: no gradient flows "
                           "through it"}

_SCALAR = {
    "logistic": lambda z: 1.0 / (1.0 + math.exp(-z)) if z >= 0 else
    math.exp(z) / (1.0 + math.exp(z)),
    "tanh": math.tanh,
    "relu": lambda z: z if z > 0 else 0.0,
    "linear": lambda z: z,
}

CELL = SimpleRNN()


def use_given(P, h_init, caches: list, ys: list | None, given: dict, ctx: Ctx) -> None:
    """Put the exercise's stated h_t and y_t in place of the computed ones (SPEC 1.1).

    z_t is recomputed from the given h_{t-1}, so that hidden'(z_t) is taken there; the
    working shows each given value beside the exact one.
    """
    work, S = ctx.work, ctx.S
    h_prev = h_init
    for i, cache in enumerate(caches):
        t = i + ctx.first
        if "h" in given:
            x = cache["x"]
            eq, sub, args = ctx.notation.pre("z", ctx.params, None, h_prev, x, t, None,
                                             ctx.convention)
            cache["z"] = work.q(S("z", t), pre_activation(P, x, h_prev),
                                t=t, phase="given", eq=eq, sub=sub, args=args,
                                note=f"recomputed from the given {S('h', t - 1)}" if t != ctx.first else
                                "recomputed")
            work.given(S("h", t), given["h"][i], cache["h"], t=t)
            cache["h_prev"], cache["h"] = h_prev, given["h"][i]
            h_prev = given["h"][i]
        if "y" in given:
            work.given(f"y_{t}", given["y"][i], ys[i], t=t)
            ys[i] = given["y"][i]
