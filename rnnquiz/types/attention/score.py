"""Attention (SPEC 1.14) as pure functions: the scores of each course, the masked softmax over
the encoder steps, the context and the combined output.

Shapes: a query is a vector (d_q,) or one row a decoder step (S, d_q); keys and values have one
row an encoder step, (T, d_k) and (T, d_v). Energies and weights come back (T,) or (S, T).
Matrices act on column vectors in every notation (SPEC 1.14), so a matrix W written (to, from)
applies to a row r as r @ W.T.

    luong     (Luong, Pham and Manning 2015, eqs. 5-8; h_t the decoder state, h̄_s the source's)
              score(h_t, h̄_s) = h_tᵀ h̄_s                        dot
                              = h_tᵀ W_a h̄_s                     general
                              = v_aᵀ tanh(W_a [h_t; h̄_s])        concat
              a_t(s) = exp(score(h_t, h̄_s)) / Σ_s' exp(score(h_t, h̄_s'))
              c_t = Σ_s a_t(s) h̄_s;    h̃_t = tanh(W_c [c_t; h_t])
    bahdanau  (Bahdanau, Cho and Bengio 2015, appendix A.1.2; s_{i-1} the previous decoder state)
              e_ij = v_aᵀ tanh(W_a s_{i-1} + U_a h_j);   α_ij = exp(e_ij) / Σ_k exp(e_ik)
              c_i = Σ_j α_ij h_j                          (the context is the output)
    cs224n    (CS224n assignment 4, NMT with attention; h_i^enc = the encoder's both directions)
              e_{t,i} = (h_t^dec)ᵀ W_attProj h_i^enc;    α_t = softmax(e_t)
              a_t = Σ_i α_{t,i} h_i^enc
              u_t = [a_t; h_t^dec],  v_t = W_u u_t,  o_t = dropout(tanh(v_t))   (no dropout here)
    d2l       (Dive into Deep Learning, "Attention Scoring Functions"; W_q ∈ R^{h×q}, W_k ∈ R^{h×k})
              a(q, k_i) = w_vᵀ tanh(W_q q + W_k k_i)      additive
                        = qᵀ k_i / √d                      scaled dot product (d = |q| = |k|)
              α(q, k_i) = softmax(a(q, k_i));   Σ_i α(q, k_i) v_i   (the context is the output)
    deeplearning_ai  (Sequence Models, week 3; a<t'> = [→a<t'>; ←a<t'>], s<t-1> the post-attention
              state): e<t,t'> given (SPEC 1.14), or computed by the assignment's small network
              `dense` below;  α<t,t'> = exp(e<t,t'>) / Σ_{t''=1}^{T_x} exp(e<t,t''>)
              c<t> = Σ_{t'} α<t,t'> a<t'>                 (the context is the output)

The mask (SPEC 1.14): 1 marks a step that may be attended. A masked energy is kept as computed
and set to -∞ before the softmax, so its weight is exactly 0 (CS224n's `enc_masks`, which mark the
padding with 1, are the complement; d2l's masked_softmax writes -1e6, whose exp is 0 in float64). Several decoder steps use the decoder states the file gives:
CS224n's and Luong's input feeding (o_{t-1}, h̃_{t-1} joined to the decoder's next input) acts
inside the decoder, which is not computed here, so it plays no part (SPEC asks for none).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Mapping

import numpy as np

from ...errors import ProblemError

Array = np.ndarray


@dataclass(frozen=True)
class Notation:
    """What SPEC 1.14's table fixes for a notation: its scores (the first is the default), the
    network keys of each score, the matrix of its combined output, and the steps' symbols."""

    name: str
    scores: tuple[str, ...]
    keys: Mapping[str, tuple[str, ...]]
    output_key: str | None = None
    first: int = 1                       # decoder and encoder steps are numbered from 1


NOTATIONS: dict[str, Notation] = {
    "luong": Notation("luong", ("general", "dot", "concat"),
                      {"general": ("W_a",), "dot": (), "concat": ("W_a", "v_a")}, "W_c"),
    "bahdanau": Notation("bahdanau", ("additive",), {"additive": ("W_a", "U_a", "v_a")}),
    "cs224n": Notation("cs224n", ("general",), {"general": ("W_attProj",)}, "W_u"),
    "d2l": Notation("d2l", ("additive", "scaled_dot"),
                    {"additive": ("W_q", "W_k", "w_v"), "scaled_dot": ()}),
    "deeplearning_ai": Notation("deeplearning_ai", (), {}),     # the energies are given
}

# the keys of deeplearning.ai's one_step_attention (densor1, densor2), as column-vector matrices
DENSE_KEYS = ("W_1", "b_1", "W_2", "b_2")


def default_score(notation: str) -> str | None:
    """SPEC 1.14's default: general for luong (and cs224n's one score), additive for bahdanau
    and d2l; None for deeplearning_ai, whose energies are given."""
    scores = NOTATIONS[notation].scores
    return scores[0] if scores else None


def _rows(x) -> Array:
    return np.asarray(x, dtype=np.float64)


def dot(q, K) -> Array:
    """e_i = qᵀ k_i (Luong's dot)."""
    return _rows(q) @ _rows(K).T


def scaled_dot(q, K) -> Array:
    """a(q, k_i) = qᵀ k_i / √d, d the length of q and k (d2l; Vaswani et al.)."""
    q = _rows(q)
    return q @ _rows(K).T / np.sqrt(q.shape[-1])


def general(q, K, W) -> Array:
    """e_i = qᵀ W k_i: Luong's general (W_a), CS224n's multiplicative (W_attProj), W (d_q, d_k)."""
    return _rows(q) @ (_rows(W) @ _rows(K).T)


def projected_keys(K, W) -> Array:
    """W k_i for every key, one row each: CS224n's enc_hiddens_proj (W_attProj h_i^enc), Luong's
    W_a h̄_s, Bahdanau's U_a h_j (computed once for all decoder steps)."""
    return _rows(K) @ _rows(W).T


def additive(q, K, W_q, W_k, w_v) -> Array:
    """e_i = w_vᵀ tanh(W_q q + W_k k_i): d2l's additive (W_q, W_k, w_v) and Bahdanau's
    (W_a s_{i-1}, U_a h_j, v_a). A query of S rows gives (S, T)."""
    hidden = (_rows(q) @ _rows(W_q).T)[..., None, :] + projected_keys(K, W_k)
    return np.tanh(hidden) @ _rows(w_v).reshape(-1)


def concat(q, K, W_a, v_a) -> Array:
    """score(h_t, h̄_s) = v_aᵀ tanh(W_a [h_t; h̄_s]) (Luong's concat): W_a's first d_q columns
    act on h_t, the rest on h̄_s, so it is `additive` with W_a split."""
    W_a = _rows(W_a)
    d_q = _rows(q).shape[-1]
    return additive(q, K, W_a[:, :d_q], W_a[:, d_q:], v_a)


def dense(s_prev, A, W_1, b_1, W_2, b_2) -> Array:
    """deeplearning.ai's one_step_attention: e<t,t'> = relu(W_2 tanh(W_1 [a<t'>; s<t-1>] + b_1)
    + b_2), the same small network at every t' (densor1 = Dense(10, tanh), densor2 = Dense(1,
    relu); a Keras kernel is W transposed). The softmax over t' then gives α<t,t'>."""
    A = _rows(A)
    W_1 = _rows(W_1)
    n_a = A.shape[-1]
    # [a<t'>; s<t-1>] through W_1 is W_1[:, :n_a] a<t'> + W_1[:, n_a:] s<t-1>
    hidden = np.tanh((_rows(s_prev) @ W_1[:, n_a:].T)[..., None, :] + A @ W_1[:, :n_a].T
                     + _rows(b_1).reshape(-1))
    e = hidden @ _rows(W_2).reshape(-1) + _rows(b_2).reshape(-1)[0]
    return np.maximum(e, 0.0)


def energies(notation: str, score: str, q, K, network: Mapping[str, object]) -> Array:
    """The energies of a notation's score with the network keys SPEC 1.14 names."""
    P = network
    if notation == "bahdanau":
        return additive(q, K, P["W_a"], P["U_a"], P["v_a"])
    if notation == "cs224n":
        return general(q, K, P["W_attProj"])
    if notation == "d2l":
        return (scaled_dot(q, K) if score == "scaled_dot"
                else additive(q, K, P["W_q"], P["W_k"], P["w_v"]))
    if notation == "luong":
        if score == "dot":
            return dot(q, K)
        if score == "concat":
            return concat(q, K, P["W_a"], P["v_a"])
        return general(q, K, P["W_a"])
    if notation == "deeplearning_ai" and score == "dense":
        return dense(q, K, *(P[k] for k in DENSE_KEYS))
    raise ProblemError(f"{notation} has no score {score!r}", keys=("score",))


def attention_weights(e, mask=None, axis: int = -1) -> Array:
    """α = softmax(e) over the encoder steps (axis -1), masked steps at exactly 0.

        α_i = exp(e_i - m) / Σ_{j unmasked} exp(e_j - m),  m = max_{j unmasked} e_j

    (subtracting m changes nothing but keeps exp finite). `axis` other than -1 is the slip of
    a softmax over the decoder steps. A mask of all zeros is an error."""
    e = _rows(e)
    keep = (np.ones(e.shape, dtype=bool) if mask is None
            else np.broadcast_to(np.asarray(mask) != 0, e.shape))
    if not keep.any(axis=axis).all():
        raise ProblemError("every step is masked (0): nothing can be attended", keys=("mask",))
    z = np.where(keep, e, -np.inf)
    ex = np.where(keep, np.exp(z - z.max(axis=axis, keepdims=True)), 0.0)
    return ex / ex.sum(axis=axis, keepdims=True)


def context(alpha, V) -> Array:
    """c = Σ_i α_i v_i (Luong's c_t, Bahdanau's c_i, CS224n's a_t, deeplearning.ai's c<t>)."""
    return _rows(alpha) @ _rows(V)


def luong_output(c, h, W_c) -> Array:
    """h̃_t = tanh(W_c [c_t; h_t]) (Luong eq. 5), W_c (d_out, d_v + d_q)."""
    return np.tanh(np.concatenate([_rows(c), _rows(h)], axis=-1) @ _rows(W_c).T)


def cs224n_output(a, h_dec, W_u) -> tuple[Array, Array, Array]:
    """(u_t, v_t, o_t): u_t = [a_t; h_t^dec], v_t = W_u u_t, o_t = tanh(v_t) (CS224n's o_t
    without its dropout), W_u (h, 2h + h). The order is the handout's; much code writes
    torch.cat([dec_hidden, a_t]), which gives the same o_t only with W_u's columns swapped."""
    u = np.concatenate([_rows(a), _rows(h_dec)], axis=-1)
    v = u @ _rows(W_u).T
    return u, v, np.tanh(v)


@dataclass(frozen=True)
class Attention:
    """One or several decoder steps of attention, every quantity of SPEC 1.14."""

    energies: Array
    alpha: Array
    context: Array | None
    output: Array | None


def attend(notation: str, q, K, V=None, network: Mapping[str, object] | None = None, *,
           score: str | None = None, mask=None, given=None) -> Attention:
    """Energies (or the `given` ones), α, the context (with values V) and the combined output
    (where the notation has one and the network gives its matrix), without any working."""
    network = network or {}
    score = score or default_score(notation)
    e = _rows(given) if given is not None else energies(notation, score, q, K, network)
    alpha = attention_weights(e, mask)
    c = context(alpha, V) if V is not None else None
    out = None
    key = NOTATIONS[notation].output_key
    if c is not None and q is not None and key is not None and key in network:
        out = (luong_output(c, q, network[key]) if notation == "luong"
               else cs224n_output(c, q, network[key])[2])
    return Attention(e, alpha, c, out)
