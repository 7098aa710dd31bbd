"""The working of a long sequence solved by its scan: its first steps, a line saying which
steps are not shown and where their values are, then its last steps.

The scan computes every step without working, so the shown steps are worked again on short
problems: the first HEAD inputs from the file's initial states, and the last TAIL inputs
from the scan's states before them, numbered from T - TAIL (so h_{T-TAIL-1} is the real
previous state). Neither loops over the sequence. A backward pass runs from the last step:
its last steps need only the states and targets there and are worked so; each earlier step
carries back the gradient of every later one, so the working shows none of them.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from ..problem import Problem
from ..trace import Step, Work


def short_working(p: Problem, module, out, work: Work, head: int, tail: int) -> None:
    """The first `head` steps, the gap line, the last `tail` steps (each phase's, as far as
    they can be worked alone), then the lines the scan recorded itself (a verdict)."""
    f, T = p.first, p.T
    begin = len(work.steps)
    first = getattr(module, "long_head", module.solve if getattr(module, "SHORT_HEAD", False)
                    else None)
    if first is not None:
        first(_part(p, 0, head), work)
    last, why = _last(p, module, out, T - tail)
    ends = []
    if last is not None:
        part = Work(work.rounding)
        part.scalar = work.scalar
        getattr(module, "long_tail", module.solve)(last, part)
        # the per-step lines only: a total (E, a parameter's gradient) would be the tail's
        ends = [s for s in part.steps if s.t is not None]
        # a quantity's role (forget gate, memory cell) is named once, at the first step
        roles = {s.note for s in work.steps[begin:] if s.t == f and s.note}
        ends = [replace(s, note="") if s.t == T - tail + f and s.note in roles else s
                for s in ends]
    shown = T - tail if last is not None else T
    note = f"steps {head + f} … {shown - 1 + f} are not shown (T = {T:,})"
    before, after = ([s.t for s in steps if s.phase == "factor"]
                     for steps in (work.steps[begin:], ends))
    if before and after:
        note += f", nor the factors of steps {max(before) + 1} … {min(after) - 1}"
    if any(s.phase == "backward" for s in ends):
        note += (f", nor the backward pass's steps {T - tail - 1 + f} … {f}: each carries back "
                 "the gradient of every later step")
    note += (f"; {why}" if why else "") + \
        "; every value is in the answer (--json), or ask one step with ask.t"
    work.steps.append(Step(symbol="…", value=f"{shown - head:,} steps", note=note))
    work.steps.extend(ends)
    work.steps.extend(out.working)


def _part(p: Problem, start: int, stop: int | None = None) -> Problem:
    """The problem of inputs start … stop - 1 (its targets, mask, tokens, upstream), asking
    nothing of its own."""
    cut = slice(start, stop)
    kw = {"inputs": p.inputs[cut], "ask": type(p.ask)()}
    for key in ("targets", "mask", "tokens"):
        if getattr(p, key) is not None:
            kw[key] = getattr(p, key)[cut]
    if p.upstream is not None:
        kw["upstream"] = {**p.upstream, "h": p.upstream["h"][cut]}
    return replace(p, **kw)


def _last(p: Problem, module, out, start: int) -> tuple[Problem | None, str]:
    """The problem of the last steps, starting from the scan's states at step start - 1 and
    numbered from `start`; or None and why they cannot be worked alone."""
    net = p.network
    if p.stack is not None or getattr(net, "engine", None):
        return None, ("the last steps of a network of layers (a stack, or Hagan's layers with "
                      "delays) are not worked either")
    if p.feedback:
        return None, "the last steps of a network that feeds back its output are not worked either"
    if p.regularization:
        return None, ("the last steps are not worked either: the penalties (AR, TAR) are means "
                      "over the whole sequence")
    last = _part(p, start)
    if p.reduction == "mean" and p.targets is not None and p.upstream is None \
            and np.sum(last.mask) != np.sum(p.mask):
        return None, ("the last steps are not worked either: reduction mean scales each "
                      "step's gradient by the whole sequence's count of loss terms")
    notation = net.notation
    params = dict(net.params)
    for key, state in notation.states.items():
        seq = out.values.get(notation.key(state), out.values.get("_" + state))
        if seq is None:                 # a type whose scan keeps no states
            return None, "the last steps are not worked either"
        params[key] = np.array(seq[start - 1], dtype=float)
    shifted = replace(notation, first=notation.first + start)
    return replace(last, network=replace(net, notation=shifted, params=params)), ""

