"""The names each course gives the quantities of attention, for the working's symbols.

    luong            h_t, h̄_s, score(h_t, h̄_s), a_t(s), c_t, h̃_t        (source steps s)
    bahdanau         s_{i-1}, h_j, e_i,j, α_i,j, c_i                      (decoder steps i)
    cs224n           h_t^dec, h_i^enc, e_t,i, α_t,i, a_t, u_t, v_t, o_t
    d2l              q_t, k_i, v_i, a(q_t, k_i), α(q_t, k_i), c_t
    deeplearning_ai  s<t-1>, a<t'>, e<t,t'>, α<t,t'>, c<t>

With one decoder step the decoder index is the course's letter (t, or Bahdanau's i); with
several it is the step's number, from 1. Encoder steps are numbered from 1.
"""

from __future__ import annotations

# decoder letter, encoder letter, query, key, value, energy, weight, context, output,
# (score matrix, additive's query/key/vector keys)
_NAMES = {
    "luong": ("t", "s'", "h_{t}", "h̄_{i}", "h̄_{i}", "score(h_{t}, h̄_{i})", "a_{t}({i})",
              "c_{t}", "h̃_{t}", "W_a", ()),
    "bahdanau": ("i", "k", "s_{p}", "h_{i}", "h_{i}", "e_{t},{i}", "α_{t},{i}", "c_{t}", "",
                 "", ("W_a", "U_a", "v_a")),
    "cs224n": ("t", "j", "h_{t}^dec", "h_{i}^enc", "h_{i}^enc", "e_{t},{i}", "α_{t},{i}",
               "a_{t}", "o_{t}", "W_attProj", ()),
    "d2l": ("t", "j", "q_{t}", "k_{i}", "v_{i}", "a(q_{t}, k_{i})", "α(q_{t}, k_{i})", "c_{t}",
            "", "", ("W_q", "W_k", "w_v")),
    "deeplearning_ai": ("t", "t'", "s<{p}>", "a<{i}>", "a<{i}>", "e<{t},{i}>", "α<{t},{i}>",
                        "c<{t}>", "", "", ()),
}


class Symbols:
    """The symbols of one notation; `t` is the decoder step from 0, `i` the encoder step from
    0 (both shown as the course numbers them)."""

    def __init__(self, notation: str, several: bool):
        (self.letter, self.sum_letter, self._q, self._k, self._v, self._e, self._a, self._c,
         self._out, self.W_key, self.additive_keys) = _NAMES[notation]
        self.notation = notation
        self.several = several

    def t(self, t: int) -> int | None:
        """The step number the working's rows carry (None for one decoder step)."""
        return t + 1 if self.several else None

    def step(self, t: int) -> str:
        return str(t + 1) if self.several else self.letter

    def _fill(self, pattern: str, t: int | None = None, i: int | str | None = None) -> str:
        step = self.step(t) if t is not None else ""
        prev = str(t) if self.several else f"{self.letter}-1"
        if pattern.startswith("s_"):       # s_{i-1}: a subscript of several characters
            prev = prev if self.several else "{" + prev + "}"
        enc = str(i + 1) if isinstance(i, int) else (i or "")
        return pattern.format(t=step, p=prev, i=enc)

    def q(self, t: int) -> str:
        return self._fill(self._q, t)

    def k(self, i: int | str) -> str:
        return self._fill(self._k, None, i)

    def v(self, i: int | str) -> str:
        return self._fill(self._v, None, i)

    def e(self, t: int, i: int | str) -> str:
        return self._fill(self._e, t, i)

    def a(self, t: int, i: int | str) -> str:
        return self._fill(self._a, t, i)

    def c(self, t: int) -> str:
        return self._fill(self._c, t)

    def out(self, t: int) -> str:
        return self._fill(self._out, t)

    def Z(self, t: int, shift: str = "") -> str:
        """The softmax's denominator, Σ_j exp(e_t,j) (less the largest energy when `shift`)."""
        j = self.sum_letter
        return f"Σ_{j} exp({self.e(t, j)}{shift})"

    def c_eq(self, t: int) -> str:
        j = self.sum_letter
        return f"Σ_{j} {self.a(t, j)}·{self.v(j)}"

    def Wk(self, i: int) -> str:
        W = self.W_key or self.additive_keys[1]
        return f"{W}·{self.k(i)}"

    def Wq(self, t: int) -> str:
        return f"{self.additive_keys[0]}·{self.q(t)}"
