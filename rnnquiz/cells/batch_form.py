"""A minibatch in a column-layout notation, written as the course writes it: the examples are
the rows of X_t, so `W·x_t` becomes `x_t·Wᵀ` (PyTorch's `x W_ihᵀ + b_ih`, CMU 11-785's
`np.dot(x, self.W_ih.T)`). The numbers are the same products; only the working's form changes.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np


# The courses whose batches are rows of examples in a column-layout notation (deeplearning.ai
# stacks its examples as columns, (n_x, m), and writes W·X as it stands).
ROWS_OF_EXAMPLES = ("pytorch", "cmu11785")


def examples_as_rows(p, notation) -> bool:
    return bool(p.batch) and notation.layout == "column" and notation.name in ROWS_OF_EXAMPLES


def rows_form(notation):
    """The notation with its pre-activations written for a batch's rows."""
    pre = notation.pre

    def batch_pre(gate, params, canon, h_prev, x, t, state_in=None, convention=None):
        eq, sub, args = pre(gate, params, canon, h_prev, x, t, state_in, convention)
        return transpose_products(eq, sub, args)
    return replace(notation, pre=batch_pre)


def transpose_products(eq: str, sub: str, args: tuple) -> tuple[str, str, tuple]:
    """Every top-level term `W·v` (formula `{}·{}`) as `v·Wᵀ`, also inside `r⊙(...)`;
    anything of another form is left as it is."""
    e_terms, s_terms = terms(eq), terms(sub)
    if len(e_terms) != len(s_terms):
        return eq, sub, args
    out_e, out_s, out_a, i = [], [], [], 0
    for e, s in zip(e_terms, s_terms):
        n = s.count("{}")
        a = tuple(args[i:i + n])
        i += n
        if s == "{}·{}" and e.count("·") == 1:
            W, v = e.split("·")
            e, a = f"{v}·{W}ᵀ", (a[1], np.asarray(a[0]).T)
        elif s.startswith("{}⊙(") and s.endswith(")") and "⊙(" in e and e.endswith(")"):
            head, inner = e.split("⊙(", 1)
            ie, isub, ia = transpose_products(inner[:-1], s[4:-1], a[1:])
            e, s, a = f"{head}⊙({ie})", f"{{}}⊙({isub})", (a[0], *ia)
        out_e.append(e)
        out_s.append(s)
        out_a += a
    if i != len(args):
        return eq, sub, args
    return " + ".join(out_e), " + ".join(out_s), tuple(out_a)


def terms(text: str) -> list[str]:
    """The terms of a sum, at the top level of the parentheses."""
    terms, depth, start = [], 0, 0
    for k, ch in enumerate(text):
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        elif depth == 0 and text.startswith(" + ", k):
            terms.append(text[start:k])
            start = k + 3
    terms.append(text[start:])
    return terms
