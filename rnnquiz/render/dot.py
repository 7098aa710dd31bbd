"""Graphviz: the network unrolled in time. Inputs on the bottom row, states above them,
outputs on top, one column per time step; each node shows its value, each arrow its weight.
One graph per problem: several problems go to several files (solve --out-dir); on stdout,
a file of several problems is refused like a folder (`OneGraph`), never one stream of graphs."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, TextIO

import numpy as np

from ..notations import MODELS
from ..trace.numbers import fmt

if TYPE_CHECKING:
    from ..trace import Result


def quote(text: str) -> str:
    """A Graphviz ID that is always valid: a double-quoted string (1st_yaml is not an ID)."""
    return '"' + str(text).replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def graph_name(r: Result) -> str:
    p = r.problem
    return re.sub(r"\.ya?ml$", "", (p.file or p.type).replace("\\", "/").rsplit("/", 1)[-1])


def render_dot(r: Result, out: TextIO) -> None:
    p = r.problem
    out.write(f"digraph {quote(graph_name(r))} {{\n  rankdir=BT; newrank=true;\n"
              "  node [shape=box, style=rounded, fontsize=10]; edge [fontsize=9];\n"
              f"  labelloc=t; label={quote(p.title or graph_name(r))};\n")
    net = p.network
    if net is None or net.notation.name in MODELS:
        what = (f"{p.type} problems have no network to draw" if net is None else
                "an echo state network is not drawn: its reservoir is in the working")
        out.write(f"  note [shape=plaintext, label={quote(what)}];\n}}\n")
        return
    T = p.T
    n_x, n_h = net.sizes["x"], net.sizes["h"]
    state = net.notation.key("h")
    # the network types that fix another cell have it; Hagan's LDDN draws its states only
    rnn = p.cell == "rnn" and net.engine is None
    has_y = "y" in r.values or (rnn and "verdict" not in r.values)   # a verdict has no y
    n_y = net.sizes["y"] if has_y else 0
    x = p.inputs

    def nid(kind, t, i, n):
        return quote(f"{kind}{i + 1}_{t}" if n > 1 else f"{kind}_{t}")

    def value(kind, t, i):
        seq = r.values.get(kind)
        if kind == "x":
            v = x[t]
        elif isinstance(seq, list) and t < len(seq):
            v = seq[t]
        else:
            return ""
        flat = v.reshape(-1).tolist() if hasattr(v, "reshape") else (
            v if isinstance(v, list) else [v])
        return fmt(flat[i]) if i < len(flat) else ""

    def symbol(kind, t, i, n):
        name = net.notation.symbol(kind, t) if kind != "x" else f"x_{t}"
        return name + (f"[{i + 1}]" if n > 1 else "")

    if p.stack is not None:
        _stack(r, out, nid, value, p.inputs.shape[-1], n_y)
        return
    rows = [("x", n_x), (state, n_h)] + ([("y", n_y)] if n_y else [])
    for kind, n in rows:
        ids = []
        for i in range(n):
            for t in range(T):
                v = value(kind if kind != state else state, t, i)
                label = symbol(kind if kind != state else "h", t, i, n) + (f"\\n{v}" if v else "")
                out.write(f"  {nid(kind, t, i, n)} [label=\"{label}\"];\n")
                ids.append(nid(kind, t, i, n))
        out.write("  { rank=same; " + "; ".join(ids) + "; }\n")
    # keep the columns in time order
    for kind, n in rows:
        for i in range(n):
            chain = " -> ".join(nid(kind, t, i, n) for t in range(T))
            if T > 1 and kind != state:
                out.write(f"  {chain} [style=invis];\n")

    def edges(W, src, dst, n_src, n_dst, t_src, t_dst, label, extra=""):
        for j in range(n_dst):
            for i in range(n_src):
                w = W[j, i] if W is not None else 1.0
                if w != 0:
                    text = f"{label} = {fmt(float(w))}" if W is not None else label
                    out.write(f"  {nid(src, t_src, i, n_src)} -> {nid(dst, t_dst, j, n_dst)}"
                              f" [label={quote(text)}{extra}];\n")

    P = p.network.canonical(p.cell) if rnn or net.has_output else {}   # the cell's own layout
    for t in range(T):
        if rnn:
            edges(P["W_xh"], "x", state, n_x, n_h, t, t, "W_xh")
            if t + 1 < T:
                edges(P["W_hh"], state, state, n_h, n_h, t, t + 1, "W_hh")
        else:
            edges(None, "x", state, n_x, n_h, t, t, net.engine or p.cell)
            if t + 1 < T:
                edges(None, state, state, n_h, n_h, t, t + 1, net.engine or p.cell)
        if n_y and net.has_output:
            edges(P["W_hy"], state, "y", n_h, n_y, t, t, "W_hy")
    out.write("}\n")


def _stack(r: Result, out: TextIO, nid, value, n_x: int, n_y: int) -> None:
    """A stack (SPEC 1.9): one row per layer and direction, the forward arrows left to right,
    the backward ones right to left, each layer fed by every direction of the one below."""
    p = r.problem
    T, stack = p.T, p.stack
    layers = r.values.get("_layers", {})
    arrow = {"forward": "→", "backward": "←"}
    rows = [("x", n_x, None)]
    for k, layer in enumerate(stack.layers, start=1):
        for d, net in layer.items():
            tag = (str(k) if len(stack.layers) > 1 else "") + (arrow[d] if stack.bidirectional
                                                               else "")
            rows.append((f"h{k}{d[0]}", net.sizes["h"], (k, d, tag)))
    if n_y:
        rows.append(("y", n_y, None))
    for kind, n, info in rows:
        ids = []
        for i in range(n):
            for t in range(T):
                if info is None:
                    v, name = value(kind, t, i), f"{kind}_{t}"
                else:
                    seq = layers.get(info[:2])
                    flat = list(np.asarray(seq[t], dtype=float).reshape(-1)) if seq else []
                    v = fmt(float(flat[i])) if i < len(flat) else ""
                    name = f"h^({info[2]})_{t}" if info[2] else f"h_{t}"
                label = name + (f"[{i + 1}]" if n > 1 else "") + (f"\n{v}" if v else "")
                out.write(f"  {nid(kind, t, i, n)} [label={quote(label)}];\n")
                ids.append(nid(kind, t, i, n))
        out.write("  { rank=same; " + "; ".join(ids) + "; }\n")
        for i in range(n):           # keep the columns in time order
            if T > 1 and info is None:
                chain = " -> ".join(nid(kind, t, i, n) for t in range(T))
                out.write(f"  {chain} [style=invis];\n")
    below = [("x", n_x)]
    for k, layer in enumerate(stack.layers, start=1):
        here = [(f"h{k}{d[0]}", net.sizes["h"], d) for d, net in layer.items()]
        for kind, n, d in here:
            for t in range(T):
                for src, n_src in below:
                    out.write(f"  {nid(src, t, 0, n_src)} -> {nid(kind, t, 0, n)};\n")
                if t + 1 < T:       # the backward direction's arrow drawn against the time
                    back = ", dir=back" if d == "backward" else ""
                    out.write(f"  {nid(kind, t, 0, n)} -> {nid(kind, t + 1, 0, n)} "
                              f"[label={quote(p.cell)}{back}];\n")
        below = [(kind, n) for kind, n, _ in here]
    if n_y:
        for t in range(T):
            for src, n_src in below:
                out.write(f"  {nid(src, t, 0, n_src)} -> {nid('y', t, 0, n_y)};\n")
    out.write("}\n")


class SeveralGraphs(Exception):
    """More than one problem for one graph on stdout (the CLI makes it a usage error)."""


class OneGraph:
    """`solve --format dot` without --out-dir: holds the one problem's graph until the end and
    writes it, or refuses (nothing written) when the source held several problems."""

    name = "dot"

    def __init__(self, render):
        self.render, self.results = render, []

    def __call__(self, result, out: TextIO) -> None:
        self.results.append(result)

    def finish(self, out: TextIO) -> None:
        if len(self.results) > 1:
            names = sorted({graph_name(r) for r in self.results})
            raise SeveralGraphs(f"{', '.join(names)} holds {len(self.results)} problems: "
                                "--format dot draws one graph per problem; give --out-dir DIR "
                                "to write one .dot file for each")
        for r in self.results:
            self.render(r, out)
        self.results = []
