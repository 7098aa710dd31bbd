"""BLEU (Papineni et al., 2002): clipped n-gram precisions, the brevity penalty, their mean.

    Count_clip(g) = min(Count(g), max_ref Count_ref(g))
    p_n = Σ_g Count_clip(g) / Σ_g Count(g)          (g: the candidate's n-grams; a candidate
                                                      with none of order n: 0 over 1, as NLTK)
    BP  = 1 if c ≥ r, else exp(1 - r/c)             (c: candidate length, r: the reference
                                                      length closest to c, the shorter on a tie)
    BLEU = BP · exp(Σ_{n: w_n > 0} w_n ln p_n)      (w_n = 1/N, N = 4 by default)

Smoothing (SPEC 1.13), applied to the counts before the logarithm:
    none     p_n as above; a zero p_n of positive weight makes BLEU 0      (NLTK method0)
    add_one  p_n = (m_n + 1)/(t_n + 1) for n >= 2 (Lin and Och 2004)       (NLTK method2,
                                                                  sacrebleu add-k with k = 1)
    exp      the k-th zero p_n becomes 1/(2^k · t_n), k counted over n = 1..N (NLTK method3,
                                                                  sacrebleu exp)
Under every smoothing a candidate with no word in any reference has BLEU 0 (NLTK and sacrebleu
both stop there), and so has an empty candidate.

Corpus BLEU sums the clipped counts m_n, the candidate n-gram counts t_n, c and r over the
sentences before dividing, and smooths the totals once.
"""

from __future__ import annotations

import math
from collections import Counter
from itertools import chain
from dataclasses import dataclass
from typing import Iterable, Sequence

SMOOTHINGS = ("none", "add_one", "exp")
DEFAULT_WEIGHTS = (0.25, 0.25, 0.25, 0.25)

Gram = tuple[str, ...]


def tokens(text: str | Sequence[str]) -> tuple[str, ...]:
    """A sentence as tokens: a string split at whitespace; a list of tokens kept as it is."""
    if isinstance(text, str):
        return tuple(text.split())
    return tuple(text)


def ngrams(toks: Sequence[str], n: int) -> Counter[Gram]:
    """Count(g) for every n-gram g of the sentence, in order of first appearance."""
    return Counter(zip(*[toks[i:] for i in range(n)]))


@dataclass(frozen=True)
class NgramCount:
    """One n-gram of the candidate: its count, and its largest count in any reference."""

    gram: Gram
    count: int
    ref_max: int

    @property
    def clip(self) -> int:
        """Count_clip = min(Count, max_ref Count_ref)."""
        return min(self.count, self.ref_max)

    @property
    def text(self) -> str:
        return " ".join(self.gram)


@dataclass(frozen=True)
class Counts:
    """The statistics BLEU is made of, for one sentence or summed over a corpus.

    matches[n-1] = m_n = Σ Count_clip, totals[n-1] = t_n = Σ Count (n = 1..N); c, r the
    lengths; grams[n-1] each n-gram's count and clip (a sentence's, when asked for).
    """

    matches: tuple[int, ...]
    totals: tuple[int, ...]
    c: int
    r: int
    grams: tuple[tuple[NgramCount, ...], ...] = ()

    def __add__(self, other: Counts) -> Counts:
        return Counts(tuple(a + b for a, b in zip(self.matches, other.matches)),
                      tuple(a + b for a, b in zip(self.totals, other.totals)),
                      self.c + other.c, self.r + other.r)

    def precision(self, n: int) -> tuple[int, int]:
        """p_n as (numerator, denominator), unsmoothed: m_n / max(t_n, 1)."""
        return self.matches[n - 1], max(self.totals[n - 1], 1)


def closest_ref_length(c: int, ref_lengths: Iterable[int]) -> int:
    """r: the reference length closest to c, the shorter on a tie (Papineni, NLTK, sacrebleu)."""
    return min(ref_lengths, key=lambda r: (abs(r - c), r))


def brevity_penalty(c: int, r: int) -> float:
    """BP = 1 if c ≥ r, else exp(1 - r/c) (Papineni writes c > r: at c = r both are 1); an
    empty candidate has BP = 0."""
    if c >= r:
        return 1.0
    if c == 0:
        return 0.0
    return math.exp(1 - r / c)


def sentence_counts(candidate: str | Sequence[str], references: Sequence[str | Sequence[str]],
                    order: int = 4, grams: bool = False) -> Counts:
    """m_n, t_n (n = 1..order), c and r of one candidate against its references.

    With `grams`, each of the candidate's n-grams with Count and max_ref Count_ref, for the
    working.
    """
    cand = tokens(candidate)
    refs = [tokens(r) for r in references]
    if not refs:
        raise ValueError("BLEU needs at least one reference")
    matches, totals, shown = [], [], []
    for n in range(1, order + 1):
        counts = ngrams(cand, n)
        ref_counts = [ngrams(r, n) for r in refs]
        if len(ref_counts) == 1:
            ref0 = ref_counts[0]
            ref_max = {g: ref0.get(g, 0) for g in counts}
        else:
            ref_max = {g: max(rc.get(g, 0) for rc in ref_counts) for g in counts}
        matches.append(sum(min(k, ref_max[g]) for g, k in counts.items()))
        totals.append(max(len(cand) - n + 1, 0))
        if grams:
            shown.append(tuple(NgramCount(g, k, ref_max[g]) for g, k in counts.items()))
    c = len(cand)
    return Counts(tuple(matches), tuple(totals), c,
                  closest_ref_length(c, (len(r) for r in refs)), tuple(shown))


def corpus_counts(candidates: Sequence[str | Sequence[str]],
                  references: Sequence[Sequence[str | Sequence[str]]],
                  order: int = 4) -> Counts:
    """The sentences' m_n, t_n, c and r summed (Papineni's corpus BLEU), without the n-grams.

    The same numbers as summing `sentence_counts`, by set operations: a distinct n-gram of the
    candidate found in some reference clips to 1, and only a repeated one is counted again.
    """
    if len(candidates) != len(references):
        raise ValueError(f"{len(candidates)} candidates but {len(references)} lists of "
                         "references")
    m, t = [0] * order, [0] * order
    c = r = 0
    for cand, refs in zip(candidates, references):
        cand = tokens(cand)
        refs = [tokens(x) for x in refs]
        if not refs:
            raise ValueError("BLEU needs at least one reference")
        c += len(cand)
        r += closest_ref_length(len(cand), [len(x) for x in refs])
        for n in range(1, min(order, len(cand)) + 1):
            if n == 1:
                cg, rgs = cand, refs
            else:
                cg = list(zip(*[cand[i:] for i in range(n)]))
                rgs = [list(zip(*[x[i:] for i in range(n)])) for x in refs]
            distinct = set(cg)
            found = distinct.intersection(rgs[0] if len(rgs) == 1 else chain.from_iterable(rgs))
            matched = len(found)
            if len(distinct) < len(cg) and found:      # a repeat clips to its reference count
                repeats = Counter(cg)
                for g in found:
                    k = repeats[g]
                    if k > 1:
                        matched += min(k, max(rg.count(g) for rg in rgs)) - 1
            m[n - 1] += matched
            t[n - 1] += len(cg)
    return Counts(tuple(m), tuple(t), c, r)


def smooth(counts: Counts, smoothing: str = "none") -> tuple[float, ...]:
    """The precisions p_n (n = 1..N) after smoothing (see the module's docstring)."""
    if smoothing not in SMOOTHINGS:
        raise ValueError(f"smoothing must be one of {', '.join(SMOOTHINGS)}, got {smoothing!r}")
    out, k = [], 0
    for n in range(1, len(counts.totals) + 1):
        m, t = counts.precision(n)
        if smoothing == "add_one" and n >= 2:
            m, t = m + 1, t + 1
        elif smoothing == "exp" and m == 0:
            k += 1
            m, t = 1, 2 ** k * t
        out.append(m / t)
    return tuple(out)


@dataclass(frozen=True)
class Score:
    """BLEU and every quantity on the way to it."""

    counts: Counts
    weights: tuple[float, ...]
    smoothing: str
    p: tuple[float, ...]             # p_n unsmoothed
    p_smoothed: tuple[float, ...]
    bp: float
    log_sum: float | None            # Σ w_n ln p_n over w_n > 0; None when a p_n is 0
    bleu: float
    zero: int | None = None          # why BLEU is 0: the first n with p_n = 0 and w_n > 0
    no_match: bool = False           # ... or no word of the candidate is in any reference

    @property
    def percent(self) -> float:
        """BLEU × 100, as sacrebleu prints it."""
        return percent(self.bleu)


def percent(bleu: float) -> float:
    """BLEU × 100."""
    return 100 * bleu


def check_weights(weights: Sequence[float]) -> tuple[float, ...]:
    w = tuple(float(x) for x in weights)
    if not w or any(not math.isfinite(x) or x < 0 for x in w) or not any(x > 0 for x in w):
        raise ValueError(f"weights must be non-negative numbers, one of them positive; "
                         f"got {list(weights)}")
    return w


def score(counts: Counts, weights: Sequence[float] = DEFAULT_WEIGHTS,
          smoothing: str = "none") -> Score:
    """BLEU = BP · exp(Σ_{w_n > 0} w_n ln p_n) from the counts (len(weights) = N orders)."""
    w = check_weights(weights)
    if len(counts.totals) < len(w):
        raise ValueError(f"{len(w)} weights but counts of {len(counts.totals)} orders")
    counts = _first(counts, len(w))
    p = tuple(m / t for m, t in map(counts.precision, range(1, len(w) + 1)))
    ps = smooth(counts, smoothing)
    bp = brevity_penalty(counts.c, counts.r)
    zero = next((n for n, (wn, pn) in enumerate(zip(w, ps), 1) if wn > 0 and pn == 0), None)
    no_match = counts.c > 0 and counts.matches[0] == 0
    if zero is not None or no_match or counts.c == 0:
        log_sum, bleu = None, 0.0
    else:
        log_sum = math.fsum(wn * math.log(pn) for wn, pn in zip(w, ps) if wn > 0)
        bleu = bp * math.exp(log_sum)
    return Score(counts, w, smoothing, p, ps, bp, log_sum, bleu, zero, no_match)


def _first(counts: Counts, order: int) -> Counts:
    if len(counts.totals) == order:
        return counts
    return Counts(counts.matches[:order], counts.totals[:order], counts.c, counts.r,
                  counts.grams[:order])


def sentence_bleu(candidate: str | Sequence[str], references: Sequence[str | Sequence[str]],
                  weights: Sequence[float] = DEFAULT_WEIGHTS, smoothing: str = "none",
                  grams: bool = False) -> Score:
    """Sentence BLEU of one candidate against its references."""
    return score(sentence_counts(candidate, references, len(weights), grams), weights, smoothing)


def corpus_bleu(candidates: Sequence[str | Sequence[str]],
                references: Sequence[Sequence[str | Sequence[str]]],
                weights: Sequence[float] = DEFAULT_WEIGHTS, smoothing: str = "none") -> Score:
    """Corpus BLEU: the counts summed over the sentences, then divided and smoothed once."""
    return score(corpus_counts(candidates, references, len(weights)), weights, smoothing)
