"""The losses, written once: every step's E_t, dE/dy_t and dE/du_t (u_t = W_hy h_t + b_y).

    squared:        E = 1/2 Σ_k (y_k - t_k)²            dE/dy = y - t
    sse:            E = Σ_k (y_k - t_k)²  (Hagan)       dE/dy = 2(y - t)
    cross-entropy:  softmax  E = -Σ_k t_k log y_k        dE/du = y Σ_k t_k - t   (y - t for one-hot)
                    logistic E = -Σ_k [t log y + (1 - t) log(1 - y)]   dE/du = y - t

Arrays carry the steps (and examples) in their leading axes; `mask` says which rows have a
target. The working and the vectorised engine read the same rows.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from .activations import back_through
from .batch_form import examples_as_rows
from .readout import total_input_eq


def losses(Y: np.ndarray, TG: np.ndarray, mask: np.ndarray, output: str, loss: str,
           U: np.ndarray | None = None):
    """(E per row, dE/dY, dE/dU), zero where a row has no target. Given the logits U
    (y = output(U), exact arithmetic), the cross-entropy's logarithms are taken from U:
    once σ(u) rounds to 1 - 2^-52, log(1 - y) from y is off by 0.2 at u = 36."""
    m = mask[..., None]
    if loss in ("squared", "sse"):
        D = np.where(m, Y - TG, 0.0)
        E = 0.5 * np.sum(D ** 2, axis=-1)
        if loss == "sse":           # Hagan's eᵀe has no ½: E and every gradient doubled
            E, D = 2.0 * E, 2.0 * D
        return E, D, back_through(output, Y, D)
    with np.errstate(divide="ignore", invalid="ignore"):
        if output == "softmax":
            log_y = np.log(Y) if U is None else _log_softmax(U)
            E = -np.sum(np.where(m & (TG != 0), TG * log_y, 0.0), axis=-1)
            DY = np.where(m, -np.divide(TG, Y, out=np.zeros_like(Y), where=Y != 0), 0.0)
            DU = np.where(m, Y * np.sum(TG, axis=-1, keepdims=True) - TG, 0.0)
        else:
            if U is None:
                log_y, log_1_y = np.log(Y), np.log1p(-Y)
            else:                       # log σ(u) = -log(1 + e^-u), log(1 - σ(u)) = log σ(-u)
                log_y, log_1_y = -np.logaddexp(0.0, -U), -np.logaddexp(0.0, U)
            E = -np.sum(np.where(m & (TG != 0), TG * log_y, 0.0)
                        + np.where(m & (TG != 1), (1 - TG) * log_1_y, 0.0), axis=-1)
            DY = np.where(m, -np.divide(TG, Y, out=np.zeros_like(Y), where=Y != 0)
                          + np.divide(1 - TG, 1 - Y, out=np.zeros_like(Y), where=Y != 1), 0.0)
            DU = np.where(m, Y - TG, 0.0)
    return np.where(mask, E, 0.0), DY, DU


def _log_softmax(U: np.ndarray) -> np.ndarray:
    top = np.max(U, axis=-1, keepdims=True)
    shifted = U - top
    return shifted - np.log(np.sum(np.exp(shifted), axis=-1, keepdims=True))


SUB_DY = {"squared": "{} - {}", "sse": "2·({} - {})"}


def equations(output: str, loss: str, readout: bool) -> tuple[str, str, str]:
    """(E, dE/dy_t, dE/du_t) as the working writes them; `{t}` is filled per step."""
    y = "y_{t}" if readout else "{h}"
    if loss == "sse":
        return ("Σ_t (y_t - target_t)ᵀ(y_t - target_t)", f"2({y} - target_{{t}})",
                "dE/dy_{t}·" + output + "'(u_{t})")
    if loss == "squared":
        return ("1/2 Σ_t (y_t - target_t)²", f"{y} - target_{{t}}", "dE/dy_{t}·" + output + "'(u_{t})")
    if output == "softmax":
        return ("-Σ_t Σ_k target_tk log y_tk", "-target_{t}/y_{t}", "y_{t} - target_{t}")
    return ("-Σ_t [target_t log y_t + (1 - target_t) log(1 - y_t)]",
            "-target_{t}/y_{t} + (1 - target_{t})/(1 - y_{t})", "y_{t} - target_{t}")


# ---------------------------------------------------------------- the loss of a problem

def _total_input(p, ctx, t: int, y) -> str:
    """u_t as the y_t line writes it, in the file's read-out keys and layout."""
    rows = np.ndim(y) == 2 and examples_as_rows(p, ctx.notation)
    return total_input_eq(ctx.notation, ctx.S("h", t), rows)



def working(p, Y, ctx, readout: bool, U=None):
    """E, and dE/dy_t and dE/du_t at every step with a loss term, as the working writes them."""
    work = ctx.work
    out = p.network.words.get("output", "linear") if readout else "linear"
    loss = p.loss
    E_t, DY, DU, scale, why, TG, mask = reduced(p, Y, out, U)
    eq_E, eq_dy, eq_du = equations(out, loss, readout)
    if scale != 1:
        eq_E = f"{why}·({eq_E})"
    E = work.note("E", float(np.sum(E_t)), phase="loss", eq=eq_E,
                  note=f"reduction {p.reduction}: each term's gradient is scaled by {why}"
                  if scale != 1 else "")
    T = len(Y)
    dE_dy = [np.zeros_like(Y[0]) for _ in range(T)]
    dE_du = [np.zeros_like(Y[0]) for _ in range(T)]
    for i in range(T):
        if not np.any(mask[i]):
            if p.ask.quantity == "dE/dy":       # the answer holds this step's 0: a row says so
                t = i + ctx.first
                dE_dy[i] = work.q(f"dE/dy_{t}", dE_dy[i], t=t, phase="backward", eq="0",
                                  note=f"no loss term at step {t}")
            continue
        t = i + ctx.first
        y, target = Y[i], TG[i]
        h_sym = ctx.S("h", t)
        eq, sub = eq_dy.format(t=t, h=h_sym), SUB_DY.get(loss, "")
        if scale != 1:                  # each term divided as E is: the row says by what
            eq, sub = f"{why}·({eq})", f"{why}·({sub})" if sub else ""
        dE_dy[i] = work.q(f"dE/dy_{t}", DY[i], t=t, phase="backward", eq=eq, sub=sub,
                          args=(y, target) if sub else ())
        if out == "linear":
            dE_du[i] = dE_dy[i]
            continue
        ce = loss == "cross_entropy"
        eq = eq_du.format(t=t)
        if ce and out == "softmax" and not np.isclose(np.sum(target), 1.0, rtol=0, atol=1e-12):
            eq = f"y_{t}·Σ_k target_{t}k - target_{t}"     # the targets do not sum to 1
        sub = "{} - {}" if ce and "Σ" not in eq else ""
        if scale != 1 and ce:           # the squared loss's dE/du_t carries it in dE/dy_t
            eq, sub = f"{why}·({eq})", f"{why}·({sub})" if sub else ""
        dE_du[i] = work.q(f"dE/du_{t}", DU[i], t=t, phase="backward", eq=eq,
                          sub=sub, args=(y, target) if sub else (),
                          note=f"u_{t} = {_total_input(p, ctx, t, y)}, the output's total "
                               "input")
    return E, dE_dy, dE_du


def targets(p, Y):
    """(targets as one array over the steps, which of them are loss terms)."""
    TG = np.zeros_like(Y)
    for t, tg in enumerate(p.targets):
        if tg is not None:
            TG[t] = tg
    return TG, p.mask              # set with the targets (backprop_keys.py)


class Reduced(NamedTuple):
    E_t: np.ndarray
    DY: np.ndarray
    DU: np.ndarray
    scale: float
    why: str
    TG: np.ndarray
    mask: np.ndarray


def reduced(p, Y, output: str, U=None) -> Reduced:
    """Every step's E_t, dE/dy_t and dE/du_t, each scaled by the reduction's s (and s, what
    it is, the targets and which steps have one):

        E = s·Σ_t E_t      dE/dy_t = s·∂E_t/∂y_t      dE/du_t = s·output'(u_t)ᵀ ∂E_t/∂y_t
    """
    TG, mask = targets(p, Y)
    E_t, DY, DU = losses(Y, TG, mask, output, p.loss, U)
    scale, why = reduction(p, mask)
    if scale != 1:
        E_t, DY, DU = E_t * scale, DY * scale, DU * scale
    return Reduced(E_t, DY, DU, scale, why, TG, mask)


def reduction(p, mask) -> tuple[float, str]:
    """The factor E and every gradient are scaled by (SPEC 1.1): 1 (sum), 1/terms (mean),
    1/N (batch_mean, CS231n's temporal softmax loss)."""
    if p.reduction == "mean":
        n = int(np.sum(mask))
        return 1.0 / n, f"1/{n}"
    if p.reduction == "batch_mean" and p.batch:
        return 1.0 / p.batch, f"1/{p.batch}"
    return 1.0, ""


def upstream_scale(p) -> tuple[float, str]:
    """With gradients from above (no loss), `mean` and `batch_mean` divide the parameter
    gradients by the number of examples N; dE/dx and dE/dh_init stay per example, as CMU
    11-785's RNNCell.backward divides dW and db by the batch size (SPEC 1.15)."""
    if p.upstream is None or p.reduction == "sum":
        return 1.0, ""
    n = p.batch or 1
    return 1.0 / n, f"1/{n}"


# ---------------------------------------------------------------- its conventions (SPEC 1.16)

def loss_names(p) -> tuple[str, ...]:
    """The loss's names in the problem's notation: E, and its own (Hagan's performance index
    F, asked as F and dF/d<key>)."""
    net = p.network
    own = net.notation.key("E") if net is not None else "E"
    return ("E",) if own == "E" else ("E", own)


def is_loss_quantity(p, q: str) -> bool:
    """q is the loss or one of its gradients (E, dE/dW_hh; Hagan's F, dF/dlw)."""
    names = loss_names(p)
    return q in ("", *names) or any(q.startswith(f"d{n}/d") for n in names)


def _on_loss(p) -> bool:
    """E or a gradient of a loss the problem computes itself (not gradients from above)."""
    return (p.targets is not None and p.upstream is None and p.network is not None
            and is_loss_quantity(p, p.ask.quantity or ""))


def _field(test, **changes):
    def applies(p) -> bool:
        return _on_loss(p) and test(p)

    def problem(p):
        from ..notations.convention import with_fields   # noqa: PLC0415 (only --conventions and check)
        return with_fields(p, **changes)
    return {"applies": applies, "problem": problem}


def _in_bits(p, v):
    return np.asarray(v, dtype=float) / np.log(2.0) if not isinstance(v, str) else v


def _squared_words(half: bool):
    """The squared loss's label in the names the problem's working writes: Hagan's
    F = Σ_t e(t)ᵀe(t), e(t) = t(t) - a(t), and his sensitivity dF/da(t) of the last layer."""
    from ..notations.convention import Label   # noqa: PLC0415 (only --conventions and check)
    general = ("the squared loss with ½: E = ½Σ(y - t)², dE/dy = y - t" if half else
               "the squared loss without ½: E = Σ(y - t)², gradients doubled (Hagan's SSE, "
               "PyTorch's MSELoss)")

    def words(p) -> str:
        n = p.network.notation if p.network is not None else None
        if n is None or n.key("E") == "E":
            return general
        F, a = n.key("E"), n.symbol("h", "t")
        lddn = p.detail if getattr(p.network, "engine", None) == "lddn" else None
        if lddn is not None and (len(lddn.layers) > 1 or lddn.listed):
            a = f"a^{len(lddn.layers)}(t)"      # the last layer's, as cells/lddn.Names writes it
        return (f"the squared loss with ½: {F} = ½ Σ_t e(t)ᵀe(t), d{F}/d{a} = -e(t)" if half
                else f"the squared loss without ½: {F} = Σ_t e(t)ᵀe(t), gradients doubled "
                     "(Hagan's SSE, PyTorch's MSELoss)")
    return Label(general, words)


def _conventions():
    from ..notations.convention import Convention   # noqa: PLC0415 (only --conventions and check)
    return (
        Convention("loss_mean", "the loss averaged over its terms (1/T), as PyTorch's and "
                   "Keras' losses reduce by default", topic="loss reduction",
                   who=("PyTorch (reduction='mean')", "Keras", "d2l"), reason="E averaged",
                   own=lambda p: _on_loss(p) and p.reduction != "sum",
                   **_field(lambda p: p.reduction == "sum", reduction="mean")),
        Convention("loss_sum", "the loss summed over its terms, as the courses' E = Σ_t E_t",
                   topic="loss reduction", who=("Hinton's course", "deeplearning.ai",
                                                "Goodfellow", "CS231n (over steps)"),
                   reason="E summed", own=lambda p: _on_loss(p) and p.reduction == "sum",
                   **_field(lambda p: p.reduction != "sum", reduction="sum")),
        Convention("loss_no_half", _squared_words(half=False), topic="squared loss",
                   who=("Hagan", "PyTorch (MSELoss)", "Keras (mean_squared_error)"),
                   reason="without ½", slips=("half_missing",),
                   own=lambda p: _on_loss(p) and p.loss == "sse",
                   **_field(lambda p: p.loss == "squared", loss="sse")),
        Convention("loss_half", _squared_words(half=True), topic="squared loss", who=("Hinton's course", "Bishop", "MITx 6.86x"),
                   reason="with ½", slips=("sse_half",),
                   own=lambda p: _on_loss(p) and p.loss == "squared",
                   **_field(lambda p: p.loss == "sse", loss="squared")),
        Convention("log2", "the cross-entropy in bits (log₂) rather than nats (ln)",
                   topic="logarithm", who=("information theory", "Hinton's course (bits)"),
                   reason="in bits",
                   applies=lambda p: _on_loss(p) and p.loss == "cross_entropy",
                   answer=_in_bits),
    )


CONVENTIONS = _conventions
