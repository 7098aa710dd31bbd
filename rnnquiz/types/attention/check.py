"""The checks an attention problem needs before its working: the score each notation allows, the
network keys that score reads, and every shape, each failure a ProblemError naming its key.

Shapes as the working takes them: query (S, d_q), keys (T, d_k), values (T, d_v), energies
(S, T), mask (T,); matrices (to, from), acting on column vectors.
"""

from __future__ import annotations

from typing import Mapping

import numpy as np

from ...errors import ProblemError
from .score import DENSE_KEYS, NOTATIONS, default_score

# the formula each key takes part in, for the message that says it is missing
NEEDS = {("luong", "general"): "score(h_t, h̄_s) = h_tᵀ W_a h̄_s",
         ("luong", "concat"): "score(h_t, h̄_s) = v_aᵀ tanh(W_a [h_t; h̄_s])",
         ("bahdanau", "additive"): "e_ij = v_aᵀ tanh(W_a s_{i-1} + U_a h_j)",
         ("cs224n", "general"): "e_{t,i} = (h_t^dec)ᵀ W_attProj h_i^enc",
         ("d2l", "additive"): "a(q, k) = w_vᵀ tanh(W_q q + W_k k)",
         ("deeplearning_ai", "dense"): "e<t,t'> = relu(W_2 tanh(W_1 [a<t'>; s<t-1>] + b_1) + b_2)"}


def resolve_score(notation: str, score: str | None) -> str | None:
    """The score to use: the file's, checked against the notation, else SPEC 1.14's default."""
    if notation not in NOTATIONS:
        raise ProblemError(f"unknown notation {notation!r} for attention; expected one of "
                           + ", ".join(NOTATIONS), keys=("notation",))
    allowed = NOTATIONS[notation].scores
    if notation == "deeplearning_ai":
        allowed = ("dense",)      # the assignment's small network; SPEC's files give energies
    if score is None:
        return default_score(notation)
    if score not in allowed:
        why = (f"{notation} scores with " + " or ".join(allowed)) if notation != "cs224n" else \
            "cs224n has its one score, general: (h_t^dec)ᵀ W_attProj h_i^enc"
        raise ProblemError(f"{score!r} is not a score of the {notation} notation: {why}",
                           keys=("score",))
    return score


def _shape(a) -> str:
    return "x".join(map(str, np.shape(a))) or "a number"


def _matrix(network: Mapping, key: str, rows: int | None, cols: int, why: str) -> None:
    W = network[key]
    if np.ndim(W) != 2 or (rows is not None and W.shape[0] != rows) or W.shape[1] != cols:
        want = f"{rows if rows is not None else 'any'}x{cols}"
        raise ProblemError(f"has shape {_shape(W)}, expected {want} ({why})",
                           keys=("network", key))


def _vector(network: Mapping, key: str, n: int, why: str) -> None:
    v = np.asarray(network[key])
    if v.size != n or (v.ndim == 2 and 1 not in v.shape) or v.ndim > 2:
        raise ProblemError(f"has shape {_shape(v)}, expected {n} numbers ({why})",
                           keys=("network", key))


def check_network(notation: str, score: str, d_q: int, d_k: int,
                  network: Mapping[str, np.ndarray]) -> None:
    """Every key the score reads is present and of the shape the query and keys call for."""
    keys = DENSE_KEYS if score == "dense" else NOTATIONS[notation].keys.get(score, ())
    for k in keys:
        if k not in network:
            raise ProblemError(f"is missing: the {notation} {score} score, "
                               f"{NEEDS[notation, score]}, needs it", keys=("network", k))
    sizes = f"query {d_q}, keys {d_k}"
    if score in ("dot", "scaled_dot") and d_q != d_k:
        raise ProblemError(f"the {score} score needs query and keys of one length; the query "
                           f"has {d_q}, the keys {d_k}", keys=("query",))
    elif score == "general":
        _matrix(network, keys[0], d_q, d_k, f"{sizes}: qᵀ W k")
    elif score == "concat":
        _matrix(network, "W_a", None, d_q + d_k, f"{sizes}: W_a acts on [h_t; h̄_s]")
        _vector(network, "v_a", network["W_a"].shape[0], "one per row of W_a")
    elif score == "additive":
        wq, wk, wv = keys
        _matrix(network, wq, None, d_q, f"{sizes}: {wq} acts on the query")
        n = network[wq].shape[0]
        _matrix(network, wk, n, d_k, f"{sizes}: {wk} acts on the keys, rows as {wq}")
        _vector(network, wv, n, f"one per row of {wq}")
    elif score == "dense":
        _matrix(network, "W_1", None, d_k + d_q, f"{sizes}: W_1 acts on [a<t'>; s<t-1>]")
        n = network["W_1"].shape[0]
        _vector(network, "b_1", n, "one per row of W_1")
        _vector(network, "W_2", n, "one output unit: one per row of W_1")
        _vector(network, "b_2", 1, "one output unit")


def check_output(notation: str, d_q: int, d_v: int, network: Mapping[str, np.ndarray]) -> None:
    """The combined output's matrix, where the notation has one and the network gives it."""
    key = NOTATIONS[notation].output_key
    if key is not None and key in network:
        what = "[c_t; h_t]" if notation == "luong" else "u_t = [a_t; h_t^dec]"
        _matrix(network, key, None, d_v + d_q, f"values {d_v}, query {d_q}: {key} acts on {what}")


def check_steps(T: int, keys: np.ndarray | None, values: np.ndarray | None,
                energies: np.ndarray | None, mask: np.ndarray | None) -> None:
    """keys, values, energies and mask agree on the number of encoder steps T."""
    if values is not None and keys is not None and len(keys) != len(values):
        raise ProblemError(f"has {len(keys)} rows (steps), values has {len(values)}",
                           keys=("keys",))
    if energies is not None and energies.shape[-1] != T:
        raise ProblemError(f"has {energies.shape[-1]} energies a decoder step, the encoder "
                           f"has {T} steps", keys=("energies",))
    if energies is not None and not np.all(np.isfinite(energies)):
        raise ProblemError("must be finite numbers", keys=("energies",))
    if mask is not None:
        if mask.shape != (T,):
            raise ProblemError(f"has {mask.size} entries, the encoder has {T} steps",
                               keys=("mask",))
        if not np.all((mask == 0) | (mask == 1)):
            raise ProblemError("takes 1 (may be attended) or 0 (padding) at each step",
                               keys=("mask",))
        if not mask.any():
            raise ProblemError("is all zeros: every step is masked, nothing can be attended",
                               keys=("mask",))


def missing_quantity(notation: str, quantity: str, network: Mapping[str, np.ndarray],
                     has_values: bool = True, has_query: bool = True) -> ProblemError:
    """Why `work_attention` left a quantity of SPEC 1.14 out, as the error to raise when it is
    asked (the notation has no output, the output's matrix or the values are missing)."""
    key = NOTATIONS[notation].output_key
    if quantity == "context" or (quantity == "output" and not has_values):
        return ProblemError("are missing: the context is the weighted sum of the values",
                            keys=("values",))
    if quantity == "output" and key is None:
        return ProblemError(f"the {notation} notation has no combined output: its output is "
                            "the context (ask for context)", keys=("ask", "quantity"))
    if quantity == "output" and key not in network:
        what = ("h̃_t = tanh(W_c [c_t; h_t])" if notation == "luong"
                else "o_t = tanh(W_u [a_t; h_t^dec])")
        return ProblemError(f"is missing: the output, {what}, needs it", keys=("network", key))
    if quantity == "output" and not has_query:
        return ProblemError("is missing: the output joins the decoder state to the context",
                            keys=("query",))
    return ProblemError(f"attention has no quantity {quantity!r}; expected one of energies, "
                        "alpha, context, output", keys=("ask", "quantity"))
