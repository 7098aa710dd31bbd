"""How a course lays out a cell's parameters, as data: which keys hold each gate, in which
block of a stacked key, with which orientation. From that one description come the mapping
onto the cell's canonical parameters, the gradients back in the file's shapes, and the
shapes network.py checks, so a notation module only describes its course.

Column layout (`W h`, shape (to, from)): PyTorch, MITx, Hinton, deeplearning.ai, Goodfellow.
Row layout (`x W`, shape (from, to)): d2l, CS231n, Keras. Stacked keys hold the gates one
block after the other along the `to` axis (PyTorch's weight_ih is (4H, D); Keras' kernel (D, 4H)).
"""

from __future__ import annotations

from dataclasses import dataclass

# canonical gate -> (weight on the state, weight on the input, bias), per cell
CANONICAL = {
    "rnn": {"z": ("W_hh", "W_xh", "b_h")},
    "lstm": {"f": ("W_fh", "W_fx", "b_f"), "i": ("W_ih", "W_ix", "b_i"),
             "o": ("W_oh", "W_ox", "b_o"), "g": ("W_ch", "W_cx", "b_c"),
             "r": ("W_rh", "W_rx", "b_r")},      # the relevance gate (SPEC 1.15), if written
    "gru": {"u": ("W_uh", "W_ux", "b_u"), "r": ("W_rh", "W_rx", "b_r"),
            "c": ("W_ch", "W_cx", "b_c")},
    "gated": {"g": ("W_gs", "W_gx", "b_g"), "s": ("W_ss", "W_sx", "b_s")},
}
# gates a cell has only where a file asks for them (the LSTM's relevance gate: relevance_gate)
OPTIONAL = {"lstm": ("r",)}
READOUT = ("W_hy", "b_y")


@dataclass(frozen=True)
class Gate:
    """Where one gate's parameters are in the file: W_x on the input, W_h on the state, the
    bias key(s) (two add up, as PyTorch's b_ih + b_hh; `key#r` is row r of a 2-D bias), and
    the gate's block in stacked keys (None: keys of its own)."""

    W_x: str
    W_h: str
    b: tuple[str, ...]
    block: int | None = None
    label: str = ""          # the gate's letter in the course's names (W_ii, kernel_i)


@dataclass(frozen=True)
class Layout:
    cell: str
    gates: dict                          # canonical gate -> Gate
    row: bool = False
    readout: tuple[str, str] | None = None   # the file's (weight, bias) of y_t = W_hy h_t + b_y
    apart: str | None = None             # the gate whose second bias stays inside r ⊙ (...)

    # ------------------------------------------------------------ shapes for network.py
    def shapes(self) -> tuple[dict, dict]:
        """(weights, biases): each key's dimensions in the sizes h, x, y."""
        G = 1 + max((g.block or 0) for g in self.gates.values())
        stacked = any(g.block is not None for g in self.gates.values())
        to = f"{G}h" if stacked else "h"
        weights, biases = {}, {}
        for g in self.gates.values():
            for key, src in ((g.W_x, "x"), (g.W_h, "h")):
                weights[key] = (src, to) if self.row else (to, src)
            for b in g.b:
                name, _, r = b.partition("#")
                if r:
                    weights[name] = (str(len({x for x in _rows(self, name)})), to)
                else:
                    biases[name] = to
        if self.readout:
            W, b = self.readout
            weights[W] = ("h", "y") if self.row else ("y", "h")
            biases[b] = "y"
        return weights, biases

    def file_names(self) -> dict[str, str]:
        """The file's key of each canonical parameter that has one of its own (not a block)."""
        out = {}
        for name, g in self.gates.items():
            W_h, W_x, b = CANONICAL[self.cell][name]
            if g.block is None:
                out[W_h], out[W_x] = g.W_h, g.W_x
                if len(g.b) == 1 and "#" not in g.b[0]:
                    out[b] = g.b[0]
        if self.readout:
            out["W_hy"], out["b_y"] = self.readout
        return out

    # ------------------------------------------------------------ file -> canonical
    def canonical(self, params: dict, sizes: dict) -> dict:
        h = sizes["h"]
        out = {}
        for name, g in self.gates.items():
            W_h, W_x, b = CANONICAL[self.cell][name]
            out[W_x] = self._cut(params[g.W_x], g.block, h)
            out[W_h] = self._cut(params[g.W_h], g.block, h)
            parts = [self._cut_bias(params, key, g.block, h) for key in g.b]
            if name == self.apart and len(parts) == 2:
                out[b], out["b_hn"] = parts
            else:
                out[b] = parts[0] if len(parts) == 1 else parts[0] + parts[1]
        if self.readout and self.readout[0] in params:     # a stack's layers have none
            W, b = self.readout
            out["W_hy"] = params[W].T if self.row else params[W]
            out["b_y"] = params[b]
        return out

    def _cut(self, W, block, h):
        if block is None:
            return W.T if self.row else W
        rows = slice(block * h, (block + 1) * h)
        return W[:, rows].T if self.row else W[rows]

    def _cut_bias(self, params, key, block, h):
        name, _, r = key.partition("#")
        b = params[name][int(r)] if r else params[name]
        return b if block is None else b[block * h:(block + 1) * h]

    # ------------------------------------------------------------ canonical -> file
    def gradients(self, grads: dict, params: dict, sizes: dict) -> dict:
        import numpy as np   # noqa: PLC0415 (numpy stays out of --help)
        h = sizes["h"]
        out = {}

        def put(key, block, value):
            if key not in out:
                out[key] = np.zeros_like(params[key])
            if block is None:
                out[key] = out[key] + (value.T if self.row and value.ndim == 2 else value)
            elif value.ndim == 2:
                rows = slice(block * h, (block + 1) * h)
                if self.row:
                    out[key][:, rows] += value.T
                else:
                    out[key][rows] += value

        for name, g in self.gates.items():
            W_h, W_x, b = CANONICAL[self.cell][name]
            put(g.W_x, g.block, grads[W_x])
            put(g.W_h, g.block, grads[W_h])
            for k, key in enumerate(g.b):
                value = grads["b_hn"] if (name == self.apart and k == 1 and len(g.b) == 2) \
                    else grads[b]
                key_name, _, r = key.partition("#")
                if key_name not in out:
                    out[key_name] = np.zeros_like(params[key_name])
                target = out[key_name][int(r)] if r else out[key_name]
                if g.block is None:
                    target += value
                else:
                    target[g.block * h:(g.block + 1) * h] += value
        if self.readout and "W_hy" in grads:
            W, b = self.readout
            out[W] = grads["W_hy"].T if self.row else grads["W_hy"]
            out[b] = grads["b_y"]
        return out


def _rows(layout: Layout, name: str):
    for g in layout.gates.values():
        for b in g.b:
            n, _, r = b.partition("#")
            if n == name and r:
                yield r


# ---------------------------------------------------------------- the working's lines


def pre_for(layout: Layout, state: str, sub, *, x: str = "x", x_first: bool = True,
            reset: str = "r"):
    """The pre-activation of each gate as the course writes it, with the file's own keys:
    `W_xh·x_1 + W_hh·h_0 + b_h` (column) or `x_1·W_xh + h_0·W_hh + b_h` (row); `reset` is the
    course's symbol of the gate on the candidate's state (d2l's R_t)."""
    def pre(gate, params, canon, h_prev, x_t, t, state_in=None, convention=None):
        g = layout.gates[gate]
        n = len(h_prev) if getattr(h_prev, "ndim", 1) == 1 else h_prev.shape[-1]

        def block(key):
            W = params[key]
            if g.block is None:
                return key, W
            rows = slice(g.block * n, (g.block + 1) * n)
            return f"{key}_{g.label}", (W[:, rows] if layout.row else W[rows])

        def bias(key):
            name, _, r = key.partition("#")
            b = params[name][int(r)] if r else params[name]
            label = f"{name}[{r}]" if r else name
            if g.block is None:
                return label, b
            return f"{label}_{g.label}", b[g.block * n:(g.block + 1) * n]

        (Wx, Wx_v), (Wh, Wh_v) = block(g.W_x), block(g.W_h)
        biases = [bias(k) for k in g.b]
        xs, hs = sub(x, t), sub(state, t - 1)
        h_arg, h_sym = h_prev, hs
        reset_after = state_in is not None and convention == "pytorch"
        if state_in is not None and not reset_after:     # the candidate acts on r_t ⊙ h_{t-1}
            h_arg, h_sym = state_in, f"({sub(reset, t)}⊙{hs})"
        xe, xa = ((f"{xs}·{Wx}", (x_t, Wx_v)) if layout.row else (f"{Wx}·{xs}", (Wx_v, x_t)))
        he, ha = ((f"{h_sym}·{Wh}", (h_arg, Wh_v)) if layout.row else (f"{Wh}·{h_sym}", (Wh_v, h_arg)))
        if reset_after:           # Keras' reset_after, its only layout: r_t ⊙ (h W_hn + b_hn)
            (b1, b1v), (b2, b2v) = biases       # the input row and the recurrent row of `bias`
            return (f"{xe} + {b1} + {sub(reset, t)}⊙({he} + {b2})",
                    "{}·{} + {} + {}⊙({}·{} + {})",
                    (*xa, b1v, state_in, *ha, b2v))
        terms = [(xe, "{}·{}", xa), (he, "{}·{}", ha)]
        if not x_first:
            terms.reverse()
        terms += [(name, "{}", (v,)) for name, v in biases]
        return (" + ".join(e for e, _, _ in terms), " + ".join(s for _, s, _ in terms),
                tuple(a for _, _, args in terms for a in args))
    return pre
