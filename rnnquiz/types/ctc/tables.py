"""CTC forward-backward (Graves et al. 2006; Graves 2012 ch. 7): α, β, γ, p(z|x), the loss
and its gradients, for one utterance.

    y^t_k          the softmax output for symbol k at frame t (t = 1..T), u^t_k its logit
    z' = l'        the target z with a blank before, between and after its U symbols: U' = 2U+1
    α_1(1) = y^1_b,  α_1(2) = y^1_{z'_2},  α_1(s) = 0 for s > 2
    α_t(s) = (α_{t-1}(s) + α_{t-1}(s-1) [+ α_{t-1}(s-2) if z'_s ≠ b and z'_s ≠ z'_{s-2}]) y^t_{z'_s}
    β_T(U') = y^T_b,  β_T(U'-1) = y^T_{z'_{U'-1}}
    β_t(s) = (β_{t+1}(s) + β_{t+1}(s+1) [+ β_{t+1}(s+2) if z'_{s+2} ≠ b, ≠ z'_s]) y^t_{z'_s}
    p(z|x) = α_T(U') + α_T(U'-1) = Σ_s α_t(s) β_t(s) / y^t_{z'_s}   for every t
    γ_t(s) = α_t(s) β_t(s) / (y^t_{z'_s} p(z|x))          (each row sums to 1)
    β̂_t(s) = β_t(s) / y^t_{z'_s}                         (CMU 11-785's β; γ = α β̂ / p)
    E = -ln p(z|x)
    dE/dy^t_k = -1/(p (y^t_k)²) Σ_{s: z'_s = k} α_t(s) β_t(s) = -Σ_{s: z'_s = k} γ_t(s) / y^t_k
    dE/du^t_k = y^t_k - Σ_{s: z'_s = k} γ_t(s)                            (Graves eq. 7.30)

The recursions (recursion.py) run in probability space with a scale: α_t is divided by its
sum at the frames where it could otherwise leave float64's range (a bound from the smallest
y^t_{z'_s} tells when), ln p = Σ ln(scales) + ln(the last row's sum). Where some y^t_{z'_s}
is below e^-300 (or a softmax underflowed to 0 while its logit is finite) they run in log
space instead; `CTC.space` says which. α and the reversed β run side by side, so each numpy
call serves both. dE/dy^t_k is computed from the α before its y^t_k factor, so a y^t_k = 0
gives a finite gradient.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import Sequence

import numpy as np

from .labels import extend, log_softmax, min_frames, skip_connect, symbol_ranks
from .recursion import recursion as _recursion

LOG_TINY_Y = -300.0     # a y^t_{z'_s} below e^-300: log space
LOW_ROW = 1e-250        # a row of α β̂ y (scaled) summing to less: redone in log space


class CTCError(ValueError):
    """Inputs no alignment fits: the type's module turns it into a ProblemError."""


@dataclass
class CTC:
    """The forward-backward pass of one utterance. `pre_a[t, s]` is α_t(s) before its y
    factor (ᾱ: the predecessors' sum; 1 at t = 1), `pre_b[t, s]` is β̂_t(s); each row of them
    times exp(`scale_a[t]`), exp(`scale_b[t]`) is the true value (space "scaled"), or they
    hold logarithms (space "log", scales 0). Frames are numbered from 0 in the arrays."""

    y: np.ndarray
    log_y: np.ndarray
    extended: np.ndarray
    skip: np.ndarray
    blank: int
    space: str
    pre_a: np.ndarray
    pre_b: np.ndarray
    scale_a: np.ndarray
    scale_b: np.ndarray
    log_p: float
    _cache: dict = field(default_factory=dict, repr=False)

    @property
    def T(self) -> int:
        return self.y.shape[0]

    @property
    def p(self) -> float:
        return float(np.exp(self.log_p))

    @cached_property
    def _logs(self) -> tuple[np.ndarray, np.ndarray]:
        """ln ᾱ_t(s) and ln β̂_t(s), true scale: from a log-space pass, so that entries far
        below a frame's mass (0 in the scaled pass) keep their logarithms."""
        pre = self.pre_a, self.pre_b
        if self.space != "log":
            pre = _tables(self.y, self.log_y, self.extended, self.skip, self.blank, "log",
                          *_recursion(self.log_y, self.extended, self.skip, True))
            pre = pre.pre_a, pre.pre_b
        return pre

    @cached_property
    def log_ys(self) -> np.ndarray:
        """ln y^t_{z'_s}, (T, U')."""
        return self.log_y[:, self.extended]

    @cached_property
    def log_alpha(self) -> np.ndarray:
        """ln α_t(s) (T, U'), -inf where α is 0."""
        return self._logs[0] + self.log_ys

    @cached_property
    def log_beta(self) -> np.ndarray:
        """ln β_t(s) in Graves' sense (including y^t_{z'_s}), (T, U')."""
        return self._logs[1] + self.log_ys

    @cached_property
    def log_beta_hat(self) -> np.ndarray:
        """ln β̂_t(s) = ln β_t(s) - ln y^t_{z'_s}: CMU 11-785's β, (T, U')."""
        return self._logs[1]

    def _direct(self) -> bool:
        """A scaled pass that never rescaled holds α and β̂ as the hand computes them."""
        return self.space == "scaled" and not self.scale_a.any() and not self.scale_b.any()

    def alpha(self) -> np.ndarray:
        """α_t(s) (T, U'): the recursion's own products when it never rescaled."""
        if self._direct():
            return self.pre_a * self.y[:, self.extended]
        return np.exp(self.log_alpha)

    def beta(self, includes_y: bool = True) -> np.ndarray:
        """β_t(s) as Graves 2006 (includes_y) or β̂_t(s) as CMU 11-785 (T, U')."""
        if self._direct():
            return self.pre_b * self.y[:, self.extended] if includes_y else self.pre_b.copy()
        return np.exp(self.log_beta if includes_y else self.log_beta_hat)

    def underflows(self, log_table: np.ndarray) -> bool:
        """Whether some nonzero entry of the table is below float64's smallest normal."""
        finite = log_table[np.isfinite(log_table)]
        return bool(finite.size) and float(finite.min()) < np.log(np.finfo(float).tiny)

    @cached_property
    def gamma(self) -> np.ndarray:
        """γ_t(s) = α_t(s) β̂_t(s) / p(z|x): each row normalised by its own sum (= p)."""
        return self._occupancy()[0]

    @cached_property
    def dp(self) -> np.ndarray:
        """(1/p) ∂p/∂y^t_{z'_s} = ᾱ_t(s) β̂_t(s) / p, per position (T, U')."""
        return self._occupancy()[1]

    def _occupancy(self):
        if "occ" not in self._cache:
            if self.space == "log":
                with np.errstate(invalid="ignore", over="ignore"):   # γ/y of a y that underflowed
                    ab = self.pre_a + self.pre_b
                    lg = ab + self.log_ys
                    m = lg.max(axis=1, keepdims=True)
                    lse = m + np.log(np.exp(lg - m).sum(axis=1, keepdims=True))
                    self._cache["occ"] = (np.exp(lg - lse), np.exp(ab - lse))
            else:
                g, rows = self._raw()
                self._cache["occ"] = (g / rows, self._product() / rows)
        return self._cache["occ"]

    def _halves(self) -> tuple[np.ndarray, np.ndarray]:
        """Scaled: ᾱ_t(s) β̂_t(s) where the recursion left them: frames h..T-1, and frames
        h-1..0 (h = T//2), each row scaled alike, the columns in the order of s."""
        Y, S, h = self._cache["pairs"], len(self.extended), self.T // 2
        return Y[h:, :S], Y[self.T - h:, S + 2:][:, ::-1]

    def _product(self) -> np.ndarray:
        """Scaled: ᾱ_t(s) β̂_t(s) (T, U')."""
        if "ab" not in self._cache:
            late, early = self._halves()
            self._cache["ab"] = np.concatenate([early[::-1], late])
        return self._cache["ab"]

    def _raw(self):
        """Scaled: ᾱβ̂y (each row scaled alike) and its rows' sums, unnormalised."""
        if "raw" not in self._cache:
            g = self.y[:, self.extended]
            g *= self._product()
            self._cache["raw"] = g, g.sum(axis=1, keepdims=True)
        return self._cache["raw"]

    def _per_symbol_raw(self) -> tuple[np.ndarray, np.ndarray]:
        """Scaled: q = Σ_{s: z'_s = k} ᾱ_t(s) β̂_t(s) (T, K) and Σ_s ᾱβ̂y = Σ_k y^t_k q (y^t_k
        is the same for each s with z'_s = k): no (T, U') product with y."""
        if "q" not in self._cache:
            late, early = self._halves()
            q = np.concatenate([self.per_symbol(early)[::-1], self.per_symbol(late)])
            self._cache["q"] = q, np.einsum("tk,tk->t", q, self.y)[:, None]
        return self._cache["q"]

    def per_symbol(self, table: np.ndarray) -> np.ndarray:
        """Σ_{s: z'_s = k} table[t, s] for each column k: (T, U') -> (T, K), a rank at a time
        (small gathers: one of the whole table costs more in fresh pages than in arithmetic)."""
        out = np.zeros((table.shape[0], self.y.shape[1]))
        out[:, self.blank] = table[:, 0::2].sum(axis=1)
        for cols, at in self._ranks:
            out[:, cols] += table[:, at]
        return out

    @cached_property
    def _ranks(self) -> list[tuple[np.ndarray, np.ndarray]]:
        return symbol_ranks(self.extended)

    def nll(self) -> float:
        """E = -ln p(z|x)."""
        return -self.log_p

    def expected_divergence(self) -> float:
        """CMU 11-785's DIV = -Σ_t Σ_s γ_t(s) ln y^t_{z'_s} (a γ of 0 counts 0)."""
        g = self.gamma
        with np.errstate(invalid="ignore"):
            terms = np.where(g > 0, g * self.log_ys, 0.0)
        return float(-terms.sum())

    def dE_dy(self) -> np.ndarray:
        """dE/dy^t_k = -(1/p) Σ_{s: z'_s = k} ᾱ_t(s) β̂_t(s) = -Σ γ_t(s)/y^t_k, E = -ln p."""
        return 0.0 - self.per_symbol(self.dp)          # 0.0 - x: no -0.0 where γ is 0

    def dE_du(self) -> np.ndarray:
        """dE/du^t_k = y^t_k - Σ_{s: z'_s = k} γ_t(s), through the softmax."""
        if self.space == "log" or "occ" in self._cache:
            return self.y - self.per_symbol(self.gamma)
        q, rows = self._per_symbol_raw()
        g = q / rows                                # y - y q / rows in one fresh array
        return np.subtract(self.y, np.multiply(g, self.y, out=g), out=g)


def divisor(reduction: str, target_length: int) -> int:
    """`sum`: 1; `mean`: max(U, 1), as torch's ctc_loss divides one utterance's loss."""
    if reduction not in ("sum", "mean"):
        raise ValueError(f"reduction is sum or mean, not {reduction!r}")
    return max(target_length, 1) if reduction == "mean" else 1


def loss(ctc: CTC, kind: str = "nll", reduction: str = "sum") -> float:
    """`nll` (-ln p(z|x)) or `expected_divergence`, divided as `reduction` says."""
    value = {"nll": ctc.nll, "expected_divergence": ctc.expected_divergence}[kind]()
    return value / divisor(reduction, len(ctc.extended) // 2)


def gradients(ctc: CTC, reduction: str = "sum") -> tuple[np.ndarray, np.ndarray]:
    """(dE/dy, dE/du) of E = -ln p(z|x), divided as `reduction` says, each (T, K)."""
    n = divisor(reduction, len(ctc.extended) // 2)
    return ctc.dE_dy() / n, ctc.dE_du() / n


def forward_backward(target: Sequence[int], blank: int, *, probabilities=None,
                     logits=None, space: str | None = None) -> CTC:
    """The α, β tables of `target` (column indices, no blanks) over y (T, K): from
    `probabilities` (rows summing to 1, used as they are) or from `logits` (a softmax).
    `space` forces "scaled" or "log" (default: scaled unless some y would underflow; a
    scaled pass whose α β̂ rows underflow is redone in log space)."""
    if (probabilities is None) == (logits is None):
        raise ValueError("give probabilities or logits, not both")
    if logits is not None:
        log_y = log_softmax(np.asarray(logits, dtype=np.float64))
        y = np.exp(log_y)
    else:
        y = np.asarray(probabilities, dtype=np.float64)
        with np.errstate(divide="ignore"):
            log_y = np.log(y)
    T = y.shape[0]
    if y.ndim != 2 or T == 0:
        raise CTCError(f"expected one row of y per frame (T x K), got shape {y.shape}")
    need = min_frames(target)
    if need > T:
        raise CTCError(f"the target of length {len(target)} needs at least {need} frames "
                       f"(a blank between repeated symbols), but there are {T}")
    ext = extend(target, blank)
    skip = skip_connect(ext, blank)
    if space is None:
        space = "scaled"
        low = y.min(axis=0)[ext].min() if T else 1.0
        if low < np.exp(LOG_TINY_Y):      # tiny, or 0: exactly (given) or underflowed
            lys = log_y[:, ext]
            if ((lys < LOG_TINY_Y) & np.isfinite(lys)).any():
                space = "log"
    if space == "scaled":
        ctc = _tables(y, log_y, ext, skip, blank, space, *_recursion(y, ext, skip, False))
        if not np.isfinite(ctc.log_p):
            raise _impossible()
        rows = ctc._per_symbol_raw()[1]
        if np.all(rows >= LOW_ROW) and np.all(np.isfinite(rows)):
            return ctc
    ctc = _tables(y, log_y, ext, skip, blank, "log", *_recursion(log_y, ext, skip, True))
    if not np.isfinite(ctc.log_p):
        raise _impossible()
    return ctc


def _impossible() -> CTCError:
    return CTCError("p(z|x) = 0: every alignment of the target passes through a "
                    "probability of 0")


def _tables(y, log_y, ext, skip, blank, space, pre, scale, Y) -> CTC:
    S = len(ext)
    pre_a, pre_b = pre[:, :S], pre[::-1, S + 2:][:, ::-1]
    scale_a, scale_b = scale[:, 0], scale[::-1, 1]
    n = min(S, 2)
    with np.errstate(divide="ignore", invalid="ignore"):
        if space == "log":
            tail = pre_a[-1, -n:] + log_y[-1, ext[-n:]]
            m = tail.max()
            log_p = float(m + np.log(np.exp(tail - m).sum())) if np.isfinite(m) else -np.inf
        else:
            log_p = float(np.log((pre_a[-1, -n:] * y[-1, ext[-n:]]).sum()) + scale_a[-1])
    ctc = CTC(y=y, log_y=log_y, extended=ext, skip=skip, blank=blank, space=space,
              pre_a=pre_a, pre_b=pre_b, scale_a=scale_a, scale_b=scale_b, log_p=log_p)
    if space == "scaled":
        ctc._cache["pairs"] = Y             # with the products ᾱβ̂ (recursion.py)
    return ctc
