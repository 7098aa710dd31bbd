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
from ...problem.answers import read_answer, tokens
from .. import Outcome
from .keys import SUM_TOLERANCE, show_prefix, validate  # noqa: F401 (the type's validate)
from .scoring import (WRITTEN, Hyp, _closeness, _factors, _given, _log, _score, _score_step,
                      _text)
from ..keys import COMMON

NAME = "decode"
TOPIC = "Decoding"   # what an exported question is filed under (PrairieLearn's topic)
# what a file may call the type, for the advice on an unknown type
ALIASES = ("beam", "beamsearch", "greedy")
KEYS = COMMON | {"vocabulary", "eos", "tables", "method", "beam", "alpha", "sequence",
                 "max_length", "output"}   # the type's top-level keys
SLIPS = ("no_length_norm",)   # teaching/slips.py's slips this type's answers can make


def schema() -> dict:
    """Its part of `rnnquiz schema`: the vocabulary is a list of tokens here."""
    token = {"anyOf": [{"type": "string"}, {"type": "integer"}]}
    return {"required": ["vocabulary", "tables"],
            "properties": {"vocabulary": {"type": "array", "minItems": 1, "items": token},
                           "output": {"anyOf": [{"type": "string"}, {
                               "type": "array", "minItems": 1, "items": token}]}}}


def answer(v):
    """A published answer: a list of tokens (the sequence), else a number."""
    if isinstance(v, list) and v and any(isinstance(e, str) for e in v):
        return tokens(v, ("answer",))
    return read_answer(v)


SHOWN = 12         # candidates of a beam step shown one by one; beyond, the kept ones only



def solve(p, work) -> Outcome:
    d = p.detail
    if d.method == "error_analysis":
        from .analysis import error_analysis   # noqa: PLC0415 (only its files need it)
        return error_analysis(d, work, notes=_sums(d))
    if d.method == "beam":
        best = _beam(d, work)
    else:
        best = _greedy(d, work) if d.method == "greedy" else _scored(d, work)
        _totals(d, best, work)
    score = _score(d, best)
    q = p.ask.quantity or ("probability" if d.method == "score" else "sequence")
    if q == "log_probability" and d.method == "beam":     # the answer gets its own row
        work.note("log P", best.logP, eq=f"log P({_text(best.tokens)})", sub="log {}",
                  args=(best.P,), phase="final scores")
    if q == "sequence" and d.method == "score":
        work.note("sequence", _text(best.tokens), phase="the sequence", note="as given")
    if q in ("score", "log_probability") and not math.isfinite(score):
        raise ProblemError(f"the sequence {_text(best.tokens)!r} has probability 0, so its "
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
    return [f"the table for the prefix {show_prefix(prefix)} sums to {float(t.sum()):g}, not 1; "
            "it is used as written" for prefix, t in d.tables.items()
            if abs(float(t.sum()) - 1) > SUM_TOLERANCE]


def _greedy(d, work) -> Hyp:
    seq, P, logP = (), 1.0, 0.0
    for t in range(1, d.max_length + 1):
        probs = d.table(seq)
        i = int(probs.argmax())            # the first of equal maxima: vocabulary order
        tok, pt = d.vocabulary[i], float(probs[i])
        ties = [d.vocabulary[j] for j in range(len(probs)) if j != i and probs[j] == pt]
        if len(probs) <= WRITTEN:
            sub = "argmax(" + ", ".join(f"{v} {{}}" for v in d.vocabulary) + ")"
            args = tuple(float(x) for x in probs)
        else:
            sub, args = f"the largest of {len(probs)}", ()
        note = f"P({tok}{_given(seq)}) = {pt:g}"
        if ties:
            note += f"; ties with {', '.join(ties)}: the first in the vocabulary is taken"
        work.note(f"y_{t}", tok, t=t, eq=f"argmax_y P(y{_given(seq)})", sub=sub, args=args,
                  phase="greedy search", note=note)
        seq, P, logP = seq + (tok,), P * pt, logP + _log(pt)
        if tok == d.eos:
            break
    return Hyp(seq, P, logP)


def _scored(d, work) -> Hyp:
    seq, P, logP = (), 1.0, 0.0
    for t, tok in enumerate(d.sequence, start=1):
        pt = float(d.table(seq)[d.vocabulary.index(tok)])
        work.note(f"P({tok}{_given(seq)})", pt, t=t, phase="the sequence, token by token")
        seq, P, logP = seq + (tok,), P * pt, logP + _log(pt)
    return Hyp(seq, P, logP)


def _totals(d, h: Hyp, work) -> None:
    """P, log P and the score of the sequence found (greedy) or given (score)."""
    fs = _factors(d, h.tokens)
    text = _text(h.tokens)
    eq = "·".join(f"P({tok}{_given(h.tokens[:t])})" for t, tok in enumerate(h.tokens))
    work.note(f"P({text})", h.P, eq=eq if len(fs) <= WRITTEN else "Π_t P(y_t | y_<t)",
              sub="·".join(["{}"] * len(fs)) if len(fs) <= WRITTEN else "",
              args=tuple(fs) if len(fs) <= WRITTEN else (), phase="the sequence")
    logs = [_log(f) for f in fs]
    work.note("log P", h.logP, eq="Σ_t log P(y_t | y_<t)",
              sub=" + ".join(["{}"] * len(logs)) if len(logs) <= WRITTEN else "",
              args=tuple(logs) if len(logs) <= WRITTEN else (), phase="the sequence")
    _score_step(d, h, work, "score", phase="the sequence")


def _beam(d, work) -> Hyp:
    active, finished = [Hyp((), 1.0, 0.0)], []
    for t in range(1, d.max_length + 1):
        cands = []          # (hypothesis, P of its prefix, P of its last token)
        for h in active:
            probs = d.table(h.tokens)
            for tok, pt in zip(d.vocabulary, probs):
                pt = float(pt)
                cands.append((Hyp(h.tokens + (tok,), h.P * pt, h.logP + _log(pt)), h.P, pt))
        order = sorted(range(len(cands)), key=lambda j: -cands[j][0].logP)   # stable: ties keep
        kept = [j for j in order if cands[j][0].P > 0][:d.beam]             # the earlier
        last = cands[kept[-1]][0].logP if kept else None
        shown = range(len(cands)) if len(cands) <= SHOWN else kept
        for j in shown:
            h, before, pt = cands[j]
            done = h.tokens[-1] == d.eos or t == d.max_length
            if j in kept:
                note = ("kept; ends with " + d.eos + ": finished, set aside"
                        if h.tokens[-1] == d.eos else
                        "kept; max_length reached: finished" if done else "kept")
            else:
                note = "dropped" + (" (probability 0)" if h.P == 0 else
                                    "; ties with the last kept, which came first"
                                    if h.logP == last else "")
            note += f"; log P = {h.logP:.6g}"
            tok, prefix = h.tokens[-1], h.tokens[:-1]
            if prefix:
                work.note(_text(h.tokens), h.P, t=t, eq=f"P({_text(prefix)})·P({tok}{_given(prefix)})",
                          sub="{}·{}", args=(before, pt), phase="beam search", note=note)
            else:
                work.note(_text(h.tokens), h.P, t=t, eq=f"P({tok})", phase="beam search",
                          note=note)
        if len(cands) > SHOWN:
            dropped = [j for j in order if j not in kept]
            if dropped:
                b = cands[dropped[0]][0]
                work.note("…", f"{len(dropped)} dropped", t=t, phase="beam search",
                          note=f"{len(cands)} candidates; the best dropped: {_text(b.tokens)} "
                               f"with P = {b.P:.6g}")
        active = []
        for j in kept:
            h = cands[j][0]
            (finished if h.tokens[-1] == d.eos or t == d.max_length else active).append(h)
        if not active:
            break
    if not finished:
        raise ProblemError("every continuation has probability 0: no hypothesis finishes",
                           keys=("tables",))
    scores = [_score_step(d, h, work, f"score({_text(h.tokens)})", phase="final scores")
              for h in finished]
    # the first of equal scores; scores that underflowed to 0 ordered by their logarithms
    best = max(range(len(finished)), key=lambda i: (
        scores[i], _closeness(d, finished[i]) if scores[i] == 0 else 0.0))
    h = finished[best]
    work.note("best", _text(h.tokens), eq="argmax score", phase="final scores",
              note=f"the highest score of the {len(finished)} finished hypotheses; "
                   f"P = {h.P:.6g}")
    return h


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
    from ...teaching.statement import _list   # noqa: PLC0415 (quiz only)
    d = p.data
    eos = d.get("eos", "<eos>")
    tables = "; ".join(f"after {k!r}: {_list(v)}" if k else f"first: {_list(v)}"
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


def asked_words(q: str) -> str:
    """What a bare quantity name asks, in words."""
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
