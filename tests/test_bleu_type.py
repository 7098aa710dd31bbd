"""`type: bleu` end to end: files through `rnnquiz solve`, the `rnnquiz bleu` calculator and
`rnnquiz.solve`, against CS224n's published answers, hand-worked numbers, and NLTK and
sacrebleu (optional oracles, taken with importorskip inside the tests)."""

from __future__ import annotations

import json
import math
import random

import pytest

import rnnquiz
from conftest import ROOT, run

CS224N = "problems/cs224n_a4_bleu.yaml"
# part (ii), "the hard drive was corrupted and r2 is lost": no published numbers, so not a
# bundled problem (every bundled one agrees with its course)
CS224N_II = "".join(f"---\ntype: bleu\ncandidate: {c}\nreferences: [love can always find a way]\n"
                    "weights: [0.5, 0.5, 0, 0]\n"
                    for c in ("the love can always do", "love can make anything possible"))
CAT_REFS = ["the cat is on the mat", "there is a cat on the mat"]
NLTK_METHOD = {"none": "method0", "add_one": "method2", "exp": "method3"}


def lines(r) -> list[dict]:
    return [json.loads(x) for x in r.stdout.splitlines()]


def bleu(**keys) -> dict:
    return {"type": "bleu", **keys}


def test_cs224n_file_agrees_with_the_published_answers():
    r = run("solve", str(ROOT / CS224N), "--json")
    assert r.exit_code == 0
    out = lines(r)
    assert [(o["expected"], o["agrees"]) for o in out] == [(0.5477, True), (0.6325, True)]
    # part (i) by hand: c1 p = 3/5, 2/4; c2 p = 4/5, 2/4; c = 5, r = 4 (6 and 4 tie): BP 1
    assert out[0]["answer"] == pytest.approx(math.sqrt(3 / 5 * 2 / 4), rel=1e-15)
    assert out[1]["answer"] == pytest.approx(math.sqrt(4 / 5 * 2 / 4), rel=1e-15)
    # part (ii), r2 lost: r = 6 > c = 5, BP = exp(1 - 6/5); c2 keeps p = 2/5, 1/4
    r = run("solve", "-", "--json", input=CS224N_II)
    assert r.exit_code == 0
    out = lines(r)
    assert [o["expected"] for o in out] == [None, None]
    assert out[0]["answer"] == pytest.approx(math.exp(-0.2) * math.sqrt(0.3), rel=1e-14)
    assert out[1]["answer"] == pytest.approx(math.exp(-0.2) * math.sqrt(0.1), rel=1e-14)


def test_the_folder_of_problems_solves_with_bleu_in_it():
    r = run("solve", str(ROOT / "problems"), "--json")
    assert r.exit_code == 0
    types = {o["type"] for o in lines(r)}
    assert "bleu" in types


def test_ask_n_picks_one_order_and_counts_are_clipped():
    # Papineni's "the cat the cat on the mat": "the" 3 times, at most 2 in a reference
    doc = bleu(candidate="the cat the cat on the mat", references=CAT_REFS)
    p2 = rnnquiz.solve({**doc, "ask": {"quantity": "p", "n": 2}})
    assert p2.answer == 4 / 6 and p2.question == "p_2"   # the cat, cat on, on the, the mat
    counts = rnnquiz.solve({**doc, "ask": {"quantity": "counts", "n": 1}}).answer
    assert counts == [["the", 3, 2], ["cat", 2, 1], ["on", 1, 1], ["mat", 1, 1]]
    assert rnnquiz.solve({**doc, "ask": {"quantity": "length"}}).answer == [7, 7]
    # 3-grams: cat on the, on the mat of 5; 4-grams: cat on the mat of 4 (both in the second)
    assert rnnquiz.solve({**doc, "ask": {"quantity": "p"}}).answer == [5 / 7, 4 / 6, 2 / 5, 1 / 4]


@pytest.mark.filterwarnings("ignore")          # NLTK warns at every zero count with method0
@pytest.mark.parametrize("smoothing", ["none", "add_one", "exp"])
def test_solve_equals_nltk_sentence_bleu(smoothing):
    bleu_score = pytest.importorskip("nltk.translate.bleu_score")
    method = getattr(bleu_score.SmoothingFunction(), NLTK_METHOD[smoothing])
    rng = random.Random(7)
    vocab = "the a cat dog sat on mat is there".split()
    for _ in range(60):
        cand = [rng.choice(vocab) for _ in range(rng.randint(4, 10))]
        refs = [[rng.choice(vocab) for _ in range(rng.randint(3, 10))]
                for _ in range(rng.randint(1, 3))]
        weights = rng.choice([[0.25] * 4, [0.5, 0.5, 0, 0], [0.5, 0.3, 0.2]])
        ours = rnnquiz.solve(bleu(candidate=" ".join(cand), references=[" ".join(x) for x in refs],
                                  weights=weights, smoothing=smoothing), steps=False).answer
        theirs = bleu_score.sentence_bleu(refs, cand, weights, smoothing_function=method)
        if ours == 0 and smoothing == "none":
            assert theirs < 1e-60          # method0 writes the smallest float in place of 0
        else:
            assert ours == pytest.approx(theirs, rel=1e-12)


@pytest.mark.parametrize("smoothing", ["none", "add_one", "exp"])
def test_corpus_file_equals_sacrebleu_and_nltk(smoothing, tmp_path):
    sacrebleu = pytest.importorskip("sacrebleu")
    cands = ["the cat sat on the mat today", "there is a dog on the mat now",
             "a cat is on the red mat"]
    refs = [CAT_REFS, ["there is a dog on the mat", "a dog is on the mat"],
            ["the cat is on the mat", "a cat sits on the mat"]]
    doc = bleu(candidates=cands, references=refs, smoothing=smoothing, percent=True)
    ours = rnnquiz.solve(doc).answer
    streams = [[rs[0] for rs in refs], [rs[1] for rs in refs]]
    method = {"none": "none", "add_one": "add-k", "exp": "exp"}[smoothing]
    theirs = sacrebleu.BLEU(tokenize="none", smooth_method=method).corpus_score(cands, streams)
    assert ours == pytest.approx(theirs.score, rel=1e-12)
    bleu_score = pytest.importorskip("nltk.translate.bleu_score")
    nltk = bleu_score.corpus_bleu([[r.split() for r in rs] for rs in refs],
                                  [c.split() for c in cands], smoothing_function=getattr(
                                      bleu_score.SmoothingFunction(), NLTK_METHOD[smoothing]))
    assert ours == pytest.approx(100 * nltk, rel=1e-12)


def test_the_calculator_default_is_cs224n_c1():
    r = run("bleu", "--json")
    assert r.exit_code == 0
    (out,) = lines(r)
    assert (out["expected"], out["agrees"]) == (0.5477, True)


def test_the_calculator_scores_what_it_is_given():
    bleu_score = pytest.importorskip("nltk.translate.bleu_score")
    cand = "the cat the cat on the mat"
    r = run("bleu", "--candidate", cand, "--reference", CAT_REFS[0], "--reference",
            CAT_REFS[1], "--smoothing", "add_one", "--json")
    assert r.exit_code == 0
    theirs = bleu_score.sentence_bleu([x.split() for x in CAT_REFS], cand.split(),
                                      smoothing_function=bleu_score.SmoothingFunction().method2)
    assert lines(r)[0]["answer"] == pytest.approx(theirs, rel=1e-12)
    r = run("bleu", "--candidate", cand, "--reference", CAT_REFS[0], "--weights", "0.5,0.5",
            "--percent", "--answer", "40.82", "--digits", "2", "--json")
    # p = 5/7 (the clipped to 2, cat to 1), 3/6; c = 7 > 6: BP 1; 100·sqrt(5/14)
    (out,) = lines(r)
    assert out["answer"] == pytest.approx(100 * math.sqrt(5 / 14), rel=1e-14)
    assert r.exit_code == 1 and out["agrees"] is False     # 59.76, not 40.82
    r = run("bleu", "--quantity", "p", "--n", "2", "--json")
    assert lines(r)[0]["answer"] == 2 / 4


def test_the_calculator_refuses_half_an_exercise():
    r = run("bleu", "--candidate", "the cat")
    assert r.exit_code == 2 and "--reference" in r.stderr
    r = run("bleu", "--weights", "a,b")
    assert r.exit_code == 2 and "--weights" in r.stderr


@pytest.mark.parametrize("text, where", [
    ("references: [a b]\n", "candidate"),
    ("candidate: a b\n", "references"),
    ("candidate: a b\nreferences: a b\n", "references"),
    ("candidate: a b\nreferences: [a b, [a, 3]]\n", "references[1][1]"),
    ("candidate: a b\nreferences: [a b]\nweights: [0.5, -1]\n", "weights[1]"),
    ("candidate: a b\nreferences: [a b]\nweights: [0, 0]\n", "weights"),
    ("candidate: a b\nreferences: [a b]\nsmoothing: add-one\n", "smoothing"),
    ("candidate: a b\nreferences: [a b]\npercent: 1\n", "percent"),
    ("candidate: a b\nreferences: [a b]\nask: {quantity: bleu, n: 2}\n", "ask.n"),
    ("candidate: a b\nreferences: [a b]\nask: {quantity: p, n: 5}\n", "ask.n"),
    ("candidates: [a b, c]\nreferences: [[a b]]\n", "references"),
    ("candidate: a b\ncandidates: [a b]\nreferences: [a b]\n", "candidates"),
])
def test_bad_keys_are_errors_by_key_and_line(text, where):
    r = run("solve", "-", input="type: bleu\n" + text)
    assert r.exit_code == 2
    assert f": {where}:" in r.stderr and "Traceback" not in r.stderr
    assert r.stderr.startswith("error: <stdin>:")


def test_ask_n_belongs_to_bleu_alone():
    r = run("solve", "-", input="type: perplexity\nprobabilities: [0.5]\nask: {n: 1}\n")
    assert r.exit_code == 2 and "ask.n" in r.stderr


def test_the_slips_reproduce_wrong_answers():
    # c1 against r1 alone: r = 6 > c = 5; without BP the score is part (i)'s sqrt(0.3)
    doc = ("type: bleu\ncandidate: the love can always do\nreferences: [love can always find a "
           "way]\nweights: [0.5, 0.5, 0, 0]\nask: {digits: 4}\n")
    r = run("check", "-", "--answer", "0.5477", "--json", input=doc)
    assert r.exit_code == 1 and lines(r)[0]["diagnosis"][0]["slip"] == "no_brevity_penalty"
    # "the cat": c = 2, closest r = 6, longest 7: BP = exp(1 - 7/2) = 0.0821
    doc = "type: bleu\ncandidate: the cat\nreferences: [the cat is on the mat, there is a cat " \
          "on the mat]\nweights: [0.5, 0.5]\nask: {digits: 4}\n"
    r = run("check", "-", "--answer", "0.0821", "--json", input=doc)
    slips = [d["slip"] for d in lines(r)[0]["diagnosis"]]
    assert r.exit_code == 1 and "longest_reference" in slips


def test_new_writes_exercises_that_solve_to_their_answer():
    for seed in range(5):
        r = run("new", "bleu", "--seed", str(seed))
        assert r.exit_code == 0
        solved = run("solve", "-", "--json", input=r.stdout)
        assert solved.exit_code == 0 and lines(solved)[0]["agrees"] is True
        assert "BLEU" in r.stdout or "brevity" in r.stdout      # the question in words


def test_bleu_in_parts_takes_no_n_and_beside_p_n_scores_every_order():
    """SPEC 1: a part takes what it leaves out from ask, so ask.n beside [p, bleu] is bleu's
    too, refused as {quantity: bleu, n: 2} is. Given to p alone, n is p's order and BLEU takes
    all four weights: "the cat sat on the mat" against "the cat sat on a mat" has p_1..p_4 =
    5/6, 3/5, 2/4, 1/3, c = r = 6 so BP = 1, BLEU = (5/6 · 3/5 · 1/2 · 1/3)^(1/4) = (1/12)^(1/4)
    (BLEU-2 would be √(1/2))."""
    doc = {"type": "bleu", "candidate": "the cat sat on the mat",
           "references": ["the cat sat on a mat"]}
    with pytest.raises(rnnquiz.ProblemError) as e:
        rnnquiz.solve({**doc, "ask": {"quantity": ["p", "bleu"], "n": 2}})
    assert (e.value.keys, e.value.reason) == (
        ("ask", "quantity", 1, "n"),
        "picks the n-gram order of p, p_smoothed, counts; bleu has none, leave it out")
    r = rnnquiz.solve({**doc, "ask": {"quantity": [{"quantity": "p", "n": 2}, "bleu"]}})
    assert r.question == "p_2; bleu"
    assert r.answer[0] == pytest.approx(3 / 5, rel=1e-15, abs=0)
    assert r.answer[1] == pytest.approx((1 / 12) ** 0.25, rel=1e-14, abs=0)
