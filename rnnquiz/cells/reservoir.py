"""An echo state network run step by step (the equations are in rnnquiz/notations/esn.py):
W rescaled to the spectral radius asked, the leaky reservoir states, and the read-out, given
or fitted by ridge regression.

    W_scaled = (ρ/ρ(W))·W                     ρ(W) = max_i |λ_i(W)|
    x̃(n) = tanh(W_in·[1; u(n)] + W·x(n-1))   x(n) = (1 - α)·x(n-1) + α·x̃(n)
    X = [1; u(n); x(n)] and Y = y_target(n) as columns, n = k+1 ... T
    W_out = Y·Xᵀ·(X·Xᵀ + β·I)⁻¹  (solved: W_out·(X·Xᵀ + β·I) = Y·Xᵀ)
    y(n) = W_out·[1; u(n); x(n)]               at every step, the washout's too

No gradients: the reservoir is driven, never trained, and the read-out is a least-squares fit.
"""

from __future__ import annotations

import numpy as np

from ..errors import ProblemError
from ..trace.rounding import STATE, TANH

SHOWN_COLUMNS = 12      # X and Y are written out up to this many steps of the fit
LEAK_SWAPPED = "leak_swapped"            # the slips committed here (types/forward.py)
NO_BIAS_ROW = "ridge_without_bias_row"


def solve(p, work) -> tuple[dict, tuple, str]:
    """(values, per-step quantities, default quantity), every step recorded in `work`."""
    d, net = p.detail, p.network
    W, Wsym, values = net["W"], "W", {}
    if d.spectral_radius is not None:
        W = rescale(W, d.spectral_radius, work)
        Wsym = "W_scaled"       # a matrix, or a number where W is written as one
        values["W_scaled"] = W.tolist() if net.vector or W.size > 1 else float(W[0, 0])
    given = net["W_out"] if net.has_output and d.fit is None else None
    xs, cols, ys = run(p, net["W_in"], W, Wsym, d.leaking_rate, work, given)
    values["x"] = xs
    if d.fit is not None:
        W_out = ridge(p, d.fit, cols, work)
        ys = [read_out(p, W_out, col, n, "read-out", work) for n, col in enumerate(cols, 1)]
    elif given is None:
        return values, ("x",), "x"
    values["y"] = ys
    values["W_out"] = np.atleast_2d(W_out if d.fit is not None else given).tolist()
    return values, ("x", "y"), "y"


def read_out(p, W_out, col, n: int, phase: str, work):
    S = p.network.notation.sub
    return work.q(S("y", n), W_out @ col, t=n, phase=phase,
                  eq=f"W_out·[1; {S('u', n)}; {S('x', n)}]", sub="{}·{}", args=(W_out, col))


def rescale(W: np.ndarray, rho: float, work) -> np.ndarray:
    """W·ρ/ρ(W), with the eigenvalues' moduli and the factor in the working."""
    lam = np.linalg.eigvals(W)
    order = np.argsort(-np.abs(lam), kind="stable")
    moduli = work.q("|λ_i(W)|", np.abs(lam)[order], phase="spectral radius",
                    eq="the moduli of W's eigenvalues, largest first",
                    note="λ(W) = " + ", ".join(_complex(v) for v in lam[order]))
    radius = work.q("ρ(W)", float(np.max(moduli)), phase="spectral radius",
                    eq="max_i |λ_i(W)|", sub="max({})", args=(moduli,))
    factor = work.q("ρ/ρ(W)", rho / radius, phase="spectral radius", eq="ρ/ρ(W)",
                    sub="{}/{}", args=(rho, radius),
                    note=f"the factor that gives W the spectral radius ρ = {rho:g}")
    return work.q("W_scaled", factor * W, phase="spectral radius", eq="(ρ/ρ(W))·W",
                  sub="{}·{}", args=(factor, W))


def _complex(v: complex) -> str:
    re_, im = float(np.real(v)), float(np.imag(v))
    if abs(im) <= 1e-15 * max(1.0, abs(re_)):
        return f"{re_:.6g}"
    return f"{re_:.6g} {'+' if im > 0 else '-'} {abs(im):.6g}i"


def run(p, W_in, W, Wsym: str, alpha: float, work, W_out=None) -> tuple[list, list, list]:
    """The states x(1) ... x(T), the read-out's columns [1; u(n); x(n)], and with a given
    W_out the outputs y(n), each after its state."""
    S = p.network.notation.sub
    x = np.zeros(W.shape[0])
    xs, cols, ys = [], [], []
    for n, u in enumerate(p.inputs, start=1):
        one_u = np.concatenate(([1.0], u))
        pre = f"{Wsym}·{S('x', n - 1)}"
        eq = f"tanh(W_in·[1; {S('u', n)}] + {pre})"
        args = (W_in, one_u, W, x)
        note = f"{S('x', 0)} = 0" if n == 1 else ""
        if alpha == 1:
            x = work.q(S("x", n), np.tanh(W_in @ one_u + W @ x), t=n, phase="forward", eq=eq,
                       sub="tanh({}·{} + {}·{})", args=args, tags=(STATE, TANH), note=note)
        else:
            xt = work.q(S("x̃", n), np.tanh(W_in @ one_u + W @ x), t=n, phase="forward",
                        eq=eq, sub="tanh({}·{} + {}·{})", args=args, tags=(TANH,), note=note)
            keep, take = ((alpha, 1 - alpha) if LEAK_SWAPPED in work.variants
                          else (1 - alpha, alpha))
            x = work.q(S("x", n), keep * x + take * xt, t=n, phase="forward", tags=(STATE,),
                       eq=f"(1 - α)·{S('x', n - 1)} + α·{S('x̃', n)}",
                       sub="(1 - {})·{} + {}·{}", args=(alpha, x, alpha, xt))
        xs.append(x)
        cols.append(np.concatenate((one_u, x)))
        if W_out is not None:
            ys.append(read_out(p, W_out, cols[-1], n, "forward", work))
    return xs, cols, ys


def ridge(p, fit, cols: list, work) -> np.ndarray:
    """W_out = Y·Xᵀ·(X·Xᵀ + β·I)⁻¹ over the steps after the washout, by a linear solve."""
    k, T, beta = fit.washout, len(cols), fit.beta
    X = np.array(cols[k:]).T                     # (1 + N_u + N_x, T - k)
    if NO_BIAS_ROW in work.variants:             # the slip: no constant 1 in X
        X = X[1:]
    Y = fit.targets[k:].T                        # (N_y, T - k)
    steps = f"n = {k + 1} … {T}" + (f" (the first {k} washed out)" if k else "")
    shown = X.shape[1] <= SHOWN_COLUMNS
    if shown:
        X = work.q("X", X, phase="read-out fit", eq=f"columns [1; u(n); x(n)], {steps}")
        Y = work.q("Y", Y, phase="read-out fit", eq=f"columns y_target(n), {steps}")
    wide = () if shown else ("X and Y have one column a step of the fit, "
                             f"{X.shape[1]:,} of them: not written out",)
    A = work.q("X·Xᵀ + β·I", X @ X.T + beta * np.eye(len(X)), phase="read-out fit",
               sub="{}·{}ᵀ + {}·I" if shown else "", args=(X, X, beta) if shown else (),
               note=wide[0] if wide else "")
    B = work.q("Y·Xᵀ", Y @ X.T, phase="read-out fit", sub="{}·{}ᵀ" if shown else "",
               args=(Y, X) if shown else ())
    try:
        W_out = np.linalg.solve(A, B.T).T        # A is symmetric: W_out·A = B
    except np.linalg.LinAlgError:
        raise ProblemError("X·Xᵀ + β·I is singular (some combination of [1; u(n); x(n)] is "
                           "the same at every step of the fit): give beta > 0",
                           keys=("readout_fit", "beta"), file=p.file) from None
    if NO_BIAS_ROW in work.variants:
        W_out = np.hstack([np.zeros((len(W_out), 1)), W_out])
    return work.q("W_out", W_out, phase="read-out fit", eq="Y·Xᵀ·(X·Xᵀ + β·I)⁻¹",
                  sub="solve({}, ({})ᵀ)ᵀ", args=(A, B),
                  note="W_out·(X·Xᵀ + β·I) = Y·Xᵀ solved for W_out (numpy.linalg.solve), "
                       "not by inverting")
