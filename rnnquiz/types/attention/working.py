"""The working of an attention question (SPEC 1.14): each energy with its numbers, the softmax,
the weights, the context and the combined output, one decoder step after another.

    e_{t,i} = score(q_t, k_i);   α_{t,i} = exp(e_{t,i}) / Σ_{j unmasked} exp(e_{t,j})  (0 if masked)
    c_t = Σ_i α_{t,i} v_i;       output (luong, cs224n) = tanh(W [c_t; q_t])
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable, Mapping

import numpy as np

from ...errors import ProblemError
from . import score as S
from .check import check_network, check_output, check_steps, resolve_score
from .symbols import Symbols

SMALL = 4                  # vectors this long are multiplied out element by element
HEAD, TAIL = 3, 2          # a long encoder shows its first and last steps
OVERFLOW = 700.0           # exp(±e) past this leaves float64: the working subtracts the max

Encoder = Callable[[Any], np.ndarray]


@dataclass(frozen=True)
class AttentionDetail:
    """The keys of SPEC 1.14, validated: arrays of float64, one row a step.

    query     (d_q,) one decoder step, or (S, d_q) several (answers then per step)
    values    (T, d_v) the encoder states (a flat list of numbers: (T,), one number a step),
              or None with `encoder` set: the hook for SPEC's `encoder:` network, a callable
              `encoder(work) -> (T, d_v)` that records the encoder's own working in `work`
    keys      (T, d_k), default the values
    energies  (T,) or (S, T): given in place of score and query (deeplearning.ai)
    network   the score's and the output's matrices by SPEC's names (W_a, v_a, W_c, U_a,
              W_attProj, W_u, W_q, W_k, w_v)
    mask      (T,) of 0/1, 1 a step that may be attended
    """

    notation: str
    score: str | None = None
    query: np.ndarray | None = None
    values: np.ndarray | None = None
    keys: np.ndarray | None = None
    energies: np.ndarray | None = None
    network: Mapping[str, np.ndarray] = field(default_factory=dict)
    mask: np.ndarray | None = None
    encoder: Encoder | None = None

    @property
    def several(self) -> bool:
        """A list of decoder steps (a query or energies written as a list of lists)."""
        given = self.query if self.query is not None else self.energies
        return given is not None and np.ndim(given) == 2


QUANTITIES = ("energies", "alpha", "context", "output")


def work_attention(d: AttentionDetail, work) -> tuple[dict[str, Any], str, tuple[str, ...]]:
    """Record the working through `work`; SPEC 1.14's quantities by name, the default asked
    (context; alpha when there are no values), and the per-step names (all of them with
    several decoder steps, else none).

    values: energies (T,), alpha (T,), context (d_v,) (a number when the values are numbers),
    output (luong's h̃_t, cs224n's o_t; only where the notation has one and the network gives
    W_c or W_u); with several decoder steps each is a list over the steps.
    """
    V = _values(d, work)
    K = _rows(d.keys) if d.keys is not None else V
    E = None if d.energies is None else np.atleast_2d(np.asarray(d.energies, dtype=np.float64))
    Q = None if d.query is None else np.atleast_2d(np.asarray(d.query, dtype=np.float64))
    if K is None and E is None:
        raise ProblemError("are missing: the encoder states to attend over (or give the "
                           "energies)", keys=("values",))
    T = len(K) if K is not None else E.shape[-1]
    mask = None if d.mask is None else np.asarray(d.mask).reshape(-1)
    check_steps(T, K, V, E, mask)
    score = None
    if E is None:
        score = resolve_score(d.notation, d.score)
        if score is None:
            raise ProblemError(f"{d.notation} gives the energies: write energies (one number "
                               "a step)", keys=("energies",))
        if Q is None:
            raise ProblemError("is missing: the energies are computed from the decoder state",
                               keys=("query",))
        if K is None:
            raise ProblemError("are missing: the encoder states to attend over",
                               keys=("values",))
        check_network(d.notation, score, Q.shape[1], K.shape[1], d.network)
    if E is not None and Q is not None and len(Q) != len(E):
        raise ProblemError(f"has {len(Q)} decoder steps, energies {len(E)}", keys=("query",))
    if Q is not None and V is not None:
        check_output(d.notation, Q.shape[1], V.shape[1], d.network)

    sym = Symbols(d.notation, several=d.several)
    given = E is not None
    if given:
        proj_k = None
    else:
        proj_k = _key_projections(score, K, d.network, sym, work)
        E = S.energies(d.notation, score, Q, K, d.network)
    out: dict[str, list] = {k: [] for k in QUANTITIES}
    for t in range(len(E)):
        if given:
            for i in _shown(T):
                if i is None:
                    work.note("…", f"{T - HEAD - TAIL:,} more energies", t=sym.t(t),
                              phase="energies")
                else:
                    work.note(sym.e(t, i), E[t, i], t=sym.t(t), phase="energies",
                              note="given by the exercise")
        else:
            _energy_row(score, Q[t], K, d.network, proj_k, E[t], sym, t, work)
        alpha = _softmax(E[t], mask, sym, t, work)
        out["energies"].append(E[t])
        out["alpha"].append(alpha)
        if V is None:
            continue
        c = _context(alpha, V, sym, t, work)
        out["context"].append(float(c[0]) if np.ndim(d.values) == 1 else c)
        if Q is not None:
            o = _output(d.notation, c, Q[t], d.network, sym, t, work)
            if o is not None:
                out["output"].append(o)
    values = {k: (v if d.several else v[0]) for k, v in out.items() if v}
    default = "context" if "context" in values else "alpha"     # no values: nothing to weigh
    return values, default, (tuple(values) if d.several else ())


def _rows(x) -> np.ndarray:
    a = np.asarray(x, dtype=np.float64)
    return a.reshape(-1, 1) if a.ndim == 1 else a


def _values(d: AttentionDetail, work) -> np.ndarray | None:
    if d.values is not None:
        return _rows(d.values)
    if d.encoder is not None:
        return _rows(d.encoder(work))
    return None


def _shown(T: int):
    """The encoder steps shown: all of a short one; of a long one the first and last, with
    None where the rest are left out."""
    if T <= HEAD + TAIL + 1:
        return list(range(T))
    return [*range(HEAD), None, *range(T - TAIL, T)]


def _transposed(symbol: str) -> str:
    """symbolᵀ, bracketed when the symbol has a superscript of its own: (h_t^dec)ᵀ, as CS224n
    writes it (h_t^decᵀ reads as a double superscript, and LaTeX refuses it)."""
    return f"({symbol})ᵀ" if "^" in symbol else f"{symbol}ᵀ"


def _dot(a: np.ndarray, b: np.ndarray) -> tuple[str, tuple]:
    """aᵀb multiplied out for short vectors, else the two vectors."""
    if a.size <= SMALL:
        return " + ".join(["{}·{}"] * a.size), tuple(x for p in zip(a, b) for x in p)
    return "{}ᵀ·{}", (a, b)


def _key_projections(score, K, P, sym: Symbols, work) -> np.ndarray | None:
    """W k_i once for every encoder step (CS224n's enc_hiddens_proj, Bahdanau's U_a h_j)."""
    if score not in ("general", "additive"):
        return None
    key = sym.W_key if score == "general" else sym.additive_keys[1]
    proj = S.projected_keys(K, P[key])
    for i in _shown(len(K)):
        if i is None:
            work.note("…", f"{len(K) - HEAD - TAIL:,} more keys", phase="keys")
        else:
            work.note(sym.Wk(i), proj[i], sub="{}·{}", args=(P[key], K[i]), phase="keys",
                      note="the same at every decoder step" if i == 0 and sym.several else "")
    return proj


def _energy_row(score, q, K, P, proj_k, E_t, sym: Symbols, t: int, work) -> None:
    proj_q = None
    if score == "additive":
        Wq = P[sym.additive_keys[0]]
        proj_q = work.note(sym.Wq(t), q @ Wq.T, t=sym.t(t), sub="{}·{}", args=(Wq, q),
                           phase="energies")
    T = len(K)
    for i in _shown(T):
        if i is None:
            work.note("…", f"{T - HEAD - TAIL:,} more energies", t=sym.t(t), phase="energies")
            continue
        eq, sub, args = _energy_text(score, sym, t, i, q, K[i], P, proj_k, proj_q)
        work.note(sym.e(t, i), E_t[i], t=sym.t(t), eq=eq, sub=sub, args=args, phase="energies")


def _energy_text(score, sym: Symbols, t, i, q, k, P, proj_k, proj_q):
    """The energy's equation in the course's symbols, and its numbers."""
    qs, ks = sym.q(t), sym.k(i)
    if score == "dot":
        return (f"{_transposed(qs)}·{ks}", *_dot(q, k))
    if score == "scaled_dot":
        sub, args = _dot(q, k)
        return f"{_transposed(qs)}·{ks}/√d", f"({sub})/√{{}}", (*args, q.size)
    if score == "general":
        return (f"{_transposed(qs)}·{sym.Wk(i)}", *_dot(q, proj_k[i]))
    if score == "additive":
        wv = sym.additive_keys[2]
        return (f"{wv}ᵀ·tanh({sym.Wq(t)} + {sym.Wk(i)})", "{}ᵀ·tanh({} + {})",
                (np.reshape(P[wv], -1), proj_q, proj_k[i]))
    if score == "concat":
        return (f"v_aᵀ·tanh(W_a·[{qs}; {ks}])", "{}ᵀ·tanh({}·{})",
                (np.reshape(P["v_a"], -1), P["W_a"], np.concatenate([q, k])))
    return (f"relu(W_2·tanh(W_1·[{ks}; {qs}] + b_1) + b_2)", "relu({}·tanh({}·{} + {}) + {})",
            (np.reshape(P["W_2"], -1), P["W_1"], np.concatenate([k, q]), P["b_1"], P["b_2"]))


def _softmax(e: np.ndarray, mask, sym: Symbols, t: int, work) -> np.ndarray:
    alpha = S.attention_weights(e, mask)
    keep = np.ones(e.shape, bool) if mask is None else mask != 0
    live = e[keep]
    # exp of the energies themselves, as the courses write it, unless it would overflow (or
    # every term underflow): then exp(e - max), which gives the same α
    m = float(live.max()) if abs(live.max()) > OVERFLOW else 0.0
    terms = [j for j in range(e.size) if keep[j]]
    shift = f" - {m:g}" if m else ""
    Z = float(np.exp(live - m).sum())
    if len(terms) <= HEAD + TAIL + 1:
        sub = " + ".join([f"exp({{}}{shift})"] * len(terms))
        args = tuple(e[j] for j in terms)
    else:
        sub, args = f"the sum of the {len(terms):,} terms", ()
    masked = "" if mask is None or keep.all() else "the masked steps left out"
    big = f"the largest energy, {m:g}, subtracted so that exp stays finite" if m else ""
    Zs = sym.Z(t, shift)
    work.note(Zs, Z, t=sym.t(t), sub=sub, args=args, phase="softmax",
              note="; ".join(filter(None, [big, masked])))
    for i in _shown(e.size):
        if i is None:
            work.note("…", f"{e.size - HEAD - TAIL:,} more weights", t=sym.t(t), phase="softmax")
        elif keep[i]:
            work.note(sym.a(t, i), alpha[i], t=sym.t(t), eq=f"exp({sym.e(t, i)}{shift})/{Zs}",
                      sub=f"exp({{}}{shift})/{{}}", args=(e[i], Z), phase="softmax")
        else:
            work.note(sym.a(t, i), 0.0, t=sym.t(t), eq="0", phase="softmax",
                      note=f"masked (mask 0): its energy {e[i]:.6g} is set to -∞, never attended")
    return alpha


def _context(alpha: np.ndarray, V: np.ndarray, sym: Symbols, t: int, work) -> np.ndarray:
    c = S.context(alpha, V)
    live = [i for i in range(len(V)) if alpha[i] != 0]
    if len(live) <= HEAD + TAIL + 1:
        sub = " + ".join(["{}·{}"] * len(live))
        args = tuple(x for i in live for x in (alpha[i], V[i] if V.shape[1] > 1 else V[i, 0]))
    else:
        sub, args = "{}ᵀ·{}", (alpha, V)
    note = "" if len(live) == len(V) else "the masked steps add nothing (α = 0)"
    work.note(sym.c(t), c if V.shape[1] > 1 else float(c[0]), t=sym.t(t), eq=sym.c_eq(t),
              sub=sub, args=args, phase="context", note=note)
    return c


def _output(notation, c, q, P, sym: Symbols, t: int, work) -> np.ndarray | None:
    key = S.NOTATIONS[notation].output_key
    if key is None or key not in P:
        return None
    if notation == "luong":
        o = S.luong_output(c, q, P[key])
        return work.note(sym.out(t), o, t=sym.t(t), eq=f"tanh(W_c·[{sym.c(t)}; {sym.q(t)}])",
                         sub="tanh({}·{})", args=(P[key], np.concatenate([c, q])),
                         phase="output")
    u, v, o = S.cs224n_output(c, q, P[key])
    tt = sym.step(t)
    work.note(f"u_{tt}", u, t=sym.t(t), eq=f"[{sym.c(t)}; {sym.q(t)}]", sub="[{}; {}]",
              args=(c, q), phase="output")
    work.note(f"v_{tt}", v, t=sym.t(t), eq=f"W_u·u_{tt}", sub="{}·{}", args=(P[key], u),
              phase="output")
    return work.note(sym.out(t), o, t=sym.t(t), eq=f"tanh(v_{tt})", sub="tanh({})", args=(v,),
                     phase="output", note="CS224n's dropout left out (as at test time)")
