"""Penalties on the states added to the loss (SPEC 1.15, 1.17), after its reduction:

    AR  = α·mean(h_t²)                      (fast.ai, AWD-LSTM: activation regularization)
    TAR = β·mean((h_t - h_{t-1})²)          (temporal AR, over consecutive computed states)
    penalty = AR + TAR                      E = loss + penalty (+ λΩ)

The means run over every element of the top layer's states (every step, example and unit: n
of them for AR; m = n·(T-1)/T for TAR, whose pairs never reach back to the initial state).
Their gradient joins dE/dh_t from the output:

    dP/dh_t = 2α/n·h_t + 2β/m·((h_t - h_{t-1})·[t has a previous step] - (h_{t+1} - h_t)·[t+1 exists])

Pascanu's information-flow regulariser (Goodfellow eq. 10.52), over the steps with a
previous computed state, with g_t = dE/dh_t (the loss's and the penalty's, from BPTT):

    Ω = Σ_t (‖g_t ∂h_t/∂h_{t-1}‖ / ‖g_t‖ - 1)²       λΩ joins E; its gradient is not asked
"""

from __future__ import annotations

import numpy as np

from .base import Term


def penalty(work, H: np.ndarray, reg: dict, S, first: int, h_init=None) -> float:
    """AR + TAR of the states H (T[, N], n), each written with its numbers; `h_init` only
    where the slip of counting the initial state in TAR is committed (teaching/slips.py)."""
    H = np.asarray(H, dtype=float)
    slip = h_init is not None and "tar_from_initial" in getattr(work, "variants", ())
    parts = []
    hs = f"{S('h', first)} … {S('h', first + len(H) - 1)}"
    if reg.get("ar") is not None:
        a, n, sq = reg["ar"], H.size, float(np.sum(H ** 2))
        parts.append(work.q("AR", a * sq / n, phase="loss", eq="α·mean(h_t²) = α·Σ h²/n",
                        sub="{}·{}/{}", args=(a, sq, n),
                        note=f"activation regularization over every element of {hs}"))
    if reg.get("tar") is not None:
        b = reg["tar"]
        if len(H) < 2 and not slip:
            parts.append(work.note("TAR", 0.0, phase="loss", eq="β·mean((h_t - h_{t-1})²)",
                                   note="one step: no pair of computed states, TAR is 0"))
        else:
            Hs = np.concatenate([np.broadcast_to(h_init, H[0].shape)[None], H]) if slip else H
            D = Hs[1:] - Hs[:-1]
            m, sq = D.size, float(np.sum(D ** 2))
            parts.append(work.q("TAR", b * sq / m, phase="loss",
                            eq="β·mean((h_t - h_{t-1})²) = β·Σ (h_t - h_{t-1})²/m",
                            sub="{}·{}/{}", args=(b, sq, m),
                            note=f"temporal AR over the {len(D)} pair{'s' if len(D) > 1 else ''} of "
                                 "consecutive computed states (the initial state is not one)"))
    return work.note("penalty", float(sum(parts)), phase="loss",
                     eq=" + ".join(k for k in ("AR", "TAR") if reg.get(k.lower()) is not None),
                     sub=" + ".join("{}" for _ in parts) if len(parts) > 1 else "",
                     args=tuple(parts) if len(parts) > 1 else ())


def gradient(H: np.ndarray, reg: dict) -> np.ndarray:
    """dP/dh_t at every step, (T[, N], n)."""
    H = np.asarray(H, dtype=float)
    G = np.zeros_like(H)
    if reg.get("ar") is not None:
        G += 2 * reg["ar"] / H.size * H
    if reg.get("tar") is not None and len(H) > 1:
        D = H[1:] - H[:-1]
        c = 2 * reg["tar"] / D.size
        G[1:] += c * D
        G[:-1] -= c * D
    return G


def penalized(p, caches: list, ctx, out_term, init: dict | None = None):
    """(out_term with dP/dh_t added to it, the penalty): the penalty written in the loss phase,
    each step's dP/dh_t where the backward pass reaches it."""
    reg = {k: v for k, v in p.regularization.items() if k in ("ar", "tar")}
    if not reg:
        return out_term, None
    H = np.array([c["h"] for c in caches], dtype=float)
    pen = penalty(ctx.work, H, reg, ctx.S, ctx.first, (init or {}).get("h"))
    G = gradient(H, reg)

    def term(i, t):
        base = out_term(i, t)
        d = _row(ctx.work, ctx.S, H, G, i, t, reg, "the penalty's gradient joins the output's")
        return Term(base.value + d, f"{base.eq} + dP/d{ctx.S('h', t)}", f"{base.sub} + {{}}",
                    (*(base.args or (base.value,)), d), base.note)
    return term, pen


def _row(work, S, H, G, i: int, t: int, reg: dict, note: str):
    """dP/dh_t, written with its numbers: 2α/n·h_t + 2β/m·(h_t - h_{t-1}) - 2β/m·(h_{t+1} - h_t)."""
    T, eq, sub, args = len(H), [], [], []
    if reg.get("ar") is not None:
        eq.append(f"2α/n·{S('h', t)}")
        sub.append("2·{}/{}·{}")
        args += [reg["ar"], H.size, H[i]]
    if reg.get("tar") is not None and T > 1:
        m = H[1:].size
        if i > 0:
            eq.append(f"2β/m·({S('h', t)} - {S('h', t - 1)})")
            sub.append("2·{}/{}·({} - {})")
            args += [reg["tar"], m, H[i], H[i - 1]]
        if i + 1 < T:
            eq.append(f"- 2β/m·({S('h', t + 1)} - {S('h', t)})")
            sub.append("- 2·{}/{}·({} - {})")
            args += [reg["tar"], m, H[i + 1], H[i]]
    return work.q(f"dP/d{S('h', t)}", G[i], t=t, phase="backward",
                  eq=" + ".join(eq).replace("+ -", "-"), sub=" + ".join(sub).replace("+ -", "-"),
                  args=tuple(args), note=note)


def scanned(p, H, DH) -> tuple[np.ndarray, dict]:
    """The vectorised path's: (DH with dP/dh_t added, {penalty}) for the states H."""
    reg = {k: v for k, v in p.regularization.items() if k in ("ar", "tar")}
    if not reg:
        return DH, {}
    from ..trace import Work   # noqa: PLC0415 (only the penalty of given states)
    pen = penalty(Work(record=False), H, reg, lambda q, t: q, p.first)
    return np.asarray(DH, dtype=float) + gradient(H, reg), {"penalty": pen}


def on_top(p, D, H, work) -> np.ndarray:
    """A stack's: what reaches the top layer's states (real step order, both directions
    concatenated) gains dP/dh_t; the penalty is written once, with the working."""
    reg = {k: v for k, v in p.regularization.items() if k in ("ar", "tar")}
    if not reg:
        return D
    H = np.asarray(H, dtype=float)
    G = gradient(H, reg)
    if work is not None:
        from ..notations import subscript   # noqa: PLC0415 (only a stack's marks)

        def S(q, t):
            return subscript(f"{q}^(top)", t)
        penalty(work, H, reg, S, p.first)
        for i in range(len(H)):
            _row(work, S, H, G, i, i + p.first, reg,
                 "the penalty's gradient joins what reaches the top layer's state")
    return np.asarray(D, dtype=float) + G


def top_states(p, values: dict) -> np.ndarray | None:
    """A stack's top layer's states, both directions concatenated (real step order)."""
    layers = values.get("_layers")
    if not layers or p.stack is None:
        return None
    top = len(p.stack.layers)
    return np.concatenate([np.asarray(layers[(top, d)], dtype=float)
                           for d in p.stack.directions], axis=-1)


def omega(p, fp, dE_dh: list, ctx) -> float:
    """Ω = Σ_t (‖g_t J_t‖/‖g_t‖ - 1)², J_t = ∂h_t/∂h_{t-1}, over the steps after the first."""
    work, S, dE = ctx.work, ctx.S, ctx.dE
    total, used, skipped = 0.0, [], []
    for i in range(1, len(fp.caches)):
        t = i + ctx.first
        g = np.asarray(dE_dh[i], dtype=float).reshape(-1)
        J = np.atleast_2d(fp.cell.jacobian(fp.P, fp.caches[i]))
        gn = float(np.linalg.norm(g))
        if gn == 0:
            skipped.append(t)
            work.note(f"Ω_{t}", "left out", t=t, phase="omega",
                      note=f"‖{dE}{S('h', t)}‖ = 0: the ratio is undefined, the step is left out")
            continue
        v = g @ J
        vn = float(np.linalg.norm(v))
        work.q(f"{dE}{S('h', t)}·∂{S('h', t)}/∂{S('h', t - 1)}", v, t=t, phase="omega",
               eq=f"{dE}{S('h', t)}·J_{t}", sub="{}·{}", args=(g, J),
               note="J_t = ∂h_t/∂h_{t-1}, element (i, j) = ∂h_t,i/∂h_{t-1},j")
        term = work.q(f"Ω_{t}", (vn / gn - 1) ** 2, t=t, phase="omega",
                      eq=f"(‖{dE}{S('h', t)}·J_{t}‖ / ‖{dE}{S('h', t)}‖ - 1)²",
                      sub="({}/{} - 1)²", args=(vn, gn))
        total += float(term)
        used.append(f"Ω_{t}")
    note = "Pascanu's information-flow regularizer (Goodfellow eq. 10.52), over the steps " \
           "with a previous computed state"
    if skipped:
        note += f"; left out (‖{dE}h_t‖ = 0): " + ", ".join(f"t = {t}" for t in skipped)
    return work.note("Ω", total, phase="omega", eq=" + ".join(used) or "0", note=note)


def add_to_E(p, values: dict, work) -> None:
    """E = loss + penalty + λΩ, after the loss's reduction (and after the perplexity, which is
    the loss's alone)."""
    if "E" not in values or values["E"] is None:
        return
    if "penalty" not in values and top_states(p, values) is not None:     # a stack's
        reg = {k: v for k, v in p.regularization.items() if k in ("ar", "tar")}
        if reg:
            values["penalty"] = penalty(type(work)(record=False), top_states(p, values), reg,
                                        lambda q, t: q, p.first)
    loss = float(values["E"])
    for step in work.steps:         # the loss's own line reads as the loss, E is the total
        if step.symbol == "E" and step.phase == "loss":
            step.symbol = "loss"
    parts, eq, args = [loss], ["loss"], [loss]
    if values.get("penalty") is not None:
        parts.append(float(values["penalty"]))
        eq.append("penalty")
        args.append(values["penalty"])
    lam = p.regularization.get("information_flow")
    if lam is not None:
        parts.append(lam * float(values["omega"]))
        eq.append("λ·Ω")
        args += [lam, values["omega"]]
    sub = " + ".join(["{}"] * (len(eq) - (lam is not None)) + (["{}·{}"] if lam is not None else []))
    values["loss"] = loss
    values["E"] = work.note("E", float(sum(parts)), phase="loss", eq=" + ".join(eq), sub=sub,
                            args=tuple(args), note="the penalties join E after the loss's "
                                                   "reduction" + (
                                                       "; the gradients shown are without λΩ's "
                                                       "(not asked)" if lam is not None else ""))


def given_penalty(p, work) -> dict:
    """The penalty of the states the exercise gives (no network, no inputs)."""
    from ..notations import subscript   # noqa: PLC0415 (only a stack's marks)
    H = p.given["h"]
    return {"penalty": penalty(work, H, p.regularization, subscript, 0)}
