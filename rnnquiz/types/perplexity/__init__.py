"""`perplexity`: the cross-entropy of a language model's predictions and its perplexity.

    -ln p_t for each actual next token;  E = Σ_t -ln p_t;  cross_entropy = E/T
    perplexity = exp(E/T)     (uniform over |V| tokens: ln |V| and |V|)

From a table of log-probabilities (one row a position, the model's ln P over the vocabulary),
as the NLP specialisation's Deep N-grams assignment (`log_perplexity`) computes it:

    log_p_t = row t at column targets_t      non_pad_t = 1 - [targets_t = pad]
    log_perplexity = -Σ_t log_p_t·non_pad_t / Σ_t non_pad_t      perplexity = exp(log_perplexity)

Every position counts (none is skipped: row t already predicts target t), but the padding.
Here the file is read and the question said; working.py writes each form's working.
"""

from __future__ import annotations

from dataclasses import dataclass
import math
from typing import TYPE_CHECKING

from .. import Outcome
from ..keys import COMMON

if TYPE_CHECKING:      # the arrays' type, for the annotations only (start-up)
    import numpy as np

NAME = "perplexity"
TOPIC = "Perplexity"   # what an exported question is filed under (PrairieLearn's topic)
KEYS = COMMON | {"probabilities", "vocabulary", "log_probabilities", "targets", "pad"}
SLIPS = ("summed_loss", "pad_counted")   # the slips its answers can make: its own (slips.py)


@dataclass
class Perplexity:
    probabilities: np.ndarray | None     # p_t, each in (0, 1]
    vocabulary: int | None
    table: "Table | None" = None         # log_probabilities, targets, pad


@dataclass
class Table:
    """A table of log-probabilities, one row a position, and the target token of each."""

    log_probabilities: np.ndarray        # (T, V), natural log
    targets: list[int]
    pad: int | None


GIVEN = ("probabilities", "vocabulary", "log_probabilities")


def validate(p, data: dict) -> None:
    # start-up: numpy and the problem package are read where a problem is validated, solved
    # or shown, so that `rnnquiz new --help` (which lists every type) imports neither
    import numpy as np   # noqa: PLC0415 (see above)
    from ...problem.values import error_at, shown_value, integer, numbers   # noqa: PLC0415 (as above)
    given = [k for k in GIVEN if data.get(k) is not None]
    if len(given) != 1:
        raise error_at((given[-1] if given else "probabilities",),
                   "expected exactly one of probabilities (the probability given to each "
                   "actual next token), vocabulary (uniform predictions over |V| tokens) or "
                   "log_probabilities (a row of ln P over the vocabulary at each position, "
                   "with targets)")
    if given == ["log_probabilities"]:
        p.detail = Perplexity(probabilities=None, vocabulary=None, table=_table(data))
        return
    for key in ("targets", "pad"):
        if key in data:
            raise error_at((key,), "goes with log_probabilities (the token ids of a table of "
                               "log-probabilities); leave it out")
    has_v = given == ["vocabulary"]
    if has_v:
        vocab = integer(data["vocabulary"], ("vocabulary",), low=1,
                        what="the vocabulary size, a whole number >= 1")
        if p.ask.quantity == "E":
            raise error_at(("ask", "quantity"), "E (the summed loss) needs probabilities: with "
                                            "vocabulary alone there is no token count")
        p.detail = Perplexity(probabilities=None, vocabulary=vocab)
        return
    v = data["probabilities"]
    if not isinstance(v, (list, np.ndarray)) and not isinstance(v, (int, float)):
        raise error_at(("probabilities",), f"expected a list of probabilities, got {shown_value(v)}")
    arr, _ = numbers(v, ("probabilities",), depth=1)
    arr = arr.reshape(-1)
    for i, x in enumerate(arr):
        if not 0 < x <= 1:
            keys = ("probabilities",) if np.ndim(v) == 0 else ("probabilities", i)
            raise error_at(keys, f"expected a probability in (0, 1], got {x:g}"
                             + (" (a token given probability 0 makes the loss infinite)"
                                if x == 0 else ""))
    p.detail = Perplexity(probabilities=arr, vocabulary=None)


def schema() -> dict:   # its part of `rnnquiz schema`: one of GIVEN; targets, pad with a table
    from ...problem import schema as s   # noqa: PLC0415 (`rnnquiz schema` only)
    return {"properties": {"probabilities": {"anyOf": [s.LIKELIHOOD, s.array(s.LIKELIHOOD)]}, "pad": s.INDEX,
                           "vocabulary": s.COUNT, "log_probabilities": s.array(s.array(s.LOG_PROBABILITY))}}


def solve(p, work) -> Outcome:
    from . import working   # noqa: PLC0415 (start-up: as validate's)
    d = p.detail
    if d.vocabulary is not None:
        return working.uniform(d.vocabulary, work)
    if d.table is not None:
        return working.from_table(d.table, work)
    return working.from_probabilities([float(x) for x in d.probabilities], work)


def _table(data: dict) -> Table:
    """log_probabilities (T rows of V), targets (T token ids), pad (an id, optional)."""
    import numpy as np   # noqa: PLC0415 (start-up: as validate's)
    from ...problem.values import error_at, shown_value, integer, numbers   # noqa: PLC0415 (as above)
    v = data["log_probabilities"]
    rows = isinstance(v, (list, np.ndarray)) and all(isinstance(r, (list, np.ndarray)) for r in v)
    if not rows:
        raise error_at(("log_probabilities",), f"expected a list of rows, one a position (ln P "
                                           f"over the vocabulary), got {shown_value(v)}")
    logp, _ = numbers(v, ("log_probabilities",))
    for (t, j) in np.argwhere(logp > 0)[:1]:
        raise error_at(("log_probabilities", int(t), int(j)),
                   f"expected a natural-log probability (at most 0), got {logp[t, j]:g}")
    for t, row in enumerate(logp):
        total = math.fsum(np.exp(row))
        if total > 1.06:          # beyond a table rounded to one decimal (e^0.05)
            raise error_at(("log_probabilities", t),
                       f"the row's probabilities exp(ln P) add up to {total:.6g}, more than 1 "
                       "(expected natural-log probabilities over the vocabulary)")
    T, V = logp.shape
    if "targets" not in data:
        raise error_at(("targets",), "missing; expected the target token id at each position")
    raw = data["targets"]
    if not isinstance(raw, list):
        raise error_at(("targets",), f"expected a list of token ids, one a position, got {shown_value(raw)}")
    targets = [integer(x, ("targets", i), what=f"a token id from 0 to {V - 1}")
               for i, x in enumerate(raw)]
    for i, x in enumerate(targets):
        if x >= V:
            raise error_at(("targets", i), f"expected a token id from 0 to {V - 1} (the rows of "
                                       f"log_probabilities have {V} columns), got {x}")
    if len(targets) != T:
        raise error_at(("targets",), f"has {len(targets)} token ids; log_probabilities has {T} "
                                 f"row{'s' if T != 1 else ''} (one target a position)")
    pad = None if data.get("pad") is None else integer(data["pad"], ("pad",),
                                                       what="a token id (whole number >= 0)")
    if pad is not None and all(x == pad for x in targets):
        raise error_at(("targets",), f"every target is the pad id {pad}: no position is left to "
                                 "average over")
    return Table(log_probabilities=logp, targets=targets, pad=pad)


def generate(rng) -> dict:
    """A new exercise (`rnnquiz new perplexity`); sometimes a padded table of ln P."""
    from ...problem import draw, draw_features   # noqa: PLC0415 (start-up: only `new` draws)
    alt = draw_features.other(rng)
    draw.sequence(rng)
    if rng.random() < 0.25:
        doc = {"type": "perplexity", "vocabulary": rng.choice([100, 1000, 5000, 10000]),
               "ask": {"quantity": rng.choice(["perplexity", "cross_entropy"]), "digits": 4}}
    else:
        probs = [rng.choice([0.1, 0.2, 0.25, 0.4, 0.5, 0.6, 0.75, 0.8, 0.9])
                 for _ in range(rng.randint(3, 6))]
        doc = {"type": "perplexity", "probabilities": probs,
               "ask": {"quantity": rng.choice(["perplexity", "cross_entropy", "E"]),
                       "digits": 4}}
    return draw_features.perplexity(alt) if alt else doc


def question(p, ask: str) -> str:
    """The question in words (quiz, new, export): what is given, then what is asked."""
    return f"{given(p)} {ask}"


def vary(data: dict, rng) -> dict:
    """`rnnquiz vary`: each probability redrawn in (0, 1] at its decimals, within the range the
    file's span; a uniform model's vocabulary drawn about the file's, as round as it; a table of
    log-probabilities redrawn row by row and shifted to a distribution again (at its decimals);
    token ids (targets, pad) are the file's."""
    from ...problem import redraw   # noqa: PLC0415 (vary only)
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
    from ...trace.numbers import listed   # noqa: PLC0415 (start-up: as validate's)
    d = p.data
    if d.get("log_probabilities") is not None:
        pad = f", the id {d['pad']} being padding (left out)" if d.get("pad") is not None else ""
        return (f"A language model gives the log-probabilities (natural log, one row a position, "
                f"one column a token) {listed(d['log_probabilities'])}; the target token ids are "
                f"{listed(d['targets'])}{pad}. With log_p_t the entry of row t at its target "
                f"and non_pad_t 0 at padding, else 1: log_perplexity = -Σ_t log_p_t·non_pad_t "
                f"/ Σ_t non_pad_t, perplexity = exp(log_perplexity).")
    if d.get("probabilities") is not None:
        return (f"A language model gives the actual next tokens the probabilities "
                f"{listed(d['probabilities'])}; E = Σ_t -ln p_t (natural log), "
                f"cross_entropy = E/T, perplexity = exp(E/T).")
    return (f"A model spreads its probability evenly over a vocabulary of "
            f"{d.get('vocabulary')} tokens.")


def default_quantity(p) -> str:
    """What a file without ask.quantity is asked (solve's default), for the question in words."""
    return "perplexity"


def asked_words(q: str, p=None) -> str:
    """What a bare quantity name asks, in words."""
    return {"perplexity": "the perplexity", "cross_entropy": "the cross-entropy per token, E/T",
            "log_perplexity": "the log perplexity (the mean -ln p over the tokens that count)",
            "E": "the summed loss E"}.get(q, q)


# ---------------------------------------------------------------- its conventions (SPEC 1.16)

def _conventions():
    from ...notations.convention import Convention   # noqa: PLC0415 (conventions only)
    return (
        Convention("log2", "the cross-entropy in bits (log₂) rather than nats (ln); the "
                   "perplexity is the same (2^H = e^E)", topic="logarithm",
                   who=("information theory", "SLP3 (entropy in bits)"), reason="in bits",
                   applies=lambda p: p.ask.quantity in ("cross_entropy", "E"),
                   answer=lambda p, v: v / math.log(2.0)),
    )


CONVENTIONS = _conventions
