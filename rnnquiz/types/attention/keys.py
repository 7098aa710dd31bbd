"""SPEC 1.14's keys of a problem mapping as an AttentionDetail: numbers as float64 arrays, the
network's keys checked against the notation, each failure a ProblemError naming its key.

The type module calls `detail_from_dict(doc, encoder=...)` after the keys every type shares are
taken care of; `encoder`, when the file has an `encoder:` network, is the callable that runs it
(built by the registry from SPEC 1.3-1.10's networks) and yields the values.
"""

from __future__ import annotations

from typing import Any, Mapping

import numpy as np

from ...errors import ProblemError
from .check import resolve_score
from .score import DENSE_KEYS, NOTATIONS
from .working import AttentionDetail, Encoder

KEYS = ("notation", "score", "query", "keys", "values", "encoder", "energies", "network", "mask")


def _array(value: Any, keys: tuple, ndims: tuple[int, ...], what: str) -> np.ndarray:
    try:
        a = np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError, OverflowError):
        raise ProblemError(f"must be {what}: numbers, rows of equal length", keys=keys) from None
    if a.ndim == 0 and ndims != (1,):
        a = a.reshape((1, 1) if 2 in ndims and keys[0] == "network" else (1,))
    if isinstance(value, bool) or a.ndim not in ndims or a.size == 0:
        raise ProblemError(f"must be {what}", keys=keys)
    if not np.all(np.isfinite(a)):
        raise ProblemError("must be finite numbers", keys=keys)
    return a


def network_keys(notation: str, score: str | None) -> tuple[str, ...]:
    """The keys a network may hold: the score's, and the combined output's matrix."""
    n = NOTATIONS[notation]
    keys = DENSE_KEYS if score == "dense" else n.keys.get(score, ())
    return tuple(keys) + ((n.output_key,) if n.output_key else ())


def detail_from_dict(doc: Mapping[str, Any], encoder: Encoder | None = None) -> AttentionDetail:
    """An AttentionDetail from a problem's keys (the keys of other types are not looked at)."""
    notation = doc.get("notation")
    if notation is None:
        raise ProblemError("attention needs a notation: one of " + ", ".join(NOTATIONS),
                           keys=("notation",))
    if not isinstance(notation, str):
        raise ProblemError("must be a name: one of " + ", ".join(NOTATIONS), keys=("notation",))
    if notation not in NOTATIONS:
        raise ProblemError(f"expected one of {', '.join(NOTATIONS)}, got {notation!r}",
                           keys=("notation",))
    given_e = doc.get("energies") is not None
    if given_e and doc.get("score") is not None:
        raise ProblemError("the energies are given: leave out score (or energies)",
                           keys=("score",))
    score = None if given_e else resolve_score(notation, doc.get("score"))
    if doc.get("values") is not None and doc.get("encoder") is not None:
        raise ProblemError("give the encoder states as values or compute them with encoder, "
                           "not both", keys=("encoder",))
    if doc.get("encoder") is not None and encoder is None:
        raise ProblemError("an encoder network is not run here: give its states as values",
                           keys=("encoder",))
    arrays = {}
    for key, ndims, what in (("query", (1, 2), "a vector, or one a decoder step"),
                             ("values", (1, 2), "one row (or number) an encoder step"),
                             ("keys", (1, 2), "one row (or number) an encoder step"),
                             ("energies", (1, 2), "one number an encoder step (a row a "
                                                  "decoder step)"),
                             ("mask", (1,), "one 0 or 1 an encoder step")):
        if doc.get(key) is not None:
            arrays[key] = _array(doc[key], (key,), ndims, what)
    network = doc.get("network") or {}
    if not isinstance(network, Mapping):
        raise ProblemError("must be a mapping of the score's matrices", keys=("network",))
    allowed = network_keys(notation, score)
    params = {}
    for k, v in network.items():
        if k not in allowed:
            which = ", ".join(allowed) or "none (the energies are given)"
            raise ProblemError(f"is not a key of the {notation} notation's "
                               f"{score or 'given energies'}: expected {which}",
                               keys=("network", k))
        params[k] = _array(v, ("network", k), (1, 2), "a matrix (to, from) or a vector")
    return AttentionDetail(notation=notation, score=score, network=params, encoder=encoder,
                           **arrays)
