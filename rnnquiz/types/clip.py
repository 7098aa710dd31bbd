"""`clip`: gradient clipping by value or by the global norm (SPEC 1.11).

    value θ:  g_i ← clip(g_i, -θ, θ), entry by entry            (deeplearning.ai's clip())
    norm θ:   ‖g‖ = sqrt(Σ_i ‖g_i‖²);  g_i ← min(1, θ/‖g‖)·g_i  (d2l 9.5; one factor for all)
"""

from __future__ import annotations

from dataclasses import dataclass
import math
from typing import TYPE_CHECKING

from . import Outcome
from .keys import COMMON

if TYPE_CHECKING:      # the arrays' type, for the annotations only (start-up)
    import numpy as np

NAME = "clip"
TOPIC = "Gradient clipping"   # what an exported question is filed under (PrairieLearn's topic)
# what a file may call the type, for the advice on an unknown type
ALIASES = ("gradientclipping", "clipping")
KEYS = COMMON | {"gradients", "value", "norm"}   # the type's top-level keys
SLIPS = ("own_norm",)   # the slips this type's answers can make: its own (below)
RESERVED = ("norm", "clipped")      # quantities of the type, so no gradient may take the name
SMALLEST = 2.2250738585072014e-308   # below it a float64 loses digits (subnormal)
SHOWN = 6          # a gradient's squares are written out up to this many entries


def schema() -> dict:
    """Its part of `rnnquiz schema`: the gradients by name, and one of value or norm (θ)."""
    theta = {"type": "number", "exclusiveMinimum": 0}
    return {"required": ["gradients"],
            "properties": {"gradients": {"type": "object", "minProperties": 1,
                                         "additionalProperties": {"$ref": "#/definitions/weight"}},
                           "value": theta, "norm": theta}}


@dataclass
class Clip:
    gradients: dict[str, np.ndarray]     # as float64 arrays
    written: dict[str, tuple | None]     # the shape each was written with (None: a number)
    method: str                          # value | norm
    theta: float


def validate(p, data: dict) -> None:
    # start-up: read where a problem is, so that `rnnquiz new --help` (every type) imports no numpy
    from ..problem.values import error_at, shown_value, number, numbers   # noqa: PLC0415 (see above)
    grads = data.get("gradients")
    if grads is None:
        raise error_at(("gradients",), "missing; expected a mapping of gradients "
                                   "{dWaa: [[...]], db: [...]}")
    if not isinstance(grads, dict) or not grads:
        raise error_at(("gradients",), f"expected a mapping of gradients {{name: numbers}}, "
                                   f"got {shown_value(grads) if grads != {} else 'an empty mapping'}")
    arrays, written = {}, {}
    for name, v in grads.items():
        if not isinstance(name, str) or not name.strip():
            raise error_at(("gradients", name), f"expected a gradient's name, got {shown_value(name)}")
        if name in RESERVED:
            raise error_at(("gradients", name), f"{name!r} names a quantity of clip "
                                            f"({', '.join(RESERVED)}); rename the gradient")
        arrays[name], written[name] = numbers(v, ("gradients", name))
    methods = [k for k in ("value", "norm") if data.get(k) is not None]
    if len(methods) != 1:
        key = methods[-1] if methods else "value"
        raise error_at((key,), "expected exactly one of value (each entry to [-θ, θ]) or norm "
                           "(the global L2 norm at most θ)")
    method = methods[0]
    theta = number(data[method], (method,), "a number > 0")
    if theta <= 0:
        raise error_at((method,), f"expected a number > 0, got {data[method]}")
    from ..problem.limits import check_arrays   # noqa: PLC0415 (start-up: clip only)
    check_arrays(arrays.values(), ("gradients",))
    p.detail = Clip(gradients=arrays, written=written, method=method, theta=theta)


def answer(v):
    """A published answer: numbers, or a mapping {gradient: numbers}."""
    from ..problem.answers import answer_numbers, read_answer   # noqa: PLC0415 (start-up: as validate's)
    if isinstance(v, dict):
        return {str(k): answer_numbers(e, ("answer", k)) for k, e in v.items()}
    return read_answer(v)


def _shaped(arr: np.ndarray, shape):
    return float(arr.reshape(-1)[0]) if shape is None else arr.reshape(shape).tolist()


def _squares(work, name: str, g: np.ndarray, s: float = 1.0) -> float:
    from ..trace import extremes   # noqa: PLC0415 (start-up: as validate's)
    flat = g.reshape(-1)
    sq = extremes.sum_squares(flat, s)
    shown = name if s == 1.0 else f"{name}/s"
    if flat.size <= SHOWN:
        sub = " + ".join(["{}²"] * flat.size)
        args = tuple(float(x) / s for x in flat)
    else:
        sub, args = f"the sum of the {flat.size} squares", ()
    return work.note(f"‖{shown}‖²", sq, eq=f"Σ ({shown})²" if s != 1.0 else f"Σ {name}²",
                     sub=sub, args=args, phase="global norm")


def global_norm(work, grads: dict[str, np.ndarray]) -> tuple[float, float, float]:
    """‖g‖ = sqrt(Σ_i ‖g_i‖²), each term shown, then the sum with its numbers.

    Returns (‖g‖, s, r) with ‖g‖ = s·r: past squares that float64 holds (an entry beyond
    1e150 or all below 1e-150) every entry is first divided by s = max |g|, as LAPACK's
    dnrm2 does, so that neither the squares overflow nor they vanish."""
    import numpy as np   # noqa: PLC0415 (start-up: as validate's)
    from ..trace import extremes   # noqa: PLC0415 (as above)
    s = extremes.largest(grads.values())
    scaled = extremes.needs_scaling(s)
    if scaled:
        work.note("s", s, eq="max |g|", phase="global norm",
                  note="the largest entry: the squares of these numbers would "
                       + ("overflow" if s > 1 else "underflow") + " float64, so the "
                       "gradients are divided by s first")
    else:
        s = 1.0
    squares = [_squares(work, name, g, s) for name, g in grads.items()]
    root = math.sqrt(math.fsum(squares))
    names = " + ".join(f"‖{n}/s‖²" if scaled else f"‖{n}‖²" for n in grads)
    sub = "sqrt(" + " + ".join(["{}"] * len(squares)) + ")"
    if scaled:
        with np.errstate(over="ignore"):
            norm = float(np.float64(s) * root)
        work.note("‖g‖", norm, eq=f"s·sqrt({names})", sub="{}·" + sub, args=(s, *squares),
                  phase="global norm",
                  note="the L2 norm of all the gradients stacked into one vector")
        return norm, s, root
    norm = root
    work.note("‖g‖", norm, eq=f"sqrt({names})", sub=sub, args=tuple(squares),
              phase="global norm", note="the L2 norm of all the gradients stacked into one vector")
    return norm, 1.0, root


def solve(p, work) -> Outcome:
    import numpy as np   # noqa: PLC0415 (start-up: as validate's)
    from ..trace import extremes   # noqa: PLC0415 (as above)
    c = p.detail
    theta = c.theta
    for name, g in c.gradients.items():
        work.note(name, g, phase="given")
    clipped: dict[str, np.ndarray] = {}
    norm = None
    if c.method == "norm" or p.ask.quantity == "norm":
        norm, s, root = global_norm(work, c.gradients)
    if c.method == "value":
        for name, g in c.gradients.items():
            out = np.clip(g, -theta, theta)
            n = int(np.count_nonzero(out != g))
            clipped[name] = work.note(
                f"clipped {name}", out, eq=f"clip({name}, -θ, θ)", sub=f"clip({name}, -{{}}, {{}})",
                args=(theta, theta), phase="clipped gradients",
                note=f"{n} of {g.size} entries beyond ±{theta:g} set to the bound" if n
                else f"every entry within ±{theta:g}: unchanged")
    elif "own_norm" in work.variants:
        # the slip: each gradient scaled by its own norm, as if it were alone
        for name, g in c.gradients.items():
            own = extremes.norm([g])
            scale = min(1.0, theta / own) if own > 0 else 1.0
            kept = scale * g if scale == 1.0 or scale >= SMALLEST else theta * (g / own)
            clipped[name] = work.note(f"clipped {name}", kept, eq=f"min(1, θ/‖{name}‖)·{name}",
                                      sub=f"min(1, {{}}/{{}})·{name}", args=(theta, own),
                                      phase="clipped gradients")
    elif norm > theta:
        scale = work.note("θ/‖g‖", theta / norm, eq="θ/‖g‖", sub="{}/{}", args=(theta, norm),
                          phase="clipped gradients", note=f"‖g‖ > θ = {theta:g}: every gradient "
                                                          "is scaled by this one factor")
        for name, g in c.gradients.items():
            # θ·((g/s)/r) is θ/‖g‖·g without the overflow of ‖g‖ or the underflow of θ/‖g‖;
            # a normal θ/‖g‖ goes first, since g/s loses an entry 1e308 below the largest
            exact = scale * g if scale >= SMALLEST else theta * ((g / s) / root)
            clipped[name] = work.note(f"clipped {name}", exact, eq=f"(θ/‖g‖)·{name}",
                                      sub=f"{{}}·{name}", args=(scale,), phase="clipped gradients")
    else:
        work.note("θ/‖g‖", "no clipping", eq="min(1, θ/‖g‖) = 1", phase="clipped gradients",
                  note=f"‖g‖ = {norm:.6g} ≤ θ = {theta:g}: every gradient is unchanged")
        clipped = dict(c.gradients)
    values = {name: _shaped(v, c.written[name]) for name, v in clipped.items()}
    values["clipped"] = dict(values)
    if norm is not None:
        values["norm"] = norm
    default = next(iter(c.gradients)) if len(c.gradients) == 1 else "clipped"
    notes = []
    if c.method == "norm" and norm > theta:
        notes.append("PyTorch's clip_grad_norm_ divides by ‖g‖ + 1e-6: its clipped values are "
                     "smaller than these by a relative 1e-6/‖g‖")
    return Outcome(values=values, default=default, notes=notes)


def _slips():
    """Its own slips (teaching/slips.py's catalogue gathers them), committed by solve's flag."""
    from .slip import Slip, flagged   # noqa: PLC0415 (start-up: `check` only)
    return (Slip("own_norm", "each gradient clipped by its own norm instead of the global norm "
                 "of all", flagged("own_norm", lambda p: p.detail.method == "norm" and
                                   p.ask.quantity != "norm" and len(p.detail.gradients) > 1)),)


OWN_SLIPS = _slips


def generate(rng) -> dict:
    """A new exercise (`rnnquiz new clip`): gradients clipped by value or by the global norm."""
    from ..problem import draw   # noqa: PLC0415 (start-up: only `new` draws)
    draw.sequence(rng)
    names = rng.sample(["dW_xh", "dW_hh", "dW_hy", "db_h", "db_y"], k=rng.choice([2, 3]))
    grads = {}
    for name in names:
        shape = rng.choice([1, 2, 3]) if name.startswith("db") else rng.choice([(2, 2), 2])
        if shape == 1:
            grads[name] = draw.w(rng, -6, 6)
        elif isinstance(shape, int):
            grads[name] = [draw.w(rng, -6, 6) for _ in range(shape)]
        else:
            grads[name] = [[draw.w(rng, -6, 6) for _ in range(shape[1])] for _ in range(shape[0])]
    if rng.random() < 0.5:
        return {"type": "clip", "gradients": grads, "value": rng.choice([1, 2, 3]),
                "ask": {"quantity": rng.choice(names), "digits": 4}}
    return {"type": "clip", "gradients": grads, "norm": rng.choice([1, 2, 5]),
            "ask": {"quantity": rng.choice(names + ["norm"]), "digits": 4}}


def question(p, ask: str) -> str:
    """The question in words (quiz, new, export): what is given, then what is asked."""
    return f"{given(p)} {ask}"


def vary(data: dict, rng) -> dict:
    """`rnnquiz vary`: every gradient redrawn (each its own group: decimals, range, signs) and
    the threshold θ as a number of its own."""
    from ..problem import redraw   # noqa: PLC0415 (vary only)
    if isinstance(data.get("gradients"), dict):
        data["gradients"] = redraw.tree(data["gradients"], rng)
    for key in ("norm", "value"):
        if key in data:
            data[key] = redraw.numbers(data[key], rng)
    return data


def degenerate(original, variant) -> str | None:
    """A variant clips where the file clips, and leaves alone where it leaves alone."""
    import numpy as np   # noqa: PLC0415 (start-up: as validate's)
    def clips(p) -> bool:
        c = p.detail
        if c.method == "norm":
            return math.sqrt(sum(float(np.sum(np.square(g))) for g in c.gradients.values())) \
                > c.theta
        return any(bool(np.any(np.abs(g) > c.theta)) for g in c.gradients.values())
    was, now = clips(original.problem), clips(variant.problem)
    if was != now:
        return "the gradients are clipped" + (" no more" if was else " where the file's are not")
    return None


def given(p) -> str:
    """What the exercise gives, in words (it has no network)."""
    from ..trace.numbers import listed   # noqa: PLC0415 (start-up: as validate's)
    d = p.data
    grads = ", ".join(f"{k} = {listed(v)}" for k, v in d.get("gradients", {}).items())
    if d.get("norm") is not None:
        how = (f"clipped by their global norm to {d['norm']}: ‖g‖ = sqrt(Σ_i ‖g_i‖²) over "
               f"all of them, and each g_i is scaled by min(1, {d['norm']}/‖g‖)")
    else:
        how = f"clipped element by element to [-{d.get('value')}, {d.get('value')}]"
    return f"The gradients {grads} are {how}."


def asked_words(q: str, p=None) -> str:
    """What a bare quantity name asks, in words."""
    return {"norm": "the global norm ‖g‖ before clipping",
            "clipped": "every clipped gradient"}.get(q, f"the clipped {q}")


# ---------------------------------------------------------------- its conventions (SPEC 1.16)

def _several(p) -> bool:
    return p.detail.method == "norm" and p.ask.quantity != "norm" and len(p.detail.gradients) > 1


def _conventions():
    from ..notations.convention import Convention   # noqa: PLC0415 (conventions only)
    return (
        Convention("clip_per_tensor", "each gradient clipped by its own norm (clip_by_norm on "
                   "each tensor, Keras' clipnorm)", topic="norm clipping",
                   who=("TensorFlow clip_by_norm", "Keras (clipnorm)"),
                   reason="each tensor by its own norm", applies=_several, slips=("own_norm",),
                   flags=frozenset({"own_norm"})),
        Convention("clip_global", "every gradient scaled by the one global norm ‖g‖ "
                   "(clip_grad_norm_, clip_by_global_norm)", topic="norm clipping",
                   who=("PyTorch clip_grad_norm_", "d2l", "TensorFlow clip_by_global_norm",
                        "Keras (global_clipnorm)"), reason="by the global norm",
                   own=_several),
    )


CONVENTIONS = _conventions
