"""The `decode` type: greedy search, beam search and scoring over probability tables
(SPEC 1.11, d2l 10.8), and error analysis (SPEC 1.15, deeplearning.ai's Sequence Models,
week 3): which of the search and the model is at fault for a wrong output.

    tables[prefix][y] = P(y | prefix)        one table per prefix, one entry per token
    P(y_1 … y_L) = Π_t P(y_t | y_1 … y_{t-1})
    score = (1/L^α) Σ_t log P(y_t | y_1 … y_{t-1})      L counts the tokens, eos included
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ...errors import ProblemError
from ...problem.values import error_at, shown_value, integer, number, numbers

METHODS = ("greedy", "beam", "score", "error_analysis")
DEFAULT_EOS = "<eos>"
DEFAULT_ALPHA = None          # no length normalisation unless the file gives alpha (SPEC 1.15)
DEFAULT_MAX_LENGTH = 10
SUM_TOLERANCE = 1e-6          # a table used that sums to more or less than 1 is noted


@dataclass
class Decode:
    vocabulary: list[str]
    eos: str
    tables: dict[tuple[str, ...], np.ndarray]
    method: str
    beam: int | None
    alpha: float | None
    sequence: list[str] | None
    max_length: int
    output: list[str] | None = None     # error analysis: ŷ, the algorithm's output

    def table(self, prefix: tuple[str, ...]) -> np.ndarray:
        """P(· | prefix), or the error that names the prefix the search reached."""
        if prefix not in self.tables:
            raise ProblemError(f"no table for the prefix {show_prefix(prefix)}", keys=("tables",))
        return self.tables[prefix]


def show_prefix(prefix) -> str:
    return repr(" ".join(prefix))


def _token(v, keys: tuple) -> str:
    if isinstance(v, bool) or not isinstance(v, (str, int)) or \
            (isinstance(v, int) and v.bit_length() > 64) or not str(v).strip():
        raise error_at(keys, f"expected a token (a word), got {shown_value(v)}")
    t = str(v).strip()
    if any(c.isspace() for c in t):
        raise error_at(keys, f"a token has no spaces (prefixes are tokens split by spaces), "
                         f"got {t!r}")
    return t


def _tokens(v, keys: tuple, vocab: list[str], what: str) -> list[str]:
    if isinstance(v, str):
        v = v.split()
    if not isinstance(v, list) or not v:
        raise error_at(keys, f"expected {what} as a list of tokens, got {shown_value(v)}")
    out = []
    for i, e in enumerate(v):
        t = _token(e, keys + (i,))
        if t not in vocab:
            raise error_at(keys + (i,), f"{t!r} is not in the vocabulary ({', '.join(vocab)})")
        out.append(t)
    return out


def validate(p, data: dict) -> None:
    vocab_in = data.get("vocabulary")
    if not isinstance(vocab_in, list) or not vocab_in:
        raise error_at(("vocabulary",), "expected the tokens as a list ([A, B, C, <eos>]), got "
                                    + ("nothing (missing)" if vocab_in is None else shown_value(vocab_in)))
    vocab = [_token(v, ("vocabulary", i)) for i, v in enumerate(vocab_in)]
    for i, t in enumerate(vocab):
        if t in vocab[:i]:
            raise error_at(("vocabulary", i), f"{t!r} is listed twice")
    eos = _token(data.get("eos", DEFAULT_EOS), ("eos",))
    if eos not in vocab:
        raise error_at(("eos",), f"{eos!r} is not in the vocabulary ({', '.join(vocab)})"
                   + ("; name the end-of-sequence token with eos:" if "eos" not in data else ""))
    tables = _tables(data.get("tables"), vocab, eos)
    sequence = None
    if data.get("sequence") is not None:
        sequence = _tokens(data["sequence"], ("sequence",), vocab, "the sequence to score")
        if eos in sequence[:-1]:
            raise error_at(("sequence",), f"{eos!r} ends a sequence; nothing follows it")
    method = data.get("method", "score" if sequence is not None else "greedy")
    if method not in METHODS:
        raise error_at(("method",), f"expected one of {', '.join(METHODS)}, got {shown_value(method)}")
    if method in ("score", "error_analysis") and sequence is None:
        raise error_at(("sequence",), "missing; method score needs the sequence to score"
                   if method == "score" else "missing; method error_analysis needs y*, the "
                   "human's translation, as sequence")
    output = None
    if data.get("output") is not None:
        output = _tokens(data["output"], ("output",), vocab, "the algorithm's output ŷ")
        if eos in output[:-1]:
            raise error_at(("output",), f"{eos!r} ends a sequence; nothing follows it")
    if method == "error_analysis" and output is None:
        raise error_at(("output",), "missing; method error_analysis needs ŷ, the algorithm's "
                                "output, beside sequence (y*)")
    if output is not None and method != "error_analysis":
        raise error_at(("output",), "is ŷ of method error_analysis; write method: error_analysis "
                                "or leave it out")
    beam = None
    if data.get("beam") is not None:
        beam = integer(data["beam"], ("beam",), low=1, what="a beam width, a whole number >= 1")
    elif method == "beam":
        raise error_at(("beam",), "missing; method beam needs the beam width (beam: 2)")
    alpha = DEFAULT_ALPHA
    if data.get("alpha") is not None:
        alpha = number(data["alpha"], ("alpha",), "a number >= 0")
        if alpha < 0:
            raise error_at(("alpha",), f"expected a number >= 0, got {data['alpha']}")
    max_length = DEFAULT_MAX_LENGTH
    if data.get("max_length") is not None:
        max_length = integer(data["max_length"], ("max_length",), low=1)
    if sequence is not None and len(sequence) > max_length and method == "score":
        raise error_at(("sequence",), f"has {len(sequence)} tokens, more than max_length "
                                  f"{max_length}")
    p.detail = d = Decode(vocabulary=vocab, eos=eos, tables=tables, method=method, beam=beam,
                          alpha=alpha, sequence=sequence, max_length=max_length, output=output)
    for seq in (sequence, output):
        if seq is not None and method in ("score", "error_analysis"):
            for t in range(len(seq)):          # every prefix of a scored sequence has a table
                d.table(tuple(seq[:t]))


def _tables(v, vocab: list[str], eos: str) -> dict:
    if not isinstance(v, dict) or not v:
        raise error_at(("tables",), "expected a mapping {prefix: [P(token | prefix), ...]}, got "
                                + ("nothing (missing)" if v is None else
                                   "an empty mapping" if v == {} else shown_value(v)))
    out: dict[tuple[str, ...], np.ndarray] = {}
    for key, row in v.items():
        keys = ("tables", key)
        if key is None:
            key = ""
        if isinstance(key, bool) or not isinstance(key, (str, int)):
            raise error_at(keys, f"expected a prefix as text (tokens split by spaces, \"\" for "
                             f"the start), got {shown_value(key)}")
        prefix = tuple(str(key).split())
        for t in prefix:
            if t not in vocab:
                raise error_at(keys, f"the prefix {show_prefix(prefix)} holds {t!r}, which is "
                                 f"not in the vocabulary ({', '.join(vocab)})")
        if eos in prefix:
            raise error_at(keys, f"the prefix {show_prefix(prefix)} holds {eos!r}: nothing "
                             "follows the end of a sequence")
        if prefix in out:
            raise error_at(keys, f"a second table for the prefix {show_prefix(prefix)}")
        if not isinstance(row, list):
            raise error_at(keys, f"expected {len(vocab)} probabilities, one per token "
                             f"({', '.join(vocab)}), got {shown_value(row)}")
        arr, _ = numbers(row, keys, depth=1)
        if arr.size != len(vocab):
            raise error_at(keys, f"has {arr.size} probabilities, expected {len(vocab)}: one per "
                             f"token ({', '.join(vocab)})")
        for i, x in enumerate(arr):
            if not 0 <= x <= 1:
                raise error_at(keys + (i,), f"expected a probability in [0, 1], got {x:g}")
        out[prefix] = arr
    return out
