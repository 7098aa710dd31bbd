"""The working of a `ctc` problem (SPEC 1.12): every α, β and γ entry with its sum
substituted (small cases; one row a frame beyond), p(z|x), the loss, the gradients, and the
decoders frame by frame. `work(detail, w)` records the steps through a `Work` (rnnquiz/trace.py)
and returns `(values, default, per_step)`, the quantities by SPEC's names.

    Graves (default): frames t = 1..T, positions s = 1..U', β_t(s) includes y^t_{l'_s},
        γ_t(s) = α_t(s) β_t(s) / (y^t_{l'_s} p(z|x))
    cmu11785: frames and positions from 0, β_t(s) excludes it, γ_t(s) = α_t(s) β_t(s) / p(z|x)
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from . import decoders, labels, tables
from .working_tables import HEAD, gap, rows, shown, write_tables

BEAM_SHOWN = 8       # prefixes of a frame's beam written out


@dataclass
class CTCDetail:
    """A validated `ctc` problem: the file's keys as plain values."""

    symbols: list[str]                       # the labels in column order, without the blank
    blank: str = "-"
    blank_index: int = 0                     # the blank's column: 0, or len(symbols) (last)
    probabilities: np.ndarray | None = None  # (T, K), rows summing to 1
    logits: np.ndarray | None = None         # (T, K), before a softmax
    target: list[str] | None = None          # the labelling z of the loss
    loss: str = "nll"                        # nll | expected_divergence
    reduction: str = "sum"                   # sum | mean
    notation: str = "graves"                 # graves | cmu11785
    method: str | None = None                # greedy | beam
    beam: int | None = None
    sequence: list[str] | None = None        # a labelling whose probability is asked
    path: list[str] | None = None            # a path to collapse

    @property
    def columns(self) -> list[str]:
        cols = list(self.symbols)
        cols.insert(self.blank_index, self.blank)
        return cols

    @property
    def first(self) -> int:
        return 0 if self.notation == "cmu11785" else 1

    def index(self, labels) -> list[int]:
        cols = self.columns
        return [cols.index(k) for k in labels]

    def text(self, labels) -> str | list[str]:
        """A labelling or path as SPEC writes it: a string when every symbol is one character."""
        names = [self.columns[k] if isinstance(k, (int, np.integer)) else k for k in labels]
        return "".join(names) if all(len(n) == 1 for n in self.columns) else names


def work(d: CTCDetail, w) -> tuple[dict[str, Any], str, tuple[str, ...]]:
    values: dict[str, Any] = {}
    default = "loss"
    y = None
    if d.probabilities is not None or d.logits is not None:
        y = _inputs(d, w)
    if d.path is not None:
        values["collapse"] = d.text(_collapse(d, w))
        default = "collapse"
    per_step: tuple[str, ...] = ()
    if d.target is not None and y is not None:
        ctc = tables.forward_backward(d.index(d.target), d.blank_index,
                                      probabilities=d.probabilities, logits=d.logits)
        values.update(write_tables(d, ctc, w))
        per_step = ("alpha", "beta", "gamma", "log_alpha", "log_beta", "dE/dy", "dE/du")
    if d.sequence is not None and y is not None and d.method is None:
        p = decoders.labelling_probability(y, d.index(d.sequence), d.blank_index)
        w.note(f"p({d.text(d.sequence)}|x)", p, eq="α_T(U') + α_T(U'-1)", phase="decode",
               note="summed over every alignment (the α recursion)")
        values["probability"] = p
        default = "probability"
    if d.method is not None and y is not None:
        values.update(_greedy(d, y, w) if d.method == "greedy" else _beam(d, y, w))
        default = "sequence"
    return values, default, per_step


def _inputs(d: CTCDetail, w) -> np.ndarray:
    if d.logits is None:
        return np.asarray(d.probabilities, dtype=np.float64)
    y = np.exp(labels.log_softmax(np.asarray(d.logits, dtype=np.float64)))
    rows(d, w, "y", y, "softmax(u_t)", "softmax",
          note="columns " + ", ".join(d.columns))
    return y


def _collapse(d: CTCDetail, w) -> list[str]:
    merged = [k for i, k in enumerate(d.path) if i == 0 or k != d.path[i - 1]]
    w.note("merge repeats", d.text(merged), sub="{}", args=(d.text(d.path),), phase="collapse")
    out = [k for k in merged if k != d.blank]
    w.note("B(π)", d.text(out), sub="{}", args=(d.text(merged),), phase="collapse",
           note=f"the blanks ({d.blank}) removed")
    return out


def _greedy(d: CTCDetail, y: np.ndarray, w) -> dict[str, Any]:
    path, labelling, p = decoders.best_path(y, d.blank_index)
    for t, k in enumerate(path):
        if shown(t, len(path)):
            n = t + d.first
            w.note(f"π_{n}", d.columns[k], t=n, eq=f"argmax_k y_{n}(k)", phase="best path",
                   note=f"y_{n}({d.columns[k]}) = {float(y[t, k]):.6g}, the largest of the frame")
        elif t == HEAD:
            gap(w, len(path), "best path")
    written = d.text(path)
    w.note("π", written, phase="best path", note="the best path, one symbol a frame")
    w.note("B(π)", d.text(labelling), sub="B({})", args=(written,), phase="best path",
           note="repeats merged, then blanks removed")
    probs = tuple(float(y[t, k]) for t, k in enumerate(path))
    sub = " · ".join(["{}"] * len(probs)) if len(probs) <= 12 else "the product of the T terms"
    w.note("p(π|x)", p, eq="Π_t y_t(π_t)", sub=sub, args=probs if len(probs) <= 12 else (),
           phase="best path", note="the best path's own probability, not its labelling's")
    return {"path": written, "sequence": d.text(labelling), "probability": p}


def _beam(d: CTCDetail, y: np.ndarray, w) -> dict[str, Any]:
    order = sorted(range(len(d.columns)), key=lambda k: (k == d.blank_index, k))
    best, history = decoders.prefix_beam(y, d.blank_index, d.beam, order=order)
    T = len(history)
    for t, kept in enumerate(history):
        if not shown(t, T):
            if t == HEAD:
                gap(w, T, "beam")
            continue
        for pre in kept[:BEAM_SHOWN]:
            w.note(f"p({d.text(pre.labels) or '∅'})", pre.p, t=t + d.first,
                   eq="p_b + p_nb", sub="{} + {}", args=(pre.p_b, pre.p_nb), phase="beam",
                   note=f"kept after frame {t + d.first}")
        if len(kept) > BEAM_SHOWN:
            w.note("…", f"{len(kept) - BEAM_SHOWN} more prefixes", t=t + d.first, phase="beam")
    label = d.text(best.labels)
    w.note("sequence", label, phase="beam", note="the best prefix after the last frame")
    return {"sequence": label, "probability": best.p}
