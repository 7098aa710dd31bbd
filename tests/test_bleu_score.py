"""BLEU's core (rnnquiz.types.bleu): Papineni's and CS224n's published numbers, hand-worked
cases, and NLTK and sacrebleu as oracles (optional: each test takes them with importorskip)."""

from __future__ import annotations

import math
import random
from pathlib import Path

import pytest
import yaml

from rnnquiz.types.bleu.score import (brevity_penalty, closest_ref_length, corpus_bleu,
                                      corpus_counts, sentence_bleu, sentence_counts, tokens)
from rnnquiz.types.bleu.working import BLEUDetail, work_bleu
from rnnquiz.trace import Work

CS224N = Path(__file__).resolve().parent.parent / "problems" / "cs224n_a4_bleu.yaml"
# part (ii): "the hard drive was corrupted and r2 is lost" (no published numbers)
CS224N_II = [{"candidate": c, "references": ["love can always find a way"],
              "weights": [0.5, 0.5, 0, 0]}
             for c in ("the love can always do", "love can make anything possible")]

# Papineni et al. (2002), example 1, lower-cased and without the final full stops
P_REFS = ["it is a guide to action that ensures that the military will forever heed party "
          "commands",
          "it is the guiding principle which guarantees the military forces always being under "
          "the command of the party",
          "it is the practical guide for the army always to heed the directions of the party"]
P_C1 = "it is a guide to action which ensures that the military always obeys the commands of " \
       "the party"
P_C2 = "it is to insure the troops forever hearing the activity guidebook that party direct"
CAT_REFS = ["the cat is on the mat", "there is a cat on the mat"]


def test_papineni_modified_precisions():
    # the paper's 17/18 and 10/17 for candidate 1, 8/14 and 1/13 for candidate 2
    c1 = sentence_counts(P_C1, P_REFS, order=2)
    c2 = sentence_counts(P_C2, P_REFS, order=2)
    assert (c1.matches, c1.totals) == ((17, 10), (18, 17))
    assert (c2.matches, c2.totals) == ((8, 1), (14, 13))


def test_a_repeated_word_is_clipped_to_its_count_in_a_reference():
    # Papineni's "the the the the the the the": Count 7, clipped to 2 (the first reference)
    s = sentence_bleu("the the the the the the the", CAT_REFS, weights=(1,), grams=True)
    (the,) = s.counts.grams[0]
    assert (the.text, the.count, the.ref_max, the.clip) == ("the", 7, 2, 2)
    assert s.p == (2 / 7,)
    assert s.bleu == pytest.approx(2 / 7, rel=1e-15)      # c = 7 = |first reference|+1: BP 1


def test_cs224n_published_values():
    docs = list(yaml.safe_load_all(CS224N.read_text(encoding="utf-8")))
    published = [d for d in docs if "answer" in d]
    assert len(published) == 2
    for d in published:
        s = sentence_bleu(d["candidate"], d["references"], d["weights"])
        assert round(s.bleu, 4) == d["answer"]
    # part (ii), worked by hand: c = 5 < r = 6, BP = exp(1 - 6/5); p = 3/5, 2/4 and 2/5, 1/4
    ii = CS224N_II
    expected = [math.exp(-0.2) * math.sqrt(3 / 5 * 2 / 4), math.exp(-0.2) * math.sqrt(2 / 5 / 4)]
    for d, want in zip(ii, expected):
        s = sentence_bleu(d["candidate"], d["references"], d["weights"])
        assert s.bleu == pytest.approx(want, rel=1e-14)


def test_cs224n_working_and_values():
    d = BLEUDetail(candidate=tokens("the love can always do"),
                   references=(tokens("love can always find a way"),
                               tokens("love makes anything possible")),
                   weights=(0.5, 0.5, 0, 0))
    work = Work()
    values, default = work_bleu(d, work)
    assert default == "bleu"
    assert values["bleu"] == pytest.approx(math.sqrt(0.3), rel=1e-15)
    assert values["p"][:2] == [3 / 5, 2 / 4] and values["bp"] == 1
    assert values["length"] == [5, 4]            # 6 and 4 are both 1 away: the shorter
    assert values["counts"][1] == [["the love", 1, 0], ["love can", 1, 1],
                                   ["can always", 1, 1], ["always do", 1, 0]]
    symbols = [s.symbol for s in work.steps]
    assert "p_3" not in symbols and "p_4" not in symbols     # weight 0: left out entirely
    p2 = next(s for s in work.steps if s.symbol == "p_2")
    assert p2.formula == "{}/{}" and p2.operands == (2, 4)


def test_candidate_shorter_than_every_reference():
    # c = 2, references of 6 and 7: r = 6, BP = exp(1 - 6/2); "the cat" is in the first
    s = sentence_bleu("the cat", CAT_REFS, weights=(0.5, 0.5))
    assert (s.counts.c, s.counts.r) == (2, 6)
    assert s.p == (1.0, 1.0)
    assert s.bleu == pytest.approx(math.exp(-2), rel=1e-15)
    assert brevity_penalty(0, 6) == 0 and brevity_penalty(7, 6) == 1
    assert closest_ref_length(5, [6, 4]) == 4 and closest_ref_length(5, [7, 4]) == 4


def test_a_zero_precision_without_smoothing_gives_zero_and_says_which_n():
    # "the cat sat on the mat": no 4-gram of it is in a reference; the others are
    s = sentence_bleu("the cat sat on the mat", CAT_REFS)
    assert s.counts.matches == (5, 3, 1, 0)
    assert s.bleu == 0 and s.zero == 4 and s.log_sum is None
    work = Work()
    d = BLEUDetail(candidate=tokens("the cat sat on the mat"),
                   references=tuple(map(tokens, CAT_REFS)))
    values, _ = work_bleu(d, work)
    assert values["bleu"] == 0 and "p_4 = 0" in work.steps[-1].note
    # with exp smoothing, the first zero precision is 1/(2 · 3)
    e = sentence_bleu("the cat sat on the mat", CAT_REFS, smoothing="exp")
    assert e.p_smoothed[3] == 1 / 6
    assert e.bleu == pytest.approx((5 / 6 * 3 / 5 * 1 / 4 * 1 / 6) ** 0.25, rel=1e-14)


def test_empty_candidate_and_no_match():
    for smoothing in ("none", "add_one", "exp"):
        assert sentence_bleu("", CAT_REFS, smoothing=smoothing).bleu == 0
        assert sentence_bleu("dog dog", CAT_REFS, smoothing=smoothing).bleu == 0


def test_corpus_bleu_sums_the_counts_before_dividing():
    # "the cat": m = (2, 1) of t = (2, 1), c = 2, r = 6; the repeat: m = (2, 0) of (7, 6),
    # c = 7, r = 7 (6 and 7 are 1 and 0 away)
    s = corpus_bleu(["the cat", "the the the the the the the"], [CAT_REFS, CAT_REFS],
                    weights=(0.5, 0.5))
    assert (s.counts.matches, s.counts.totals, s.counts.c, s.counts.r) == ((4, 1), (9, 7), 9, 13)
    assert s.bleu == pytest.approx(math.exp(1 - 13 / 9) * math.sqrt(4 / 9 * 1 / 7), rel=1e-14)
    assert s.percent == pytest.approx(100 * s.bleu, rel=1e-15)


def test_corpus_counts_equal_the_sentences_counts_summed():
    # corpus_counts clips by set operations; sentence_counts n-gram by n-gram (checked
    # against NLTK above). A vocabulary of three words makes repeats everywhere.
    rng = random.Random(7)
    for _ in range(300):
        pairs = [([rng.choice("abc") for _ in range(rng.randint(0, 9))],
                  [[rng.choice("abc") for _ in range(rng.randint(0, 9))]
                   for _ in range(rng.randint(1, 3))]) for _ in range(rng.randint(1, 4))]
        cands, refs = [c for c, _ in pairs], [r for _, r in pairs]
        summed = sentence_counts(cands[0], refs[0])
        for c, rs in pairs[1:]:
            summed = summed + sentence_counts(c, rs)
        assert corpus_counts(cands, refs) == summed
    # "the" 3 times, at most 4 times in one reference: 3, and "cat" 1; "the the" twice, at
    # most 3 times: 2, and "the cat" 1; "the the the" 1 of 2, "the the cat" in neither
    one = corpus_counts(["the the the cat"], [["the cat the", "the the the the"]])
    assert one.matches == (4, 3, 1, 0)


def test_a_candidate_shorter_than_n_has_zero_over_one():
    s = sentence_bleu("the cat", CAT_REFS, smoothing="add_one")
    assert s.counts.precision(3) == (0, 1)
    assert s.p_smoothed == (1.0, 1.0, 1 / 2, 1 / 2)       # (0 + 1)/(1 + 1), as NLTK method2


# --- oracles --------------------------------------------------------------------------------

VOCAB = "the a cat dog sat on mat is there".split()
NLTK_METHOD = {"none": "method0", "add_one": "method2", "exp": "method3"}
SACRE_METHOD = {"none": "none", "add_one": "add-k", "exp": "exp"}


def _corpus(seed: int, n: int, shortest: int = 1):
    rng = random.Random(seed)

    def sent(lo):
        return [rng.choice(VOCAB) for _ in range(rng.randint(lo, 12))]
    return [(sent(shortest), [sent(1) for _ in range(rng.randint(1, 3))]) for _ in range(n)]


WEIGHTS = [(0.25, 0.25, 0.25, 0.25), (0.5, 0.5, 0, 0), (0.5, 0.3, 0.2), (1,)]


@pytest.mark.filterwarnings("ignore")          # NLTK warns at every zero count with method0
@pytest.mark.parametrize("smoothing", ["none", "add_one", "exp"])
def test_sentence_bleu_equals_nltk(smoothing):
    bleu_score = pytest.importorskip("nltk.translate.bleu_score")
    method = getattr(bleu_score.SmoothingFunction(), NLTK_METHOD[smoothing])
    for weights in WEIGHTS:
        for cand, refs in _corpus(1, 150):
            ours = sentence_bleu(cand, refs, weights, smoothing).bleu
            theirs = bleu_score.sentence_bleu(refs, cand, weights, smoothing_function=method)
            if ours == 0 and smoothing == "none":
                # method0: the smallest float in place of 0, to the power w_n >= 0.2
                assert theirs < 1e-60
            else:
                assert ours == pytest.approx(theirs, rel=1e-12, abs=1e-300), (cand, refs)


@pytest.mark.filterwarnings("ignore")
@pytest.mark.parametrize("smoothing", ["none", "add_one", "exp"])
def test_corpus_bleu_equals_nltk(smoothing):
    bleu_score = pytest.importorskip("nltk.translate.bleu_score")
    method = getattr(bleu_score.SmoothingFunction(), NLTK_METHOD[smoothing])
    for seed in range(20):
        # NLTK adds 1 to t_n for a sentence with no n-grams of order n; Papineni and
        # sacrebleu add 0, as we do (SPEC 1.13): every candidate here has 4-grams
        pairs = _corpus(seed, 1 + seed % 7, shortest=4)
        cands, refs = [c for c, _ in pairs], [r for _, r in pairs]
        for weights in WEIGHTS:
            ours = corpus_bleu(cands, refs, weights, smoothing).bleu
            theirs = bleu_score.corpus_bleu(refs, cands, weights, smoothing_function=method)
            if ours == 0 and smoothing == "none":
                assert theirs < 1e-60
            else:
                assert ours == pytest.approx(theirs, rel=1e-12, abs=1e-300)


@pytest.mark.parametrize("smoothing", ["none", "add_one", "exp"])
def test_corpus_and_sentence_bleu_equal_sacrebleu(smoothing):
    sacrebleu = pytest.importorskip("sacrebleu")
    method = SACRE_METHOD[smoothing]
    checked = 0
    for seed in range(20):
        pairs = _corpus(100 + seed, 2 + seed % 7)
        R = max(len(r) for _, r in pairs)
        cands = [" ".join(c) for c, _ in pairs]
        refs = [[" ".join(r) for r in rs] for _, rs in pairs]
        ours = corpus_bleu(cands, refs, smoothing=smoothing)
        if 0 not in ours.counts.totals:    # the corpus has 4-grams (sentences may not)
            # sacrebleu takes one stream per reference; a shorter list is padded with None
            streams = [[rs[i] if i < len(rs) else None for rs in refs] for i in range(R)]
            metric = sacrebleu.BLEU(tokenize="none", smooth_method=method)
            theirs = metric.corpus_score(cands, streams).score
            assert ours.percent == pytest.approx(theirs, rel=1e-12, abs=1e-12)
            checked += 1
        # sentence_bleu's effective order changes nothing for a candidate with 4-grams
        sent = sacrebleu.BLEU(tokenize="none", smooth_method=method, effective_order=True)
        for c, rs in zip(cands, refs):
            if len(c.split()) >= 4:
                assert sentence_bleu(c, rs, smoothing=smoothing).percent == pytest.approx(
                    sent.sentence_score(c, rs).score, rel=1e-12, abs=1e-12)
    assert checked >= 10



def test_corpus_working_with_exp_smoothing_and_percent():
    cat = tuple(map(tokens, CAT_REFS))
    d = BLEUDetail(candidates=(tokens("the the the the the the the"), tokens("the cat")),
                   references=(cat, cat), smoothing="exp", percent=True)
    work = Work()
    values, _ = work_bleu(d, work)
    # m = (4, 1, 0, 0) of t = (9, 7, 5, 4); p̃_3 = 1/(2 · 5), p̃_4 = 1/(4 · 4); c = 9, r = 13
    want = math.exp(1 - 13 / 9) * (4 / 9 * 1 / 7 * 1 / 10 * 1 / 16) ** 0.25
    assert values["bleu"] == pytest.approx(100 * want, rel=1e-14)
    assert values["p"] == [4 / 9, 1 / 7, 0, 0] and values["p_smoothed"][2:] == [0.1, 0.0625]
    assert values["length"] == [9, 13]
    assert values["counts"][0] == [["the", 7, 2], ["the", 1, 1], ["cat", 1, 1]]
    by = {s.symbol: s for s in work.steps}
    assert by["p̃_4"].operands == (2, 4) and by["BLEU×100"].value == values["bleu"]
