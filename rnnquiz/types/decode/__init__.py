"""`decode`: greedy search, beam search and scoring over probability tables (d2l 10.8).

    greedy   y_t = argmax_y P(y | y_1 … y_{t-1}), until eos or max_length
    beam     at each step the `beam` most probable continuations of the kept hypotheses
             are kept; one that ends with eos (or reaches max_length) is finished and set
             aside; the answer is the finished hypothesis of highest score
    score    P(y_1 … y_L) = Π_t P(y_t | y_1 … y_{t-1})
    score(y) = (1/L^α) Σ_t log P(y_t | y_1 … y_{t-1})      L counts the tokens, eos included
    error_analysis   at_fault = beam_search if P(y*|x) > P(ŷ|x) else rnn   (y* the human's
             sequence, ŷ the algorithm's output; by the score instead when alpha is given)
"""

from __future__ import annotations

import math

from ...errors import ProblemError
from .. import Outcome
from . import search
from .scoring import hyp_score, seq_text
from ..keys import COMMON

NAME = "decode"
TOPIC = "Decoding"   # what an exported question is filed under (PrairieLearn's topic)
# what a file may call the type, for the advice on an unknown type
ALIASES = ("beam", "beamsearch", "greedy")
KEYS = COMMON | {"vocabulary", "eos", "tables", "method", "beam", "alpha", "sequence",
                 "max_length", "output"}   # the type's top-level keys
SLIPS = ("no_length_norm",)   # the slips this type's answers can make: its own (slips.py)
HINT = "beam_search or rnn"   # how quiz asks for its one word answer (error analysis's)


def schema() -> dict:
    """Its part of `rnnquiz schema`: its keys, as `keys.validate` reads them."""
    from .keys import METHODS   # noqa: PLC0415 (start-up: as validate's)
    token = {"anyOf": [{"type": "string"}, {"type": "integer"}]}
    tokens = {"anyOf": [{"type": "string"}, {"type": "array", "minItems": 1, "items": token}]}
    prob = {"type": "number", "minimum": 0, "maximum": 1}
    return {"required": ["vocabulary", "tables"],
            "properties": {"vocabulary": {"type": "array", "minItems": 1, "items": token},
                           "output": tokens, "sequence": tokens, "eos": token,
                           "tables": {"type": "object", "minProperties": 1, "additionalProperties":
                                      {"type": "array", "minItems": 1, "items": prob}},
                           "method": {"enum": list(METHODS)},
                           "beam": {"type": "integer", "minimum": 1},
                           "alpha": {"type": "number", "minimum": 0},
                           "max_length": {"type": "integer", "minimum": 1}}}


def validate(p, data: dict) -> None:
    """The file's keys, read by keys.py (numpy, the problem package: so that `rnnquiz new
    --help`, which lists every type, imports neither, they load when a problem is read)."""
    from .keys import validate as read   # noqa: PLC0415 (start-up: see above)
    read(p, data)


def answer(v):
    """A published answer: tokens where it lists a string, else numbers."""
    from ...problem.answers import token_answer   # noqa: PLC0415 (start-up: as validate's)
    return token_answer(v)


def solve(p, work) -> Outcome:
    d = p.detail
    if d.method == "error_analysis":
        from .analysis import error_analysis   # noqa: PLC0415 (only its files need it)
        return error_analysis(d, work, notes=_sums(d))
    if d.method == "beam":
        best = search.beam(d, work)
    else:
        best = search.greedy(d, work) if d.method == "greedy" else search.scored(d, work)
        search.totals(d, best, work)
    score = hyp_score(d, best)
    q = p.ask.quantity or ("probability" if d.method == "score" else "sequence")
    if q == "log_probability" and d.method == "beam":     # the answer gets its own row
        work.note("log P", best.logP, eq=f"log P({seq_text(best.tokens)})", sub="log {}",
                  args=(best.P,), phase="final scores")
    if q == "sequence" and d.method == "score":
        work.note("sequence", seq_text(best.tokens), phase="the sequence", note="as given")
    if q in ("score", "log_probability") and not math.isfinite(score):
        raise ProblemError(f"the sequence {seq_text(best.tokens)!r} has probability 0, so its "
                           "log-probability (and score) is -infinity", keys=("ask", "quantity"))
    return Outcome(values={"sequence": list(best.tokens), "probability": best.P,
                           "log_probability": best.logP, "score": score},
                   default="probability" if d.method == "score" else "sequence",
                   notes=_sums(d) + _unused(p, d))


def _unused(p, d) -> list[str]:
    """Keys the file gives that its method does not read (SPEC 1.11's own example writes
    beam and sequence beside method greedy): said, never silently passed over."""
    used = {"beam": ("beam",), "sequence": ("score", "error_analysis")}
    return [f"{key} is not used by method {d.method}" for key, methods in used.items()
            if p.data.get(key) is not None and d.method not in methods]


def _sums(d) -> list[str]:
    """A table that does not sum to 1 is used as written, and said so."""
    from .keys import SUM_TOLERANCE, show_prefix   # noqa: PLC0415 (start-up: as validate's)
    return [f"the table for the prefix {show_prefix(prefix)} sums to {float(t.sum()):g}, not 1; "
            "it is used as written" for prefix, t in d.tables.items()
            if abs(float(t.sum()) - 1) > SUM_TOLERANCE]


def generate(rng) -> dict:
    """A new exercise (`rnnquiz new decode`): tables for every prefix up to max_length - 1
    tokens, in tenths, none of them 0."""
    from ...problem import draw   # noqa: PLC0415 (start-up: only `new` draws)
    draw.sequence(rng)
    words, eos, max_length = ["A", "B", "C"], "<eos>", 3
    prefixes = [()]
    for _ in range(max_length - 1):
        prefixes += [p + (w,) for p in prefixes if len(p) == len(prefixes[-1]) for w in words]
    tables = {}
    for prefix in prefixes:
        cuts = sorted(rng.sample(range(1, 10), 3))
        tables[" ".join(prefix)] = [round(b - a, 1) / 10 for a, b in
                                    zip([0] + cuts, cuts + [10])]
    doc = {"type": "decode", "vocabulary": words + [eos], "eos": eos, "tables": tables,
           "max_length": max_length}
    method = rng.choice(["greedy", "beam", "score"])
    doc["method"] = method
    if method == "score":
        seq = [rng.choice(words) for _ in range(rng.randint(1, max_length - 1))] + [eos]
        doc["sequence"] = seq
        doc["ask"] = {"quantity": rng.choice(["probability", "score"]), "digits": 4}
        return doc
    if method == "beam":
        doc["beam"], doc["alpha"] = 2, 0.75
    q = rng.choice(["sequence", "probability", "score"])
    doc["ask"] = {"quantity": q} if q == "sequence" else {"quantity": q, "digits": 4}
    return doc


def question(p, ask: str) -> str:
    """The question in words (quiz, new, export): what is given, then what is asked."""
    return f"{given(p)} {ask}"


def given(p) -> str:
    """What the exercise gives, in words (it has no network)."""
    from ...trace.numbers import listed   # noqa: PLC0415 (start-up: as validate's)
    d = p.data
    eos = d.get("eos", "<eos>")
    tables = "; ".join(f"after {k!r}: {listed(v)}" if k else f"first: {listed(v)}"
                       for k, v in d.get("tables", {}).items())
    method = d.get("method") or ("score" if d.get("sequence") else "greedy")
    if method == "error_analysis":
        by = (f"by their scores (1/L^{d['alpha']})·Σ log P" if d.get("alpha") is not None
              else "by their probabilities P(·|x)")
        return (f"The next-token probabilities over "
                f"{', '.join(map(str, d.get('vocabulary', [])))} are {tables}. The human's "
                f"y* = {_words(d.get('sequence'))} and beam search's ŷ = "
                f"{_words(d.get('output'))} are compared {by}: beam_search is at fault if "
                f"the model prefers y*, else rnn.")
    how = {"greedy": "Greedy search takes the most probable token at each step",
           "beam": f"Beam search keeps the {d.get('beam')} most probable hypotheses at "
                   f"each step",
           "score": "The sequence is scored"}.get(method, "")
    alpha = d.get("alpha")          # no default: no length normalisation unless given
    score = ("scores Σ log P (natural log), not normalised by its length" if alpha is None
             else f"of L tokens scores (1/L^{alpha})·Σ log P (natural log)")
    return (f"The next-token probabilities over {', '.join(map(str, d.get('vocabulary', [])))}"
            f" are {tables}. {how}, until {eos} or {d.get('max_length', 10)} tokens "
            f"({eos} counted); a hypothesis {score}.")


def _words(seq) -> str:
    return " ".join(map(str, seq)) if isinstance(seq, list) else str(seq)


def default_quantity(p) -> str:
    """What a file without ask.quantity is asked (solve's default), for the question in words."""
    return {"error_analysis": "at_fault", "score": "probability"}.get(p.detail.method, "sequence")


def asked_words(q: str, p=None) -> str:
    """What a bare quantity name asks, in words; error analysis asks deeplearning.ai's question."""
    return {"at_fault": "which is at fault, beam_search or rnn",
            "sequence": "the sequence it finds (the tokens, space-separated)",
            "probability": "the probability of the sequence it finds",
            "score": "the score of the sequence it finds",
            "log_probability": "the log-probability of the sequence it finds"}.get(q, q)


# `rnnquiz vary` draws a table about the file's (a Dirichlet of this concentration): the search
# must stay on the prefixes the file has tables for, which a table drawn anew rarely does
NEAR = 30.0


def vary(data: dict, rng) -> dict:
    """`rnnquiz vary`: each table redrawn about the file's, at its decimals and renormalised
    where it sums to 1 (zeros kept), its values placed in the order of the file's ranks so that
    a search takes the path the tables were written for; the vocabulary and sequences are the
    file's."""
    from ...problem import redraw   # noqa: PLC0415 (vary only)
    tables = data.get("tables")
    if isinstance(tables, dict):
        data["tables"] = {k: _row(v, rng) if isinstance(v, list) and redraw.leaves(v) == v
                          else v for k, v in tables.items()}
    return data


def _row(old: list, rng) -> list:
    """A table drawn until its entries keep the file's strict order (ties where it has ties
    may fall either way), at most 20 draws, else the last one drawn."""
    from ...problem import redraw   # noqa: PLC0415 (vary only)
    for _ in range(20):
        new = redraw.ranked(redraw.distribution(old, rng, NEAR), old)
        if all(new[i] > new[j] for i in range(len(old)) for j in range(len(old))
               if old[i] > old[j]):
            break
    return new


def degenerate(original, variant) -> str | None:
    """A verdict (the error analysis' at_fault) stays the file's; no table has a tie among
    its likeliest tokens (as many as the beam keeps, and one) where the file's had none."""
    from ...problem.redraw import top_tie   # noqa: PLC0415 (vary only)
    if isinstance(original.answer, str) and variant.answer != original.answer:
        return f"the answer changes ({original.answer} to {variant.answer})"
    k = (original.problem.detail.beam or 1) + 1
    was, now = original.problem.detail.tables, variant.problem.detail.tables
    for prefix, row in now.items():
        if prefix in was and top_tie(list(row), k) and not top_tie(list(was[prefix]), k):
            return f"a tie among the likeliest tokens after {' '.join(prefix) or 'the start'}"
    return None
