"""The working of a BLEU question: each n-gram's count and clip, p_n, BP, and the score.

    Count_clip(g) = min(Count(g), max_ref Count_ref(g));  p_n = Σ Count_clip / Σ Count
    BP = 1 if c ≥ r else exp(1 - r/c);  BLEU = BP · exp(Σ_{w_n > 0} w_n ln p_n)
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from .score import DEFAULT_WEIGHTS, Counts, Score, corpus_counts, score, sentence_counts

GRAMS_SHOWN = 12           # a long sentence shows its first n-grams of each order
HEAD, TAIL = 3, 2          # a long corpus shows its first and last sentences

Tokens = tuple[str, ...]


@dataclass(frozen=True)
class BLEUDetail:
    """The keys of SPEC 1.13, validated: one candidate with its references (sentence BLEU),
    or `candidates` with one tuple of references each (corpus BLEU). Sentences are tokens."""

    references: tuple[Tokens, ...] | tuple[tuple[Tokens, ...], ...]
    candidate: Tokens | None = None
    candidates: tuple[Tokens, ...] | None = None
    weights: tuple[float, ...] = DEFAULT_WEIGHTS
    smoothing: str = "none"
    percent: bool = False

    @property
    def corpus(self) -> bool:
        return self.candidates is not None


def work_bleu(d: BLEUDetail, work) -> tuple[dict[str, Any], str]:
    """Record the working through `work`; the quantities of SPEC 1.13 by name, and the default.

    values: bleu (×100 with `percent`), p and p_smoothed (lists over n = 1..N), bp,
    counts (over n: [[n-gram, count, clip], ...]), length ([c, r]).
    """
    N = len(d.weights)
    if d.corpus:
        sentences = [sentence_counts(c, refs, N, grams=True)
                     for c, refs in zip(d.candidates, d.references)]
        _corpus_sentences(sentences, work)
        counts = corpus_counts(d.candidates, d.references, N)
        gram_lists = [[g for s in sentences for g in s.grams[n]] for n in range(N)]
    else:
        counts = sentence_counts(d.candidate, d.references, N, grams=True)
        gram_lists = [list(gs) for gs in counts.grams]
        _grams(counts, d.weights, work)
    slips = getattr(work, "variants", frozenset())
    if "longest_reference" in slips:         # the slip: r from the longest reference
        pairs = zip(d.candidates, d.references) if d.corpus else [(d.candidate, d.references)]
        counts = replace(counts, r=sum(max(len(x) for x in refs) for _, refs in pairs))
    if "no_brevity_penalty" in slips:        # the slip: BP left out, as if c ≥ r
        counts = replace(counts, r=min(counts.r, counts.c))
    s = score(counts, d.weights, d.smoothing)
    _precisions(s, work, corpus=d.corpus)
    _lengths(s.counts, d, work, longest="longest_reference" in slips)
    bleu = _bleu(s, work)
    if d.percent:
        bleu = work.note("BLEU×100", s.percent, eq="BLEU · 100", sub="{} · 100", args=(s.bleu,),
                         phase="score", note="as sacrebleu prints it")
    values = {"bleu": bleu, "p": list(s.p), "p_smoothed": list(s.p_smoothed), "bp": s.bp,
              "counts": [[[g.text, g.count, g.clip] for g in gs] for gs in gram_lists],
              "length": [s.counts.c, s.counts.r]}
    return values, "bleu"


def _shown_orders(weights: tuple[float, ...]) -> range:
    """n = 1 .. the last order of positive weight: CS224n's (0.5, 0.5, 0, 0) stops at p_2."""
    last = max(n for n, w in enumerate(weights, 1) if w > 0)
    return range(1, last + 1)


def _grams(counts: Counts, weights: tuple[float, ...], work) -> None:
    for n in _shown_orders(weights):
        phase = f"{n}-grams"
        grams = counts.grams[n - 1]
        for g in grams[:GRAMS_SHOWN]:
            note = ("in no reference" if g.ref_max == 0 else
                    "clipped: the references have it fewer times" if g.clip < g.count else "")
            work.note(f"Count_clip({g.text})", g.clip, eq="min(Count, max_ref Count_ref)",
                      sub="min({}, {})", args=(g.count, g.ref_max), phase=phase, note=note)
        if len(grams) > GRAMS_SHOWN:
            rest = grams[GRAMS_SHOWN:]
            work.note("…", f"{len(rest):,} more {n}-grams", phase=phase,
                      note=f"their clipped counts add up to {sum(g.clip for g in rest):,}")


def _corpus_sentences(sentences: list[Counts], work) -> None:
    S = len(sentences)
    for i, s in enumerate(sentences, start=1):
        if S <= HEAD + TAIL + 1 or i <= HEAD or i > S - TAIL:
            work.note(f"m (sentence {i})", list(s.matches), eq="[Σ Count_clip]_n",
                      phase="sentences", note=f"of t = {list(s.totals)} n-grams; c = {s.c}, "
                                              f"r = {s.r}")
        elif i == HEAD + 1:
            work.note("…", f"{S - HEAD - TAIL:,} more sentences", phase="sentences")


def _precisions(s: Score, work, corpus: bool) -> None:
    k = 0
    for n in range(1, len(s.weights) + 1):
        m, t = s.counts.precision(n)
        shown = n in _shown_orders(s.weights)
        if s.smoothing == "exp" and m == 0:
            k += 1
        if not shown:
            continue
        sums = "Σ_sentences " if corpus else ""
        note = ("no n-grams of this order: 0 over 1, as NLTK" if s.counts.totals[n - 1] == 0
                else "")
        if s.weights[n - 1] == 0:
            note = "; ".join(filter(None, [note, "weight 0: left out of the sum"]))
        work.note(f"p_{n}", s.p[n - 1], eq=f"{sums}Σ Count_clip / {sums}Σ Count", sub="{}/{}",
                  args=(m, t), phase="precision", note=note)
        if s.p_smoothed[n - 1] != s.p[n - 1]:
            if s.smoothing == "add_one":
                work.note(f"p̃_{n}", s.p_smoothed[n - 1], eq=f"(m_{n} + 1)/(t_{n} + 1)",
                          sub="({} + 1)/({} + 1)", args=(m, t), phase="precision",
                          note="add one (Lin and Och), for n ≥ 2")
            else:
                work.note(f"p̃_{n}", s.p_smoothed[n - 1], eq=f"1/(2^k · t_{n})",
                          sub="1/(2^{} · {})", args=(k, t), phase="precision",
                          note=f"the {_ordinal(k)} zero precision (NIST's exp smoothing)")


def _lengths(counts: Counts, d: BLEUDetail, work, longest: bool = False) -> None:
    c, r = counts.c, counts.r
    if longest:
        work.note("c", c, eq="|candidate|", phase="length")
        work.note("r", r, eq="the longest reference's length", phase="length")
        return
    if d.corpus:
        work.note("c", c, eq="Σ_sentences |candidate|", phase="length")
        work.note("r", r, eq="Σ_sentences the reference length closest to c",
                  phase="length", note="the shorter on a tie")
        return
    work.note("c", c, eq="|candidate|", phase="length", note=" ".join(d.candidate))
    lens = [len(ref) for ref in d.references]
    tie = sum(abs(x - c) == abs(r - c) for x in set(lens)) > 1
    work.note("r", r, eq="the reference length closest to c",
              sub="closest to {} among " + ", ".join(["{}"] * len(lens)), args=(c, *lens),
              phase="length", note="a tie: the shorter" if tie else "")


def _bleu(s: Score, work) -> float:
    c, r = s.counts.c, s.counts.r
    if c >= r:
        work.note("BP", s.bp, eq="1 (c ≥ r)", sub="{} ≥ {}", args=(c, r), phase="brevity")
    elif c == 0:
        work.note("BP", s.bp, eq="0 (c = 0)", phase="brevity", note="an empty candidate")
    else:
        work.note("BP", s.bp, eq="exp(1 - r/c)", sub="exp(1 - {}/{})", args=(r, c),
                  phase="brevity", note="the candidate is shorter than the reference")
    if s.log_sum is None:
        why = ("the candidate is empty" if c == 0 else
               "no word of the candidate is in any reference: BLEU is 0 under every smoothing"
               if s.no_match else
               f"p_{s.zero} = 0 with weight {s.weights[s.zero - 1]:g} > 0: ln 0 = -∞")
        return work.note("BLEU", 0.0, eq="BP · exp(Σ w_n ln p_n)", phase="score", note=why)
    ps = s.p_smoothed
    terms = [(w, ps[n]) for n, w in enumerate(s.weights) if w > 0]
    bar = "" if s.smoothing == "none" else "̃"
    work.note(f"Σ w_n ln p{bar}_n", s.log_sum, eq=f"Σ_{{w_n > 0}} w_n ln p{bar}_n",
              sub=" + ".join(["{}·ln({})"] * len(terms)), args=tuple(x for t in terms for x in t),
              phase="score")
    return work.note("BLEU", s.bleu, eq=f"BP · exp(Σ w_n ln p{bar}_n)", sub="{} · exp({})",
                     args=(s.bp, s.log_sum), phase="score")


def _ordinal(k: int) -> str:
    return {1: "first", 2: "second", 3: "third"}.get(k, f"{k}th")
