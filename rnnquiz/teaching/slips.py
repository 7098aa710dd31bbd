"""The slips students make on these exercises, and which of them reproduce a wrong answer.

Each slip is a named variant of the same computation, built on the same solvers: a
changed problem (a bias left out, the rounding skipped, the step before), a slip
committed inside the cell code (`Work.variants`: the derivative left out, the term
from later steps dropped), or a changed answer (the 1/2 of the squared loss missing).
`diagnose` runs every slip that applies, then pairs of them, and keeps those whose
result, at the precision the answer is written with, is the answer given.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from typing import Callable

import numpy as np

from ..problem import answers
from ..errors import ProblemError


@dataclass(frozen=True)
class Variant:
    """One way to commit a slip: change the document, set flags, change the answer."""

    slip: str
    detail: str = ""
    doc: Callable[[dict], dict] | None = None
    flags: frozenset = frozenset()
    answer: Callable | None = None
    # slip id -> (cell, {method: replacement}): the cell methods the slip replaces
    overrides: dict | None = field(default=None, compare=False, hash=False)


@dataclass(frozen=True)
class Slip:
    id: str
    explanation: str
    variants: Callable = field(repr=False)      # (problem) -> list[Variant]


def _net(doc: dict) -> dict:
    doc = copy.deepcopy(doc)
    doc.setdefault("network", {})
    return doc


def _set(path: tuple, value):
    def change(doc):
        doc = _net(doc)
        node = doc
        for k in path[:-1]:
            node = node.setdefault(k, {})
        node[path[-1]] = value
        return doc
    return change


def _scale(factor: float):
    def change(v):
        if isinstance(v, str):
            return v
        return (np.asarray(v, dtype=float) * factor).tolist() if isinstance(v, list) else v * factor
    return change


def _no_bias(p):
    net = p.data.get("network") or {}
    out = []
    for key in p.network.notation.biases:
        if key in net and np.any(np.asarray(net[key], dtype=float) != 0):
            out.append(Variant("no_bias", key, doc=_set(("network", key), 0)))
    return out


def _activation_swapped(p):
    hidden = p.network.words.get("hidden")
    other = {"logistic": "tanh", "tanh": "logistic"}.get(hidden)
    if other not in p.network.notation.words.get("hidden", (other,)):
        return []                   # nn.RNN has tanh or relu: no logistic to swap to
    return [Variant("activation_swapped", f"{other} for {hidden}",
                    doc=_set(("network", "hidden"), other))] if other else []


def _off_by_one(p):
    t = p.ask.t
    out = []
    for step in (t - 1, t + 1) if t is not None else ():
        if p.first <= step < p.T + p.first:
            out.append(Variant("off_by_one_step", f"t = {step}", doc=_set(("ask", "t"), step)))
    return out


def _initial_state_as_input(p):
    out = []
    if not p.network.notation.states:       # x(0) = 0 always (an echo state network)
        return out
    init = next(iter(p.network.notation.states))
    x0 = p.data["inputs"][0]
    if not isinstance(x0, list) and p.network.sizes["h"] == 1:
        out.append(Variant("initial_state_as_input", f"{init} = x_0",
                           doc=_set(("network", init), x0)))
    t = p.ask.t
    # a batch's targets and given values are per example: only a forward pass is shifted
    shiftable = not p.batch or not (p.data.get("targets") or p.data.get("given"))
    if p.T > 1 and (t is None or t >= 1 + p.first) and shiftable:
        def skip(doc):
            doc = _net(doc)
            if p.batch:         # (N, T, D): the first step of every example
                doc["inputs"] = [list(ex)[1:] for ex in doc["inputs"]]
                return doc
            doc["inputs"] = list(doc["inputs"])[1:]
            if isinstance(doc.get("targets"), list):
                doc["targets"] = doc["targets"][1:]
            elif isinstance(doc.get("targets"), dict):
                doc["targets"] = {k - 1: v for k, v in doc["targets"].items()
                                  if int(k) >= 1 + p.first}
            for k in ("h", "y"):
                if k in (doc.get("given") or {}):
                    doc["given"][k] = doc["given"][k][1:]
            if t is not None:
                doc["ask"] = {**doc["ask"], "t": t - 1}
            return doc
        out.append(Variant("initial_state_as_input", "first step skipped", doc=skip))
    return out


def _override(slip: str, cell: str, when: Callable = lambda p: True, **methods):
    """A slip committed inside a cell's step: the cell's own method replaced by a wrong one."""
    overrides = {slip: (cell, methods)}
    return lambda p: [Variant(slip, flags=frozenset({slip}), overrides=overrides)] \
        if p.cell == cell and when(p) else []


def _answer(slip: str, factor: float, gradient_only: bool = True):
    def variants(p):
        from ..cells.loss import loss_names   # noqa: PLC0415
        q = p.ask.quantity or "dE/dz"
        if gradient_only and not any(q.startswith(f"d{n}/d") for n in loss_names(p)):
            return []               # a gradient of the loss: dE/dW_hh, Hagan's dF/dlw
        return [Variant(slip, answer=_scale(factor))]
    return variants


def _not_sse(variants):
    """The squared loss's ½ slips apply where the loss has one (Hagan's SSE has its own)."""
    return lambda p: [] if p.loss == "sse" else variants(p)


def _sse_half(p):
    return _answer("sse_half", 0.5, gradient_only=False)(p) if p.loss == "sse" else []


# the books whose U and W readers swap: SLP3 writes U h_{t-1} + W x_t, Goodfellow W h + U x
SWAPPED_LETTERS = ("slp", "goodfellow")


def _letters_swapped(p):
    n = p.network.notation
    if n.name not in SWAPPED_LETTERS:
        return []
    from ..notations.layouts import CANONICAL   # noqa: PLC0415
    pairs = [(n.file_names[W_h], n.file_names[W_x])
             for W_h, W_x, _ in CANONICAL[n.cell].values()
             if W_h in n.file_names and W_x in n.file_names]
    net = p.data.get("network") or {}
    if not any(a in net or b in net for a, b in pairs):
        return []

    def swap(doc):
        doc = _net(doc)
        net = doc["network"]
        for a, b in pairs:
            va, vb = net.pop(a, None), net.pop(b, None)
            if vb is not None:
                net[a] = vb
            if va is not None:
                net[b] = va
        return doc
    return [Variant("letters_swapped", ", ".join(f"{a} ↔ {b}" for a, b in pairs), doc=swap)]


def _tied_one_use(p):
    """A tied weight's gradient taken from one of its uses only (SPEC 1.15)."""
    q = p.ask.quantity or ""
    uses = p.tie.get(q[4:], ()) if q.startswith("dE/d") else ()
    return [Variant("tied_one_use", f"from {u} only", doc=_set(("ask", "quantity"), f"dE/d{u}"))
            for u in uses] if len(uses) > 1 else []


def _tar_from_initial(p):
    """TAR with the pair (initial state, first state) counted too (SPEC 1.15: never)."""
    asked = p.ask.quantity in ("penalty", "E")
    return [Variant("tar_from_initial", flags=frozenset({"tar_from_initial"}))] \
        if asked and "tar" in p.regularization and p.network is not None else []


def _no_rounding(p):
    return [Variant("no_rounding", doc=_set(("round",), "none"))] if p.round != "none" else []


def _rounded_early(p):
    return [Variant("rounded_early", f"to {k} decimal{'s' if k > 1 else ''}",
                    doc=_set(("round",), k)) for k in (1, 2) if p.round != k]


def _weight_only(p):
    def verdict(_):
        from ..cells.run import canonical   # noqa: PLC0415
        W = canonical(p)["W_hh"]
        g = float(np.abs(W).reshape(-1)[0]) if W.size == 1 else float(np.linalg.norm(W, 2))
        return "neither" if abs(g - 1) <= p.tolerance else ("vanishing" if g < 1 else "exploding")
    return [Variant("weight_only_verdict", answer=verdict)] if p.cell == "rnn" else []


def _states_not_bits(p):
    return [Variant("states_not_bits", answer=lambda _: float(p.states))] if p.states else []


def _own_norm(p):
    c = p.detail
    return [Variant("own_norm", flags=frozenset({"own_norm"}))] \
        if c.method == "norm" and p.ask.quantity != "norm" and len(c.gradients) > 1 else []


def _summed_loss(p):
    d = p.detail
    asked = p.ask.quantity in (None, "perplexity")
    many = len(d.probabilities if d.probabilities is not None else
               d.table.targets if d.table is not None else ())
    return [Variant("summed_loss", flags=frozenset({"summed_loss"}))] \
        if asked and many > 1 else []


def _pad_counted(p):
    t = p.detail.table
    return [Variant("pad_counted", flags=frozenset({"pad_counted"}))] \
        if t is not None and t.pad in t.targets else []


def _esn(slip: str, applies: Callable):
    """A slip committed in an echo state network's run (cells/reservoir.py), where it shows."""
    def variants(p):
        d = p.detail if getattr(p, "notation", "") == "esn" else None
        return [Variant(slip, flags=frozenset({slip}))] if d is not None and applies(d) else []
    return variants


def _softmax_axis(p):
    return [Variant("softmax_axis", flags=frozenset({"softmax_axis"}))] \
        if p.ask.quantity != "energies" else []


def _no_length_norm(p):
    d = p.detail
    if not d.alpha or (d.method != "beam" and p.ask.quantity != "score"):
        return []

    def change(doc):
        return {**doc, "alpha": 0}
    return [Variant("no_length_norm", "α = 0", doc=change)]


def _model(slip: str):
    """A slip in counting a whole model (types/shapes/model.py recounts the layers)."""
    def variants(p):
        from ..types.shapes.model import slips_for   # noqa: PLC0415
        return [Variant(slip, flags=frozenset({slip}))] if slip in slips_for(p) else []
    return variants


def _ctc_blank_between(p):
    """CTC: a blank required between every two symbols of the target (no skip transition)."""
    d = p.detail
    if d.target is None or p.ask.quantity not in (None, "loss", "probability") or \
            d.loss != "nll" or not any(a != b for a, b in zip(d.target, d.target[1:])):
        return []
    if 2 * len(d.target) - 1 > len(d.probabilities if d.probabilities is not None
                                   else d.logits):
        return []                   # without the skip no alignment fits: p = 0
    return [Variant("ctc_blank_between", "no skip from one symbol to the next",
                    flags=frozenset({"ctc_blank_between"}))]


def _ctc_blanks_first(p):
    d = p.detail
    return [Variant("ctc_blanks_first", "blanks removed, then repeats merged",
                    flags=frozenset({"ctc_blanks_first"}))] \
        if d.path is not None or d.method == "greedy" else []
def _flag(slip: str, applies: str):
    """A slip the type's module commits itself (`work.variants`), where its test says it
    applies (bleu: `no_brevity_penalty(p)`)."""
    def variants(p):
        from ..types import TYPES   # noqa: PLC0415
        ok = getattr(TYPES[p.type], applies)(p)
        return [Variant(slip, flags=frozenset({slip}))] if ok else []
    return variants


SLIPS: dict[str, Slip] = {s.id: s for s in (
    Slip("no_bias", "a bias left out", _no_bias),
    Slip("activation_swapped", "tanh used for logistic, or the reverse",
         _activation_swapped),
    Slip("off_by_one_step", "the value of the step before or after the one asked",
         _off_by_one),
    Slip("initial_state_as_input", "the initial state mixed up with the first input",
         _initial_state_as_input),
    Slip("direct_term_only", "BPTT without the contributions flowing back from later steps",
         _override("direct_term_only", "rnn", carry=lambda self, terms: [])),
    Slip("no_derivative", "an activation's derivative left out of a chain-rule factor",
         _override("no_derivative", "rnn",
                   slope=lambda self, z, cache, ctx: np.ones_like(z))),
    Slip("derivative_of_given", "the logistic's derivative taken from the given h_t instead of z_t",
         _override("derivative_of_given", "rnn",
                   lambda p: "h" in p.given
                   and p.network.words.get("hidden") == "logistic",
                   slope=lambda self, z, cache, ctx: cache["h"] * (1 - cache["h"]))),
    Slip("half_missing", "the squared loss without its 1/2 (gradients doubled)",
         _not_sse(_answer("half_missing", 2.0, gradient_only=False))),
    Slip("sse_half", "Hagan's sum of squared errors taken with the 1/2 of the squared loss "
         "(E and gradients halved)", _sse_half),
    Slip("letters_swapped", "the recurrent and input matrices' letters swapped (SLP3 writes "
         "U h_{t-1} + W x_t, Goodfellow W h^(t-1) + U x^(t))",
         _letters_swapped),
    Slip("sign_flipped", "(t - y) used for (y - t): the gradient's sign flipped",
         _answer("sign_flipped", -1.0)),
    Slip("no_rounding", "the course's rounding skipped", _no_rounding),
    Slip("tar_from_initial", "TAR counted from the initial state too (h_init - h_0 is no pair "
         "of computed states)", _tar_from_initial),
    Slip("tied_one_use", "a tied weight's gradient taken from one of its uses only, not summed "
         "over them", _tied_one_use),
    Slip("rounded_early", "rounding applied where it was not asked (every step, to 1 or 2 decimals)",
         _rounded_early),
    Slip("forget_on_h", "the forget gate applied to h_{t-1} instead of c_{t-1}",
         _override("forget_on_h", "lstm", lambda p: p.notation == "mit",
                   kept=lambda self, h_prev, c_prev: h_prev)),
    Slip("tanh_missing", "h_t = o_t ⊙ c_t, without the tanh on c_t",
         _override("tanh_missing", "lstm", lambda p: p.notation == "mit",
                   squash=lambda self, c: c)),
    Slip("tanh_kept", "h_t = o_t ⊙ tanh(c_t), the usual LSTM's tanh kept where the course's "
         "cell has none (CS230's a = Γ_o*c, state_activation: linear)",
         _override("tanh_kept", "lstm",
                   lambda p: p.network.words.get("state_activation") == "linear",
                   phi=lambda self, c: np.tanh(c))),
    Slip("weight_only_verdict", "vanishing/exploding judged from |W_hh| alone, without hidden'(z)",
         _weight_only),
    Slip("states_not_bits", "the HMM question answered with the number of states, not log2 of it",
         _states_not_bits),
    Slip("own_norm", "each gradient clipped by its own norm instead of the global norm of all",
         _own_norm),
    Slip("summed_loss", "perplexity as exp of the summed loss E instead of the mean E/T",
         _summed_loss),
    Slip("pad_counted", "the padding positions averaged in (non_pad left out of the mean)",
         _pad_counted),
    Slip("leak_swapped", "the leaking rate on the wrong term: x(n) = α·x(n-1) + (1 - α)·x̃(n)",
         _esn("leak_swapped", lambda d: d.leaking_rate not in (1.0, 0.5))),
    Slip("ridge_without_bias_row", "the ridge read-out fitted without the constant 1 in X "
         "(W_out with no bias column)", _esn("ridge_without_bias_row", lambda d: d.fit)),
    Slip("no_length_norm", "beam scores without the length normalisation 1/L^α (log P alone)",
         _no_length_norm),
    Slip("embedding_without_vocabulary", "the embedding's V·d parameters left out of the model's "
         "count (one vector a token, for every token of the vocabulary)",
         _model("embedding_without_vocabulary")),
    Slip("one_bias", "one bias vector counted where the framework has two (PyTorch's bias_ih "
         "and bias_hh; a Keras GRU with reset_after)", _model("one_bias")),
    Slip("bidirectional_once", "a bidirectional layer counted once, without the backward "
         "direction's own weights", _model("bidirectional_once")),
    Slip("ctc_blank_between", "a blank inserted where repeats need none: every two symbols of "
         "the CTC target kept apart by a blank (no skip transition)", _ctc_blank_between),
    Slip("ctc_blanks_first", "repeats collapsed after removing blanks (\"a-a\" read as \"a\")",
         _ctc_blanks_first),
    Slip("softmax_axis", "the attention softmax over the wrong axis (the decoder steps, not the "
         "encoder steps)", _softmax_axis),
    Slip("no_brevity_penalty", "BLEU without the brevity penalty (BP taken as 1)",
         _flag("no_brevity_penalty", "no_brevity_penalty")),
    Slip("rtrl_not_carried", "RTRL sensitivities not carried forward: dh_t/dθ taken as the "
         "immediate ∂h_t/∂θ alone, the W_hh·dh_{t-1}/dθ term dropped",
         lambda p: [Variant("rtrl_not_carried", flags=frozenset({"rtrl_not_carried"}))]
         if getattr(p, "method", "bptt") == "rtrl" else []),
    Slip("longest_reference", "the longest reference's length for r instead of the one closest "
         "to the candidate's", _flag("longest_reference", "longest_reference")),
)}


# ---------------------------------------------------------------- searching


def variants_for(p) -> list[Variant]:
    out = []
    if getattr(p, "stack", None) is not None:
        return out          # the slips are written for one layer's keys (network.hidden, ...)
    if getattr(getattr(p, "network", None), "engine", None):
        return out          # Hagan's tapped delay lines: the slips are written for the cells
    if getattr(p.ask, "parts", None) is not None:
        return out          # a question in several parts: `check` searches each part's own
    from ..types import TYPES   # noqa: PLC0415
    if getattr(TYPES[p.type], "NETWORK", False) and p.network is None:
        return out          # the penalty of given states (backprop without a network)
    mine = set(getattr(TYPES[p.type], "SLIPS", ()))     # the type's hook: the slips it can make
    for slip in SLIPS.values():
        if slip.id in mine:
            out.extend(slip.variants(p))
    return out


def _combine(a: Variant, b: Variant) -> Variant:
    def doc(d):
        d = a.doc(d) if a.doc else d
        return b.doc(d) if b.doc else d

    def answer(v):
        v = a.answer(v) if a.answer else v
        return b.answer(v) if b.answer else v
    return Variant(f"{a.slip}+{b.slip}", "; ".join(x for x in (a.detail, b.detail) if x),
                   doc=doc if (a.doc or b.doc) else None, flags=a.flags | b.flags,
                   answer=answer if (a.answer or b.answer) else None,
                   overrides={**(a.overrides or {}), **(b.overrides or {})} or None)


def _value(p, v: Variant, steps: bool = False):
    from ..types import from_dict   # noqa: PLC0415
    from ..types import solve   # noqa: PLC0415
    prob = p
    if v.doc is not None:
        doc = v.doc(copy.deepcopy(p.data))
        doc.pop("answer", None)
        prob = from_dict(doc, file=p.file)
    r = solve(prob, steps=steps, variants=v.flags, overrides=v.overrides)
    value = v.answer(r.answer) if v.answer else r.answer
    return value, r


def _precision(p, text: str | None) -> int | None:
    written = answers.decimals_written(text) if text else None
    digits = p.ask.digits
    if written is None:
        return digits
    return written if digits is None else min(written, digits)


def _matches(value, given, digits) -> bool:
    if answers.is_words(value) or answers.is_words(given):
        return answers.agree(value, given, None)
    try:
        a = np.asarray(value, dtype=float).reshape(-1)
        b = np.asarray(given, dtype=float).reshape(-1)
    except (TypeError, ValueError):
        return False
    if a.shape != b.shape or not np.isfinite(a).all():
        return False
    if digits is None:
        return bool(np.all(np.abs(a - b) <= 1e-9 * np.maximum(1, np.abs(b))))
    from ..problem.answers import round_places   # noqa: PLC0415
    return bool(np.array_equal(round_places(a, digits), round_places(b, digits)))


def _departs(right, variant_result, v: Variant) -> str | None:
    """The first step of the working where the slip's value differs from the right one."""
    if v.answer is not None and v.doc is None and not v.flags:
        return "the answer itself"
    by_symbol = {(s.symbol, s.phase): s.value for s in right.steps}
    for s in variant_result.steps:
        ref = by_symbol.get((s.symbol, s.phase))
        if ref is None or isinstance(ref, str) or isinstance(s.value, str):
            continue
        try:
            if not np.allclose(np.asarray(s.value, float), np.asarray(ref, float),
                               rtol=1e-12, atol=1e-15):
                return s.symbol
        except (TypeError, ValueError):
            continue
    return "the step asked" if v.slip.startswith("off_by_one") else None


def diagnose(p, given, text: str | None = None, *, pairs: bool = True) -> list[dict]:
    """The slips that reproduce `given`, best first (single slips before pairs)."""
    from ..types import solve   # noqa: PLC0415
    if getattr(p.ask, "parts", None) is not None:
        return []           # a question in several parts: `check` diagnoses each part
    digits = _precision(p, text)
    right = solve(p, steps=True)
    if _matches(right.answer, given, digits):
        return []                                # a right answer is never diagnosed
    singles = variants_for(p)
    found = _search(p, singles, given, digits, right)
    if not found and pairs:
        combos = [_combine(a, b) for i, a in enumerate(singles) for b in singles[i + 1:]
                  if a.slip != b.slip]
        found = _search(p, combos, given, digits, right)
    return found


def _search(p, variants: list[Variant], given, digits, right) -> list[dict]:
    found, seen = [], set()
    for v in variants:
        try:
            value, _ = _value(p, v)
        except (ProblemError, ValueError, KeyError, IndexError, TypeError):
            continue
        if not _matches(value, given, digits) or (v.slip, v.detail) in seen:
            continue
        seen.add((v.slip, v.detail))
        try:
            _, r = _value(p, v, steps=True)
            where = _departs(right, r, v)
        except (ProblemError, ValueError):
            where = None
        explanation = " and ".join(SLIPS[s].explanation for s in v.slip.split("+"))
        if v.detail:
            explanation += f" ({v.detail})"
        found.append({"slip": v.slip, "value": value, "explanation": explanation,
                      "departs_at": where})
    found.sort(key=lambda d: _distance(d["value"], given))     # the closest first
    return found


def _distance(value, given) -> float:
    try:
        return float(np.max(np.abs(np.asarray(value, float).reshape(-1)
                                   - np.asarray(given, float).reshape(-1))))
    except (TypeError, ValueError):
        return 0.0

