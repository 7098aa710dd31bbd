"""The product of the state Jacobians J_t ⋯ J_from, kept as a log-norm and a matrix of norm 1
(renormalised at every factor), so that a thousand steps neither overflow nor underflow; and the
spectral norms and powers of e it is read with (e^log beyond float64 written as text)."""

from __future__ import annotations

import math

import numpy as np


class Product:
    """J_t ⋯ J_from as exp(log_norm)·Q with ‖Q‖₂ = 1: no overflow, no underflow."""

    def __init__(self):
        self.Q = None
        self.log_norm = 0.0
        self.carry = 0.0
        self.zero = False

    def times(self, J: np.ndarray) -> None:
        if self.zero:
            return
        a = float(np.max(np.abs(J)))
        if a == 0.0:
            self.zero = True
            return
        M = J / a if self.Q is None else (J / a) @ self.Q
        m = norm2(M)
        if m == 0.0:
            self.zero = True
            return
        self.Q = M / m
        self._add(math.log(a))
        self._add(math.log(m))

    def _add(self, x: float) -> None:
        """Neumaier's compensated sum: a thousand log 2's add up to 1000·log 2 exactly."""
        total = self.log_norm + x
        if abs(self.log_norm) >= abs(x):
            self.carry += (self.log_norm - total) + x
        else:
            self.carry += (x - total) + self.log_norm
        self.log_norm = total

    @property
    def log(self) -> float:
        return -math.inf if self.zero else self.log_norm + self.carry

    def value(self, scalar: bool):
        """The product's norm (a scalar network: the signed product), overflow-safe."""
        sign = 1.0 if not scalar or self.zero else float(np.sign(self.Q.reshape(-1)[0]))
        return e_to(self.log, sign)


def norm2(M: np.ndarray) -> float:
    """‖M‖₂; for large M from the largest eigenvalue of MᵀM (half the time of an SVD,
    accurate to rounding since M is scaled to entries <= 1 before)."""
    if M.size == 1:
        return float(abs(M.reshape(-1)[0]))
    if min(M.shape) <= 64:
        return float(np.linalg.norm(M, 2))
    G = M.T @ M if M.shape[0] >= M.shape[1] else M @ M.T
    return float(np.sqrt(max(np.linalg.eigvalsh(G)[-1], 0.0)))


def log_norm(J: np.ndarray) -> float:
    a = float(np.max(np.abs(J)))
    return -math.inf if a == 0.0 else math.log(a) + math.log(norm2(J / a))


def e_to(log: float, sign: float = 1.0):
    """e^log as a float, or as text (1.2e+330) beyond float64's range."""
    if log == -math.inf:
        return 0.0
    if abs(log) < 700:
        return sign * math.exp(log)
    d = log / math.log(10)
    e = math.floor(d)
    m = f"{10 ** (d - e):.6g}"
    if m == "10":                  # 9.999996... rounds up: 1e+1000, not 10e+999
        m, e = "1", e + 1
    return f"{'-' if sign < 0 else ''}{m}e{e:+d}"
