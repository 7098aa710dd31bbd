"""`attention`: one decoder step attending over encoder states (SPEC 1.14), in the courses'
own names. The core is here too: the scores as pure functions (score.py), the course's symbols
(symbols.py), the checks of keys and shapes (check.py), a problem's keys as an AttentionDetail
(keys.py) and the working (working.py).

    e_i = score(q, k_i);  α_i = exp(e_i) / Σ_{j unmasked} exp(e_j);  c = Σ_i α_i v_i
    output (luong h̃ = tanh(W_c [c; q]), cs224n o = tanh(W_u [a; h^dec]))

`encoder:` computes the values instead: any recurrent network of SPEC 1.3-1.10 (a stack, both
directions, every notation), run through the same working, so its steps come first; its top
layer's h_t (both directions concatenated) are the values.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from ...errors import ProblemError
from .. import TYPES, Outcome
from ..keys import COMMON

if TYPE_CHECKING:      # the encoder states' type, for the annotations only (start-up)
    import numpy as np

NAME = "attention"
TOPIC = "Attention"   # what an exported question is filed under (PrairieLearn's topic)
KEYS = COMMON | {"notation", "score", "query", "keys", "values", "encoder", "energies",
                 "network", "mask"}    # the type's top-level keys
QUANTITIES = ("energies", "alpha", "context", "output")
# what SPEC 1.14 lists; the core's `dense` score (deeplearning.ai's small network) is not one
SCORES = ("dot", "scaled_dot", "general", "concat", "additive")
ENCODER_KEYS = ("cell", "notation", "network", "inputs", "bidirectional", "round",
                "convention")

# the slips this type's answers can make, its own (slips.py): softmax_axis, the softmax over the
# decoder steps (axis 0 of the S×T energies) instead of the encoder steps (with one decoder
# step every α is then exp(e)/exp(e) = 1)
SLIPS = ("softmax_axis",)


def schema() -> dict:
    """Its part of `rnnquiz schema`: SPEC 1.14's keys."""
    from .score import NOTATIONS   # noqa: PLC0415 (start-up: as validate's)
    num = {"type": "number"}
    vec = {"type": "array", "minItems": 1, "items": num}
    rows = {"anyOf": [vec, {"type": "array", "minItems": 1, "items": vec}]}
    return {"properties": {
        "notation": {"enum": list(NOTATIONS)},
        "score": {"enum": list(SCORES)},
        "query": rows, "keys": rows, "values": rows, "energies": rows,
        "encoder": {"type": "object", "required": ["inputs"],
                    "propertyNames": {"enum": list(ENCODER_KEYS)}},
        "network": {"type": "object", "additionalProperties": {"anyOf": [num, rows]}},
        "mask": {"type": "array", "minItems": 1, "items": {"enum": [0, 1]}}},
        "required": ["notation"]}


class Steps(list):
    """Per-decoder-step answers, numbered from 1 as the courses number them (ask.t: 1 is the
    first decoder step; the problem has no network to say where its steps start)."""

    def __getitem__(self, i):
        if isinstance(i, int):
            if i < 1:
                raise IndexError(i)
            return list.__getitem__(self, i - 1)
        return list.__getitem__(self, i)


def validate(p, data: dict) -> None:
    # start-up: the core (numpy) and the problem package are read where a problem is
    # validated or solved, so that `rnnquiz new --help` (which lists every type) imports neither
    from .keys import detail_from_dict   # noqa: PLC0415 (see above)
    from .score import NOTATIONS   # noqa: PLC0415 (as above)
    notation = data.get("notation")
    score = data.get("score")
    if score is not None and (not isinstance(score, str) or score not in SCORES):
        raise ProblemError(f"expected one of {', '.join(SCORES)} (per notation), got "
                           f"{score!r}", keys=("score",))
    if notation == "deeplearning_ai" and score is not None:
        raise ProblemError("deeplearning_ai gives the energies e<t,t'>: leave out score and "
                           "write energies", keys=("score",))
    if isinstance(notation, str) and notation in NOTATIONS and data.get("encoder") is None \
            and data.get("values") is None and data.get("keys") is None \
            and data.get("energies") is None:
        raise ProblemError("missing; expected the encoder states to attend over (values), "
                           "or an encoder network that computes them (encoder)",
                           keys=("values",))
    encoder = _encoder(p, data["encoder"]) if data.get("encoder") is not None else None
    p.detail = d = detail_from_dict(data, encoder=encoder)
    steps = len(d.query if d.query is not None else d.energies) if d.several else 1
    if p.ask.t is not None and (not d.several or not 1 <= p.ask.t <= steps):
        raise ProblemError(f"expected a decoder step from 1 to {steps}" if d.several else
                           "one decoder step (a flat query): leave out ask.t",
                           keys=("ask", "t"))
    q = p.ask.quantity
    if q is not None and q not in QUANTITIES:
        raise ProblemError(f"attention has no quantity {q!r}; expected one of "
                           + ", ".join(QUANTITIES), keys=("ask", "quantity"))


def _encoder(p, enc):
    """The encoder as a network problem of its own (errors by the key path under encoder),
    and the callable that runs it through the attention's working."""
    from ...problem import Problem, asked_step   # noqa: PLC0415 (start-up: as validate's)
    from ...problem.network_keys import network_problem   # noqa: PLC0415 (start-up: only an encoder needs it)
    if not isinstance(enc, dict):
        raise ProblemError("expected a mapping: cell, network, inputs, notation, ...",
                           keys=("encoder",))
    for key in enc:
        if key not in ENCODER_KEYS:
            raise ProblemError(f"unknown key for an encoder; expected one of "
                               f"{', '.join(ENCODER_KEYS)}", keys=("encoder", key))
    sub = Problem(type="forward", file=p.file, data=enc)
    sub.costs = TYPES["forward"]        # the limits weigh its steps as a forward pass's
    try:
        network_problem(sub, enc)
        asked_step(sub)
    except ProblemError as err:
        raise err.quoted(("encoder",) + err.keys) from None
    p.round = sub.round         # the course's rounding, of the encoder's steps (the working's
    return lambda work: run_encoder(sub, work)      # attention lines are never rounded)


def run_encoder(sub, work) -> np.ndarray:
    """The encoder's h_t for every step, (T, d_v): the top layer's, both directions
    concatenated; each step recorded in `work`."""
    import numpy as np   # noqa: PLC0415 (start-up: as validate's)
    if sub.stack is not None:
        from ...cells import layers   # noqa: PLC0415 (start-up: only an encoder's stack)
        return np.asarray(layers.forward(sub, work)[1], dtype=np.float64)
    from ...cells import run   # noqa: PLC0415 (start-up: only an encoder needs it)
    fp = run.forward(sub, work)
    return np.array([np.reshape(c["h"], -1) for c in fp.caches], dtype=np.float64)


def solve(p, work) -> Outcome:
    from .check import missing_quantity   # noqa: PLC0415 (start-up: as validate's)
    from .working import work_attention   # noqa: PLC0415 (as above)
    d = p.detail
    seen = {}
    if d.encoder is not None:       # keep the values the encoder computed, for the slip
        run = d.encoder
        d = replace(d, encoder=lambda w: seen.setdefault("V", run(w)))
    values, default, per_step = work_attention(d, work)
    if "softmax_axis" in work.variants:
        values = _wrong_axis(d, values, seen.get("V"), work)
    q = p.ask.quantity or default
    if q not in values:
        raise missing_quantity(d.notation, q, d.network, "context" in values,
                               d.query is not None)
    if per_step:
        values = {k: Steps(v) for k, v in values.items()}
    return Outcome(values=values, per_step=per_step, default=default)


def _wrong_axis(d, values: dict, V, work) -> dict:
    """The slip: α normalised over the decoder steps; the context from those weights."""
    import numpy as np   # noqa: PLC0415 (start-up: as validate's)
    E = np.atleast_2d(np.asarray(values["energies"], dtype=np.float64))
    alpha = np.exp(E - E.max(axis=0)) / np.exp(E - E.max(axis=0)).sum(axis=0)
    if d.mask is not None:
        alpha = alpha * (np.asarray(d.mask).reshape(-1) != 0)
    out = dict(values)
    out["alpha"] = list(alpha) if d.several else alpha[0]
    work.note("α", alpha if d.several else alpha[0], phase="softmax",
              note="the softmax taken over the decoder steps (the slip)")
    V = d.values if V is None else V
    if V is not None and "context" in values:
        Vr = np.asarray(V, dtype=np.float64)
        ctx = alpha @ (Vr.reshape(-1, 1) if Vr.ndim == 1 else Vr)
        ctx = [float(c[0]) if Vr.ndim == 1 else c for c in ctx]
        out["context"] = ctx if d.several else ctx[0]
    return out


def question(p) -> str:
    """The question in words (quiz): what the exercise gives, then what it asks."""
    d, data = p.detail, p.data
    q = p.ask.quantity or ("context" if d.values is not None or d.encoder else "alpha")
    what = {"energies": "the attention energies (scores) of each encoder step",
            "alpha": "the attention weights α (the softmax of the energies)",
            "context": "the context vector (the α-weighted sum of the encoder states)",
            "output": "the combined output of the attention layer"}[q]
    given = []
    if data.get("energies") is not None:
        given.append(f"the energies {data['energies']}")
    else:
        given.append(f"the decoder state {data.get('query')} and the {d.score} score")
    if data.get("values") is not None:
        given.append(f"the encoder states {data['values']}")
    elif data.get("encoder") is not None:
        enc = data["encoder"]
        given.append(f"the encoder states computed by the {enc.get('cell', 'rnn')} encoder "
                     f"{enc.get('network')} over the inputs {enc.get('inputs')}")
    if data.get("keys") is not None:
        given.append(f"the keys {data['keys']}")
    if d.network:
        given.append(", ".join(f"{k} = {v}" for k, v in data.get("network", {}).items()))
    if data.get("mask") is not None:
        given.append(f"the mask {data['mask']} (0: never attended)")
    step = f" at decoder step {p.ask.t}" if p.ask.t is not None else ""
    return (f"Attention in the {d.notation} notation, given {'; '.join(given)}. "
            f"Compute {what}{step}.")


def generate(rng) -> dict:
    """A new exercise (`rnnquiz new attention`): one Luong step over three encoder states."""
    def r():
        return round(rng.uniform(-1, 1), 1)
    score = rng.choice(["dot", "general"])
    doc = {"type": "attention", "notation": "luong", "score": score,
           "query": [r(), r()], "values": [[r(), r()] for _ in range(3)],
           "ask": {"quantity": rng.choice(["alpha", "context"]), "digits": 4}}
    if score == "general":
        doc["network"] = {"W_a": [[r(), r()], [r(), r()]]}
    return doc


def vary(data: dict, rng) -> dict:
    """`rnnquiz vary`: the query, keys, values, given energies, the network and an encoder's
    network and inputs redrawn as numbers (decimals, range, signs; zeros kept); the mask, the
    score and the encoder's cell and rounding are the file's."""
    from ...problem import redraw   # noqa: PLC0415 (vary only)
    for key in ("query", "keys", "values", "energies", "network", "encoder"):
        if key in data:
            data[key] = redraw.tree(data[key], rng, skip=("round", "bidirectional"))
    return data
