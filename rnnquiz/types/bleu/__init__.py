"""`bleu`: BLEU of a candidate translation against its references (SPEC 1.13).

    p_n  = Σ Count_clip / Σ Count          (Count_clip = min(Count, max_ref Count_ref))
    BP   = 1 if c ≥ r, else exp(1 - r/c)   (r: the reference length closest to c)
    BLEU = BP · exp(Σ_{λ_n > 0} λ_n ln p_n)

The score is score.py (pure functions), the working working.py; this module reads the keys
and hands them over. `candidates:` with one list of references each is corpus BLEU.
"""

from __future__ import annotations

from ...errors import ProblemError
from .. import Outcome
from ..keys import COMMON
from .score import DEFAULT_WEIGHTS, SMOOTHINGS, tokens
from .working import BLEUDetail, work_bleu

NAME = "bleu"
TOPIC = "BLEU"   # what an exported question is filed under (PrairieLearn's topic)
ASK_N = True                   # ask.n picks one order of p, p_smoothed, counts
BY_ORDER = ("p", "p_smoothed", "counts")
QUANTITIES = ("bleu", "p", "p_smoothed", "bp", "counts", "length")
MAX_ORDER = 100
KEYS = COMMON | {"candidate", "candidates", "references", "weights", "smoothing", "percent"}


def schema() -> dict:
    """Its part of `rnnquiz schema`."""
    sentence = {"anyOf": [{"type": "string"},
                          {"type": "array", "items": {"type": "string"}}]}
    refs = {"type": "array", "minItems": 1, "items": sentence}
    return {"required": ["references"],
            "properties": {
                "candidate": sentence,
                "candidates": {"type": "array", "minItems": 1, "items": sentence},
                "references": {"anyOf": [refs, {"type": "array", "minItems": 1,
                                                 "items": refs}]},
                "weights": {"type": "array", "minItems": 1, "maxItems": MAX_ORDER,
                            "items": {"type": "number", "minimum": 0}},
                "smoothing": {"enum": list(SMOOTHINGS)},
                "percent": {"type": "boolean"}}}


# ---------------------------------------------------------------- reading the keys

def _sentence(v, keys: tuple) -> tuple[str, ...]:
    """A sentence: a string split at spaces, or a list of tokens (text)."""
    from ...problem.values import error_at, shown_value   # noqa: PLC0415 (start-up: as validate's)
    if isinstance(v, str):
        return tokens(v)
    if isinstance(v, list):
        for i, tok in enumerate(v):
            if not isinstance(tok, str) or not tok or any(c.isspace() for c in tok):
                raise error_at(keys + (i,), f"expected a token (a word without spaces), got "
                                        f"{shown_value(tok)}")
        return tuple(v)
    raise error_at(keys, f"expected a sentence (text, or a list of tokens), got {shown_value(v)}")


def _references(v, keys: tuple) -> tuple[tuple[str, ...], ...]:
    from ...problem.values import error_at, shown_value   # noqa: PLC0415 (start-up: as validate's)
    if not isinstance(v, list) or not v:
        raise error_at(keys, "expected a list of reference sentences (at least one), got "
                         f"{shown_value(v) if v != [] else 'an empty list'}")
    return tuple(_sentence(r, keys + (i,)) for i, r in enumerate(v))


def _weights(v) -> tuple[float, ...]:
    from ...problem.values import error_at, shown_value, number   # noqa: PLC0415 (start-up: as validate's)
    if v is None:
        return DEFAULT_WEIGHTS
    if not isinstance(v, list) or not v:
        raise error_at(("weights",), f"expected a list of weights λ_1 … λ_N, got {shown_value(v)}")
    if len(v) > MAX_ORDER:
        raise error_at(("weights",), f"expected at most {MAX_ORDER} weights (n-gram orders), got "
                                 f"{len(v):,}")
    out = []
    for i, w in enumerate(v):
        out.append(number(w, ("weights", i), "a weight >= 0"))
        if out[-1] < 0:
            raise error_at(("weights", i), f"expected a weight >= 0, got {shown_value(w)}")
    if not any(out):
        raise error_at(("weights",), "expected at least one weight > 0 (every λ_n is 0)")
    return tuple(out)


def validate(p, data: dict) -> None:
    # start-up: the problem package (numpy) is read where the keys are, so that `rnnquiz bleu
    # --help` and `rnnquiz new --help` import none
    from ...problem.values import error_at, shown_value   # noqa: PLC0415 (see above)
    has_one, has_many = data.get("candidate") is not None, data.get("candidates") is not None
    if has_one == has_many:
        raise error_at(("candidates" if has_many else "candidate",),
                   "expected exactly one of candidate (sentence BLEU) or candidates (corpus "
                   "BLEU, with one list of references per candidate)")
    if data.get("references") is None:
        raise error_at(("references",), "missing; expected the reference translations (a list)")
    refs = data["references"]
    if has_one:
        candidate = _sentence(data["candidate"], ("candidate",))
        references, candidates = _references(refs, ("references",)), None
    else:
        cands = data["candidates"]
        if not isinstance(cands, list) or not cands:
            raise error_at(("candidates",), f"expected a list of candidate sentences, got "
                                        f"{shown_value(cands)}")
        candidates = tuple(_sentence(c, ("candidates", i)) for i, c in enumerate(cands))
        if not isinstance(refs, list) or len(refs) != len(candidates):
            raise error_at(("references",), f"expected one list of references per candidate "
                                        f"({len(candidates)}), got "
                                        + (f"{len(refs)}" if isinstance(refs, list)
                                           else shown_value(refs)))
        references = tuple(_references(r, ("references", i)) for i, r in enumerate(refs))
        candidate = None
    smoothing = data.get("smoothing", "none")
    if smoothing not in SMOOTHINGS:
        raise error_at(("smoothing",), f"expected one of {', '.join(SMOOTHINGS)}, got "
                                   f"{shown_value(smoothing)}")
    percent = data.get("percent", False)
    if not isinstance(percent, bool):
        raise error_at(("percent",), f"expected true or false, got {shown_value(percent)}")
    weights = _weights(data.get("weights"))
    _check_ask(p, len(weights))
    p.detail = BLEUDetail(references=references, candidate=candidate, candidates=candidates,
                          weights=weights, smoothing=smoothing, percent=percent)


def _check_ask(p, N: int) -> None:
    """ask.quantity and ask.n, and each part's (SPEC 1: a part takes the keys it leaves out
    from ask, so an ask.n beside [p, bleu] is bleu's too, and refused as it is alone)."""
    from ...problem.values import error_at   # noqa: PLC0415 (start-up: as validate's)
    parts = p.ask.parts
    for i, a in enumerate(parts if parts is not None else (p.ask,)):
        at = ("ask",) if parts is None else ("ask", "quantity", i)
        n, q = a.n, a.quantity
        if q is not None and q not in QUANTITIES:
            raise error_at(("ask", "quantity") if parts is None else at,
                           f"bleu has no quantity {q!r}; expected one of {', '.join(QUANTITIES)}")
        if n is None:
            continue
        if q not in BY_ORDER:
            raise error_at(at + ("n",), f"picks the n-gram order of {', '.join(BY_ORDER)}; "
                                        f"{q or 'bleu'} has none, leave it out")
        if not 1 <= n <= N:
            raise error_at(at + ("n",), f"expected an order from 1 to {N} (the number of "
                                        f"weights), got {n}")


# ---------------------------------------------------------------- solving

def solve(p, work) -> Outcome:
    try:
        values, default = work_bleu(p.detail, work)
    except ValueError as err:           # the core's checks, should validate have missed one
        raise ProblemError(str(err), keys=("references",), file=p.file) from None
    n = p.ask.n
    if n is not None:
        values = {**values, **{q: values[q][n - 1] for q in BY_ORDER}}
    return Outcome(values=values, default=default)


def asked(p, question: str) -> str:
    """`p` with ask.n 2 reads p_2."""
    return f"{question}_{p.ask.n}" if p.ask.n is not None else question


# the slips this type's answers can make: its own (slips.py), committed by working.py
SLIPS = ("no_brevity_penalty", "longest_reference")


# ---------------------------------------------------------------- words and new exercises

def question(p) -> str:
    """The question in words (quiz, new, export)."""
    d = p.detail
    lam = ", ".join(f"{w:g}" for w in d.weights)
    how = {"none": "without smoothing",
           "add_one": "with add-one smoothing of p_n for n ≥ 2 (Lin and Och)",
           "exp": "with NIST's exponential smoothing of zero precisions"}[d.smoothing]
    if d.corpus:
        given = (f"A corpus of {len(d.candidates)} candidate translations, each with its "
                 "references: " + "; ".join(
                     f"\"{' '.join(c)}\" against " + ", ".join(f"\"{' '.join(r)}\"" for r in refs)
                     for c, refs in zip(d.candidates, d.references)) + ".")
    else:
        given = (f"The candidate translation \"{' '.join(d.candidate)}\" is scored against the "
                 "references " + ", ".join(f"\"{' '.join(r)}\"" for r in d.references) + ".")
    q = p.ask.quantity or "bleu"
    n = p.ask.n
    what = {"bleu": "the BLEU score" + (" × 100" if d.percent else ""),
            "p": f"the clipped precision p_{n}" if n else "each clipped precision p_n",
            "p_smoothed": f"the smoothed precision p_{n}" if n else "each smoothed p_n",
            "bp": "the brevity penalty BP",
            "counts": f"each {n}-gram's count and clipped count" if n else
                      "each n-gram's count and clipped count",
            "length": "the candidate length c and the reference length r"}[q]
    digits = f", to {p.ask.digits} decimal places" if p.ask.digits is not None else ""
    return (f"{given} With weights λ = ({lam}), {how}, the brevity penalty taking the "
            f"reference length closest to the candidate's: what is {what}{digits}?")


_WORDS = ("the cat dog sat on mat a is was there under table small big red house near "
          "by old".split())


def generate(rng) -> dict:
    """A new exercise (`rnnquiz new bleu`): a reference, a paraphrase, and a candidate close to
    the first, so that its 1- and 2-gram precisions are not 0."""
    ref = rng.sample(_WORDS, rng.randint(5, 8))
    other = [w if rng.random() < 0.7 else rng.choice(_WORDS) for w in ref]
    cand = list(ref)
    for _ in range(rng.randint(1, 2)):
        i = rng.randrange(len(cand))
        if rng.random() < 0.5 and len(cand) > 3:
            del cand[i]
        else:
            cand[i] = rng.choice(_WORDS)
    four = rng.random() < 0.5
    doc = {"type": "bleu", "candidate": " ".join(cand),
           "references": [" ".join(ref), " ".join(other)],
           "weights": [0.25] * 4 if four else [0.5, 0.5, 0, 0],
           "ask": {"quantity": rng.choice(["bleu", "bleu", "bp"]), "digits": 4}}
    if four:
        doc["smoothing"] = "add_one"
    return doc


def vary(data: dict, rng) -> dict:
    """`rnnquiz vary`: sentences are text, so a variant's candidate has about a third of its
    words (at least one) replaced by words drawn from the file's own vocabulary (its candidates'
    and references' words); the references, weights and smoothing are the file's."""
    def words(v) -> list[str]:
        if isinstance(v, str):
            return v.split()
        return [w for e in v for w in words(e)] if isinstance(v, list) else []
    vocab = sorted(set(words(data.get("candidate")) + words(data.get("candidates"))
                       + words(data.get("references"))))

    def new(sentence):
        tokens = sentence.split() if isinstance(sentence, str) else list(sentence)
        if not tokens or len(vocab) < 2 or not all(isinstance(t, str) for t in tokens):
            return sentence
        for i in rng.choice(len(tokens), size=max(1, round(len(tokens) / 3)), replace=False):
            others = [w for w in vocab if w != tokens[i]]
            tokens[int(i)] = others[int(rng.integers(len(others)))]
        return " ".join(tokens) if isinstance(sentence, str) else tokens
    if data.get("candidate") is not None:
        data["candidate"] = new(data["candidate"])
    if isinstance(data.get("candidates"), list):
        data["candidates"] = [new(c) for c in data["candidates"]]
    return data
