"""The CTC recursions of tables.py, α and β̂ in one pass: in probability space with a scale
where α could leave float64's range, or on logarithms (logsumexp for the sums).

    ᾱ_t(s) = α_{t-1}(s) + α_{t-1}(s-1) [+ α_{t-1}(s-2) where the skip is allowed]
    α_t(s) = ᾱ_t(s) y^t_{z'_s};   β̂ the same over the reversed frames and positions
"""

from __future__ import annotations

from itertools import chain, islice, repeat

import numpy as np

SPAN = 150.0            # the scaled recursions renormalise before α could shrink by e^-150
MAX_RUN = 100           # ... or grow by 3^100 (each α_{t-1}(s) reaches at most 3 positions)


def recursion(y: np.ndarray, ext: np.ndarray, skip: np.ndarray,
               log: bool) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """ᾱ and β̂ in one pass: β̂ runs as α does over the reversed frames and positions, so
    a row is [ᾱ_t(1..U'), 0, 0, β̂_{T+1-t}(U'..1)] (the two zeros keep the halves apart) and
    each numpy call serves both. pre[t] is the predecessors' sum of post[t-1] (1 at the first
    two positions at t = 0), post[t] = pre[t] y_t. Scaled: post is divided by its sum where
    the bound from min_s y_t says it could leave float64's range (scale[t]: the log of the
    factor pre[t] lacks, per half). Log: logarithms throughout, logsumexp for the sums.
    Returns pre, scale and the y (ln y) rows in the same layout; scaled, the rows from T//2
    on hold the products ᾱβ̂ instead (below)."""
    T, S = y.shape[0], len(ext)
    L = 2 * S + 2
    zero = -np.inf if log else 0.0
    K = y.shape[1]
    # y_t at z' (ln y_t in log space), [y_t(z'_1..U'), 0, 0, y_{T+1-t}(z'_U'..1)]: one
    # gather from [y_t, y_{T+1-t}, 0], columns 0..K-1, K..2K-1, 2K
    both = np.concatenate([y, y[::-1], np.full((T, 1), zero)], axis=1)
    Y = both[:, np.concatenate([ext, [2 * K, 2 * K], K + ext[::-1]])]
    ahead = np.zeros_like(skip)                 # β_t(s) may come from β_{t+1}(s+2)
    ahead[:-2] = skip[2:]
    jump = np.concatenate([skip, [False, False], ahead[::-1]])
    pre = np.empty((T, L))                      # rows from the second on: all written below
    pre[0] = zero
    one = 0.0 if log else 1.0
    pre[0, :min(S, 2)] = one
    pre[0, S + 2:S + 2 + min(S, 2)] = one
    post = np.full(L + 2, zero)                 # post[t-1] with two empty slots in front
    body, now, back1, back2 = post[2:], post[2:], post[1:-1], post[:-2]
    tmp = np.empty(L)
    scale = np.zeros((T, 2))
    rows = iter(zip(pre, Y))
    if log:
        lmask = np.where(jump, 0.0, -np.inf)
        row, yt = next(rows)
        np.add(row, yt, out=body)
        for row, yt in rows:
            np.logaddexp(now, back1, out=row)
            np.add(back2, lmask, out=tmp)
            np.logaddexp(row, tmp, out=row)
            np.add(row, yt, out=body)
        return pre, scale, Y
    # once row T-1-t is written (t >= h), row t times row T-1-t reversed is
    # [ᾱ_t β̂_t, 0, 0, ᾱ_{T-1-t} β̂_{T-1-t} reversed]: written over y's row t, which is
    # spent, while row t is still in cache (a pass over the tables afterwards costs more)
    h = T // 2
    first = max(h, 1)
    rows = chain(zip(pre[1:first], Y[1:first], repeat(None)),
                 zip(pre[first:], Y[first:], pre[::-1, ::-1][first:]))
    mask = jump.astype(np.float64)
    with np.errstate(divide="ignore"):
        low = np.log(y[:, np.unique(ext)].min(axis=1) if S else np.ones(T))  # α's sum: no faster
    low = np.minimum(low, low[::-1])
    half_a, half_b = body[:S], body[S + 2:]
    np.multiply(pre[0], Y[0], out=body)
    log_c = np.zeros(2)
    add, mul = np.add, np.multiply              # (the loop's four calls are its whole cost)
    for start, stop in _segments(low.tolist()):
        if start > 1:
            ca, cb = half_a.sum(), half_b.sum()
            ca, cb = ca or 1.0, cb or 1.0            # a dead half stays dead: p = 0 shows later
            half_a /= ca
            half_b /= cb
            log_c = log_c + np.log([ca, cb])
            scale[start:] = log_c
        for row, yt, mate in islice(rows, stop - start):
            add(now, back1, row)
            mul(back2, mask, tmp)
            row += tmp
            mul(row, yt, body)
            if mate is not None:
                mul(row, mate, yt)
    if h == 0:                                  # T = 1: the one row is its own mate
        mul(pre[0], pre[0, ::-1], Y[0])
    return pre, scale, Y


def _segments(low: list[float]):
    """Runs of frames [start, stop) (from 1) between renormalisations: each run ends before
    its α could shrink by e^-SPAN (by Σ ln min_s y_t) or grow by more than 3^MAX_RUN."""
    start, drop = 1, low[0]
    for t in range(1, len(low)):
        if drop + low[t] < -SPAN or t - start >= MAX_RUN:
            yield start, t
            start, drop = t, 0.0
        drop += low[t]
    yield start, len(low)
