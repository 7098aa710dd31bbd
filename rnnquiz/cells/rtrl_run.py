"""The types' side of real-time recurrent learning (SPEC 1.17): `forward`, `lstm` and `gru`
answer the sensitivities d<state>/d<key> beside the states (dh/dW_hh; ds/dW_ss in MITx's
letters, da/d... where the state is a; dc/d<key> too for the LSTM); `backprop` accumulates the
gradients from them,

    dE/dθ = Σ_t (∂E/∂h_t)ᵀ dh_t/dθ       ∂E/∂h_t = W_hyᵀ dE/du_t, through the read-out only

(the later steps' part of BPTT's dE/dh_t is inside dh_t/dθ), which equal BPTT's.
"""

from __future__ import annotations

import numpy as np

from ..trace import Shaped, Work
from . import named, run
from . import readout as readout_
from .base import Term
from .rtrl import Sensitivities, carry, show, shaped, to_file

SUBSTITUTED = 8     # the steps of a gradient's sum written out with their numbers


def forward_values(p, work: Work, output: bool = False) -> tuple[dict, tuple, str]:
    """The forward pass's quantities, then every key's sensitivities carried forward."""
    if _engine(p):
        return _engine(p).forward_values(p, work, output)
    fp = run.forward(p, work)
    values = named.quantities(p, fp.cell, {q: [c[q] for c in fp.caches]
                                           for q in fp.cell.quantities})
    values["y"] = fp.ys if fp.ys is not None else [c["h"] for c in fp.caches]
    per_step = list(values)
    if p.ask.quantity == "jacobian":
        from . import jacobians   # noqa: PLC0415 (start-up: asked for by few files)
        values["jacobian"] = jacobians.between(p, fp, work)
    sens = carry(p, fp, work.variants)
    show(p, fp, sens, _shown(p, fp, sens), work)
    more = sensitivity_values(p, fp, sens)
    values.update(more)
    return values, tuple(per_step + list(more)), _default(p, fp, sens, "d")


def backprop(p, work: Work) -> tuple[dict, tuple, str]:
    """The loss, the sensitivities carried forward, then dE/dθ = Σ_t (∂E/∂h_t)ᵀ dh_t/dθ."""
    if _engine(p):
        return _engine(p).backprop(p, work)
    from . import loss, own_loss_names as own   # noqa: PLC0415 (start-up: a forward pass has no loss)
    fp = run.forward(p, work)
    cell, P, ctx, caches = fp.cell, fp.P, fp.ctx, fp.caches
    S, T = ctx.S, len(caches)
    readout = fp.ys is not None
    H = np.array([c["h"] for c in caches], dtype=float)
    Y = np.array(fp.ys, dtype=float) if readout else H
    hagan = own.applies(p, ctx.notation, readout)      # F, e(t) and dF/d… (Hagan)
    if hagan:
        ctx.loss = own.own_loss(ctx.notation)
    loss_name = ctx.loss            # E, Hagan's F: ∂F/∂a(t), dF/dlw
    if p.upstream is not None:          # gradients from above, no loss
        E, dE_dy, dE_du, readout = None, list(p.upstream["h"]), list(p.upstream["h"]), False
    elif hagan:
        E, dE_dy, dE_du = own.working(p, Y, ctx)
    else:
        U = readout_.total_input(P, H) if readout and p.round == "none" else None
        E, dE_dy, dE_du = loss.working(p, Y, ctx, readout, U)
    sens = carry(p, fp, work.variants)
    show(p, fp, sens, _shown(p, fp, sens), work)
    dE_dh = []
    for i in range(T):
        t = i + ctx.first
        if p.upstream is not None:
            term = Term(dE_dy[i], f"{ctx.dE}{S('h', t)} from above", "{}", (dE_dy[i],))
        elif hagan:
            term = own.output_term(p, i, t, dE_dy)
        else:
            term = readout_.term(p, i, t, dE_dy, dE_du, P.get("W_hy"), readout)
        dE_dh.append(work.q(f"∂{loss_name}/∂{S('h', t)}", term.value, t=t, phase="backward",
                            eq=term.eq, sub=term.sub, args=term.args,
                            note="through the read-out only: the later steps' part is in "
                                 f"d{S('h', t)}/dθ" if i == 0 else ""))
    h = sens.rows["h"]
    h_t = _at_t(S("h", 0))
    values: dict = {}
    for key in sens.keys:
        parts = [(dE_dh[i], sens.seq[key][i][h]) for i in range(T)]
        g = sum(np.tensordot(np.asarray(d, dtype=float), s, axes=(0, 0)) for d, s in parts)
        shown = T <= SUBSTITUTED        # a long sum is left to the lines above it
        values[f"dE/d{key}"] = work.q(
            f"{ctx.dE}{key}", g, phase="gradient",
            eq=f"Σ_t (∂{loss_name}/∂{h_t})ᵀ·d{h_t}/d{key}",
            sub=" + ".join(["{}·{}"] * T) if shown else "",
            args=tuple(a for pair in parts for a in pair) if shown else ())
    if readout:
        values.update(_readout(p, fp, dE_du, work))
    if E is not None:
        values.update({"E": E, "dE/dy": dE_dy})
    per_step = ["dE/dy"] if E is not None else []
    for key, seq in named.quantities(p, cell, {q: [c[q] for c in caches]
                                               for q in cell.quantities}).items():
        values.setdefault(key, seq)
        per_step.append(key)
    if fp.ys is not None:
        values.setdefault("y", fp.ys)
        per_step.append("y")
    more = sensitivity_values(p, fp, sens)
    values.update(more)
    per_step += list(more)
    named.aliases(p.network.notation, values, per_step)     # Hagan's F, dF/d<key>
    return values, tuple(per_step), _default(p, fp, sens, "dE/d")


def _engine(p):
    """The RTRL of a network of its own kind (Hagan's LDDN: cells/lddn_rtrl.py), or None."""
    engine = getattr(p.network, "engine", None)
    if engine is None:
        return None
    import importlib   # noqa: PLC0415 (only a network of its own kind)
    return importlib.import_module(f"{__package__}.{engine}_rtrl")


def _at_t(symbol: str) -> str:
    """h_t, a<t>: a step's symbol with its number replaced by t."""
    k = symbol.rfind("0")
    return symbol[:k] + "t" + symbol[k + 1:]


def _readout(p, fp, dE_du: list, work: Work) -> dict:
    """dE/dW_hy and dE/db_y: the read-out's own gradients, the same as BPTT's."""
    notation = p.network.notation
    H = [c["h"] for c in fp.caches]
    grads = {k: np.zeros_like(v) for k, v in fp.cell.zero_grads(fp.P).items()}
    grads["W_hy"], grads["b_y"] = readout_.step_gradients(dE_du, H)
    out = notation.gradients(grads, p.network.params, p.network.sizes)
    linear = p.network.words.get("output", "linear") == "linear"
    values = {}
    for key, canon in zip(notation.readout, ("W_hy", "b_y")):
        if key not in notation.params:
            continue
        eq = fp.cell.gradient_eq.get(canon, "Σ_t dE/du_t·h_tᵀ" if canon == "W_hy"
                                     else "Σ_t dE/du_t")
        values[f"dE/d{key}"] = work.q(f"dE/d{key}", out.get(key, grads[canon]),
                                      phase="gradient",
                                      eq=eq.replace("du_t", "dy_t") if linear else eq)
    return values


def sensitivity_values(p, fp, sens: Sensitivities) -> dict:
    """d<state>/d<key> for every state and key, a step a row in the file's shapes; also by the
    key as the file wrote it (weight_hh_l0) and with h for the state's own letter."""
    notation = p.network.notation
    aliases = p.network.aliases
    values = {}
    for key in sens.keys:
        names = [key] + [a for a, base in aliases.items() if base == key]
        for state, rows in sens.rows.items():
            seq = Shaped(shaped(p, key, step[rows]) for step in sens.seq[key])
            for letter in dict.fromkeys((notation.key(state), state)):
                for name in names:
                    values[f"d{letter}/d{name}"] = seq
    return values


def asked_keys(p, sens: Sensitivities) -> list:
    """The keys whose sensitivity or gradient the question asks for (any part's)."""
    asks = p.ask.parts if p.ask.parts is not None else (p.ask,)
    aliases = p.network.aliases
    out = []
    for ask in asks:
        q = ask.quantity or ""
        key = q.partition("/d")[2] if q.startswith("d") and "/d" in q else ""
        key = aliases.get(key, key)
        if key in sens.keys and key not in out:
            out.append(key)
    return out


def _shown(p, fp, sens: Sensitivities) -> list:
    """The recursion the working writes out: the asked key's, else the recurrent weight's."""
    return asked_keys(p, sens) or [_recurrent_key(p, fp, sens)]


def _recurrent_key(p, fp, sens: Sensitivities) -> str:
    """The file's key that holds the recurrent weight (W_hh, W_ss, weight_hh)."""
    from ..notations.layouts import CANONICAL   # noqa: PLC0415 (only the working of a gated cell)
    W_h = next(iter(CANONICAL[fp.cell.name].values()))[0]
    canon = {k: np.zeros((1,) + np.shape(v)) for k, v in fp.cell.zero_grads(fp.P).items()}
    canon[W_h] = np.ones_like(canon[W_h])
    hit = [k for k, v in to_file(p, canon).items() if np.any(v)] or sens.keys
    return hit[0]


def _default(p, fp, sens: Sensitivities, prefix: str) -> str:
    """What is answered when nothing is asked: the sensitivity to (or the gradient of) the
    recurrent weight."""
    key = _recurrent_key(p, fp, sens)
    return f"dE/d{key}" if prefix == "dE/d" else f"d{p.network.notation.key('h')}/d{key}"
