"""`vanishing`: do gradients vanish or explode as they flow back? (SPEC 1.1, 1.6)

The factor of each step back is dz_{t+1}/dz_t = W_hh·hidden'(z_t) (its spectral
norm for vectors; for cells, the norm of the state Jacobian dh_t/dh_{t-1}). The
verdict is the geometric mean g of their magnitudes over the span asked:
`neither` when |g - 1| <= tolerance, `vanishing` below, `exploding` above.
"""

from __future__ import annotations

import math

import numpy as np

from ..cells import run
from ..cells.activations import ACTIVATIONS, DERIVATIVE_FORMULA
from ..errors import ProblemError
from ..trace import Work
from . import Outcome, scanner, solver


@solver("vanishing")
def solve_vanishing(p, work) -> Outcome:
    if p.cell != "rnn":
        jac, label = run.jacobians(p, work)
    else:
        jac, label = _rnn_factors(p, work)
    return verdict(p, work, jac, label)


@scanner("vanishing", when=lambda p: p.cell == "rnn")
def scan_vanishing(p) -> Outcome:
    """The factors from the vectorised scan: W_hh·diag(hidden'(z_t)) for t = 0 ... T-2."""
    net = p.network
    P = run.canonical(p)
    Z = run.cell_for("rnn").scan(P, p.inputs, run.initial(p), **run.options(p))["z"]
    S = ACTIVATIONS[net.words["hidden"]][1](Z[:-1])
    jac = [P["W_hh"] * s[None, :] for s in S]
    labels = [f"dz_{t + 1}/dz_{t}" for t in range(len(jac))]
    return verdict(p, Work(record=False), jac, labels)


def _rnn_factors(p, work):
    """dz_{t+1}/dz_t = W_hh·diag(hidden'(z_t)) for t = 0 ... T-2, and the gradient carried back."""
    net = p.network
    fp = run.forward(p, work)
    zs = [c["z"] for c in fp.caches]
    hidden = net.words["hidden"]
    _, d_act, hsym, _ = ACTIVATIONS[hidden]
    hsym = hsym or hidden
    W_hh = fp.P["W_hh"]
    scalar = W_hh.size == 1
    jac = []
    for t in range(p.T - 1):
        eq, sub = DERIVATIVE_FORMULA[hidden]
        h_t = ACTIVATIONS[hidden][0](zs[t])
        slope = work.q(f"{hsym}'(z_{t})", d_act(zs[t]), t=t, phase="factor",
                       eq=eq.replace("z", f"z_{t}"), sub=sub, args=(h_t,) * sub.count("{}"))
        J = W_hh * slope[None, :]
        jac.append(J)
        if scalar:
            work.note(f"dz_{t + 1}/dz_{t}", float(J[0, 0]), t=t, phase="factor",
                      eq=f"W_hh·{hsym}'(z_{t})", sub="{}·{}", args=(W_hh, slope))
        else:
            work.note(f"dz_{t + 1}/dz_{t}", J, t=t, phase="factor",
                      eq=f"W_hh·diag({hsym}'(z_{t}))", note="the Jacobian")
    if p.targets is not None:
        run.backprop(p, work, fp)
    label = [f"dz_{t + 1}/dz_{t}" for t in range(p.T - 1)]
    return jac, label


def verdict(p, work, jac: list, label: list[str]) -> Outcome:
    T1 = len(jac)
    start = p.ask.start if p.ask.start is not None else 0
    stop = p.ask.stop if p.ask.stop is not None else T1 - 1
    if not 0 <= start <= stop <= T1 - 1:
        raise ProblemError(f"expected 0 <= from <= to <= {T1 - 1} (the factors are numbered "
                           f"0 ... {T1 - 1}), got from {start}, to {stop}",
                           keys=("ask", "from" if p.ask.start is not None else "to"))
    scalar = all(J.size == 1 for J in jac)
    factors, running = [], []
    product = None
    for t, J in enumerate(jac):
        norm = float(abs(J.reshape(-1)[0])) if scalar else float(np.linalg.norm(J, 2))
        factors.append(norm)
        if not scalar:
            work.note(f"‖{label[t]}‖", norm, t=t, phase="factor",
                      eq=f"‖{label[t]}‖₂", note="spectral norm of the Jacobian")
    for t in range(T1 - 1, -1, -1):
        # running product from the last step back: d z_{T-1} / d z_t
        product = jac[t] if product is None else product @ jac[t]
        value = float(product.reshape(-1)[0]) if scalar else float(np.linalg.norm(product, 2))
        running.append(value)
        work.note(f"Π to t={t}", value, t=t, phase="product",
                  eq=f"{label[-1].split('/')[0]}/{label[t].split('/')[1]}",
                  note="the factor by which the gradient at the last step reaches step "
                       f"{t}" if t == 0 else "")
    span = factors[start:stop + 1]
    if any(f == 0 for f in span):
        g = 0.0
    else:
        g = math.exp(sum(math.log(f) for f in span) / len(span))
    tol = p.tolerance
    word = "neither" if abs(g - 1) <= tol else ("vanishing" if g < 1 else "exploding")
    work.note("g", g, phase="verdict", eq=f"geometric mean of |factors| {start}..{stop}",
              note=f"|g - 1| {'<=' if abs(g - 1) <= tol else '>'} tolerance {tol}: {word}")
    return Outcome(values={"verdict": word, "g": g, "factors": factors,
                           "product": running[::-1]},
                   default="verdict",
                   extra={"factors": factors, "geometric_mean": g, "tolerance": tol,
                          "span": [start, stop]})
