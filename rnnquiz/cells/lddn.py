"""Hagan's layered digital dynamic networks (Neural Network Design, ch. 14) with tapped delay
lines: the forward pass and backpropagation through time, with the working in Hagan's symbols.
The network is read by `problem/hagan_network.py`; this module is its runner (`cells.runner`).

    n^m(t) = Σ_d iw^{m,m-1}(d) a^{m-1}(t-d) + Σ_l Σ_d lw^{m,l}(d) a^l(t-d) + b^m     (a^0 = p)
    a^m(t) = f^m(n^m(t))                    F = Σ_t e(t)ᵀe(t),  e(t) = t(t) - a^M(t)

Backward (BPTT), from the last step and the last layer down; every weight that reads a^m(t)
carries its consumer's sensitivity back (delay 0 from the next layer at the same step):

    dF/da^m(t) = -2 e(t) [m = M] + Σ_{k,d} W^{k,m}(d)ᵀ dF/dn^k(t+d)
    dF/dn^m(t) = dF/da^m(t) ⊙ f^m'(n^m(t))
    dF/dW^{m,l}(d) = Σ_t dF/dn^m(t) a^l(t-d)ᵀ           dF/db^m = Σ_t dF/dn^m(t)

The ½ of `loss: squared` halves F and every gradient; `reduction: mean` divides by the terms.
"""

from __future__ import annotations

import numpy as np

from ..trace import Work
from ..trace.rounding import STATE
from .activations import ACTIVATIONS, DERIVATIVE_FORMULA
from .loss import reduction
from .named import aliases
from .own_loss_names import error, index


class Names:
    """Hagan's symbols: a(t), iw^{1,1}(0) for one layer; a^2(t), lw^{1,2}(1) for several."""

    def __init__(self, lddn):
        self.many = len(lddn.layers) > 1 or lddn.listed

    def a(self, m: int, t: int) -> str:
        if m == 0:
            return f"p({t})"
        return f"a^{m}({t})" if self.many else f"a({t})"

    def n(self, m: int, t: int) -> str:
        return f"n^{m}({t})" if self.many else f"n({t})"

    def b(self, m: int) -> str:
        return f"b^{m}" if self.many else "b"

    @staticmethod
    def iw(m: int, d: int) -> str:
        return f"iw^{{{m},{max(m - 1, 1)}}}({d})"

    @staticmethod
    def lw(m: int, l: int, d: int) -> str:
        return f"lw^{{{m},{l}}}({d})"


def delay_weights(layer, m: int):
    """(symbol, source layer (0: the input), delay, W) of every weight into layer m."""
    for d in sorted(layer.iw):
        yield Names.iw(m, d), m - 1, d, layer.iw[d]
    for l in sorted(layer.lw):
        for d in sorted(layer.lw[l]):
            yield Names.lw(m, l, d), l, d, layer.lw[l][d]


def shown_weight(W):
    """A one-by-one weight as the number it was written as."""
    return float(W.reshape(-1)[0]) if W.size == 1 else W


class Run:
    """The outputs of every layer at every step, with the past before t = 1."""

    def __init__(self, p, lddn):
        self.p, self.lddn, self.T = p, lddn, p.T
        self.A = [[None] * self.T for _ in lddn.layers]
        self.N = [[None] * self.T for _ in lddn.layers]

    def value(self, l: int, t: int):
        """a^l(t), or p(t) for l = 0 (0 before t = 1); a^l(t) for t <= 0 from a_init."""
        if l == 0:
            return self.p.inputs[t - 1] if t >= 1 else np.zeros(self.lddn.R)
        if t >= 1:
            return self.A[l - 1][t - 1]
        init = self.lddn.layers[l - 1].init
        return init[-t] if -t < len(init) else np.zeros(init.shape[1])


def forward(p, work: Work) -> Run:
    lddn, names = p.detail, Names(p.detail)
    run = Run(p, lddn)
    for t in range(1, run.T + 1):
        for m, layer in enumerate(lddn.layers, start=1):
            eqs, subs, args = [], [], []
            n = layer.b.copy()
            for sym, l, d, W in delay_weights(layer, m):
                v = run.value(l, t - d)
                n = n + W @ v
                eqs.append(f"{sym}·{names.a(l, t - d)}")
                subs.append("{}·{}")
                args += [shown_weight(W), v]
            n = work.q(names.n(m, t), n, t=t, phase="forward",
                       eq=" + ".join(eqs + [names.b(m)]), sub=" + ".join(subs + ["{}"]),
                       args=tuple(args) + (layer.b,))
            fn, _, fsym, tag = ACTIVATIONS[layer.transfer]
            run.N[m - 1][t - 1] = n
            run.A[m - 1][t - 1] = work.q(names.a(m, t), fn(n), t=t, phase="forward",
                                         tags=(STATE, tag) if tag else (STATE,),
                                         eq=f"{fsym}({names.n(m, t)})", sub=f"{fsym}({{}})",
                                         args=(n,))
    return run


def lddn_loss(p, run: Run, work: Work, names: Names):
    """F and dF/da^M(t) from the targets: e(t) = t(t) - a(t), F = Σ_t e(t)ᵀe(t) (sse)."""
    M, sse = len(run.lddn.layers), p.loss == "sse"
    k = 2.0 if sse else 1.0
    terms = [i for i in range(run.T) if p.targets[i] is not None]
    scale, why = reduction(p, np.array([i in terms for i in range(run.T)])) if terms else (1.0, "")
    E, dA = 0.0, {}
    for i in terms:
        t = i + 1
        e = error(work, t, p.targets[i], run.A[M - 1][i], names.a(M, t))
        E += scale * float(e @ e) * (k / 2)
        dA[i] = (-k * scale * e, f"{why + '·' if why else ''}-{'2' if sse else ''}e({t})")
    return index(work, "F", E, sse, why), dA


def backprop_values(p, work: Work) -> tuple[dict, tuple, str]:
    lddn, names = p.detail, Names(p.detail)
    run = forward(p, work)
    E, dA_out = lddn_loss(p, run, work, names)
    M, T = len(lddn.layers), run.T
    dA = [[None] * T for _ in range(M)]
    dN = [[None] * T for _ in range(M)]

    def consumers(l: int, t: int):
        """(symbol, W, dF/dn^k(t+d), k, t+d) of every weight reading a^l(t) or p(t)."""
        for k, layer in enumerate(lddn.layers, start=1):
            for sym, src, d, W in delay_weights(layer, k):
                if src == l and 1 <= t + d <= T and dN[k - 1][t + d - 1] is not None:
                    yield sym, W, dN[k - 1][t + d - 1], k, t + d

    def carried(l: int, t: int, base=None, base_eq: str = ""):
        total = np.zeros(lddn.layers[l - 1].S) if base is None else base
        eqs, subs, args = ([base_eq], ["{}"], [base]) if base is not None else ([], [], [])
        for sym, W, dn, k, s in consumers(l, t):
            total = total + dn @ W
            eqs.append(f"{sym}ᵀ·dF/d{names.n(k, s)}")
            subs.append("{}·{}")
            args += [shown_weight(W.T), dn]
        return total, " + ".join(eqs) or "0", " + ".join(subs) or "0", tuple(args)

    for t in range(T, 0, -1):
        for m in range(M, 0, -1):
            layer, i = lddn.layers[m - 1], t - 1
            base, base_eq = dA_out.get(i, (None, "")) if m == M else (None, "")
            total, eq, sub, args = carried(m, t, base, base_eq)
            dA[m - 1][i] = work.q(f"dF/d{names.a(m, t)}", total, t=t, phase="backward",
                                  eq=eq, sub=sub if args else "", args=args)
            _, dfn, fsym, _ = ACTIVATIONS[layer.transfer]
            n = run.N[m - 1][i]
            deq, dsub = DERIVATIVE_FORMULA[layer.transfer]
            slope = work.q(f"{fsym}'({names.n(m, t)})", dfn(n), t=t, phase="backward",
                           eq=deq.replace("z", names.n(m, t)), sub=dsub,
                           args=(run.A[m - 1][i],) * dsub.count("{}"))
            dN[m - 1][i] = work.q(f"dF/d{names.n(m, t)}", dA[m - 1][i] * slope, t=t,
                                  phase="backward",
                                  eq=f"dF/d{names.a(m, t)}·{fsym}'({names.n(m, t)})",
                                  sub="{}·{}", args=(dA[m - 1][i], slope))
    L = p.ask.layer or M
    grads = _gradients(p, run, dN, L, names, work)
    init = lddn.layers[L - 1].init
    d_init = np.array([carried(L, -j)[0] for j in range(len(init))])
    values = {"E": E, "dE/da": dA[L - 1], "dE/dn": dN[L - 1], "a": run.A[L - 1],
              "n": run.N[L - 1]}
    for key, g in grads.items():
        values[f"dE/d{key}"] = g
    # grad_norm runs over every layer's weights and biases (types/gradient_norms.py)
    quiet = Work(record=False)
    values["_gradients"] = [np.asarray(leaf, dtype=float) for m in range(1, M + 1)
                            for g in (grads if m == L else
                                      _gradients(p, run, dN, m, names, quiet)).values()
                            for leaf in _leaves(g)]
    written = lddn.layers[L - 1].written
    if "a_init" in written:
        values["dE/da_init"] = record(work, "dF/da_init", init_shape(d_init, written["a_init"]),
                                      phase="gradient", eq="Σ W·dF/dn carried back to t <= 0")
    per_step = ["dE/da", "dE/dn", "a", "n"]
    aliases(p.network.notation, values, per_step)       # F and dF/d<key> beside E, dE/d<key>
    return values, tuple(per_step), "dE/dn"


def _gradients(p, run: Run, dN, L: int, names: Names, work: Work) -> dict:
    """dF/d<key> of layer L's iw, lw, b, shaped as the file wrote each key."""
    layer, T = run.lddn.layers[L - 1], run.T

    def total(l: int, d: int):
        return sum(np.outer(dN[L - 1][t - 1], run.value(l, t - d)) for t in range(1, T + 1))

    src = names.a(L - 1, "t-d").replace("(t-d)", "")
    out = {}
    form = layer.written.get("iw")
    if layer.iw:
        g = {d: total(L - 1, d) for d in layer.iw}
        out["iw"] = record(work, "dF/diw", weight_shape(g, form), phase="gradient",
                           eq=f"Σ_t dF/d{names.n(L, 't')}·{src}(t-d)ᵀ, each delay d")
    if layer.lw:
        g = {l: {d: total(l, d) for d in by} for l, by in layer.lw.items()}
        form = layer.written.get("lw")
        own = g.get(L) if form is None or form[0] != "layers" else g
        out["lw"] = record(work, "dF/dlw", weight_shape(own, form), phase="gradient",
                           eq=f"Σ_t dF/d{names.n(L, 't')}·a^l(t-d)ᵀ, each layer l and delay d")
    b = sum(dN[L - 1][t - 1] for t in range(1, T + 1))
    form = layer.written.get("b") or (("number", None) if layer.S == 1 else ("list", (layer.S,)))
    out["b"] = record(work, "dF/db", weight_shape({0: b}, form), phase="gradient",
                      eq=f"Σ_t dF/d{names.n(L, 't')}")
    return out


def record(work: Work, symbol: str, value, **kw):
    """A gradient in the file's shapes (a number, lists, a mapping by delay) as a line of the
    working, each number rounded as the rounding mode says and the shape kept."""
    def rounded(v):
        if isinstance(v, dict):
            return {k: rounded(e) for k, e in v.items()}
        r = work.rounding.apply(v)[0]
        return r.tolist() if isinstance(r, np.ndarray) else r
    return work.note(symbol, rounded(value), **kw)


def _leaves(g):
    if isinstance(g, dict):
        for v in g.values():
            yield from _leaves(v)
    else:
        yield g


def _number(arr, shape):
    if shape is None:
        return float(np.asarray(arr).reshape(-1)[0])
    return np.asarray(arr).reshape(shape).tolist()


def weight_shape(g: dict, form):
    """A gradient as its key was written: a number, a matrix, {delay: ...}, {layer: {...}}."""
    kind, shapes = form
    if kind in ("number", "list"):
        return _number(next(iter(g.values())), shapes)
    if kind == "delays":
        return {str(d): _number(g[d], shapes[d]) for d in sorted(g)}
    return {str(l): weight_shape(g[l], shapes[l]) for l in sorted(g)}


def init_shape(g: np.ndarray, form):
    kind, shape = form
    if kind == "number":
        return float(g.reshape(-1)[0])
    return g.reshape(-1)[:int(np.prod(shape))].reshape(shape).tolist()


# ---------------------------------------------------------------- the runner's interface


def forward_values(p, work: Work, output: bool = False) -> tuple[dict, tuple, str]:
    run = forward(p, work)
    L = p.ask.layer or len(p.detail.layers)
    values = {"a": run.A[L - 1], "n": run.N[L - 1]}
    return values, ("a", "n"), "a"


def backprop(p, work: Work) -> tuple[dict, tuple, str]:
    return backprop_values(p, work)


def scan_values(p, gradients: bool = False, output: bool = False) -> tuple[dict, tuple, str]:
    quiet = Work(record=False)
    return backprop_values(p, quiet) if gradients else forward_values(p, quiet, output)
