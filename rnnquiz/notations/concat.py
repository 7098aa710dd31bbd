"""Weights on the concatenation of the input and the state, as data (the sibling of
layouts.Layout, whose gates keep a matrix per source).

    z = W·[x_t; h_{t-1}] + b              (TF1's BasicRNNCell: concat([x, h]) · kernel, rows)
    Γ_f = σ(W_f·[a<t-1>; x<t>] + b_f)     (deeplearning.ai: the state first)

A key per gate (`W_f`, `W_u`, `W_o`, `W_c` and their biases, deeplearning.ai's names; `W`, `b`
for the simple RNN), or one stacked `W` and `b` holding the gates in `order`. The columns
(column layout, shape (to, from)) or the rows (row layout, (from, to)) follow the
concatenation's order. The GRU's candidate reads [x_t; r_t ⊙ h_{t-1}]: the reset comes before
the product, so PyTorch's convention (reset after) has no such matrix.
"""

from __future__ import annotations

from dataclasses import dataclass

from .layouts import CANONICAL

# deeplearning.ai's key of each canonical gate (its update gate is the LSTM's input gate)
GATE_KEYS = {"rnn": {"z": ("W", "b")},
             "lstm": {"f": ("W_f", "b_f"), "i": ("W_u", "b_u"), "o": ("W_o", "b_o"),
                      "g": ("W_c", "b_c")},
             "gru": {"u": ("W_u", "b_u"), "r": ("W_r", "b_r"), "c": ("W_c", "b_c")},
             "gated": {"g": ("W_g", "b_g"), "s": ("W_s", "b_s")}}


def gate_keys(cell: str, gate: str) -> tuple[str, str]:
    return GATE_KEYS.get(cell, {}).get(gate, (f"W_{gate}", f"b_{gate}"))


@dataclass(frozen=True)
class Concat:
    cell: str
    gates: tuple                          # the canonical gates, in CANONICAL's order
    x_first: bool = True                  # [x, h] (TF1) or [h, x] (deeplearning.ai)
    row: bool = False
    order: tuple = ()                     # one stacked W, b holding the gates in this order
    labels: tuple = ()                    # each stacked block's letter in the working (W_i)
    readout: tuple[str, str] | None = None

    def key(self, gate: str) -> tuple[str, str, int | None]:
        """The file's (weight, bias) of a gate, and its block (None: keys of its own)."""
        if self.order:
            return "W", "b", self.order.index(gate)
        return (*gate_keys(self.cell, gate), None)

    def shapes(self) -> tuple[dict, dict]:
        to = f"{len(self.order)}h" if self.order else "h"
        cat = "x+h" if self.x_first else "h+x"
        weights, biases = {}, {}
        for gate in self.gates:
            W, b, _ = self.key(gate)
            weights[W] = (cat, to) if self.row else (to, cat)
            biases[b] = to
        if self.readout:
            W, b = self.readout
            weights[W] = ("h", "y") if self.row else ("y", "h")
            biases[b] = "y"
        return weights, biases

    def file_names(self) -> dict[str, str]:
        out = {} if self.order else {CANONICAL[self.cell][g][2]: self.key(g)[1]
                                     for g in self.gates}
        if self.readout:
            out["W_hy"], out["b_y"] = self.readout
        return out

    # ------------------------------------------------------------ file -> canonical
    def _block(self, W, block, h):
        """The gate's block of W in column layout, (h, from)."""
        W = W.T if self.row else W
        return W if block is None else W[block * h:(block + 1) * h]

    def canonical(self, params: dict, sizes: dict) -> dict:
        h, out = sizes["h"], {}
        for gate in self.gates:
            W_h, W_x, b_c = CANONICAL[self.cell][gate]
            W, b, block = self.key(gate)
            Wg = self._block(params[W], block, h)
            nx = Wg.shape[1] - h
            out[W_x], out[W_h] = (Wg[:, :nx], Wg[:, nx:]) if self.x_first else \
                (Wg[:, h:], Wg[:, :h])
            out[b_c] = params[b] if block is None else params[b][block * h:(block + 1) * h]
        if self.readout and self.readout[0] in params:
            W, b = self.readout
            out["W_hy"] = params[W].T if self.row else params[W]
            out["b_y"] = params[b]
        return out

    # ------------------------------------------------------------ canonical -> file
    def gradients(self, grads: dict, params: dict, sizes: dict) -> dict:
        import numpy as np   # noqa: PLC0415 (numpy stays out of --help)
        h, out = sizes["h"], {}
        for gate in self.gates:
            W_h, W_x, b_c = CANONICAL[self.cell][gate]
            W, b, block = self.key(gate)
            parts = (grads[W_x], grads[W_h]) if self.x_first else (grads[W_h], grads[W_x])
            g = np.hstack(parts)
            if block is None:
                out[W], out[b] = (g.T if self.row else g), grads[b_c]
                continue
            out.setdefault(W, np.zeros_like(params[W]))
            out.setdefault(b, np.zeros_like(params[b]))
            rows = slice(block * h, (block + 1) * h)
            if self.row:
                out[W][:, rows] = g.T
            else:
                out[W][rows] = g
            out[b][rows] = grads[b_c]
        if self.readout and "W_hy" in grads:
            W, b = self.readout
            out[W] = grads["W_hy"].T if self.row else grads["W_hy"]
            out[b] = grads["b_y"]
        return out

    # ------------------------------------------------------------ the working's lines
    def pre(self, state: str, sub, x: str = "x", reset=None):
        """Each gate's pre-activation with the file's keys: `W_f·[x_1; h_0] + b_f` (column),
        `[x_1, h_0]·W + b` (row), `W_c·[x_1; (r_1⊙h_0)] + b_c` (the GRU's candidate)."""
        def pre(gate, params, canon, h_prev, x_t, t, state_in=None, convention=None):
            import numpy as np   # noqa: PLC0415 (start-up: the notations load without numpy)
            W, b, block = self.key(gate)
            n = h_prev.shape[-1] if getattr(h_prev, "ndim", 1) else 1
            Wv, bv = params[W], params[b]
            Wname, bname = W, b
            if block is not None:
                rows = slice(block * n, (block + 1) * n)
                Wv = Wv[:, rows] if self.row else Wv[rows]
                bv = bv[rows]
                Wname, bname = f"{W}_{self.labels[block]}", f"{b}_{self.labels[block]}"
            hs, hv = sub(state, t - 1), h_prev
            if state_in is not None:              # the GRU's candidate: r_t ⊙ h_{t-1}
                hs, hv = f"({reset(t) if reset else sub('r', t)}⊙{hs})", state_in
            xs = sub(x, t)
            pair = (xs, hs) if self.x_first else (hs, xs)
            v = np.concatenate([x_t, hv] if self.x_first else [hv, x_t], axis=-1)
            if self.row:
                return f"[{pair[0]}, {pair[1]}]·{Wname} + {bname}", "{}·{} + {}", (v, Wv, bv)
            return f"{Wname}·[{pair[0]}; {pair[1]}] + {bname}", "{}·{} + {}", (Wv, v, bv)
        return pre
