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

The vectorised path (`scan`, `scan_back`, used by run.scan_values) gives the same numbers: with
nothing flowing through what is fed (target, argmax) it is the plain RNN scan with the input
[x_t; y_{t-1}] and the weights [W_xh W_yh]; with the own output fed back, the same scan with
its `feed` option (cells/rnn.py), the output's share of dE/dh_t given step by step. The working
is the simple RNN's own step too: y_{t-1} as fed is an option of SimpleRNN.step.
"""

from __future__ import annotations

import numpy as np

from .activations import ACTIVATIONS, back_through
from .base import Ctx, outer_sum
from .readout import to_state, total_input

WHICH = {"output": "the network's own output", "target": "the previous target (teacher forcing)",
         "argmax": "the one-hot of the previous output's argmax (free running)"}


def fed(p, P: dict, init_y, ys: list, caches: list, i: int, t: int, ctx: Ctx):
    """(y_{t-1} as fed into step t, its symbol, the note that says which it is); with
    `state_decay` μ, Jordan's state s_t = μ s_{t-1} + y_{t-1}, s at the first step y_init."""
    mu = p.state_decay
    if not mu:
        return _fed(p, P, init_y, ys, caches, i, t, ctx)
    if i == 0:
        return init_y, f"s_{t}", f"s_{t} = y_init (Jordan's state units, μ = {mu:g})"
    y, sym, note = _fed(p, P, init_y, ys, caches, i, t, ctx)
    s_prev = caches[i - 1]["y_prev"]
    s = ctx.work.q(f"s_{t}", mu * s_prev + y, t=t, phase="forward", eq=f"μ·s_{t - 1} + {sym}",
                   sub="{}·{} + {}", args=(mu, s_prev, y), note=note)
    return s, f"s_{t}", f"Jordan's state units: s_{t} = μ·s_{t - 1} + {sym}"


def _fed(p, P: dict, init_y, ys: list, caches: list, i: int, t: int, ctx: Ctx):
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


def through_output(out: str, u, g):
    """output'(u)ᵀ g: a gradient on y_t carried to u_t (softmax: diag(y) - y yᵀ)."""
    return back_through(out, ACTIVATIONS[out][0](u), g)


def output_jacobian(out: str, u) -> np.ndarray:
    """dy/du at one step (one example): a diagonal, or softmax's diag(y) - y yᵀ."""
    u = np.asarray(u, dtype=float)
    return np.stack([through_output(out, u, e) for e in np.eye(u.shape[-1])], axis=-1)


def recurrent(p, P: dict, h) -> np.ndarray:
    """W_rec = W_hh + W_yh diag(output'(u_t)) W_hy: how h_t reaches z_{t+1} by both paths."""
    out = p.network.words.get("output", "linear")
    return P["W_hh"] + P["W_yh"] @ output_jacobian(out, total_input(P, h)) @ P["W_hy"]


def mark_recurrent(p, P: dict, caches: list) -> None:
    """With the own output fed back, each step's cache keeps W_rec of the step before, so that
    the state Jacobian (jacobian, vanishing) takes both paths."""
    if p.feedback != "output" or p.batch:
        return
    for i in range(1, len(caches)):
        caches[i]["W_rec"] = recurrent(p, P, caches[i - 1]["h"])


def back(p, P: dict, ctx: Ctx, i: int, t: int, dz_next, dE_dy: list, dE_du: list, has_loss,
         h, caches: list | None = None) -> None:
    """dE/dy_t and dE/du_t gain what step t+1 sends back through the fed-back y_t (with
    `state_decay` μ: dE/ds_{t+1} = W_yhᵀ dE/dz_{t+1} + μ dE/ds_{t+2}, kept in the caches)."""
    work, S = ctx.work, ctx.S
    out = p.network.words.get("output", "linear")
    nz = f"dE/d{S('z', t + 1)}"
    fb = dz_next @ P["W_yh"]
    if p.state_decay and caches is not None:
        mu, later = p.state_decay, (caches[i + 2]["ds"] if i + 2 < len(caches) else None)
        fb = work.q(f"dE/ds_{t + 1}", fb if later is None else fb + mu * later, t=t,
                    phase="backward", eq=f"W_yh·{nz}" + (f" + μ·dE/ds_{t + 2}" if later is not None
                                                        else ""),
                    sub="{}·{}" + (" + {}·{}" if later is not None else ""),
                    args=(P["W_yh"].T, dz_next) + ((mu, later) if later is not None else ()),
                    note=f"s_{t + 2} = μ·s_{t + 1} + y_{t + 1} carries s_{t + 1} on"
                    if later is not None else "")
        caches[i + 1]["ds"] = fb
        nz = f"dE/ds_{t + 1}"
    decayed = bool(p.state_decay and caches is not None)
    via, vsub, vargs = (nz, "{}", (fb,)) if decayed else \
        (f"W_yh·{nz}", "{}·{}", (P["W_yh"].T, dz_next))
    if has_loss:
        dE_dy[i] = work.q(f"dE/dy_{t}", dE_dy[i] + fb, t=t, phase="backward",
                          eq=f"dE/dy_{t} (loss) + {via}", sub="{} + " + vsub,
                          args=(dE_dy[i], *vargs),
                          note=f"y_{t} is fed back into {S('z', t + 1)}")
    else:
        dE_dy[i] = work.q(f"dE/dy_{t}", fb, t=t, phase="backward", eq=via,
                          sub=vsub, args=vargs,
                          note=f"no loss at step {t}: only the feedback into "
                               f"{S('z', t + 1)}")
    if out == "linear":
        dE_du[i] = dE_dy[i]
        return
    u = total_input(P, h)
    carried = through_output(out, u, fb)
    loss_part = dE_du[i] if has_loss else np.zeros_like(carried)
    dE_du[i] = work.q(f"dE/du_{t}", loss_part + carried, t=t, phase="backward",
                      eq=(f"dE/du_{t} (loss) + " if has_loss else "")
                      + f"{out}'(u_{t})·{via}",
                      sub=("{} + " if has_loss else "") + "{}",
                      args=((loss_part,) if has_loss else ()) + (carried,),
                      note=f"u_{t} = W_hy·h_{t} + b_y; the feedback's gradient through the "
                           f"output activation")


def gradients(P: dict, caches: list, d_z: list, mu: float = 0.0) -> tuple:
    """(dE/dW_yh = Σ_t dE/dz_t y_{t-1}ᵀ, dE/dy_init = W_yhᵀ dE/dz_0). Every dE/dz_t is
    there: feedback is the simple RNN's, whose step back always gives dE/dz_t, at every step
    of whole BPTT and of truncated BPTT (each loss term's own step). With Jordan's decay μ,
    y_{t-1} is s_t, and y_init reaches every s_t as μ^t y_init: dE/dy_init = Σ_t μ^t W_yhᵀ dE/dz_t."""
    W = np.zeros_like(P["W_yh"])
    for cache, dz in zip(caches, d_z):
        W = W + outer_sum(dz, cache["y_prev"])
    if mu:
        return W, sum(mu ** k * (dz @ P["W_yh"]) for k, dz in enumerate(d_z))
    return W, d_z[0] @ P["W_yh"]


# ---------------------------------------------------------------- vectorised (no working)


def fed_inputs(p, init: dict) -> np.ndarray:
    """y_{t-1} as fed at every step under teacher forcing, known in advance:
    [y_init, target_0, ..., target_{T-2}] (the other modes are fed inside `scan`)."""
    prev = np.asarray(p.targets[:-1], dtype=float)
    F = np.concatenate([init["y"][None], prev.reshape((-1, *init["y"].shape))])
    for t in range(1, len(F)) if p.state_decay else ():     # s_t = μ s_{t-1} + target_{t-1}
        F[t] = p.state_decay * F[t - 1] + F[t]
    return F


def augmented(P: dict, X, F) -> tuple[dict, np.ndarray]:
    """W_yh y_{t-1} as part of the input: x'_t = [x_t; y_{t-1}], W'_xh = [W_xh W_yh]. With
    no gradient through what is fed, this is a plain RNN (teacher forcing, free running)."""
    return {**P, "W_xh": np.concatenate([P["W_xh"], P["W_yh"]], axis=1)}, \
        np.concatenate([X, F], axis=-1)


def scan(p, cell, P: dict, X, init: dict, opts: dict) -> dict:
    """The forward pass over every step, unrecorded; fwd["fed"] holds y_{t-1} as fed."""
    if p.feedback == "target":                  # known in advance: one plain scan
        F = fed_inputs(p, init)
        Pa, Xa = augmented(P, X, F)
        return {**cell.scan(Pa, Xa, init, **opts), "fed": F}
    act_o = ACTIVATIONS[p.network.words.get("output", "linear")][0]
    W_hy_T, b_y, mu = P["W_hy"].T.copy(), P["b_y"], p.state_decay

    def fed_next(h, f):         # y_t = output(W_hy h_t + b_y), as fed into step t+1
        y = act_o(h @ W_hy_T + b_y)
        return (y if p.feedback == "output" else one_hot(y)) + mu * f
    return cell.scan(P, X, init, feed=(init["y"], fed_next), **opts)


def scan_back(p, cell, P: dict, X, init: dict, fwd: dict, DY, DU, opts: dict):
    """BPTT over the scan: (what cell.scan_back returns, plus W_yh and y_init; dE/dy; dE/du).
    With the own output fed back, dE/dy_t and dE/du_t gain what step t+1 sends back."""
    F = fwd["fed"]
    if p.feedback != "output":                  # nothing flows through what is fed
        Pa, Xa = augmented(P, X, F)
        back = cell.scan_back(Pa, Xa, init, fwd, to_state(P, DU), **opts)
        D = X.shape[-1]
        grads = dict(back["grads"])
        grads["W_xh"], grads["W_yh"] = grads["W_xh"][:, :D], grads["W_xh"][:, D:]
        dx = back["dE/dx"]
        fed_back = dx[..., D:]              # W_yhᵀ dE/dz_t: y_init reaches s_t as μ^t y_init
        y0 = sum(p.state_decay ** t * fed_back[t] for t in range(len(X))) \
            if p.state_decay else fed_back[0]
        return {**back, "grads": grads, "dE/dx": dx[..., :D],
                "init": {**back["init"], "y": y0}}, DY, DU
    out = p.network.words.get("output", "linear")
    U = total_input(P, fwd["h"])
    DY, DU = np.array(DY, dtype=float), np.array(DU, dtype=float)
    ds, mu = 0.0, p.state_decay
    T = len(X)

    def from_output(t, dz):     # dE/dy_t gains W_yhᵀ dE/dz_{t+1}; dE/dh_t = W_hyᵀ dE/du_t
        nonlocal ds
        if t + 1 < T:
            ds = dz @ P["W_yh"] + mu * ds         # dE/ds_{t+1} (s_{t+1} = y_t when μ = 0)
            DY[t] = DY[t] + ds                    # dE/dy_t through z_{t+1}, and on
            DU[t] = DU[t] + through_output(out, U[t], ds)
        return to_state(P, DU[t])
    back = cell.scan_back(P, X, init, fwd, None, **opts, from_output=from_output)
    DZ = back["dE/dz"]
    back["grads"]["W_yh"] = outer_sum(DZ, F)
    back["init"]["y"] = DZ[0] @ P["W_yh"] + mu * ds
    return back, DY, DU
