"""CTC decoders (SPEC 1.12): collapse, best path, prefix beam search, and the exact
probability of a labelling.

    B(π)        collapse a path: merge repeated symbols, then remove the blanks
    best path   π*_t = argmax_k y^t_k (a tie to the lowest column),  z* = B(π*),
                p(π*|x) = Π_t y^t_{π*_t}
    p(z|x)      = Σ_{π: B(π) = z} Π_t y^t_{π_t} = α_T(U') + α_T(U'-1)
    prefix beam (Hannun et al. 2014) for each prefix ℓ, p_b(ℓ) (its paths ending in the
                blank) and p_nb(ℓ) (ending in its last symbol), frame by frame:
                  p_b'(ℓ)   += (p_b(ℓ) + p_nb(ℓ)) y^t_b
                  p_nb'(ℓ)  += p_nb(ℓ) y^t_c               c = the last symbol of ℓ
                  p_nb'(ℓc) += p_b(ℓ) y^t_c                 the same c again: needs a blank
                  p_nb'(ℓk) += (p_b(ℓ) + p_nb(ℓ)) y^t_k     any other symbol k
                the B prefixes of largest p_b + p_nb are kept after each frame (ties to the
                earlier prefix in symbol order); the beam starts as {"": p_b = 1, p_nb = 0}.
                As Hannun's published decoder, a prefix once pruned does not get back the
                probability it had when it is reached again.
    11-785      (`beam_cmu11785`) the blank-ending and symbol-ending paths are kept in two
                lists, pruned together at the B-th best score (every path scoring as much is
                kept); after the last frame a path's two scores are added (merged).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Hashable, Sequence

import numpy as np

from .labels import min_frames
from .tables import CTCError, forward_backward


def collapse(path: Sequence[Hashable], blank: Hashable) -> list:
    """B(π): merge repeats, then remove blanks (`c_oo_o_kk___b_ooooo__oo__kkk` -> cookbook)."""
    out, prev = [], None
    for k in path:
        if k != prev and k != blank:
            out.append(k)
        prev = k
    return out


def best_path(y: np.ndarray, blank: int) -> tuple[list[int], list[int], float]:
    """(π*, B(π*), p(π*|x)): the most probable column each frame (numpy.argmax: a tie goes
    to the lowest column), collapsed, and the path's probability Π_t y^t_{π*_t}."""
    y = np.asarray(y, dtype=np.float64)
    path = y.argmax(axis=1)
    p = float(np.prod(y[np.arange(len(y)), path]))
    return path.tolist(), collapse(path.tolist(), blank), p


def labelling_probability(y: np.ndarray, labelling: Sequence[int], blank: int) -> float:
    """p(z|x) exactly, by the α recursion (0 when no alignment fits T frames)."""
    if min_frames(labelling) > len(y):
        return 0.0
    try:
        return forward_backward(list(labelling), blank, probabilities=y).p
    except CTCError:
        return 0.0


@dataclass(frozen=True)
class Prefix:
    """A prefix kept in the beam: its symbols (columns) and p_b, p_nb."""

    labels: tuple[int, ...]
    p_b: float
    p_nb: float

    @property
    def p(self) -> float:
        return self.p_b + self.p_nb


def prefix_beam(y: np.ndarray, blank: int, beam: int,
                order: Sequence[int] | None = None) -> tuple[Prefix, list[list[Prefix]]]:
    """(the best prefix after the last frame, the beam kept after each frame, best first).
    `order`: the columns in symbol order, for ties (default: column order)."""
    y = np.asarray(y, dtype=np.float64)
    K = y.shape[1]
    rank = {k: i for i, k in enumerate(order if order is not None else range(K))}
    symbols = [k for k in range(K) if k != blank]
    kept: dict[tuple, list[float]] = {(): [1.0, 0.0]}
    history = []
    for yt in y:
        nxt: dict[tuple, list[float]] = {}
        for labels, (p_b, p_nb) in kept.items():
            slot = nxt.setdefault(labels, [0.0, 0.0])
            slot[0] += (p_b + p_nb) * yt[blank]
            last = labels[-1] if labels else None
            for k in symbols:
                grown = nxt.setdefault(labels + (k,), [0.0, 0.0])
                if k == last:
                    grown[1] += p_b * yt[k]
                    nxt[labels][1] += p_nb * yt[k]
                else:
                    grown[1] += (p_b + p_nb) * yt[k]
        ranked = sorted(nxt.items(), key=lambda e: (-(e[1][0] + e[1][1]),
                                                    [rank.get(k, k) for k in e[0]]))
        kept = dict(ranked[:beam])
        history.append([Prefix(k, *v) for k, v in kept.items()])
    return history[-1][0], history


def beam_cmu11785(y: np.ndarray, blank: int, beam: int
                  ) -> tuple[tuple[int, ...], dict[tuple[int, ...], float]]:
    """11-785 HW3's BeamSearch: (the best merged path, every final path's merged score)."""
    y = np.asarray(y, dtype=np.float64)
    symbols = [k for k in range(y.shape[1]) if k != blank]
    blank_end = {(): y[0, blank]}
    symbol_end = {(k,): y[0, k] for k in symbols}
    for yt in y[1:]:
        blank_end, symbol_end = _prune(blank_end, symbol_end, beam)
        nb: dict[tuple, float] = {}
        for path, s in list(blank_end.items()) + list(symbol_end.items()):
            nb[path] = nb.get(path, 0.0) + s * yt[blank]
        ns: dict[tuple, float] = {}
        for path, s in blank_end.items():
            for k in symbols:
                ns[path + (k,)] = ns.get(path + (k,), 0.0) + s * yt[k]
        for path, s in symbol_end.items():
            for k in symbols:
                new = path if k == path[-1] else path + (k,)
                ns[new] = ns.get(new, 0.0) + s * yt[k]
        blank_end, symbol_end = nb, ns
    merged = dict(symbol_end)
    for path, s in blank_end.items():
        merged[path] = merged.get(path, 0.0) + s
    best = max(merged, key=lambda pth: merged[pth])
    return best, merged


def _prune(blank_end: dict, symbol_end: dict, beam: int) -> tuple[dict, dict]:
    scores = sorted(list(blank_end.values()) + list(symbol_end.values()), reverse=True)
    cut = scores[beam - 1] if beam < len(scores) else scores[-1]
    return ({p: s for p, s in blank_end.items() if s >= cut},
            {p: s for p, s in symbol_end.items() if s >= cut})
