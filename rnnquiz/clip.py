"""The `clip` type: clip gradients that the exercise gives (SPEC 1.11).

    value: θ    every entry to [-θ, θ]               (deeplearning.ai's clip(), np.clip)
    norm: θ     g ← min(1, θ/‖g‖)·g, one factor for all  (d2l 9.5, Goodfellow 10.11.1)
                with the global norm ‖g‖ = sqrt(Σ_i ‖g_i‖²) over every gradient given
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .problem import _err, _show, number, numbers

RESERVED = ("norm", "clipped")      # quantities of the type, so no gradient may take the name


@dataclass
class Clip:
    gradients: dict[str, np.ndarray]     # as float64 arrays
    written: dict[str, tuple | None]     # the shape each was written with (None: a number)
    method: str                          # value | norm
    theta: float


def validate(p, data: dict) -> None:
    grads = data.get("gradients")
    if grads is None:
        raise _err(("gradients",), "missing; expected a mapping of gradients "
                                   "{dWaa: [[...]], db: [...]}")
    if not isinstance(grads, dict) or not grads:
        raise _err(("gradients",), f"expected a mapping of gradients {{name: numbers}}, "
                                   f"got {_show(grads) if grads != {} else 'an empty mapping'}")
    arrays, written = {}, {}
    for name, v in grads.items():
        if not isinstance(name, str) or not name.strip():
            raise _err(("gradients", name), f"expected a gradient's name, got {_show(name)}")
        if name in RESERVED:
            raise _err(("gradients", name), f"{name!r} names a quantity of clip "
                                            f"({', '.join(RESERVED)}); rename the gradient")
        arrays[name], written[name] = numbers(v, ("gradients", name))
    methods = [k for k in ("value", "norm") if data.get(k) is not None]
    if len(methods) != 1:
        key = methods[-1] if methods else "value"
        raise _err((key,), "expected exactly one of value (each entry to [-θ, θ]) or norm "
                           "(the global L2 norm at most θ)")
    method = methods[0]
    theta = number(data[method], (method,), "a number > 0")
    if theta <= 0:
        raise _err((method,), f"expected a number > 0, got {data[method]}")
    from .limits import check_arrays   # noqa: PLC0415
    check_arrays(arrays.values(), ("gradients",))
    p.detail = Clip(gradients=arrays, written=written, method=method, theta=theta)
