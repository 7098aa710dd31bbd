"""How the working writes one layer and direction of a stack (SPEC 1.9): its symbols marked
(h^(2)_1, h^(→)_1, W_xh^(2←), or PyTorch's weight_ih_l1_reverse) and the backward direction's
steps written as the real steps it computes (h^(←)_1 from h^(←)_2)."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from ..trace import Work

ARROW = {"forward": "→", "backward": "←"}


def mark(symbol: str, name: str, tag: str) -> str:
    """h_1 -> h^(2)_1, a<1> -> a^(2→)<1>; z^f_1 -> z^f_1^(2)."""
    if not tag:
        return symbol
    if "^" not in name and symbol.startswith(name):
        return f"{name}^({tag}){symbol[len(name):]}"
    return f"{symbol}^({tag})"


@dataclass
class Marks:
    """How one layer and direction writes its symbols, keys and steps."""

    notation: object
    tag: str                # "2→": layer 2, forward; "" for a one-layer, one-way network
    layer: int
    direction: str
    T: int

    def real(self, t: int) -> int:
        """The step the backward direction's t-th step (in its own order) computes."""
        f = self.notation.first
        return t if self.direction == "forward" or t is None else self.T - 1 + 2 * f - t

    def key(self, key: str) -> str:
        if not self.tag:
            return key
        if self.notation.suffix:       # PyTorch's own names: weight_ih_l1_reverse
            return f"{key}_l{self.layer - 1}" + ("_reverse" if self.direction == "backward" else "")
        return f"{key}^({self.tag})"

    def keys_in(self, text: str) -> str:
        keys = sorted(self.notation.keys, key=len, reverse=True)
        pattern = r"(?<![\w^/])(" + "|".join(map(re.escape, keys)) + r")(?![A-Za-z0-9(<^])"
        return re.sub(pattern, lambda m: self.key(m[1]), text)

    def rename(self, symbol: str) -> str:
        """dE/d<key> as this layer's key (dE/dW_hh^(2)); dF/d<key> where the notation names
        the loss F (Hagan's)."""
        for loss in dict.fromkeys(("E", self.notation.key("E"))):
            head = f"d{loss}/d"
            if symbol.startswith(head) and symbol[len(head):] in self.notation.keys:
                return head + self.key(symbol[len(head):])
        return symbol


def in_layer(work, text: str) -> str:
    """`text` with the keys of the stack layer `work` records marked (W_c^(2)[:, :n_a]), as
    its other lines mark them; as it is outside a stack."""
    marks = getattr(work, "marks", None)
    return marks.keys_in(text) if marks is not None else text


def state_at(notation, t: int, tag: str) -> str:
    """A layer's (and direction's) state at step t as the working writes it: h^(2→)_1."""
    name = notation.names.get("h", ("h", "h"))[1]
    return mark(notation.sub(name, t), name, tag)


def layer_tag(stack, layer: int, direction: str | None) -> str:
    many = len(stack.layers) > 1
    return (str(layer) if many else "") + (ARROW[direction] if direction and
                                           stack.bidirectional else "")


def marked_notation(stack, notation, layer: int, direction: str | None, T: int):
    """The notation with every symbol of one layer and direction marked, and the backward
    direction's steps written as the real steps."""
    tag = layer_tag(stack, layer, direction)
    marks = Marks(notation, tag, layer, direction or "forward", T)
    if not tag:
        return notation, marks
    below = layer_tag(stack, layer - 1, None) if layer > 1 else None
    state = notation.names.get("h", ("h", "h"))[1]
    x_name = getattr(notation, "x", "x")
    orig_sub, orig_pre = notation.sub, notation.pre

    def sub(name: str, t: int) -> str:
        return mark(orig_sub(name, marks.real(t)), name, tag)

    def x_symbol(t: int) -> str:
        if below is None:
            return orig_sub(x_name, marks.real(t))
        return mark(orig_sub(state, marks.real(t)), state, below)

    def pre(gate, params, canon, h_prev, x, t, state_in=None, convention=None):
        eq, fmt, args = orig_pre(gate, params, canon, h_prev, x, t, state_in, convention)
        eq = marks.keys_in(eq)
        tokens = [(orig_sub(state, t - 1), sub(state, t - 1)), (orig_sub(x_name, t), x_symbol(t))]
        if state_in is not None:     # the candidate reads r_t ⊙ h_{t-1}: r_t marked too
            gate = notation.names.get("r", ("r", "r"))[1]
            tokens += [(orig_sub(name, t), sub(name, t)) for name in dict.fromkeys((gate, "r"))]
        for token, new in tokens:
            eq = re.sub(rf"(?<![\w^]){re.escape(token)}(?![\w])", lambda m: new, eq)
        return eq, fmt, args

    return replace(notation, sub=sub, pre=pre), marks


class MarkedWork(Work):
    """A view of the working that records one layer and direction: its real steps, its keys."""

    def __init__(self, base: Work, marks: Marks):
        super().__init__(base.rounding, base.record)
        self.scalar, self.window, self.variants = base.scalar, base.window, base.variants
        self.overrides = base.overrides
        self.steps = base.steps
        self.marks = marks

    def q(self, symbol, value, *, t=None, **kw):
        return super().q(self.marks.rename(symbol), value, t=self.marks.real(t), **kw)

    def note(self, symbol, value, *, t=None, **kw):
        return super().note(self.marks.rename(symbol), value, t=self.marks.real(t), **kw)


