"""The simple RNN in Hinton's notation: forward pass and BPTT, one named step at a time.

    z_t = W_xh x_t + W_hh h_{t-1} + b_h        h_t = hidden(z_t)
    u_t = W_hy h_t + b_y                       y_t = output(u_t)

Backward (min-char-rnn's lossFun, one chain-rule factor per line):

    dE/du_t = output'(u_t)ᵀ dE/dy_t            (y_t - target_t for a matched loss)
    dE/dh_t = W_hyᵀ dE/du_t + W_hhᵀ dE/dz_{t+1}
    dE/dz_t = dE/dh_t ⊙ hidden'(z_t)
"""

from __future__ import annotations

import numpy as np

from ..rounding import STATE
from ..trace import Work
from .functions import ACTIVATIONS, DERIVATIVE_FORMULA


def sym(name: str, t: int) -> str:
    """h_1, h_{-1}: the course's subscripts."""
    return f"{name}_{t}" if t >= 0 else f"{name}_{{{t}}}"


def forward(net, X: np.ndarray, work: Work) -> dict:
    """Every z_t, h_t, u_t, y_t of the simple RNN."""
    hidden, output = net.words["hidden"], net.words["output"]
    act, _, hsym, htag = ACTIVATIONS[hidden]
    out_act, _, osym, otag = ACTIVATIONS[output]
    W_xh, W_hh, b_h = net["W_xh"], net["W_hh"], net["b_h"]
    W_hy, b_y = net["W_hy"], net["b_y"]
    h = net["h_init"]
    zs, hs, us, ys = [], [], [], []
    for t, x in enumerate(X):
        z = work.q(sym("z", t), W_xh @ x + W_hh @ h + b_h, t=t, phase="forward",
                   eq=f"W_xh·x_{t} + W_hh·{sym('h', t - 1)} + b_h",
                   sub="{}·{} + {}·{} + {}", args=(W_xh, x, W_hh, h, b_h))
        h = work.q(sym("h", t), act(z), t=t, phase="forward", tags=(STATE, htag),
                   eq=f"{hsym or hidden}(z_{t})", sub=f"{hsym or hidden}({{}})", args=(z,))
        u = W_hy @ h + b_y
        if output == "linear":
            y = work.q(sym("y", t), u, t=t, phase="forward", eq=f"W_hy·h_{t} + b_y",
                       sub="{}·{} + {}", args=(W_hy, h, b_y))
        else:
            y = work.q(sym("y", t), out_act(u), t=t, phase="forward", tags=(otag,),
                       eq=f"{osym}(W_hy·h_{t} + b_y)", sub=f"{osym}({{}}·{{}} + {{}})",
                       args=(W_hy, h, b_y))
        zs.append(z), hs.append(h), us.append(u), ys.append(y)
    return {"z": zs, "h": hs, "u": us, "y": ys}


def loss_terms(output: str, loss: str, y: np.ndarray, target: np.ndarray):
    """(E_t, dE/dy_t, dE/du_t) for one step with a target."""
    if loss == "squared":
        E = 0.5 * float(np.sum((y - target) ** 2))
        dE_dy = y - target
        if output == "linear":
            dE_du = dE_dy
        elif output == "softmax":
            dE_du = y * (dE_dy - float(y @ dE_dy))     # J_softmaxᵀ dE/dy
        else:
            _, d_out, _, _ = ACTIVATIONS[output]
            dE_du = dE_dy * _output_slope(output, y)
        return E, dE_dy, dE_du
    # cross-entropy: softmax with -Σ t log y, logistic with the binary form
    with np.errstate(divide="ignore"):
        if output == "softmax":
            E = -float(np.sum(np.where(target != 0, target * np.log(y), 0.0)))
            dE_dy = -np.divide(target, y, out=np.zeros_like(y), where=y != 0)
        else:
            E = -float(np.sum(np.where(target != 0, target * np.log(y), 0.0)
                              + np.where(target != 1, (1 - target) * np.log1p(-y), 0.0)))
            dE_dy = (-np.divide(target, y, out=np.zeros_like(y), where=y != 0)
                     + np.divide(1 - target, 1 - y, out=np.zeros_like(y), where=y != 1))
    return E, dE_dy, y - target


def _output_slope(output: str, y: np.ndarray) -> np.ndarray:
    """output'(u) written from y, the value the TA has at hand."""
    return {"logistic": y * (1 - y), "tanh": 1 - y ** 2}.get(output, np.ones_like(y))


def backward(net, X: np.ndarray, fwd: dict, targets: list, loss: str, work: Work,
             given: dict | None = None) -> dict:
    """BPTT: dE/dy_t, dE/dh_t, dE/dz_t for every step and dE/d(every parameter).

    With `given` values (the exercise's rounded h_t and y_t), dE/dy_t uses the
    given y_t and z_t is recomputed from the given h_{t-1}; hidden'(z_t) is
    taken at that z_t.
    """
    hidden, output = net.words["hidden"], net.words["output"]
    act, d_act, hsym, _ = ACTIVATIONS[hidden]
    W_xh, W_hh, b_h, W_hy = net["W_xh"], net["W_hh"], net["b_h"], net["W_hy"]
    given = given or {}
    T = len(X)
    hs = given.get("h") or fwd["h"]
    ys = given.get("y") or fwd["y"]
    h_prev = [net["h_init"], *hs[:-1]]
    zs = fwd["z"]
    if given:
        zs = []
        for t in range(T):
            # the exercise's values, beside the exact ones of the forward pass
            if "h" in given:
                z = W_xh @ X[t] + W_hh @ h_prev[t] + b_h
                zs.append(work.q(sym("z", t), z, t=t, phase="given",
                                 eq=f"W_xh·x_{t} + W_hh·{sym('h', t - 1)} + b_h",
                                 sub="{}·{} + {}·{} + {}",
                                 args=(W_xh, X[t], W_hh, h_prev[t], b_h),
                                 note=f"recomputed from the given {sym('h', t - 1)}" if t else
                                 "recomputed"))
                work.given(sym("h", t), given["h"][t], fwd["h"][t], t=t)
            else:
                zs.append(fwd["z"][t])
            if "y" in given:
                work.given(sym("y", t), given["y"][t], fwd["y"][t], t=t)

    n_h, n_y = W_hh.shape[0], W_hy.shape[0]
    terms = {t: loss_terms(output, loss, ys[t], targets[t])
             for t in range(T) if targets[t] is not None}
    E_total = work.note("E", sum(E_t for E_t, _, _ in terms.values()), phase="loss",
                        eq="1/2 Σ_t (y_t - target_t)²" if loss == "squared" else
                        ("-Σ_t Σ_k target_tk log y_tk" if output == "softmax" else
                         "-Σ_t [target_t log y_t + (1 - target_t) log(1 - y_t)]"))
    dE_dy = [np.zeros(n_y) for _ in range(T)]
    dE_du = [np.zeros(n_y) for _ in range(T)]
    for t, (_, dy, du) in terms.items():
        dE_dy[t] = work.q(f"dE/dy_{t}", dy, t=t, phase="backward",
                          eq=f"y_{t} - target_{t}" if loss == "squared" else
                          (f"-target_{t}/y_{t}" if output == "softmax" else
                           f"-target_{t}/y_{t} + (1 - target_{t})/(1 - y_{t})"),
                          sub="{} - {}" if loss == "squared" else "", args=(ys[t], targets[t]))
        if output != "linear":
            dE_du[t] = work.q(f"dE/du_{t}", du, t=t, phase="backward",
                              eq=f"y_{t} - target_{t}" if loss == "cross_entropy" else
                              f"dE/dy_{t}·{output}'(u_{t})",
                              sub="{} - {}" if loss == "cross_entropy" else "",
                              args=(ys[t], targets[t]),
                              note=f"u_{t} = W_hy·h_{t} + b_y, the output's total input")
        else:
            dE_du[t] = dE_dy[t]

    dE_dz = [np.zeros(n_h) for _ in range(T)]
    dE_dh = [np.zeros(n_h) for _ in range(T)]
    d_next = np.zeros(n_h)
    for t in reversed(range(T)):
        later = t + 1 < T and "direct_term_only" not in work.variants
        dh = W_hy.T @ dE_du[t] + (W_hh.T @ d_next if later else 0.0)
        du_sym = f"dE/du_{t}" if output != "linear" else f"dE/dy_{t}"
        if later:
            eq, sub = (f"W_hy·{du_sym} + W_hh·dE/dz_{t + 1}", "{}·{} + {}·{}")
            args = (W_hy.T, dE_du[t], W_hh.T, d_next)
        else:
            eq, sub, args = f"W_hy·{du_sym}", "{}·{}", (W_hy.T, dE_du[t])
        dE_dh[t] = work.q(f"dE/dh_{t}", dh, t=t, phase="backward", eq=eq, sub=sub, args=args,
                          note=f"from the output at step {t} + carried back from z_{t + 1}"
                          if later else "")
        slope_value = d_act(zs[t])
        if "no_derivative" in work.variants:
            slope_value = np.ones_like(slope_value)
        elif "derivative_of_given" in work.variants and "h" in given and hidden == "logistic":
            slope_value = hs[t] * (1 - hs[t])          # from the given h_t, not from z_t
        slope = work.q(f"{hsym or hidden}'(z_{t})", slope_value, t=t, phase="backward",
                       eq=DERIVATIVE_FORMULA[hidden][0].replace("z", f"z_{t}"),
                       sub=DERIVATIVE_FORMULA[hidden][1],
                       args=(act(zs[t]),) * DERIVATIVE_FORMULA[hidden][1].count("{}"))
        d_next = dE_dz[t] = work.q(f"dE/dz_{t}", dE_dh[t] * slope, t=t, phase="backward",
                                   eq=f"dE/dh_{t}·{hsym or hidden}'(z_{t})", sub="{}·{}",
                                   args=(dE_dh[t], slope))

    grads = {
        "dE/dW_hy": sum(np.outer(dE_du[t], hs[t]) for t in range(T)),
        "dE/db_y": sum(dE_du),
        "dE/dW_xh": sum(np.outer(dE_dz[t], X[t]) for t in range(T)),
        "dE/dW_hh": sum(np.outer(dE_dz[t], h_prev[t]) for t in range(T)),
        "dE/db_h": sum(dE_dz),
        "dE/dh_init": W_hh.T @ dE_dz[0],
    }
    sums = {"dE/dW_hy": ("Σ_t dE/du_t·h_t", ), "dE/db_y": ("Σ_t dE/du_t",),
            "dE/dW_xh": ("Σ_t dE/dz_t·x_t",), "dE/dW_hh": ("Σ_t dE/dz_t·h_{t-1}",),
            "dE/db_h": ("Σ_t dE/dz_t",), "dE/dh_init": ("W_hh·dE/dz_0",)}
    for key, (eq,) in sums.items():
        if output == "linear":
            eq = eq.replace("du_t", "dy_t")
        grads[key] = work.q(key, grads[key], phase="gradient", eq=eq)
    return {"E": E_total, "dE/dy": dE_dy, "dE/du": dE_du, "dE/dh": dE_dh, "dE/dz": dE_dz,
            "z_used": zs, "h_used": hs, "y_used": ys, **grads}

