"""`ctc`: connectionist temporal classification (SPEC 1.12): the forward-backward tables,
the loss and its gradients, the decoders, and collapsing a path.

    l'  the target with a blank before, between and after its symbols
    α_t(s) = (α_{t-1}(s) + α_{t-1}(s-1) [+ α_{t-1}(s-2)]) y_t(l'_s);   β likewise backwards
    p(z|x) = α_T(U') + α_T(U'-1);   E = -ln p(z|x);   dE/du_t(k) = y_t(k) - Σ_{s: l'_s = k} γ_t(s)
    B(π)   merge repeats, then remove blanks;  greedy: B(argmax each frame);  beam: prefix beam

The core is pure functions of plain values: tables.py (α, β, γ, the loss and gradients),
recursion.py, decoders.py, working.py and working_tables.py (the steps); keys.py reads the
file; this module is the type the registry finds.
"""

from __future__ import annotations

import math

from ...errors import ProblemError
from .. import Outcome
from ..keys import COMMON

NAME = "ctc"
TOPIC = "CTC"   # what an exported question is filed under (PrairieLearn's topic)
KEYS = COMMON | {"symbols", "blank", "blank_index", "probabilities", "logits", "target", "loss",
        "reduction", "notation", "method", "beam", "sequence", "path"}


def schema() -> dict:
    """Its part of `rnnquiz schema`."""
    name = {"anyOf": [{"type": "string"}, {"type": "integer"}]}
    labels = {"anyOf": [{"type": "string"}, {"type": "array", "items": name}]}
    rows = {"type": "array", "minItems": 1,
            "items": {"type": "array", "minItems": 2, "items": {"type": "number"}}}
    return {"required": ["symbols"], "properties": {
        "symbols": {"type": "array", "minItems": 1, "items": name}, "blank": name,
        "blank_index": {"enum": ["first", "last"]}, "probabilities": rows, "logits": rows,
        "target": labels, "sequence": labels, "path": labels,
        "loss": {"enum": ["nll", "expected_divergence"]}, "reduction": {"enum": ["sum", "mean"]},
        "notation": {"enum": ["graves", "cmu11785"]}, "method": {"enum": ["greedy", "beam"]},
        "beam": {"type": "integer", "minimum": 1}}}


def validate(p, data: dict) -> None:
    """The file's keys, read by keys.py (numpy, the problem package: so that `rnnquiz ctc
    --help` imports neither, they load when a problem is read)."""
    from .keys import validate as read   # noqa: PLC0415 (start-up: see above)
    read(p, data)


def answer(v):
    """A published answer: tokens where it lists a string, else numbers."""
    from ...problem.answers import token_answer   # noqa: PLC0415 (start-up: as validate's)
    return token_answer(v)


def solve(p, work) -> Outcome:
    from . import tables                              # noqa: PLC0415 (start-up: solving only)
    from .keys import PER_FRAME                       # noqa: PLC0415 (start-up: as validate's)
    from .working import work as write                # noqa: PLC0415 (start-up: solving only)
    d = p.detail
    try:
        values, default, per_step = write(d, work)
    except tables.CTCError as err:
        key = "logits" if d.logits is not None else "probabilities"
        raise ProblemError(str(err), keys=(key,)) from None
    _slips(d, values, work.variants)
    q = p.ask.quantity or default
    under = values.pop("_underflow", ())
    if q in under:
        raise ProblemError(f"{q} underflows float64 here (its entries are below 1e-308); ask "
                           f"for log_{q}, the same table in natural log", keys=("ask", "quantity"))
    notes = _log_zero_notes(p, d, values, q) + values.pop("_log_space", [])
    for k in PER_FRAME:
        if k in values:
            values[k] = [list(map(float, row)) for row in values[k]]
    per = ()
    if p.ask.t is not None:           # the pipeline counts frames from 0: shift Graves' t = 1
        per = tuple(per_step)
        for k in per:
            if k in values:
                values[k] = [None] * d.first + values[k]
    return Outcome(values=values, per_step=per, default=default, notes=notes,
                   log_zero=("log_alpha", "log_beta"))


def _log_zero_notes(p, d, values: dict, q: str) -> list[str]:
    """ln 0 = -inf (a position no alignment reaches by that frame, or from which none ends in
    time) has no JSON number: SPEC 3 writes it null, and a note says which entries and why."""
    if q not in ("log_alpha", "log_beta") or q not in values:
        return []
    import numpy as np                              # noqa: PLC0415 (start-up: numpy-free validation)
    table = np.asarray(values[q])
    asked = table if p.ask.t is None else table[p.ask.t - d.first]
    n = int(np.isneginf(asked).sum())
    if not n:
        return []
    why = ("positions no alignment reaches by that frame" if q == "log_alpha" else
           "positions from which no alignment reaches the end in the frames left")
    return [f"{q}: {n} of its {asked.size:,} entries are ln 0 = -infinity ({why}); "
            f"JSON writes them null"]


# ---------------------------------------------------------------- its slips (slips.py)

def _blanks_first(d, labels) -> list[str]:
    """The slip: blanks removed first, then repeats merged ("-a-a" gives "a", not "aa")."""
    kept = [k for k in labels if k != d.blank]
    return [k for i, k in enumerate(kept) if i == 0 or k != kept[i - 1]]


def _no_skip_probability(d) -> float:
    """The slip: p(z|x) as if a blank had to come between every two symbols (no skip)."""
    import numpy as np                              # noqa: PLC0415 (start-up: numpy-free validation)
    from .labels import extend, log_softmax         # noqa: PLC0415 (the slip's value only)
    ly = log_softmax(d.logits) if d.logits is not None else np.log(d.probabilities)
    ext = extend(d.index(d.target), d.blank_index)
    a = np.full(len(ext), -np.inf)
    a[:2] = ly[0, ext[:2]]
    for t in range(1, len(ly)):
        prev = np.concatenate(([-np.inf], a[:-1]))
        a = np.logaddexp(a, prev) + ly[t, ext]
    return math.exp(np.logaddexp(a[-1], a[-2]) if len(ext) > 1 else a[-1])


def _slips(d, values: dict, flags) -> None:
    if "ctc_blanks_first" in flags:
        if d.path is not None:
            values["collapse"] = d.text(_blanks_first(d, d.path))
        if "path" in values:
            values["sequence"] = d.text(_blanks_first(d, list(values["path"])))
    if "ctc_blank_between" in flags and d.target is not None:
        from .tables import divisor                  # noqa: PLC0415 (slips only)
        p = _no_skip_probability(d)
        values["probability"] = p
        if d.loss == "nll" and p > 0:
            values["loss"] = -math.log(p) / divisor(d.reduction, len(d.target))


# the slips this type's answers can make: its own (slips.py; the flags above commit them)
SLIPS = ("ctc_blank_between", "ctc_blanks_first")


# ---------------------------------------------------------------- quiz and new

_WORDS = {"loss": "the CTC loss", "probability": "the probability p(z|x)",
          "sequence": "the decoded labelling", "path": "the best path, frame by frame",
          "collapse": "the labelling the path collapses to, B(π)",
          "extended": "the extended target l'", "alpha": "the table α", "beta": "the table β",
          "gamma": "the posteriors γ", "dE/du": "the gradient dE/du", "dE/dy": "dE/dy",
          "log_alpha": "the table ln α", "log_beta": "the table ln β",
          "skip_connect": "the skip flag of each position of l' (1 where α may come from two "
                          "positions back)"}


def question(p, ask: str = "") -> str:
    """The question in words (quiz, new, export): what is given, then what is asked in the
    type's own words (`ask`, the generic wording, is not used: it cannot tell whose
    probability)."""
    d = p.detail
    ys = d.probabilities if d.probabilities is not None else d.logits
    parts = [f"CTC with the symbols {', '.join(d.symbols)} and the blank {d.blank!r} "
             f"(columns {', '.join(d.columns)})."]
    if ys is not None:
        rows = "; ".join(", ".join(f"{x:g}" for x in row) for row in ys)
        what = "probabilities y_t(k)" if d.probabilities is not None else "logits u_t(k)"
        parts.append(f"Over T = {len(ys)} frames the {what} are [{rows}].")
    if d.path is not None:
        parts.append(f"The path is {d.text(d.path)!r}.")
    if d.target is not None:
        parts.append(f"The target is {d.text(d.target)!r}.")
    if d.sequence is not None:
        parts.append(f"The labelling asked about is {d.text(d.sequence)!r}.")
    if d.method is not None:
        parts.append("Decoding: " + ("best path (greedy)." if d.method == "greedy"
                                     else f"prefix beam search, beam width {d.beam}."))
    q = p.ask.quantity or ("collapse" if d.path is not None and d.target is None else
                           "sequence" if d.method else "probability" if d.sequence else "loss")
    at = f" at frame t = {p.ask.t}" if p.ask.t is not None else ""
    words = _WORDS.get(q, q)
    if q == "probability" and d.method is not None:
        words = ("the probability of the best path" if d.method == "greedy"
                 else "the probability of the labelling it finds")
    elif q == "probability" and d.sequence is not None:
        words = f"p({d.text(d.sequence)}|x), summed over every alignment"
    digits = f", to {p.ask.digits} decimals" if p.ask.digits is not None else ""
    parts.append(f"What is {words}{at}{digits}?")
    return " ".join(parts)


def generate(rng) -> dict:
    """A new exercise (`rnnquiz new ctc`): probabilities in hundredths, rows summing to 1."""
    symbols = rng.choice([["a", "b"], ["a", "b", "c"], ["c", "a", "t"]])
    T = rng.randint(3, 5)
    rows = []
    for _ in range(T):
        cuts = sorted(rng.sample(range(1, 20), len(symbols)))
        parts = [b - a for a, b in zip([0] + cuts, cuts + [20])]
        rows.append([x * 5 / 100 for x in parts])
    kind = rng.choice(["loss", "probability", "greedy", "collapse"])
    doc = {"type": "ctc", "symbols": symbols, "probabilities": rows}
    if kind == "collapse":
        path = "".join(rng.choice(["-"] + symbols) for _ in range(rng.randint(6, 10)))
        return {"type": "ctc", "symbols": symbols, "path": path,
                "ask": {"quantity": "collapse"}}
    if kind == "greedy":
        return {**doc, "method": "greedy", "ask": {"quantity": "sequence"}}
    target = "".join(rng.choice(symbols) for _ in range(rng.randint(1, 2)))
    if len(target) == 2 and target[0] == target[1] and T < 3:
        target = target[0]
    return {**doc, "target": target, "ask": {"quantity": kind, "digits": 4}}


def vary(data: dict, rng) -> dict:
    """`rnnquiz vary`: each frame's probabilities redrawn at their decimals and renormalised to
    sum to 1 (zeros kept), logits as numbers (decimals, range, signs), a path to collapse with
    each run given a new length (it collapses to the same labelling); the symbols, the target
    and the method are the file's."""
    from ...problem import redraw   # noqa: PLC0415 (vary only)
    rows = data.get("probabilities")
    if isinstance(rows, list):
        data["probabilities"] = [redraw.distribution(r, rng) if isinstance(r, list) else r
                                 for r in rows]
    if isinstance(data.get("logits"), list):
        data["logits"] = redraw.numbers(data["logits"], rng)
    if isinstance(data.get("path"), (str, list)):
        data["path"] = redraw.runs(data["path"], rng)
    return data


def degenerate(original, variant) -> str | None:
    """A decoding variant has no tie between a frame's two likeliest outputs where the file
    had none (best path and beam search would be decided by the order of the symbols)."""
    from ...problem.redraw import top_tie   # noqa: PLC0415 (vary only)
    def rows(p):
        d = p.detail
        table = d.probabilities if d.probabilities is not None else d.logits
        return [] if table is None or d.method is None else [list(r) for r in table]
    for t, (was, now) in enumerate(zip(rows(original.problem), rows(variant.problem))):
        if top_tie(now) and not top_tie(was):
            return f"a tie between the two likeliest outputs of frame {t}"
    return None
