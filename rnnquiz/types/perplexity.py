"""`perplexity`: the cross-entropy of a language model's predictions and its perplexity.

    -ln p_t for each actual next token;  E = Σ_t -ln p_t;  cross_entropy = E/T
    perplexity = exp(E/T)     (uniform over |V| tokens: ln |V| and |V|)
"""

from __future__ import annotations

from dataclasses import dataclass
import math

import numpy as np

from ..problem.values import _err, _show, integer, numbers
from ..trace import extremes
from . import Outcome
from .keys import COMMON

NAME = "perplexity"
TOPIC = "Perplexity"   # what an exported question is filed under (PrairieLearn's topic)
KEYS = COMMON | {"probabilities", "vocabulary"}   # the type's top-level keys
SLIPS = ("summed_loss",)   # teaching/slips.py's slips this type's answers can make
HEAD, TAIL = 3, 2          # a long sequence shows its first and last terms
SHOWN = 8                  # the sum E is written out up to this many terms


@dataclass
class Perplexity:
    probabilities: np.ndarray | None     # p_t, each in (0, 1]
    vocabulary: int | None


def validate(p, data: dict) -> None:
    has_p, has_v = data.get("probabilities") is not None, data.get("vocabulary") is not None
    if has_p == has_v:
        raise _err(("vocabulary" if has_v else "probabilities",),
                   "expected exactly one of probabilities (the probability given to each "
                   "actual next token) or vocabulary (uniform predictions over |V| tokens)")
    if has_v:
        vocab = integer(data["vocabulary"], ("vocabulary",), low=1,
                        what="the vocabulary size, a whole number >= 1")
        if p.ask.quantity == "E":
            raise _err(("ask", "quantity"), "E (the summed loss) needs probabilities: with "
                                            "vocabulary alone there is no token count")
        p.detail = Perplexity(probabilities=None, vocabulary=vocab)
        return
    v = data["probabilities"]
    if not isinstance(v, (list, np.ndarray)) and not isinstance(v, (int, float)):
        raise _err(("probabilities",), f"expected a list of probabilities, got {_show(v)}")
    arr, _ = numbers(v, ("probabilities",), depth=1)
    arr = arr.reshape(-1)
    for i, x in enumerate(arr):
        if not 0 < x <= 1:
            keys = ("probabilities",) if np.ndim(v) == 0 else ("probabilities", i)
            raise _err(keys, f"expected a probability in (0, 1], got {x:g}"
                             + (" (a token given probability 0 makes the loss infinite)"
                                if x == 0 else ""))
    p.detail = Perplexity(probabilities=arr, vocabulary=None)


def solve(p, work) -> Outcome:
    d = p.detail
    if d.vocabulary is not None:
        return _uniform(d.vocabulary, work)
    probs = [float(x) for x in d.probabilities]
    T = len(probs)
    terms = []
    for t, pt in enumerate(probs, start=1):
        term = -math.log(pt)
        terms.append(term)
        if T <= HEAD + TAIL + 1 or t <= HEAD or t > T - TAIL:
            work.note(f"-ln p_{t}", term, t=t, sub="-ln({})", args=(pt,), phase="loss per token")
        elif t == HEAD + 1:
            work.note("…", f"{T - HEAD - TAIL:,} more terms", phase="loss per token")
    E = math.fsum(terms)
    if T <= SHOWN:
        work.note("E", E, eq="Σ_t -ln p_t", sub=" + ".join(["{}"] * T), args=tuple(terms),
                  phase="loss")
    else:
        work.note("E", E, eq="Σ_t -ln p_t", sub=f"the sum of the {T:,} terms", phase="loss")
    mean = work.note("cross_entropy", E / T, eq="E/T", sub="{}/{}", args=(E, T), phase="loss",
                     note="the mean loss per token, in nats")
    if "summed_loss" in work.variants:       # the slip: exp of the sum, not of the mean
        mean = E
    pp = work.note("perplexity", extremes.exp(mean), eq="exp(E/T)", sub="exp({})", args=(mean,),
                   phase="perplexity", note="= (Π_t 1/p_t)^(1/T): the geometric mean of 1/p_t, "
                                            "as many choices as the model is unsure among")
    return Outcome(values={"perplexity": pp, "cross_entropy": E / T, "E": E},
                   default="perplexity")


def _uniform(V: int, work) -> Outcome:
    work.note("p", 1 / V, eq="1/|V|", sub="1/{}", args=(V,), phase="loss per token",
                  note="a uniform model gives every token the same probability")
    ce = work.note("cross_entropy", math.log(V), eq="-ln p = ln |V|", sub="ln({})", args=(V,),
                   phase="loss", note="the same at every token, so the mean too")
    work.note("perplexity", float(V), eq="exp(ln |V|) = |V|", sub="exp({})", args=(ce,),
              phase="perplexity", note="a uniform model is as unsure as a choice among all "
                                       f"{V:,} tokens")
    return Outcome(values={"perplexity": float(V), "cross_entropy": math.log(V)},
                   default="perplexity")


def generate(rng) -> dict:
    """A new exercise (`rnnquiz new perplexity`)."""
    from ..problem import draw   # noqa: PLC0415 (start-up: only `new` draws)
    draw.sequence(rng)
    if rng.random() < 0.25:
        return {"type": "perplexity", "vocabulary": rng.choice([100, 1000, 5000, 10000]),
                "ask": {"quantity": rng.choice(["perplexity", "cross_entropy"]), "digits": 4}}
    probs = [rng.choice([0.1, 0.2, 0.25, 0.4, 0.5, 0.6, 0.75, 0.8, 0.9])
             for _ in range(rng.randint(3, 6))]
    return {"type": "perplexity", "probabilities": probs,
            "ask": {"quantity": rng.choice(["perplexity", "cross_entropy", "E"]), "digits": 4}}


def question(p, ask: str) -> str:
    """The question in words (quiz, new, export): what is given, then what is asked."""
    return f"{given(p)} {ask}"


def vary(data: dict, rng) -> dict:
    """`rnnquiz vary`: each probability redrawn in (0, 1] at its decimals, within the range the
    file's span; a uniform model's vocabulary drawn about the file's, as round as it; a table of
    log-probabilities redrawn row by row and shifted to a distribution again (at its decimals);
    token ids (targets, pad) are the file's."""
    from ..problem import redraw   # noqa: PLC0415 (vary only)
    if isinstance(data.get("probabilities"), list):
        data["probabilities"] = redraw.probabilities(data["probabilities"], rng)
    v = data.get("vocabulary")
    if isinstance(v, int) and not isinstance(v, bool):
        data["vocabulary"] = redraw.size(v, rng, low=2)
    rows = data.get("log_probabilities")
    if isinstance(rows, list) and all(isinstance(r, list) for r in rows):
        data["log_probabilities"] = [redraw.log_distribution(r, rng) for r in rows]
    return data


def given(p) -> str:
    """What the exercise gives, in words (it has no network)."""
    from ..teaching.statement import _list   # noqa: PLC0415 (quiz only)
    d = p.data
    if d.get("probabilities") is not None:
        return (f"A language model gives the actual next tokens the probabilities "
                f"{_list(d['probabilities'])}; E = Σ_t -ln p_t (natural log), "
                f"cross_entropy = E/T, perplexity = exp(E/T).")
    return (f"A model spreads its probability evenly over a vocabulary of "
            f"{d.get('vocabulary')} tokens.")


def asked_words(q: str) -> str:
    """What a bare quantity name asks, in words."""
    return {"perplexity": "the perplexity", "cross_entropy": "the cross-entropy per token, E/T",
            "E": "the summed loss E"}.get(q, q)


# ---------------------------------------------------------------- its conventions (SPEC 1.16)

def _conventions():
    from ..problem.conventions import Convention   # noqa: PLC0415
    return (
        Convention("log2", "the cross-entropy in bits (log₂) rather than nats (ln); the "
                   "perplexity is the same (2^H = e^E)", topic="logarithm",
                   who=("information theory", "SLP3 (entropy in bits)"), reason="in bits",
                   applies=lambda p: p.ask.quantity in ("cross_entropy", "E"),
                   answer=lambda p, v: v / math.log(2.0)),
    )


CONVENTIONS = _conventions
