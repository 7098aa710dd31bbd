"""The top of a stack (SPEC 1.9): its read-out and its loss, and what they send down to the
top layer's states:

    y_t = output(W_hy h^(L)_t + b_y)     (readout: last: y once, of [h^(L→)_{T-1}; h^(L←)_0])
    dE/dh^(L)_t = W_hyᵀ dE/du_t          (readout: last: ←h's share goes to step 0)

(cells/readout.py writes each line; cells/loss.py the loss with its reduction).
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from ..trace import Work
from . import loss, own_loss_names
from . import readout as readout_
from .base import Ctx
from .marks import layer_tag, marked_notation, state_at
from .readout import output_of


def reader(p, work: Work):
    """y_t = output(W_hy h^(L)_t + b_y), on the top layer's state (both directions
    concatenated); None when the network has no read-out."""
    stack = p.stack
    if stack.W_hy is None and not p.network.notation.always_reads_out:
        return None
    notation = p.network.notation
    top_notation = marked_notation(stack, notation, len(stack.layers), None, p.T)[0]
    W_key, b_key = notation.readout
    W, b = readout_weights(stack, p.network.sizes["h"])
    P = {"W_hy": W, "b_y": b}
    params = {W_key: W.T if notation.layout == "row" else W, b_key: b}
    ctx = Ctx(work=work, notation=top_notation, params=params, convention=p.convention,
              words=p.network.words)
    if stack.last and stack.bidirectional:     # [→h_{T-1}; ←h_0], where each direction ends
        L, f, T = len(stack.layers), p.first, p.T
        ends = [state_at(notation, t, layer_tag(stack, L, d))
                for d, t in (("forward", T - 1 + f), ("backward", f))]
        return lambda h, t: readout_.working(p, P, h, t, ctx, f"[{ends[0]}; {ends[1]}]")
    return lambda h, t: readout_.working(p, P, h, t, ctx)


def readout_weights(stack, width: int):
    """W_hy and b_y of the top (zeros where the notation reads out without them)."""
    W = stack.W_hy if stack.W_hy is not None else np.zeros((1, width))
    return W, (stack.b_y if stack.b_y is not None else np.zeros(W.shape[0]))


def last_state(p, runs, H):
    """[h^(L→)_{T-1}; h^(L←)_0]: where each direction ends (Keras' Bidirectional)."""
    if not p.stack.bidirectional:
        return H[-1]
    n = runs[-1]["forward"].sub.network.sizes["h"]
    return np.concatenate([H[-1][..., :n], H[0][..., n:]], axis=-1)


def top_gradient(p, runs, H, ys, work: Work | None):
    """(E, dE/dy per step, dE/du per step, what reaches the top states per step): the loss on
    the outputs and W_hyᵀ dE/du_t, or the gradients from above."""
    stack, T = p.stack, p.T
    if p.upstream is not None:
        return None, None, None, np.asarray(p.upstream["h"], dtype=float)
    readout = ys is not None
    Y = np.zeros((T,) + np.shape(ys[0] if readout else H[0]))
    if readout:
        Y[T - len(ys):] = ys              # readout: last: the one output at the last step
    else:
        Y[:] = H
    if work is not None:
        ctx = Ctx(work=work, notation=p.network.notation, params={}, convention=p.convention,
                  words=p.network.words)
        if own_loss_names.applies(p, ctx.notation, readout):     # Hagan's e(t) and F
            tag = layer_tag(stack, len(stack.layers), None)
            E, dE_dy, dE_du = own_loss_names.working(
                p, Y, ctx, lambda t: state_at(p.network.notation, t, tag))
        else:               # the top layer's states marked, as its own lines write them
            top, _ = marked_notation(stack, ctx.notation, len(stack.layers), None, T)
            E, dE_dy, dE_du = loss.working(p, Y, replace(ctx, notation=top), readout)
        dE_dy, dE_du = np.array(dE_dy), np.array(dE_du)
    else:
        E_t, dE_dy, dE_du = loss.reduced(p, Y, output_of(p) if readout else "linear")[:3]
        E = float(np.sum(E_t))
    if p.regularization:        # AR and TAR on the top layer's states (SPEC 1.15)
        from .regularization import on_top   # noqa: PLC0415 (start-up: few files regularize)
    if not readout:
        return E, dE_dy, dE_du, on_top(p, dE_dy, H, work) if p.regularization else dE_dy
    D = dE_du @ readout_weights(stack, np.shape(H)[-1])[0]     # zeros: no read-out keys
    if stack.last and stack.bidirectional:     # ←h ends at step 0: its share goes there
        n = stack.size(len(stack.layers))
        D[0, ..., n:], D[-1, ..., n:] = D[-1, ..., n:], 0.0
    if work is not None:
        notation, f = p.network.notation, p.first
        tag = layer_tag(stack, len(stack.layers), None)
        W_key = notation.readout[0]
        d = "dy" if output_of(p) == "linear" else "du"
        for i in range(T):
            if np.any(D[i]):
                t = i + f
                work.q(f"dE/d{state_at(notation, t, tag)}", D[i], t=t, phase="backward",
                       eq=f"{W_key}ᵀ·dE/{d}_{T - 1 + f if stack.last else t}",
                       note="into both directions, the forward one first"
                       if stack.bidirectional and i == T - 1 else "")
    return E, dE_dy, dE_du, on_top(p, D, H, work) if p.regularization else D


def own_terms(p, D):
    """What reaches the top layer's states, named as the notation names it where the loss sits
    on them (Hagan: dF/da^(L)(t) = -2e(t)), else None (the layer writes it 'from above').
    One direction and no penalty: then D is the loss's gradient itself."""
    stack = p.stack
    readout = stack.W_hy is not None or p.network.notation.always_reads_out
    if (stack.bidirectional or p.regularization
            or not own_loss_names.applies(p, p.network.notation, readout)):
        return None
    return lambda i, t: own_loss_names.output_term(p, i, t, D)


def scan_readout(p, runs, H):
    stack = p.stack
    if stack.W_hy is None and not p.network.notation.always_reads_out:
        return None
    W, b = readout_weights(stack, H.shape[-1])
    P, out = {"W_hy": W, "b_y": b}, output_of(p)
    if stack.last:
        return [readout_.outputs(P, last_state(p, runs, H), out)]
    return list(readout_.outputs(P, H, out))
