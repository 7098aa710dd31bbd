"""Output feedback for the simple RNN (Jordan networks, Goodfellow fig. 10.4 and 10.6, SPEC 1.1):

    z_t = W_xh x_t + W_hh h_{t-1} + W_yh y_{t-1} + b_h        y_{-1} = y_init

`feedback` says what y_{t-1} is: `output` (the network's own previous output: BPTT flows
through it), `target` (teacher forcing: the previous target) or `argmax` (free running: the
one-hot of the previous output's largest element, ties to the first). Backward, with the own
output fed back, step t+1 adds to the gradient of y_t:

    dE/dy_t += W_yhᵀ dE/dz_{t+1}          dE/du_t = output'(u_t)ᵀ dE/dy_t
    dE/dW_yh = Σ_t dE/dz_t y_{t-1}ᵀ       dE/dy_init = W_yhᵀ dE/dz_0

and the state's Jacobian runs through both paths: dh_t/dh_{t-1} = diag(hidden'(z_t)) W_rec,
W_rec = W_hh + W_yh diag(output'(u_{t-1})) W_hy (softmax: its full Jacobian in the middle).
"""

from __future__ import annotations

import numpy as np

from .activations import ACTIVATIONS
from .base import Ctx, outer_sum

WHICH = {"output": "the network's own output", "target": "the previous target (teacher forcing)",
         "argmax": "the one-hot of the previous output's argmax (free running)"}


def fed(p, P: dict, init_y, ys: list, caches: list, i: int, t: int, ctx: Ctx):
    """(y_{t-1} as fed into step t, its symbol, the note that says which it is)."""
    mode = p.feedback
    if i == 0:
        return init_y, "y_init", f"y_{{{t - 1}}} = y_init (feeding back {WHICH[mode]})"
    prev = f"y_{t - 1}"
    if mode == "output":
        return ys[i - 1], prev, f"fed back: {prev}, the network's own output"
    if mode == "target":
        return np.asarray(p.targets[i - 1], dtype=float), f"target_{t - 1}", \
            f"teacher forcing: the target of step {t - 1} is fed back, not {prev}"
    y = np.asarray(ys[i - 1], dtype=float)
    hot = ctx.work.q(f"onehot_{t - 1}", one_hot(y), t=t, phase="forward",
                     eq=f"onehot(argmax {prev})", note="free running: the previous output's "
                     "largest element as a one-hot (ties: the first)")
    return hot, f"onehot_{t - 1}", f"free running: onehot_{t - 1} is fed back, not {prev}"


def one_hot(y: np.ndarray) -> np.ndarray:
    """1 at the largest element of each row (np.argmax: ties to the first), 0 elsewhere."""
    out = np.zeros_like(y)
    np.put_along_axis(out, np.argmax(y, axis=-1)[..., None], 1.0, axis=-1)
    return out


def readout_input(P: dict, h) -> np.ndarray:
    """u_t = W_hy h_t + b_y, the output's total input (derivatives are taken there)."""
    return h @ P["W_hy"].T + P["b_y"]


def through_output(out: str, u, g):
    """output'(u)ᵀ g: a gradient on y_t carried to u_t (softmax: diag(y) - y yᵀ)."""
    y = ACTIVATIONS[out][0](u)
    if out == "logistic":
        return g * y * (1 - y)
    if out == "tanh":
        return g * (1 - y ** 2)
    if out == "softmax":
        return y * (g - np.sum(g * y, axis=-1, keepdims=True))
    return g


def output_jacobian(out: str, u) -> np.ndarray:
    """dy/du at one step (one example): a diagonal, or softmax's diag(y) - y yᵀ."""
    u = np.asarray(u, dtype=float)
    return np.stack([through_output(out, u, e) for e in np.eye(u.shape[-1])], axis=-1)


def recurrent(p, P: dict, h) -> np.ndarray:
    """W_rec = W_hh + W_yh diag(output'(u_t)) W_hy: how h_t reaches z_{t+1} by both paths."""
    out = p.network.words.get("output", "linear")
    return P["W_hh"] + P["W_yh"] @ output_jacobian(out, readout_input(P, h)) @ P["W_hy"]


def mark_recurrent(p, P: dict, caches: list) -> None:
    """With the own output fed back, each step's cache keeps W_rec of the step before, so that
    the state Jacobian (jacobian, vanishing) takes both paths."""
    if p.feedback != "output" or p.batch:
        return
    for i in range(1, len(caches)):
        caches[i]["W_rec"] = recurrent(p, P, caches[i - 1]["h"])


def back(p, P: dict, ctx: Ctx, i: int, t: int, dz_next, dE_dy: list, dE_du: list, has_loss,
         h) -> None:
    """dE/dy_t and dE/du_t gain what step t+1 sends back through the fed-back y_t."""
    work, S = ctx.work, ctx.S
    out = p.network.words.get("output", "linear")
    nz = f"dE/d{S('z', t + 1)}"
    fb = dz_next @ P["W_yh"]
    if has_loss:
        dE_dy[i] = work.q(f"dE/dy_{t}", dE_dy[i] + fb, t=t, phase="backward",
                          eq=f"dE/dy_{t} (loss) + W_yh·{nz}", sub="{} + {}·{}",
                          args=(dE_dy[i], P["W_yh"].T, dz_next),
                          note=f"y_{t} is fed back into {S('z', t + 1)}")
    else:
        dE_dy[i] = work.q(f"dE/dy_{t}", fb, t=t, phase="backward", eq=f"W_yh·{nz}",
                          sub="{}·{}", args=(P["W_yh"].T, dz_next),
                          note=f"no loss at step {t}: only the feedback into "
                               f"{S('z', t + 1)}")
    if out == "linear":
        dE_du[i] = dE_dy[i]
        return
    u = readout_input(P, h)
    carried = through_output(out, u, fb)
    loss_part = dE_du[i] if has_loss else np.zeros_like(carried)
    dE_du[i] = work.q(f"dE/du_{t}", loss_part + carried, t=t, phase="backward",
                      eq=(f"dE/du_{t} (loss) + " if has_loss else "")
                      + f"{out}'(u_{t})·W_yh·{nz}",
                      sub=("{} + " if has_loss else "") + "{}",
                      args=((loss_part,) if has_loss else ()) + (carried,),
                      note=f"u_{t} = W_hy·h_{t} + b_y; the feedback's gradient through the "
                           f"output activation")


def gradients(P: dict, caches: list, d_z: list) -> tuple:
    """(dE/dW_yh = Σ_t dE/dz_t y_{t-1}ᵀ, dE/dy_init = W_yhᵀ dE/dz_0)."""
    W = np.zeros_like(P["W_yh"])
    for cache, dz in zip(caches, d_z):
        if dz is not None:
            W = W + outer_sum(dz, cache["y_prev"])
    init = d_z[0] @ P["W_yh"] if d_z[0] is not None else np.zeros_like(P["y_init"])
    return W, init
