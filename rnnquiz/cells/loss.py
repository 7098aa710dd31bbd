"""The losses, written once: every step's E_t, dE/dy_t and dE/du_t (u_t = W_hy h_t + b_y).

    squared:        E = 1/2 Σ_k (y_k - t_k)²            dE/dy = y - t
    cross-entropy:  softmax  E = -Σ_k t_k log y_k        dE/du = y Σ_k t_k - t   (y - t for one-hot)
                    logistic E = -Σ_k [t log y + (1 - t) log(1 - y)]   dE/du = y - t

Arrays carry the steps (and examples) in their leading axes; `mask` says which rows have a
target. The working and the vectorised engine read the same rows.
"""

from __future__ import annotations

import numpy as np


def losses(Y: np.ndarray, TG: np.ndarray, mask: np.ndarray, output: str, loss: str,
           U: np.ndarray | None = None):
    """(E per row, dE/dY, dE/dU), zero where a row has no target. Given the logits U
    (y = output(U), exact arithmetic), the cross-entropy's logarithms are taken from U:
    once σ(u) rounds to 1 - 2^-52, log(1 - y) from y is off by 0.2 at u = 36."""
    m = mask[..., None]
    if loss == "squared":
        D = np.where(m, Y - TG, 0.0)
        E = 0.5 * np.sum(D ** 2, axis=-1)
        if output == "linear":
            DU = D
        elif output == "softmax":
            DU = Y * (D - np.sum(Y * D, axis=-1, keepdims=True))    # J_softmaxᵀ dE/dy
        elif output == "logistic":
            DU = D * Y * (1 - Y)
        else:
            DU = D * (1 - Y ** 2)
        return E, D, DU
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


def equations(output: str, loss: str, readout: bool) -> tuple[str, str, str]:
    """(E, dE/dy_t, dE/du_t) as the working writes them; `{t}` is filled per step."""
    y = "y_{t}" if readout else "{h}"
    if loss == "squared":
        return ("1/2 Σ_t (y_t - target_t)²", f"{y} - target_{{t}}", "dE/dy_{t}·" + output + "'(u_{t})")
    if output == "softmax":
        return ("-Σ_t Σ_k target_tk log y_tk", "-target_{t}/y_{t}", "y_{t} - target_{t}")
    return ("-Σ_t [target_t log y_t + (1 - target_t) log(1 - y_t)]",
            "-target_{t}/y_{t} + (1 - target_{t})/(1 - y_{t})", "y_{t} - target_{t}")
