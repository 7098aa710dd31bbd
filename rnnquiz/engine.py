"""The fast path: vectorised forward and BPTT for every cell, in exact arithmetic.

Used by `solve(problem, steps=False)` and for sequences too long to show step by
step. Same numbers as the step-by-step cells (tested to 1e-9), without the
working: input projections for all steps in one matrix product, gates stacked in
one matrix, the recurrence alone in the loop, weight gradients as one product
after it. Scalar networks run their recurrence on Python floats, where numpy's
per-call overhead would dominate.
"""

from __future__ import annotations

import math

import numpy as np

from .cells.functions import ACTIVATIONS, sigmoid

# ---------------------------------------------------------------- losses (not recurrent)


def _outputs(U: np.ndarray, output: str) -> np.ndarray:
    if output == "softmax":
        E = np.exp(U - U.max(axis=1, keepdims=True))
        return E / E.sum(axis=1, keepdims=True)
    return ACTIVATIONS[output][0](U)


def _loss(Y: np.ndarray, targets: list, output: str, loss: str):
    """(E, dE/dY, dE/dU) for all steps at once; steps without a target give 0."""
    T, n = Y.shape
    mask = np.array([t is not None for t in targets])
    TG = np.zeros_like(Y)
    if mask.any():
        TG[mask] = np.array([t for t in targets if t is not None])
    m = mask[:, None]
    if loss == "squared":
        D = np.where(m, Y - TG, 0.0)
        E = 0.5 * float(np.sum(D ** 2))
        if output == "linear":
            DU = D
        elif output == "softmax":
            DU = Y * (D - np.sum(Y * D, axis=1, keepdims=True))
        elif output == "logistic":
            DU = D * Y * (1 - Y)
        else:
            DU = D * (1 - Y ** 2)
        return E, D, DU
    with np.errstate(divide="ignore", invalid="ignore"):
        if output == "softmax":
            E = -float(np.sum(np.where(m & (TG != 0), TG * np.log(Y), 0.0)))
            DY = np.where(m, -np.divide(TG, Y, out=np.zeros_like(Y), where=Y != 0), 0.0)
        else:
            E = -float(np.sum(np.where(m & (TG != 0), TG * np.log(Y), 0.0)
                              + np.where(m & (TG != 1), (1 - TG) * np.log1p(-Y), 0.0)))
            DY = np.where(m, -np.divide(TG, Y, out=np.zeros_like(Y), where=Y != 0)
                          + np.divide(1 - TG, 1 - Y, out=np.zeros_like(Y), where=Y != 1), 0.0)
    return E, DY, np.where(m, Y - TG, 0.0)


# ---------------------------------------------------------------- simple RNN


def rnn(net, X: np.ndarray, targets: list | None = None, loss: str = "squared") -> dict:
    hidden, output = net.words["hidden"], net.words["output"]
    act, d_act, _, _ = ACTIVATIONS[hidden]
    W_xh, W_hh, b_h, W_hy, b_y = (net[k] for k in ("W_xh", "W_hh", "b_h", "W_hy", "b_y"))
    T, n_h = len(X), W_hh.shape[0]
    A = X @ W_xh.T + b_h                           # every input projection at once
    Z = np.empty((T, n_h))
    H = np.empty((T, n_h))
    h = net["h_init"].copy()
    if n_h == 1 and hidden in _SCALAR:
        f = _SCALAR[hidden]
        w, hv, a = float(W_hh[0, 0]), float(h[0]), A[:, 0].tolist()
        zs, hs = [0.0] * T, [0.0] * T
        for t in range(T):
            z = a[t] + w * hv
            hv = f(z)
            zs[t], hs[t] = z, hv
        Z[:, 0], H[:, 0] = zs, hs
    else:
        for t in range(T):
            z = A[t] + W_hh @ h
            h = act(z)
            Z[t], H[t] = z, h
    Y = _outputs(H @ W_hy.T + b_y, output)
    out = {"z": Z, "h": H, "y": Y}
    if targets is None:
        return out
    E, DY, DU = _loss(Y, targets, output, loss)
    S = d_act(Z)                                    # hidden'(z_t), all steps
    DH_out = DU @ W_hy                              # W_hyᵀ dE/du_t, as rows
    DZ = np.empty_like(Z)
    DH = np.empty_like(Z)
    if n_h == 1:
        w, s, o = float(W_hh[0, 0]), S[:, 0].tolist(), DH_out[:, 0].tolist()
        dz_l, dh_l = [0.0] * T, [0.0] * T
        d = 0.0
        for t in range(T - 1, -1, -1):
            dh = o[t] + w * d
            d = dh * s[t]
            dz_l[t], dh_l[t] = d, dh
        DZ[:, 0], DH[:, 0] = dz_l, dh_l
    else:
        d = np.zeros(n_h)
        W_T = W_hh.T.copy()
        for t in range(T - 1, -1, -1):
            dh = DH_out[t] + W_T @ d
            d = dh * S[t]
            DZ[t], DH[t] = d, dh
    H_prev = np.vstack([net["h_init"][None, :], H[:-1]])
    out.update({
        "E": E, "dE/dy": DY, "dE/dz": DZ, "dE/dh": DH,
        "dE/dW_hy": DU.T @ H, "dE/db_y": DU.sum(axis=0),
        "dE/dW_xh": DZ.T @ X, "dE/dW_hh": DZ.T @ H_prev, "dE/db_h": DZ.sum(axis=0),
        "dE/dh_init": W_hh.T @ DZ[0],
    })
    return out


_SCALAR = {
    "logistic": lambda z: 1.0 / (1.0 + math.exp(-z)) if z >= 0 else
    math.exp(z) / (1.0 + math.exp(z)),
    "tanh": math.tanh,
    "relu": lambda z: z if z > 0 else 0.0,
    "linear": lambda z: z,
}


# ---------------------------------------------------------------- gated cells

_LSTM = (("f", "W_fh", "W_fx", "b_f"), ("i", "W_ih", "W_ix", "b_i"),
         ("o", "W_oh", "W_ox", "b_o"), ("g", "W_ch", "W_cx", "b_c"))


def lstm(canon: dict, h0: np.ndarray, c0: np.ndarray, X: np.ndarray, DH_of=None) -> dict:
    """LSTM forward, and BPTT when `DH_of(H) -> dE/dh_t from the outputs` is given."""
    n = h0.shape[0]
    W_h = np.vstack([canon[w] for _, w, _, _ in _LSTM])           # (4n, n)
    W_x = np.vstack([canon[w] for _, _, w, _ in _LSTM])           # (4n, x)
    b = np.concatenate([canon[k] for _, _, _, k in _LSTM])
    A = X @ W_x.T + b
    T = len(X)
    G = np.empty((T, 4 * n))        # f, i, o (sigmoids) and g (tanh), after activation
    C = np.empty((T, n))
    H = np.empty((T, n))
    h, c = h0.copy(), c0.copy()
    for t in range(T):
        z = A[t] + W_h @ h
        g = G[t]
        g[:3 * n] = sigmoid(z[:3 * n])
        g[3 * n:] = np.tanh(z[3 * n:])
        c = g[:n] * c + g[n:2 * n] * g[3 * n:]
        h = g[2 * n:3 * n] * np.tanh(c)
        C[t], H[t] = c, h
    out = {"h": H, "c": C, "f": G[:, :n], "i": G[:, n:2 * n], "o": G[:, 2 * n:3 * n],
           "g": G[:, 3 * n:]}
    if DH_of is None:
        return out
    DH_out, extra = DH_of(H)
    TC = np.tanh(C)
    C_prev = np.vstack([c0[None], C[:-1]])
    H_prev = np.vstack([h0[None], H[:-1]])
    F, I, O, Gc = out["f"], out["i"], out["o"], out["g"]
    DZ = np.empty((T, 4 * n))
    DHs = np.empty((T, n))
    DCs = np.empty((T, n))
    dh_next = np.zeros(n)
    dc_next = np.zeros(n)
    W_hT = W_h.T.copy()
    for t in range(T - 1, -1, -1):
        dh = DH_out[t] + dh_next
        tc, o = TC[t], O[t]
        dc = dh * o * (1 - tc * tc) + dc_next
        dz = DZ[t]
        f, i, g = F[t], I[t], Gc[t]
        dz[:n] = dc * C_prev[t] * f * (1 - f)
        dz[n:2 * n] = dc * g * i * (1 - i)
        dz[2 * n:3 * n] = dh * tc * o * (1 - o)
        dz[3 * n:] = dc * i * (1 - g * g)
        dh_next = W_hT @ dz
        dc_next = dc * f
        DHs[t], DCs[t] = dh, dc
    dW_x = DZ.T @ X
    dW_h = DZ.T @ H_prev
    db = DZ.sum(axis=0)
    grads = {}
    for k, (_, wh, wx, bk) in enumerate(_LSTM):
        rows = slice(k * n, (k + 1) * n)
        grads[wh], grads[wx], grads[bk] = dW_h[rows], dW_x[rows], db[rows]
    out.update({"dE/dh": DHs, "dE/dc": DCs, "grads": grads,
                "init": {"h": dh_next, "c": dc_next}, **extra})
    return out


def gru(canon: dict, h0: np.ndarray, X: np.ndarray, convention: str, DH_of=None) -> dict:
    n = h0.shape[0]
    W_u, W_r, W_c = canon["W_uh"], canon["W_rh"], canon["W_ch"]
    W_ur = np.vstack([W_u, W_r])
    A_ur = X @ np.vstack([canon["W_ux"], canon["W_rx"]]).T + np.concatenate([canon["b_u"],
                                                                               canon["b_r"]])
    A_c = X @ canon["W_cx"].T + canon["b_c"]
    b_hn = canon.get("b_hn", np.zeros(n))
    T = len(X)
    U, R, Cn, H, HN = (np.empty((T, n)) for _ in range(5))
    h = h0.copy()
    ng = convention == "ng"
    for t in range(T):
        ur = sigmoid(A_ur[t] + W_ur @ h)
        u, r = ur[:n], ur[n:]
        if ng:
            hn = r * h
            c = np.tanh(W_c @ hn + A_c[t])
            h = u * c + (1 - u) * h
        else:
            hn = W_c @ h + b_hn
            c = np.tanh(A_c[t] + r * hn)
            h = (1 - u) * c + u * h
        U[t], R[t], Cn[t], H[t], HN[t] = u, r, c, h, hn
    out = {"h": H, "u": U, "r": R, "c": Cn}
    if DH_of is None:
        return out
    DH_out, extra = DH_of(H)
    H_prev = np.vstack([h0[None], H[:-1]])
    DZu, DZr, DZc, DHs, DHN = (np.zeros((T, n)) for _ in range(5))
    dh_next = np.zeros(n)
    W_uT, W_rT, W_cT = W_u.T.copy(), W_r.T.copy(), W_c.T.copy()
    for t in range(T - 1, -1, -1):
        dh = DH_out[t] + dh_next
        u, r, c, hp = U[t], R[t], Cn[t], H_prev[t]
        if ng:
            dzc = dh * u * (1 - c * c)
            dzu = dh * (c - hp) * u * (1 - u)
            d_rh = W_cT @ dzc
            dzr = d_rh * hp * r * (1 - r)
            dh_prev = dh * (1 - u) + d_rh * r
        else:
            dzc = dh * (1 - u) * (1 - c * c)
            dzu = dh * (hp - c) * u * (1 - u)
            dzr = dzc * HN[t] * r * (1 - r)
            d_hn = dzc * r
            DHN[t] = d_hn
            dh_prev = dh * u + W_cT @ d_hn
        dh_next = dh_prev + W_uT @ dzu + W_rT @ dzr
        DZu[t], DZr[t], DZc[t], DHs[t] = dzu, dzr, dzc, dh
    grads = {"W_uh": DZu.T @ H_prev, "W_ux": DZu.T @ X, "b_u": DZu.sum(0),
             "W_rh": DZr.T @ H_prev, "W_rx": DZr.T @ X, "b_r": DZr.sum(0),
             "W_cx": DZc.T @ X, "b_c": DZc.sum(0)}
    if ng:
        grads["W_ch"], grads["b_hn"] = DZc.T @ (R * H_prev), np.zeros(n)
    else:
        grads["W_ch"], grads["b_hn"] = DHN.T @ H_prev, DHN.sum(0)
    out.update({"dE/dh": DHs, "grads": grads, "init": {"h": dh_next}, **extra})
    return out


def gated(canon: dict, s0: np.ndarray, X: np.ndarray, DH_of=None) -> dict:
    n = s0.shape[0]
    W_gs, W_ss = canon["W_gs"], canon["W_ss"]
    A_g = X @ canon["W_gx"].T + canon["b_g"]
    A_s = X @ canon["W_sx"].T + canon["b_s"]
    T = len(X)
    Gt, Ct, S = (np.empty((T, n)) for _ in range(3))
    s = s0.copy()
    for t in range(T):
        g = sigmoid(A_g[t] + W_gs @ s)
        cand = np.tanh(A_s[t] + W_ss @ s)
        s = (1 - g) * s + g * cand
        Gt[t], Ct[t], S[t] = g, cand, s
    out = {"h": S, "g": Gt, "s": Ct}
    if DH_of is None:
        return out
    DH_out, extra = DH_of(S)
    S_prev = np.vstack([s0[None], S[:-1]])
    DZg, DZs, DSs = (np.empty((T, n)) for _ in range(3))
    ds_next = np.zeros(n)
    W_gT, W_sT = W_gs.T.copy(), W_ss.T.copy()
    for t in range(T - 1, -1, -1):
        ds = DH_out[t] + ds_next
        g, cand, sp = Gt[t], Ct[t], S_prev[t]
        dzs = ds * g * (1 - cand * cand)
        dzg = ds * (cand - sp) * g * (1 - g)
        ds_next = ds * (1 - g) + W_sT @ dzs + W_gT @ dzg
        DZg[t], DZs[t], DSs[t] = dzg, dzs, ds
    grads = {"W_gs": DZg.T @ S_prev, "W_gx": DZg.T @ X, "b_g": DZg.sum(0),
             "W_ss": DZs.T @ S_prev, "W_sx": DZs.T @ X, "b_s": DZs.sum(0)}
    out.update({"dE/dh": DSs, "grads": grads, "init": {"h": ds_next}, **extra})
    return out
