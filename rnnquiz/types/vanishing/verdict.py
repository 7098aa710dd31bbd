"""The vanishing verdict: the product of the state Jacobians over the span asked, its
rate g, and the per-step norms that bound it (the equations are in the package's docstring;
the product, kept without overflow, in product.py)."""

from __future__ import annotations

import math

import numpy as np

from ...cells import jacobians, run
from ...cells.activations import ACTIVATIONS, DERIVATIVE_FORMULA
from ...errors import ProblemError
from .. import Outcome
from .product import Product, e_to, log_norm, norm2

# Jacobians with more entries than this are not written out in the working (their norm is)
SHOWN = 100
# hidden -> (largest hidden'(z), how a TA writes it)
SLOPE_BOUND = {"logistic": (0.25, "σ'(z) = σ(z)(1 - σ(z)) ≤ 1/4"),
               "tanh": (1.0, "tanh'(z) = 1 - tanh(z)² ≤ 1"),
               "relu": (1.0, "relu'(z) is 0 or 1"),
               "linear": (1.0, "the identity: hidden'(z) = 1"),
               "step": (0.0, "the step's derivative is taken as 0"),
               "hard_sigmoid": (0.2, "hard_sigmoid'(z) ≤ 0.2")}


def step_labels(p, S) -> list[str]:
    """dz_{t+1}/dz_t for each factor, numbered as the notation numbers its steps."""
    return [f"d{S('z', t + 1)}/d{S('z', t)}" for t in range(p.first, p.first + p.T - 1)]


def rnn_factors(p, fp, work):
    """dz_{t+1}/dz_t = W_hh·diag(hidden'(z_t)) for t = 0 ... T-2, one at a time."""
    net = p.network
    zs = [c["z"] for c in fp.caches]
    hidden = net.words["hidden"]
    _, d_act, hsym, _ = ACTIVATIONS[hidden]
    hsym = hsym or hidden
    W_hh = fp.P["W_hh"]
    scalar = W_hh.size == 1
    eq, sub = DERIVATIVE_FORMULA.get(hidden, (f"{hsym}'(z)", ""))
    S = fp.ctx.S
    for i in range(p.T - 1):
        t = i + p.first           # the notation's numbering
        z_t = zs[i]
        h_t = ACTIVATIONS[hidden][0](z_t)
        slope = work.q(f"{hsym}'({S('z', t)})", d_act(z_t), t=t, phase="factor",
                       eq=eq.replace("z", S("z", t)), sub=sub,
                       args=(h_t,) * sub.count("{}"))
        W, name, why = W_hh, "W_hh", ""
        if p.feedback == "output":        # h_t reaches z_{t+1} also through the fed-back y_t
            W, name = fp.caches[i + 1]["W_rec"], f"(W_hh + W_yh·output'(u_{t})·W_hy)"
            why = f"through both paths: the state h_{t}, and the output y_{t} fed back"
        elif p.feedback:
            why = (f"the fed-back {'target' if p.feedback == 'target' else 'one-hot'} is a "
                   "constant: no gradient flows through it, only through W_hh")
        J = jacobians.rnn_pre(slope, W)
        if scalar:
            work.note(f"d{S('z', t + 1)}/d{S('z', t)}", float(J[0, 0]), t=t, phase="factor",
                      eq=f"{name}·{hsym}'({S('z', t)})", sub="{}·{}", args=(W, slope),
                      note=why)
        elif J.size <= SHOWN:
            work.note(f"d{S('z', t + 1)}/d{S('z', t)}", J, t=t, phase="factor",
                      eq=f"{name}·diag({hsym}'({S('z', t)}))", note=why or "the Jacobian")
        elif i == 0:
            work.note(f"d{S('z', t + 1)}/d{S('z', t)}", f"{J.shape[0]}×{J.shape[1]} matrix", t=t,
                      phase="factor", eq=f"{name}·diag({hsym}'({S('z', t)}))",
                      note=f"Jacobians of more than {SHOWN} entries are not written out; "
                           "their spectral norms are")
        yield J


def _span(p, jac) -> tuple[int, int]:
    """(from, to) as 0-based steps; the file writes them in its notation's numbering."""
    n_factors = len(jac) if hasattr(jac, "__len__") else p.T - 1
    first = p.first
    start = p.ask.start if p.ask.start is not None else first
    stop = p.ask.stop if p.ask.stop is not None else first + n_factors
    if not first <= start < stop <= first + n_factors:
        raise ProblemError(f"expected steps {first} <= from < to <= {first + n_factors} (the "
                           f"product runs over the factors between step from and step to), "
                           f"got from {start}, to {stop}",
                           keys=("ask", "from" if p.ask.start is not None else "to"))
    return start - first, stop - first


def _word(g: float, tol: float) -> str:
    return "neither" if abs(g - 1) <= tol else ("vanishing" if g < 1 else "exploding")


def verdict(p, work, jac, label) -> Outcome:
    """The verdict from the Jacobians J_0, J_1, ... (a list or any iterable, consumed once)."""
    start, stop = _span(p, jac)
    label = list(label)
    n = stop - start
    product = Product()
    logs, signed, running, scalar = [], [], [], None
    for t, J in enumerate(jac):
        J = np.asarray(J, dtype=np.float64)
        J = J.reshape(1, 1) if J.ndim < 2 else J
        if not np.isfinite(J).all():
            raise ProblemError(f"the factor {label[t]} overflows float64 (the forward pass "
                               "overflowed); scale the weights or inputs down", file=p.file)
        scalar = J.size == 1 if scalar is None else scalar
        logs.append(log_norm(J))
        signed.append(float(J[0, 0]) if scalar else None)
        if not scalar:
            work.note(f"‖{label[t]}‖", e_to(logs[-1]), t=t + p.first, phase="factor",
                      eq=f"‖{label[t]}‖₂", note="the spectral norm of the factor")
        if start <= t < stop:
            product.times(J)
            running.append(product.value(scalar))
            _note_product(work, t, start, label, running, signed[-1], p.first)
    if len(logs) < stop:
        raise ProblemError(f"expected {stop} factors, got {len(logs)}", keys=("ask", "to"))
    span = logs[start:stop]
    between = f"from step {start + p.first} to step {stop + p.first}"
    try:
        g_step = 0.0 if -math.inf in span else math.exp(math.fsum(span) / n)
        g = 0.0 if product.zero else math.exp(product.log / n)
    except OverflowError:
        raise ProblemError(f"g overflows float64: the factors {between} have norms beyond "
                           "1.8e308 on average; scale the weights or inputs down",
                           file=p.file) from None
    tol = p.tolerance
    word = _word(g, tol)
    if not scalar:
        work.note("g_step", g_step, phase="verdict",
                  eq=_mean(label, start, stop, "‖"),
                  note=f"the geometric mean of the per-step norms {between}: an upper "
                       f"bound of g; alone it would say {_word(g_step, tol)}")
    _bound(p, work)
    work.note("g", g, phase="verdict",
              eq=(_mean(label, start, stop, "|") if scalar
                  else f"‖{_through(label, stop - 1, start)}‖₂^(1/{n})"),
              note=(f"the geometric mean of |factors| {between}" if scalar else
                    f"the n-th root of the product's norm, {between}")
                   + f"; |g - 1| {'<=' if abs(g - 1) <= tol else '>'} tolerance {tol}: {word}")
    if not scalar and _word(g_step, tol) != word:
        work.note("why they differ", word, phase="verdict", note=_why(p, g, g_step))
    work.note("verdict", word, phase="answer", eq="g against 1 ± tolerance",
              sub="{} against 1 ± {}", args=(g, tol))
    factors = [e_to(v) for v in logs]
    return Outcome(values={"verdict": word, "g": g, "factors": factors, "product": running},
                   default="verdict",
                   extra={"factors": [f if isinstance(f, float) else None for f in factors],
                          "geometric_mean": g, "per_step_geometric_mean": g_step,
                          "tolerance": tol, "span": [start, stop]})


def _mean(label, start: int, stop: int, bar: str) -> str:
    """(|J_start| ⋯ |J_stop-1|)^(1/n), written with the factors' own names."""
    n = stop - start
    if n == 1:
        return f"{bar}{label[start]}{bar}"
    inner = f"{bar}{label[start]}{bar}{'·' if n == 2 else ' ⋯ '}{bar}{label[stop - 1]}{bar}"
    return f"({inner})^(1/{n})"


def _through(label, t: int, start: int) -> str:
    """The product J_t ⋯ J_start named as a derivative: dz_{t+1}/dz_start."""
    if t == start:
        return label[t]
    if "/" in label[t] and "/" in label[start]:
        return f"{label[t].split('/', 1)[0]}/{label[start].split('/', 1)[1]}"
    return f"{label[t]} ⋯ {label[start]}"


def _note_product(work, t, start, label, running, J_t, first: int) -> None:
    """One line of the running product J_t ⋯ J_start = d(state t+1)/d(state start)."""
    symbol = _through(label, t, start)
    scalar = J_t is not None
    if t == start:
        eq, sub, args = label[t] if scalar else f"‖{label[t]}‖₂", "", ()
    elif scalar:
        eq, sub, args = f"{label[t]}·{_through(label, t - 1, start)}", "{}·{}", (J_t, running[-2])
    else:
        eq, sub, args = f"‖{label[t]}·{_through(label, t - 1, start)}‖₂", "", ()
    work.note(f"Π {symbol}" if scalar else f"‖{symbol}‖", running[-1], t=t + first,
              phase="factor", eq=eq, sub=sub, args=args,
              note=(f"the running product: the factor by which a gradient at step "
                    f"{t + 1 + first} reaches step {start + first}") if t == start else "")


def _bound(p, work) -> None:
    """The bound a TA writes: ‖W_hh·hidden'(z)‖ <= ‖W_hh‖·max hidden'. Not when the output
    is fed back: each factor then also carries W_yh·output'(u_t)·W_hy, which W_hh does not
    bound."""
    if p.cell != "rnn" or p.feedback == "output":
        return
    hidden = p.network.words["hidden"]
    if hidden not in SLOPE_BOUND:
        return
    top, why = SLOPE_BOUND[hidden]
    W = run.canonical(p)["W_hh"]
    nW = norm2(W)
    bound = nW * top
    sym = "|W_hh|" if W.size == 1 else "‖W_hh‖"
    if hidden == "logistic":
        eq, sub, args = f"{sym}/4", "{}/4", (nW,)
    elif top == 1.0:
        eq, sub, args = sym, "", ()
    else:
        eq, sub, args = f"{sym}·{top:g}", "{}·" + f"{top:g}", (nW,)
    if hidden == "linear":
        verdict_note = f"{why}, so every factor is W_hh itself"
    else:
        verdict_note = f"{why}, so no factor exceeds {eq}" + (
            " (Hinton's hint for problem 5)" if hidden == "logistic" else "")
    if bound < 1:
        verdict_note += ": below 1, the gradient must vanish"
    work.note("bound", bound, phase="verdict", eq=eq, sub=sub, args=args, note=verdict_note)


def _why(p, g: float, g_step: float) -> str:
    text = (f"the per-step norms bound the product (‖AB‖ ≤ ‖A‖‖B‖) but do not decide it: "
            f"g = {g:.4g} < g_step = {g_step:.4g}")
    W = run.canonical(p)["W_hh"] if p.cell == "rnn" else None
    if W is not None and W.size > 1:
        rho = float(np.max(np.abs(np.linalg.eigvals(W))))
        normal = np.allclose(W @ W.T, W.T @ W, rtol=1e-12, atol=1e-12 * norm2(W) ** 2)
        text += (f"; W_hh is {'normal' if normal else 'not normal (W Wᵀ ≠ Wᵀ W)'}: its powers "
                 f"shrink or grow like ρ(W_hh)^n = {rho:.4g}^n, not like ‖W_hh‖^n = "
                 f"{norm2(W):.4g}^n")
    else:
        text += "; the Jacobians are not normal, or their directions do not line up"
    return text
