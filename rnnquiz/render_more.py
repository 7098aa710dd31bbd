"""Two more renderers for instructors: LaTeX answer keys and the unrolled graph (Graphviz dot).

Registered in render.RENDERERS beside table, json and markdown.
"""

from __future__ import annotations

import re
from typing import TextIO

from .trace import Result, fmt, substitute

_TEX = [("·", r" \cdot "), ("⊙", r" \odot "), ("σ", r"\sigma"), ("Γ", r"\Gamma"), ("Σ", r"\sum"),
        ("²", "^2"), ("‖", r"\|"), ("ᵀ", "^T"), ("…", r"\ldots"), ("≈", r"\approx"),
        ("Π", r"\Pi "), ("₂", "_2"), ("⋯", r"\cdots "),
        ("α", r"\alpha "), ("θ", r"\theta "), ("±", r"\pm "), ("≤", r"\le ")]


def tex_math(text: str) -> str:
    """The working's symbols as LaTeX math: W_xh -> W_{xh}, a<1> -> a^{\\langle 1\\rangle}."""
    text = re.sub(r"([A-Za-z])̃", r"\\tilde{\1}", text)
    for a, b in _TEX:
        text = text.replace(a, b)
    text = re.sub(r"<(-?\d+)>", r"^{\\langle \1\\rangle}", text)
    # a framework's key with two underscores (weight_ih_l0) is one name, not a double subscript
    text = re.sub(r"\b[A-Za-z]+(?:_[A-Za-z0-9]+){2,}\b",
                  lambda m: r"\mathrm{" + m.group(0).replace("_", r"\_") + "}", text)
    text = re.sub(r"<([A-Za-z]\w*)>", r"\\langle \\mathrm{\1}\\rangle ", text)   # <eos>
    text = re.sub(r"_<(\w)", r"_{<\1}", text)                                      # y_<t
    text = re.sub(r"_([A-Za-z0-9,]{2,})", r"_{\1}", text)
    text = re.sub(r"\btanh\b", r"\\tanh", text)
    text = re.sub(r"\b(logistic|relu|linear|softmax)\b", r"\\mathrm{\1}", text)
    return text.replace("%", r"\%").replace("#", r"\#")


def tex_text(text: str) -> str:
    for a, b in (("\\", r"\textbackslash{}"), ("&", r"\&"), ("%", r"\%"), ("$", r"\$"),
                 ("#", r"\#"), ("_", r"\_"), ("{", r"\{"), ("}", r"\}"),
                 ("<", r"\textless{}"), (">", r"\textgreater{}"), ("^", r"\textasciicircum{}"),
                 ("~", r"\textasciitilde{}")):
        text = text.replace(a, b)
    for a, b in _TEXT_MATH:
        text = text.replace(a, f"${b}$")
    return text


# symbols of titles and sources that only math mode has
_TEXT_MATH = [("α", r"\alpha"), ("θ", r"\theta"), ("σ", r"\sigma"), ("Γ", r"\Gamma"),
              ("Σ", r"\Sigma"), ("Π", r"\Pi"), ("‖", r"\|"), ("←", r"\leftarrow"),
              ("·", r"\cdot"), ("²", r"^2"), ("≤", r"\le"), ("±", r"\pm"), ("×", r"\times"),
              ("√", r"\surd"), ("⊙", r"\odot")]


def render_latex(r: Result, out: TextIO) -> None:
    p = r.problem
    out.write(f"\\subsection*{{{tex_text(p.title or p.file or p.type)}}}\n")
    if p.source:
        out.write(f"\\emph{{{tex_text(p.source)}}}\\\\\n")
    if p.type == "choice":
        out.write(tex_text(p.question) + "\n\\begin{enumerate}\n")
        for i, o in enumerate(p.options, start=1):
            mark = r"$\checkmark$ " if i in p.correct else ""
            out.write(f"  \\item {mark}{tex_text(o)}\n")
        out.write("\\end{enumerate}\n")
        if p.explanation:
            out.write(tex_text(p.explanation) + "\n")
    elif r.steps:
        out.write("\\begin{align*}\n")
        for s in r.steps:
            if isinstance(s.value, str):
                continue
            parts = [tex_math(s.symbol)]
            if s.equation and s.equation != s.symbol:
                parts.append(tex_math(s.equation))
            working = substitute(s.formula, s.operands)
            if working:
                parts.append(tex_math(working))
            parts.append(tex_math(fmt(s.value, 6)))
            out.write("  " + parts[0] + " &= " + " = ".join(parts[1:]) + " \\\\\n")
        out.write("\\end{align*}\n")
    ans = r.answer if isinstance(r.answer, str) else fmt(r.answer, 10)
    out.write(f"\\textbf{{Answer:}} {tex_text(r.question)} $= {tex_math(ans)}$"
              if not isinstance(r.answer, str) else
              f"\\textbf{{Answer:}} {tex_text(r.question)}: {tex_text(ans)}")
    if r.answer_rounded is not None:
        out.write(f" $\\approx {fmt(r.answer_rounded, p.ask.digits)}$")
    out.write("\n\n")
    for sub in r.sub:
        render_latex(sub, out)


def render_dot(r: Result, out: TextIO) -> None:
    """The network unrolled in time: one node per unit and step, one arrow per weight."""
    p = r.problem
    name = re.sub(r"\W", "_", (p.file or p.type).rsplit("/", 1)[-1])
    out.write(f"digraph {name} {{\n  rankdir=LR;\n  node [shape=circle, fontsize=10];\n")
    net = p.network
    if net is None:
        out.write(f"  // {p.type} problems have no network to draw\n}}\n")
        for sub in r.sub:
            render_dot(sub, out)
        return
    T = p.T
    n_x, n_h = net.sizes["x"], net.sizes["h"]
    state = net.notation.key("h")
    rnn = p.cell == "rnn" and p.type in ("forward", "backprop", "vanishing")
    has_y = rnn or net.has_output
    n_y = net.sizes["y"] if has_y else 0

    def node(kind, t, i, n):
        return f'"{kind}{i + 1}_{t}"' if n > 1 else f'"{kind}_{t}"'

    for t in range(T):
        out.write(f"  subgraph cluster_t{t} {{ label=\"t = {t}\"; style=dotted;\n")
        for kind, n in (("x", n_x), (state, n_h), ("y", n_y)):
            for i in range(n):
                out.write(f"    {node(kind, t, i, n)};\n")
        out.write("  }\n")

    def edges(W, src, dst, n_src, n_dst, t_src, t_dst, label):
        for j in range(n_dst):
            for i in range(n_src):
                w = W[j, i] if W is not None else 1.0
                if w != 0:
                    text = f"{label} = {fmt(w)}" if W is not None else label
                    out.write(f"  {node(src, t_src, i, n_src)} -> {node(dst, t_dst, j, n_dst)}"
                              f" [label=\"{text}\"];\n")

    for t in range(T):
        if rnn:
            edges(net["W_xh"], "x", state, n_x, n_h, t, t, "W_xh")
            if t + 1 < T:
                edges(net["W_hh"], state, state, n_h, n_h, t, t + 1, "W_hh")
        else:
            edges(None, "x", state, n_x, n_h, t, t, p.cell)
            if t + 1 < T:
                edges(None, state, state, n_h, n_h, t, t + 1, p.cell)
        if has_y:
            edges(net["W_hy"], state, "y", n_h, n_y, t, t, "W_hy")
    out.write("}\n")
