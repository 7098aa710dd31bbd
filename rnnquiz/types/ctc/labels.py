"""The blank-extended target z' and what it allows: the skip connections, the fewest frames an
alignment needs; and the log-softmax of logits."""

from __future__ import annotations

from typing import Sequence

import numpy as np


def extend(target: Sequence[int], blank: int) -> np.ndarray:
    """z' = (b, z_1, b, z_2, ..., z_U, b): the column of each of the U' = 2U+1 positions."""
    ext = np.full(2 * len(target) + 1, blank, dtype=np.int64)
    ext[1::2] = np.asarray(target, dtype=np.int64)
    return ext


def skip_connect(extended: np.ndarray, blank: int) -> np.ndarray:
    """Whether α_t(s) may come from α_{t-1}(s-2): z'_s is a symbol unlike z'_{s-2}."""
    ext = np.asarray(extended)
    skip = np.zeros(len(ext), dtype=bool)
    skip[2:] = (ext[2:] != blank) & (ext[2:] != ext[:-2])
    return skip


def min_frames(target: Sequence[int]) -> int:
    """The fewest frames an alignment needs: U, plus a blank between each repeated pair."""
    return len(target) + sum(1 for a, b in zip(target, target[1:]) if a == b)


def log_softmax(u: np.ndarray) -> np.ndarray:
    m = u.max(axis=1, keepdims=True)
    z = u - m
    return z - np.log(np.exp(z).sum(axis=1, keepdims=True))


def symbol_ranks(extended: np.ndarray) -> list[tuple[np.ndarray, np.ndarray]]:
    """(columns, the r-th position in z' of each) for r = 1, 2, ...: the symbols' positions
    grouped so that each column appears once a rank (a sum per symbol adds a rank at a time)."""
    seen: dict[int, list[int]] = {}
    for s in range(1, len(extended), 2):
        seen.setdefault(int(extended[s]), []).append(s)
    ranks = []
    for r in range(max(map(len, seen.values()), default=0)):
        cols = [k for k, at in seen.items() if len(at) > r]
        ranks.append((np.array(cols), np.array([seen[k][r] for k in cols])))
    return ranks
