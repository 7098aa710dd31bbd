"""The state Jacobians of a forward pass (SPEC 1.1, 1.6): each step's d(state_t)/d(state_{t-1})
(each cell's `jacobian`; the LSTM's joint (h, c)), and their product between two steps,
dh_to/dh_from. The simple RNN's, written once:

    dh_t/dh_{t-1}   = diag(hidden'(z_t)) W_hh      (rnn_state)
    dz_{t+1}/dz_t   = W_hh diag(hidden'(z_t))      (rnn_pre: the same factors grouped the other
                                                     way, as the vanishing-gradient courses write)

With the own output fed back, W_hh becomes W_rec = W_hh + W_yh diag(output'(u_t)) W_hy.
"""

from __future__ import annotations

from ..errors import ProblemError
from ..trace import Work


def rnn_state(slope, W):
    """dh_t/dh_{t-1} = diag(hidden'(z_t)) W: row i of W times hidden'(z_t,i)."""
    return slope[:, None] * W


def rnn_pre(slope, W):
    """dz_{t+1}/dz_t = W diag(hidden'(z_t)): column j of W times hidden'(z_t,j)."""
    return W * slope[None, :]


def between(p, fp, work: Work):
    """dh_to/dh_from = J_to ⋯ J_{from+1}, J_t = d(state_t)/d(state_{t-1}); element (i, j) is
    ∂h_to,i/∂h_from,j in every notation and layout. Default: from the initial state to the
    last step (SPEC 1.1). For the LSTM the product runs over the joint (h, c)."""
    first, T = fp.ctx.first, len(fp.caches)
    start = p.ask.start if p.ask.start is not None else first - 1
    stop = p.ask.stop if p.ask.stop is not None else first + T - 1
    if not first - 1 <= start < stop <= first + T - 1:
        raise ProblemError(f"expected {first - 1} <= from < to <= {first + T - 1} (from "
                           f"{first - 1} is the initial state), got from {start}, to {stop}",
                           keys=("ask", "from" if p.ask.start is not None else "to"))
    S = fp.ctx.S
    J = None
    for i in range(start - first + 1, stop - first + 1):
        step = fp.cell.jacobian(fp.P, fp.caches[i])
        J = step if J is None else step @ J
    H = fp.caches[0]["h"].shape[-1]
    J = J[:H, :H]                    # ∂h_to/∂h_from, the cell state of `from` held fixed
    return work.note(f"d{S('h', stop)}/d{S('h', start)}", J, phase="jacobian",
                     eq=" ".join(f"J_{t}" for t in range(stop, start, -1)) if stop - start <= 6
                     else f"J_{stop} ⋯ J_{start + 1}",
                     note="J_t = dh_t/dh_{t-1}, the state Jacobian of step t"
                     + ("; of the joint (h, c) for the LSTM, h's block"
                        if len(fp.cell.states) > 1 else ""))


def per_step(fp, work: Work):
    """The state Jacobians d(state_t)/d(state_{t-1}) for t = 1 ... T-1 of a forward pass,
    with their labels, each a line of the working."""
    S = fp.ctx.S
    joint = len(fp.cell.states) > 1
    jac, labels = [], []
    for i in range(1, len(fp.caches)):
        t = i + fp.ctx.first
        J = fp.cell.jacobian(fp.P, fp.caches[i])
        jac.append(J)
        if joint:
            labels.append(f"d(h_{t}, c_{t})/d(h_{t - 1}, c_{t - 1})")
        else:
            labels.append(f"d{S('h', t)}/d{S('h', t - 1)}")
        if J.size == 1:
            work.note(labels[-1], float(J.reshape(-1)[0]), t=t, phase="factor",
                      eq="the state's derivative")
        else:
            work.note(labels[-1], J, t=t, phase="factor", eq="the state's Jacobian")
    return jac, labels
