"""Real-time recurrent learning through Hagan's layered digital dynamic networks (Neural Network
Design, ch. 14): every weight's sensitivity carried forward with the pass, then the gradient
from the sensitivities of the output layer,

    dn^m(t)/dθ = ∂n^m(t)/∂θ (explicit) + Σ_{l,d} W^{m,l}(d)·da^l(t-d)/dθ      (a^0 = p: 0)
    da^m(t)/dθ = f^m'(n^m(t)) ⊙ dn^m(t)/dθ
    dF/dθ = Σ_t (∂F/∂a^M(t))ᵀ da^M(t)/dθ,     ∂F/∂a^M(t) = -2 e(t)  (the sse's; -e with ½)

θ is one weight (a delay's matrix), a bias or a layer's a_init (da^l(t)/da_init picks a(t) for
t ≤ 0). The sensitivities have the shape (units of a,) + θ's; answered as `da/d<key>`, a key
written {delay: weight} gives a mapping of the same delays. The gradients equal BPTT's.
"""

from __future__ import annotations

import numpy as np

from ..trace import Shaped, Work
from .activations import ACTIVATIONS
from .lddn import Names, Run, lddn_loss, weight_shape, shown_weight, delay_weights, forward, record
from .named import aliases


def _params(lddn):
    """(layer, key, sub-key, tensor) of every parameter: iw by delay, lw by (layer, delay), b,
    a_init."""
    for m, layer in enumerate(lddn.layers, start=1):
        for d, W in layer.iw.items():
            yield m, "iw", d, W
        for l, by in layer.lw.items():
            for d, W in by.items():
                yield m, "lw", (l, d), W
        yield m, "b", None, layer.b
        yield m, "a_init", None, layer.init


def carry(p, run: Run, work: Work, shown: tuple) -> dict:
    """{(m, key, sub): [da^M(t)/dθ for every t]} for every parameter θ, recording the recursion
    of the parameters in `shown` (the asked layer's key)."""
    lddn, names, T = run.lddn, Names(run.lddn), run.T
    M = len(lddn.layers)
    out = {}
    for m0, key, sub, theta in _params(lddn):
        shape = theta.shape
        sens = {}          # (layer, t) -> da^layer(t)/dθ, shape (S_layer,) + θ's

        def past(l: int, t: int):
            S = lddn.layers[l - 1].S if l else lddn.R
            if l and t >= 1:
                return sens[(l, t)]
            z = np.zeros((S,) + shape)
            if l == m0 and key == "a_init" and t <= 0 and -t < shape[0]:
                z[:, -t, :] = np.eye(S)        # da^l(t)/da_init picks the row of a(t)
            return z

        record = (m0, key) == shown[:2] and (sub == shown[2] or shown[2] is None)
        label = _label(names, m0, key, sub)
        for t in range(1, T + 1):
            for m, layer in enumerate(lddn.layers, start=1):
                dn = np.zeros((layer.S,) + shape)
                eqs, subs, args = [], [], []
                if m == m0 and key in ("iw", "lw"):
                    l, d = (m - 1, sub) if key == "iw" else sub
                    v = run.value(l, t - d)
                    for i in range(layer.S):
                        dn[i, i, :] = v           # ∂n_i/∂W_ij = (source)_j
                    # one unit: ∂n(t)/∂w is the value the weight multiplies
                    eqs.append(names.a(l, t - d) if layer.S == 1 else
                               f"∂{names.n(m, t)}/∂{label}")
                    subs.append("{}")
                    args.append(v if layer.S == 1 else dn.copy())
                elif m == m0 and key == "b":
                    dn = dn + np.eye(layer.S)
                    eqs.append("1")
                    subs.append("{}")
                    args.append(np.eye(layer.S))
                for wsym, l, d, W in delay_weights(layer, m):
                    if l == 0:
                        continue                  # the inputs do not depend on θ
                    s = past(l, t - d)
                    if not s.any():
                        continue
                    dn = dn + np.tensordot(W, s, axes=(1, 0))
                    eqs.append(f"{wsym}·d{names.a(l, t - d)}/d{label}")
                    subs.append("{}·{}")
                    args += [shown_weight(W), s]
                slope = ACTIVATIONS[layer.transfer][1](run.N[m - 1][t - 1])
                da = slope.reshape((-1,) + (1,) * len(shape)) * dn
                if record:
                    fsym = ACTIVATIONS[layer.transfer][2]
                    work.q(f"d{names.n(m, t)}/d{label}", dn, t=t, phase="forward",
                           eq=" + ".join(eqs) or "0", sub=" + ".join(subs) if args else "",
                           args=tuple(args), note="real-time recurrent learning")
                    da = work.q(f"d{names.a(m, t)}/d{label}", da, t=t, phase="forward",
                                eq=f"{fsym}'({names.n(m, t)})⊙d{names.n(m, t)}/d{label}",
                                sub="{}⊙{}", args=(slope, dn))
                sens[(m, t)] = da
        out[(m0, key, sub)] = [sens[(M, t)] for t in range(1, T + 1)]
    return out


def _label(names: Names, m: int, key: str, sub) -> str:
    if key == "iw":
        return names.iw(m, sub)
    if key == "lw":
        return names.lw(m, *sub)
    return names.b(m) if key == "b" else (f"a_init^{m}" if names.many else "a_init")


def _asked(p):
    """(layer, key, sub) of the asked key (sub None: all its delays)."""
    q = p.ask.quantity or ""
    key = q.partition("/d")[2] if "/d" in q else "lw"
    return (p.ask.layer or len(p.detail.layers), key, None)


def sensitivities(p, run: Run, sens: dict) -> dict:
    """da/d<key> of the asked layer's keys: per step, (units of a^M,) + the key's shape, a
    mapping by delay where the key is written so."""
    lddn = run.lddn
    L = p.ask.layer or len(lddn.layers)
    layer = lddn.layers[L - 1]
    values = {}
    squeeze = lddn.layers[-1].S == 1 and not p.network.vector    # a number a key, a step
    for key in ("iw", "lw", "b", "a_init"):
        mine = {sub: seq for (m, k, sub), seq in sens.items() if m == L and k == key}
        form = layer.written.get(key)
        if not mine or (form is None and key in ("a_init",)):
            continue
        steps = []
        for i in range(run.T):
            at = {sub: seq[i][0] if squeeze else seq[i] for sub, seq in mine.items()}
            steps.append(_sens_shape(at, key, form, L, layer))
        values[f"da/d{key}"] = Shaped(steps)
    return values


def _sens_shape(at: dict, key: str, form, L: int, layer):
    if key == "iw":
        return _shape_rows(at, form)
    if key == "lw":
        by = {}
        for (l, d), s in at.items():
            by.setdefault(l, {})[d] = s
        if form is None or form[0] != "layers":
            return _shape_rows(by[L], form)
        return {str(l): _shape_rows(by[l], form[1][l]) for l in sorted(by)}
    s = at[None]
    if key == "b":
        return s.tolist() if s.size > 1 else float(s.reshape(-1)[0])
    kind, shape = form
    lead = s.shape[:s.ndim - 2]           # (units of a,), or () for one unit squeezed
    rows = int(np.prod(shape)) if shape else 1
    flat = s.reshape(lead + (-1,))[..., :rows]
    return float(flat.reshape(-1)[0]) if flat.size == 1 else flat.reshape(
        lead + (tuple(shape) if shape else ())).tolist()


def _shape_rows(g: dict, form):
    """A sensitivity per delay: (units,) + the weight's written shape (a number if both are
    one)."""
    out = {}
    for d, s in g.items():
        out[d] = s if s.size > 1 else s.reshape(())
    if form is None or form[0] in ("number", "list"):
        s = next(iter(out.values()))
        return s.tolist() if np.ndim(s) else float(s)
    return {str(d): (out[d].tolist() if np.ndim(out[d]) else float(out[d])) for d in sorted(out)}


def forward_values(p, work: Work, output: bool = False) -> tuple[dict, tuple, str]:
    run = forward(p, work)
    sens = carry(p, run, work, _asked(p))
    L = p.ask.layer or len(p.detail.layers)
    values = {"a": run.A[L - 1], "n": run.N[L - 1], **sensitivities(p, run, sens)}
    return values, tuple(values), "da/dlw" if "da/dlw" in values else "a"


def backprop(p, work: Work) -> tuple[dict, tuple, str]:
    """F, the sensitivities, then dF/dθ = Σ_t (∂F/∂a^M(t))ᵀ da^M(t)/dθ."""
    run = forward(p, work)
    names = Names(run.lddn)
    E, dA = lddn_loss(p, run, work, names)
    sens = carry(p, run, work, _asked(p))
    M, L = len(run.lddn.layers), p.ask.layer or len(run.lddn.layers)
    layer = run.lddn.layers[L - 1]
    grads, every = {}, []
    for (m, key, sub), seq in sens.items():
        g = sum(np.tensordot(dA[i][0], seq[i], axes=(0, 0)) for i in dA)
        g = g if not isinstance(g, int) else np.zeros(seq[0].shape[1:])
        if key != "a_init":
            every.append(g)             # grad_norm: every layer's weights and biases
        if m == L:
            grads.setdefault(key, {})[sub] = g
    values = {"E": E, "a": run.A[L - 1], "n": run.N[L - 1], "_gradients": every}
    for key, g in grads.items():
        form = layer.written.get(key)
        if key == "iw":
            v = weight_shape(g, form)
        elif key == "lw":
            by = {}
            for (l, d), x in g.items():
                by.setdefault(l, {})[d] = x
            v = weight_shape(by[L], form) if form is None or form[0] != "layers" else weight_shape(by, form)
        elif key == "b":
            v = weight_shape({0: g[None]}, form or (("number", None) if layer.S == 1
                                              else ("list", (layer.S,))))
        elif form is not None:
            from .lddn import init_shape   # noqa: PLC0415 (only a_init's sensitivity)
            v = init_shape(g[None], form)
        else:
            continue
        a_t = names.a(M, "t")
        values[f"dE/d{key}"] = record(work, f"dF/d{key}", v, phase="gradient",
                                      eq=f"Σ_t (∂F/∂{a_t})ᵀ·d{a_t}/d{key}")
    values.update(sensitivities(p, run, sens))
    per_step = ["a", "n", *(k for k in values if k.startswith("da/d"))]
    aliases(p.network.notation, values, per_step)       # F and dF/d<key> beside E, dE/d<key>
    return values, tuple(per_step), "dE/dlw" if "dE/dlw" in values else "F"
