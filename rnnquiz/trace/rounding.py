"""The courses' rounding modes (SPEC 1.4), in one place.

- `none`: exact float64.
- `state`: every element of h_t, c_t, s_t rounded to the nearest integer after each step.
- `activations`: every sigmoid output rounded to 0 or 1, every tanh output to -1, 0 or 1.
- an integer k: every named quantity rounded with numpy.round(v, k) as soon as it is computed.

numpy rounds half to even, so a tie such as 0.5 becomes 0, as the MITx key does.
"""

from __future__ import annotations

import numpy as np

# Tags a quantity may carry; the mode decides which of them are rounded.
STATE, SIGMOID, TANH = "state", "sigmoid", "tanh"


class Rounding:
    def __init__(self, mode: str | int = "none"):
        self.mode = mode
        self.exact = mode == "none"

    def __repr__(self) -> str:
        return f"Rounding({self.mode!r})"

    def places(self, tags: tuple[str, ...]) -> int | None:
        """The decimals a quantity with these tags is rounded to, or None (kept exact)."""
        mode = self.mode
        if mode == "none":
            return None
        if isinstance(mode, int):
            return mode
        if mode == "state":
            return 0 if STATE in tags else None
        if mode == "activations":
            return 0 if (SIGMOID in tags or TANH in tags) else None
        return None

    def apply(self, value, tags: tuple[str, ...] = ()):
        """(rounded value, whether some element was an exact tie)."""
        k = self.places(tags)
        if k is None:
            return value, False
        return round_half_even(value, k)

    def describe(self) -> str:
        mode = self.mode
        if isinstance(mode, int):
            return f"every named quantity rounded to {mode} decimal{'s' if mode != 1 else ''}"
        return {
            "none": "exact arithmetic (float64)",
            "state": "each state (h_t, c_t, s_t) rounded to the nearest integer every step",
            "activations": "sigmoid outputs rounded to 0 or 1, tanh outputs to -1, 0 or 1",
        }[mode]


def round_half_even(value, k: int):
    """numpy.round(v, k) with ties reported; -0.0 comes back as 0.0."""
    arr = np.asarray(value, dtype=np.float64)
    scaled = arr * (10.0 ** k)
    tie = bool(np.any(scaled - np.floor(scaled) == 0.5))
    out = np.round(arr, k) + 0.0
    if np.ndim(value) == 0:
        out = float(out)
    return out, tie
