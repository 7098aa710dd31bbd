"""The working of the CTC forward-backward pass: α, β, γ entry by entry with each sum
substituted (up to `ENTRIES` entries a table; beyond, one row a frame), p(z|x), the loss and
the gradients. The equations are those of tables.py, in the problem's notation."""

from __future__ import annotations

from typing import Any

import numpy as np

from . import tables

ENTRIES = 300        # up to T·U' entries a table is written entry by entry; beyond, a row a frame
LONG, HEAD, TAIL = 200, 3, 2     # longer inputs show their first HEAD and last TAIL frames


def shown(t: int, T: int) -> bool:
    return T <= LONG or t < HEAD or t >= T - TAIL


def gap(w, T: int, phase: str) -> None:
    if T > LONG:
        w.note("…", f"{T - HEAD - TAIL:,} frames", phase=phase,
               note=f"T = {T:,}: frames beyond the first {HEAD} and the last {TAIL} are not "
                    "shown; every value is in the answer")


def rows(d, w, symbol: str, table: np.ndarray, eq: str, phase: str, note=""):
    for t in range(len(table)):
        if shown(t, len(table)):
            w.note(f"{symbol}_{t + d.first}", table[t], t=t + d.first, eq=eq, phase=phase,
                   note=note)
        elif t == HEAD:
            gap(w, len(table), phase)


def write_tables(d, ctc, w) -> dict[str, Any]:
    f, T, S = d.first, ctc.T, len(ctc.extended)
    ext = [d.columns[k] for k in ctc.extended]
    cmu = d.notation == "cmu11785"
    w.note("l'", d.text(ctc.extended), eq="the target with a blank around each symbol",
           phase="extended", note=f"U' = 2U + 1 = {S}")
    w.note("skip_connect", ctc.skip.astype(int), phase="extended",
           note="1 where α_t(s) may come from α_{t-1}(s-2): a symbol unlike the one two back")
    alpha, beta_g, beta_h = ctc.alpha(), ctc.beta(True), ctc.beta(False)
    beta = beta_h if cmu else beta_g
    ys = ctc.y[:, ctc.extended]
    small = T * S <= ENTRIES
    if small:
        _alpha_entries(w, f, ext, ctc, alpha, ys)
        _beta_entries(w, f, ext, ctc, beta, ys, cmu)
    else:
        a_log, b_log = ctc.underflows(ctc.log_alpha), ctc.underflows(log_b := (
            ctc.log_beta_hat if cmu else ctc.log_beta))
        low = "; below float64's range: its natural log"
        rows(d, w, "ln α" if a_log else "α", ctc.log_alpha if a_log else alpha,
             "(α_{t-1}(s) + α_{t-1}(s-1) [+ α_{t-1}(s-2)])·y_t(l'_s)", "forward",
             note="one entry per position s of l'" + (low if a_log else ""))
        eq = ("β_{t+1}(s) y_{t+1}(l'_s) + β_{t+1}(s+1) y_{t+1}(l'_{s+1}) [+ ...]" if cmu else
              "(β_{t+1}(s) + β_{t+1}(s+1) [+ β_{t+1}(s+2)])·y_t(l'_s)")
        rows(d, w, "ln β" if b_log else "β", log_b if b_log else beta, eq, "backward",
             note=low[2:] if b_log else "")
    last = f"α_{T - 1 + f}({S - 1 + f})" + (f" + α_{T - 1 + f}({S - 2 + f})" if S > 1 else "")
    tail = tuple(float(a) for a in alpha[-1, -min(S, 2):][::-1])
    w.note("p(z|x)", ctc.p, eq=last, sub=" + ".join(["{}"] * len(tail)), args=tail,
           phase="probability", note="every alignment ends in the last blank or the last symbol"
           + ("; computed in log space (the scaled α would underflow)" if ctc.space == "log"
              else ""))
    if ctc.p < np.finfo(float).tiny:
        w.note("ln p(z|x)", ctc.log_p, phase="probability",
               note="p(z|x) itself is below float64's range; its logarithm, from the recursion")
    gamma = ctc.gamma
    if small:
        _gamma_entries(w, f, ext, alpha, beta, ys, ctc.p, gamma, cmu)
    else:
        rows(d, w, "γ", gamma, "α_t(s) β_t(s) / p(z|x)" if cmu else
              "α_t(s) β_t(s) / (y_t(l'_s) p(z|x))", "posterior", note="each row sums to 1")
    U = len(ctc.extended) // 2
    n = tables.divisor(d.reduction, U)
    E = tables.loss(ctc, d.loss, d.reduction)
    if d.loss == "nll":
        w.note("E", E, eq="-ln p(z|x)" + (" / U" if n > 1 else ""),
               sub="-ln({})" + ("/{}" if n > 1 else ""), args=(ctc.p,) + ((n,) if n > 1 else ()),
               phase="loss", note="reduction mean: divided by the target's length" if n > 1
               else "")
    else:
        w.note("E", E, eq="-Σ_t Σ_s γ_t(s) ln y_t(l'_s)" + (" / U" if n > 1 else ""),
               sub=f"the sum of the {T * S:,} terms", phase="loss",
               note="CMU 11-785's expected divergence")
    dy, du = tables.gradients(ctc, d.reduction)
    if T * len(d.columns) <= ENTRIES:
        _gradient_entries(w, d, ctc, gamma, dy, du, n)
    else:
        rows(d, w, "dE/dy", dy, "-Σ_{s: l'_s = k} γ_t(s) / y_t(k)", "gradient")
        rows(d, w, "dE/du", du, "y_t(k) - Σ_{s: l'_s = k} γ_t(s)", "gradient")
    values: dict[str, Any] = {
        "extended": d.text(ctc.extended), "skip_connect": ctc.skip.astype(int).tolist(),
        "gamma": gamma, "probability": ctc.p, "loss": E, "dE/dy": dy, "dE/du": du,
        "log_alpha": ctc.log_alpha, "log_beta": ctc.log_beta_hat if cmu else ctc.log_beta}
    under = tuple(name for name, log in (("alpha", ctc.log_alpha), ("beta", values["log_beta"]))
                  if ctc.underflows(log))
    if under:
        values["_underflow"] = under        # asking for these is an error (SPEC 1.12)
    values["_log_space"] = _log_space(ctc, under)
    if "alpha" not in under:
        values["alpha"] = alpha
    if "beta" not in under:
        values["beta"] = beta
    return values


def _terms(names, vals, times):
    eq = " + ".join(names)
    sub = " + ".join(["{}"] * len(vals))
    if len(vals) > 1 and times:
        eq, sub = f"({eq})", f"({sub})"
    return eq, sub


def _alpha_entries(w, f, ext, ctc, alpha, ys):
    T, S = alpha.shape
    for t in range(T):
        for i in range(S):
            y = float(ys[t, i])
            yname = f"y_{t + f}({ext[i]})"
            if t == 0:
                if i < 2:
                    w.note(f"α_{f}({i + f})", alpha[0, i], t=f, eq=yname, sub="{}", args=(y,),
                           phase="forward", note="a path starts with the blank or the first "
                                                 "symbol" if i == 0 else "")
                continue
            src = [j for j in (i, i - 1, i - 2) if j >= 0 and (j > i - 2 or ctc.skip[i])]
            vals = tuple(float(alpha[t - 1, j]) for j in src)
            if not any(vals):
                continue
            eq, sub = _terms([f"α_{t - 1 + f}({j + f})" for j in src], vals, True)
            w.note(f"α_{t + f}({i + f})", alpha[t, i], t=t + f, eq=f"{eq}·{yname}",
                   sub=f"{sub}·{{}}", args=vals + (y,), phase="forward")


def _beta_entries(w, f, ext, ctc, beta, ys, cmu):
    T, S = beta.shape
    ahead = np.zeros(S + 2, dtype=bool)
    ahead[:S] = ctc.skip
    for t in range(T - 1, -1, -1):
        for i in range(S - 1, -1, -1):
            yname = f"y_{t + f}({ext[i]})"
            if t == T - 1:
                if i >= S - 2:
                    w.note(f"β_{t + f}({i + f})", beta[t, i], t=t + f, eq="1" if cmu else yname,
                           sub="" if cmu else "{}", args=() if cmu else (float(ys[t, i]),),
                           phase="backward", note="a path ends with the last blank or symbol"
                           if i == S - 1 else "")
                continue
            dst = [j for j in (i, i + 1, i + 2) if j < S and (j < i + 2 or ahead[j])]
            vals = tuple(float(beta[t + 1, j]) for j in dst)
            if not any(vals):
                continue
            if cmu:
                names = [f"β_{t + 1 + f}({j + f}) y_{t + 1 + f}({ext[j]})" for j in dst]
                args = tuple(x for j, v in zip(dst, vals) for x in (v, float(ys[t + 1, j])))
                w.note(f"β_{t + f}({i + f})", beta[t, i], t=t + f, eq=" + ".join(names),
                       sub=" + ".join(["{}·{}"] * len(dst)), args=args, phase="backward")
            else:
                eq, sub = _terms([f"β_{t + 1 + f}({j + f})" for j in dst], vals, True)
                w.note(f"β_{t + f}({i + f})", beta[t, i], t=t + f, eq=f"{eq}·{yname}",
                       sub=f"{sub}·{{}}", args=vals + (float(ys[t, i]),), phase="backward")


def _gamma_entries(w, f, ext, alpha, beta, ys, p, gamma, cmu):
    T, S = gamma.shape
    for t in range(T):
        for i in range(S):
            if alpha[t, i] == 0 or beta[t, i] == 0:
                continue
            a, b, y = float(alpha[t, i]), float(beta[t, i]), float(ys[t, i])
            names = f"α_{t + f}({i + f}) β_{t + f}({i + f})"
            if cmu:
                eq, sub, args = f"{names} / p(z|x)", "{}·{}/{}", (a, b, p)
            else:
                eq, sub, args = (f"{names} / (y_{t + f}({ext[i]}) p(z|x))", "{}·{}/({}·{})",
                                 (a, b, y, p))
            w.note(f"γ_{t + f}({i + f})", gamma[t, i], t=t + f, eq=eq, sub=sub, args=args,
                   phase="posterior")


def _gradient_entries(w, d, ctc, gamma, dy, du, n):
    f = d.first
    per = " / U" if n > 1 else ""
    slots = {k: [i for i, e in enumerate(ctc.extended) if e == k] for k in range(len(d.columns))}
    for t in range(ctc.T):
        for k, name in enumerate(d.columns):
            g = tuple(float(gamma[t, i]) for i in slots[k])
            y = float(ctc.y[t, k])
            if not g:
                w.note(f"dE/dy_{t + f}({name})", dy[t, k], t=t + f, eq="0", phase="gradient",
                       note=f"{name} is not in l'")
                w.note(f"dE/du_{t + f}({name})", du[t, k], t=t + f, eq=f"y_{t + f}({name})" + per,
                       sub="{}" + ("/{}" if n > 1 else ""), args=(y,) + ((n,) if n > 1 else ()),
                       phase="gradient")
                continue
            gs = " + ".join(f"γ_{t + f}({i + f})" for i in slots[k])
            sg = " + ".join(["{}"] * len(g))
            if len(g) > 1:
                gs, sg = f"({gs})", f"({sg})"
            tail = ("/{}" if n > 1 else "", (n,) if n > 1 else ())
            w.note(f"dE/dy_{t + f}({name})", dy[t, k], t=t + f,
                   eq=f"-{gs} / y_{t + f}({name}){per}", sub=f"-{sg}/{{}}{tail[0]}",
                   args=g + (y,) + tail[1], phase="gradient")
            eq, sub = f"y_{t + f}({name}) - {gs}", f"{{}} - {sg}"
            if n > 1:
                eq, sub = f"({eq}){per}", f"({sub}){tail[0]}"
            w.note(f"dE/du_{t + f}({name})", du[t, k], t=t + f, eq=eq, sub=sub,
                   args=(y,) + g + tail[1], phase="gradient")


def _log_space(ctc, under: tuple[str, ...]) -> list[str]:
    """The answer's note when the tables are logarithms, and why."""
    notes = []
    if ctc.space == "log":
        notes.append("the forward-backward ran in log space: some y_t(l'_s) is below e^-300 "
                     "(or a softmax underflowed to 0), where the scaled recursion would lose it")
    if under:
        notes.append(" and ".join(under) + " underflow float64 here (entries below 1e-308): "
                     "the working shows them in natural log, log_" + ", log_".join(under))
    return notes
