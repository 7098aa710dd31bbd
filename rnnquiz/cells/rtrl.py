"""Real-time recurrent learning (Williams and Zipser 1989; Hagan ch. 14) for any cell: the
sensitivities of the state to every parameter carried forward with the pass, and the
gradients accumulated from them, which equal BPTT's.

    ds_t/dθ = ∂s_t/∂θ + J_t ds_{t-1}/dθ        J_t = ds_t/ds_{t-1}, the cell's `jacobian`
    dE/dθ   = Σ_t (dE/dh_t)ᵀ dh_t/dθ           dE/dh_t through the read-out only

s is the cell's joint state (the LSTM's (h, c)). ∂s_t/∂θ, with s_{t-1} held, is the cell's
`immediate(P, cache)` where it defines one, else its `step_back` with a unit upstream on each
state component in turn. For the simple RNN the recursion reads, as the working writes it,
dh_t/dθ = diag(f'(z_t)) (∂z_t/∂θ + W_hh dh_{t-1}/dθ). An initial state's sensitivity starts at
the identity (ds_0/dh_init = I) and has no immediate term.

A sensitivity is answered in the file's keys and layout, [i][j][k] = ∂h_i/∂W_jk for a key W
written (j, k): each state component's row goes through the notation's own map from canonical
gradients to the file's keys (stacked blocks, the row layout), which is linear. A network run
by an engine of its own (Hagan's LDDN, whose keys are written {delay: weight}) brings its own
RTRL, `cells/<engine>_rtrl.py` (rtrl_run.py hands it the problem).
"""

from __future__ import annotations

from dataclasses import dataclass
import numpy as np

from ..trace import Work
from .activations import ACTIVATIONS
from .base import Ctx, Term

SLIP = "rtrl_not_carried"        # teaching/slips.py: the J_t ds_{t-1}/dθ term dropped



@dataclass
class Sensitivities:
    """ds_t/d<key> for every step and every key of the file, each (rows of the joint state,) +
    the key's shape in the file, with what the working shows of each step."""

    keys: list                  # the file's keys: parameters, then initial states
    start: dict                 # key -> ds_0/d<key>: 0, or the identity's block for a state
    seq: dict                   # key -> [ds_t/d<key> per step]
    imm: dict                   # key -> [∂s_t/∂<key> per step] (0 for an initial state)
    jac: list                   # J_t = ds_t/ds_{t-1} per step, (S, S)
    rows: dict                  # state -> its slice of the joint state's rows


def quiet(ctx: Ctx) -> Ctx:
    return Ctx(work=Work(record=False), notation=ctx.notation, params=ctx.params,
               convention=ctx.convention, words=ctx.words)


def immediate(cell, P: dict, cache: dict, t: int, ctx: Ctx) -> dict:
    """∂s_t/∂θ for every canonical parameter θ, s_{t-1} held: (S, *θ's shape)."""
    own = getattr(cell, "immediate", None)
    if own is not None:
        return own(P, cache)
    sizes = [np.shape(cache[s])[-1] for s in cell.states]
    rows = []
    for s, n in zip(cell.states, sizes):
        for j in range(n):
            unit = np.zeros(n)
            unit[j] = 1.0
            d = {state: [] for state in cell.states}
            d["h"] = [Term(unit if s == "h" else np.zeros(sizes[0]), "")]
            if s != "h":
                d[s] = [Term(unit, "")]
            grads = cell.zero_grads(P)
            cell.step_back(P, cache, d, t, ctx, grads)
            rows.append(grads)
    return {k: np.stack([np.asarray(r[k], dtype=float) for r in rows]) for k in rows[0]}


def to_file(p, canon: dict) -> dict:
    """Canonical rows (R, *θ's shape) -> the file's keys, (R, *key's shape), row by row."""
    net = p.network
    notation = net.notation
    R = len(next(iter(canon.values())))
    out: dict = {}
    for r in range(R):
        row = {k: v[r] for k, v in canon.items()}
        named = notation.gradients(row, net.params, net.sizes)
        for k, v in row.items():        # keys the notation keeps as they are (peepholes)
            if k in notation.params and k not in named:
                named[k] = v
        for key, v in named.items():
            if key in notation.params and key not in notation.readout:
                out.setdefault(key, []).append(np.asarray(v, dtype=float))
    return {key: np.stack(v) for key, v in out.items()}


def carry(p, fp, variants=frozenset()) -> Sensitivities:
    """The sensitivities of the joint state to every key, carried forward step by step."""
    cell, P, caches = fp.cell, fp.P, fp.caches
    q = quiet(fp.ctx)
    sizes = [np.shape(caches[0][s])[-1] for s in cell.states]
    S = sum(sizes)
    ends = np.cumsum([0] + sizes)
    rows = {s: slice(int(ends[k]), int(ends[k + 1])) for k, s in enumerate(cell.states)}
    prev = {k: np.zeros((S,) + np.shape(v)) for k, v in cell.zero_grads(P).items()}
    init = {}
    for key, state in p.network.notation.states.items():
        if state in rows:
            block = np.zeros((S, sizes[cell.states.index(state)]))
            block[rows[state]] = np.eye(block.shape[1])
            init[key] = block
    dropped = SLIP in variants
    start = {**to_file(p, prev), **init}
    canon_seq, canon_imm = [], []
    seq_i: dict = {k: [] for k in init}
    jac = []
    for i, cache in enumerate(caches):
        J = np.asarray(cell.jacobian(P, cache), dtype=float)
        jac.append(J)
        I = immediate(cell, P, cache, i + fp.ctx.first, q)
        prev = {k: I[k] if dropped else I[k] + np.tensordot(J, prev[k], axes=(1, 0))
                for k in prev}
        canon_seq.append(prev)
        canon_imm.append(I)
        for key in init:
            init[key] = np.zeros_like(init[key]) if dropped else J @ init[key]
            seq_i[key].append(init[key])
    steps = [to_file(p, c) for c in canon_seq]
    firsts = [to_file(p, c) for c in canon_imm]
    seq = {key: [s[key] for s in steps] for key in steps[0]}
    imm = {key: [f[key] for f in firsts] for key in firsts[0]}
    for key, v in seq_i.items():
        seq[key] = v
        imm[key] = [np.zeros_like(x) for x in v]
    keys = [k for k in p.network.notation.params if k in seq] + list(seq_i)
    return Sensitivities(keys=keys, start=start, seq=seq, imm=imm, jac=jac, rows=rows)


def shaped(p, key: str, rows: np.ndarray):
    """One step's sensitivity as the answer gives it: (state rows,) + the key's written shape;
    a number for a scalar network."""
    net = p.network
    rows = np.asarray(rows, dtype=float)
    if not net.vector and rows.size == 1:
        return float(rows.reshape(-1)[0])
    shape = net.written.get(key)
    if shape is not None and rows.shape[0] * int(np.prod(shape)) == rows.size:
        return rows.reshape((rows.shape[0],) + tuple(shape)).tolist()
    return rows.tolist()


# ---------------------------------------------------------------- the working


def show(p, fp, sens: Sensitivities, keys: list, work: Work) -> None:
    """The recursion of each key in `keys`, step by step, with the numbers substituted."""
    ctx, cell = fp.ctx, fp.cell
    S = ctx.S
    states = ctx.notation.states
    rnn = cell.name == "rnn" and "hidden" in fp.caches[0]
    for key in keys:
        for i, cache in enumerate(fp.caches):
            t = i + ctx.first
            cur, first = sens.seq[key][i], sens.imm[key][i]
            before = sens.seq[key][i - 1] if i else sens.start[key]
            for s, r in sens.rows.items():
                if rnn:
                    eq, sub, args = _rnn_line(p, fp, cache, key, t, before)
                else:
                    terms = [] if key in states else [(f"∂{S(s, t)}/∂{key}", "{}", (first[r],))]
                    for s2, r2 in sens.rows.items():
                        terms.append((f"∂{S(s, t)}/∂{S(s2, t - 1)}·d{S(s2, t - 1)}/d{key}",
                                      "{}·{}", (sens.jac[i][r, r2], before[r2])))
                    eq = " + ".join(e for e, _, _ in terms)
                    sub = " + ".join(f for _, f, _ in terms)
                    args = tuple(a for _, _, operands in terms for a in operands)
                note = ""
                if i == 0 and s == cell.states[0]:
                    note = (f"d{S(states[key], t - 1)}/d{key} = I: the initial state itself"
                            if key in states else f"d{S(s, t - 1)}/d{key} = 0: the initial "
                                                  f"state does not depend on {key}")
                work.q(f"d{S(s, t)}/d{key}", cur[r], t=t, phase="sensitivities", eq=eq,
                       sub=sub, args=args, note=note)


def _rnn_line(p, fp, cache, key, t, before):
    """dh_t/dK = diag(f'(z_t))·(∂z_t/∂K + W_hh·dh_{t-1}/dK), the simple RNN's line."""
    ctx = fp.ctx
    S = ctx.S
    hidden = cache["hidden"]
    slope = ACTIVATIONS[hidden][1](cache["z"])
    name = ctx.notation.file_names.get("W_hh", "W_hh") + \
        ("ᵀ" if ctx.notation.layout == "row" else "")
    f = ACTIVATIONS[hidden][2] or hidden
    d = f"{f}'({S('z', t)})" if np.size(slope) == 1 else f"diag({f}'({S('z', t)}))"
    W = fp.P["W_hh"]
    if key in ctx.notation.states:
        return f"{d}·{name}·d{S('h', t - 1)}/d{key}", "{}·{}·{}", (slope, W, before)
    n = len(cache["h"])
    eye = np.eye(n)
    dz = to_file(p, {"W_xh": eye[:, :, None] * cache["x"], "b_h": eye,
                     "W_hh": eye[:, :, None] * cache["h_prev"]})[key]
    if np.size(slope) == 1:
        return (f"{d}·(∂{S('z', t)}/∂{key} + {name}·d{S('h', t - 1)}/d{key})",
                "{}·({} + {}·{})", (slope, dz, W, before))
    # vectors: the product distributed, so that a long line breaks between its two terms
    return (f"{d}·∂{S('z', t)}/∂{key} + {d}·{name}·d{S('h', t - 1)}/d{key}",
            "{}·{} + {}·{}·{}", (slope, dz, slope, W, before))
