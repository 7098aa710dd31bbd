"""`decode`'s working, line by line (rnnquiz/types/decode/__init__.py): greedy's argmax and its
ties, the totals of the sequence found, scoring a given sequence, beam search's kept and
dropped candidates, its summary of a crowded step, and the final scores. Every number is
worked by hand from the tables written here.

Beam search with exactly 12 candidates at a step (rnnquiz/types/decode/__init__.py): up to 12
every candidate is written, with no summary line. Probabilities worked by hand."""

from __future__ import annotations

import math
from pathlib import Path

import pytest

import rnnquiz

PROBLEMS = Path(__file__).resolve().parent.parent / "problems"


def lines(r, phase=None):
    return [(s.t, s.symbol, s.value, s.equation, s.formula, s.operands, s.note)
            for s in r.steps if phase is None or s.phase == phase]


def lp(P: float) -> str:
    return f"log P = {math.log(P):.6g}" if P > 0 else "log P = -inf"


# ---------------------------------------------------------------- beam search

def test_beam_search_by_hand_every_line():
    """The bundled exercise: tables in its comments; P of each candidate is P(prefix)·P(tok)."""
    r = rnnquiz.solve(rnnquiz.load(PROBLEMS / "beam_search_by_hand.yaml")[0])
    got = lines(r, "beam search")
    K, D = "kept", "dropped"
    fin = "kept; ends with <eos>: finished, set aside"
    expect = [
        (1, "A", 0.5, "P(A)", "", (), K), (1, "B", 0.3, "P(B)", "", (), K),
        (1, "C", 0.1, "P(C)", "", (), D), (1, "<eos>", 0.1, "P(<eos>)", "", (), D)]
    for tok, pt in zip(["A", "B", "C", "<eos>"], [0.1, 0.2, 0.3, 0.4]):
        expect.append((2, f"A {tok}", 0.5 * pt, f"P(A)·P({tok} | A)", "{}·{}", (0.5, pt),
                       fin if tok == "<eos>" else D))
    for tok, pt in zip(["A", "B", "C", "<eos>"], [0.1, 0.1, 0.7, 0.1]):
        expect.append((2, f"B {tok}", 0.3 * pt, f"P(B)·P({tok} | B)", "{}·{}", (0.3, pt),
                       K if tok == "C" else D))
    for tok, pt in zip(["A", "B", "C", "<eos>"], [0.05, 0.05, 0.1, 0.8]):
        expect.append((3, f"B C {tok}", 0.21 * pt, f"P(B C)·P({tok} | B C)", "{}·{}",
                       (0.21, pt), fin if tok == "<eos>" else K if tok == "C" else D))
    for tok, pt in zip(["A", "B", "C", "<eos>"], [0, 0, 0, 1]):
        expect.append((4, f"B C C {tok}", 0.021 * pt, f"P(B C C)·P({tok} | B C C)", "{}·{}",
                       (0.021, pt), fin if tok == "<eos>" else D + " (probability 0)"))
    assert len(got) == len(expect)
    for g, e in zip(got, expect):
        t, sym, P, eq, sub, args, note = e
        assert g[:2] == (t, sym) and g[3:5] == (eq, sub), g
        assert g[2] == pytest.approx(P, rel=1e-12) and g[5] == pytest.approx(args, rel=1e-12)
        assert g[6] == f"{note}; {lp(g[2])}", g
    finals = lines(r, "final scores")
    for (t, sym, v, eq, sub, args, note), (seq, P) in zip(
            finals, [("A <eos>", 0.2), ("B C <eos>", 0.168), ("B C C <eos>", 0.021)]):
        L = len(seq.split())
        assert (t, sym, eq, sub) == (None, f"score({seq})", "(1/L^α)·log P", "(1/{}^{})·{}")
        assert v == pytest.approx(math.log(P) / L ** 0.75, rel=1e-12)
        assert args[:2] == (L, 0.75) and args[2] == pytest.approx(math.log(P), rel=1e-12)
        assert note == f"L = {L} tokens with <eos>, α = 0.75"
    assert finals[-1][1:5] == ("best", "B C <eos>", "argmax score", "")
    assert finals[-1][6] == "the highest score of the 3 finished hypotheses; P = 0.168"
    assert len(finals) == 4


def test_a_beam_tie_and_max_length_are_said():
    """beam 1: A and B both 0.4, A kept (first), B dropped as a tie; at max_length 2 the
    kept A A is finished without eos; α = 0: score = log P = ln 0.2."""
    doc = {"type": "decode", "vocabulary": ["A", "B", "<eos>"], "method": "beam", "beam": 1,
           "alpha": 0, "max_length": 2,
           "tables": {"": [0.4, 0.4, 0.2], "A": [0.5, 0.3, 0.2]}}
    r = rnnquiz.solve(doc)
    assert r.answer == ["A", "A"]
    notes = [(s.t, s.symbol, s.note) for s in r.steps if s.phase == "beam search"]
    assert notes == [
        (1, "A", f"kept; {lp(0.4)}"),
        (1, "B", f"dropped; ties with the last kept, which came first; {lp(0.4)}"),
        (1, "<eos>", f"dropped; {lp(0.2)}"),
        (2, "A A", f"kept; max_length reached: finished; {lp(0.2)}"),
        (2, "A B", f"dropped; {lp(0.4 * 0.3)}"),
        (2, "A <eos>", f"dropped; {lp(0.4 * 0.2)}")]
    finals = lines(r, "final scores")
    assert finals[0][1] == "score(A A)" and finals[0][2] == pytest.approx(math.log(0.2))
    assert finals[0][6] == "L = 2 tokens, α = 0"
    assert finals[1][6] == "the highest score of the 1 finished hypotheses; P = 0.2"
    assert rnnquiz.solve({**doc, "ask": {"quantity": "score"}}).answer == \
        pytest.approx(math.log(0.2), rel=1e-12)
    assert rnnquiz.solve({**doc, "ask": {"quantity": "probability"}}).answer == \
        pytest.approx(0.2, rel=1e-12)


def test_a_crowded_beam_step_shows_the_kept_and_one_line_for_the_rest():
    """7 tokens, beam 2: step 2 has 14 candidates (> 12): the two kept, then one line."""
    vocab = ["a", "b", "c", "d", "e", "f", "<eos>"]
    doc = {"type": "decode", "vocabulary": vocab, "method": "beam", "beam": 2,
           "max_length": 2, "alpha": 1,
           "tables": {"": [0.3, 0.25, 0.15, 0.1, 0.1, 0.05, 0.05],
                      "a": [0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.4],
                      "b": [0.5, 0.1, 0.1, 0.1, 0.1, 0.05, 0.05]}}
    r = rnnquiz.solve(doc)
    step1 = [s.symbol for s in r.steps if s.t == 1]
    assert step1 == vocab                                   # 7 candidates: all shown
    step2 = [(s.symbol, s.value, s.note) for s in r.steps if s.t == 2]
    assert [x[0] for x in step2] == ["b a", "a <eos>", "…"]
    assert step2[0][2] == f"kept; max_length reached: finished; {lp(0.125)}"
    assert step2[1][2] == f"kept; ends with <eos>: finished, set aside; {lp(0.12)}"
    assert step2[2][1] == "12 dropped"
    assert step2[2][2] == "14 candidates; the best dropped: a a with P = 0.03"
    (dots,) = [s for s in r.steps if s.symbol == "…"]
    assert dots.phase == "beam search"
    # α = 1: score = log P / L; b a: ln 0.125 / 2 > a <eos>: ln 0.12 / 2
    assert r.answer == ["b", "a"]


def test_a_beam_where_every_continuation_is_impossible_is_an_error():
    doc = {"type": "decode", "vocabulary": ["A", "<eos>"], "method": "beam", "beam": 2,
           "tables": {"": [1, 0], "A": [0, 0]}}
    with pytest.raises(rnnquiz.ProblemError, match="tables: every continuation has "
                                                   "probability 0: no hypothesis finishes"):
        rnnquiz.solve(doc)


# ---------------------------------------------------------------- greedy search

TABLES = {"": [0.5, 0.2, 0.2, 0.1], "A": [0.1, 0.4, 0.3, 0.2],
          "A B": [0.2, 0.2, 0.4, 0.2], "A B C": [0.2, 0.2, 0.2, 0.6]}


def test_greedy_writes_each_argmax_over_the_table_and_the_totals():
    doc = {"type": "decode", "vocabulary": ["A", "B", "C", "<eos>"], "tables": TABLES,
           "method": "greedy", "alpha": 0.75}
    r = rnnquiz.solve(doc)
    assert r.answer == ["A", "B", "C", "<eos>"]
    got = lines(r, "greedy search")
    assert [g[:5] for g in got] == [
        (1, "y_1", "A", "argmax_y P(y)", "argmax(A {}, B {}, C {}, <eos> {})"),
        (2, "y_2", "B", "argmax_y P(y | A)", "argmax(A {}, B {}, C {}, <eos> {})"),
        (3, "y_3", "C", "argmax_y P(y | A B)", "argmax(A {}, B {}, C {}, <eos> {})"),
        (4, "y_4", "<eos>", "argmax_y P(y | A B C)", "argmax(A {}, B {}, C {}, <eos> {})")]
    assert [g[5] for g in got] == [tuple(TABLES[k]) for k in ("", "A", "A B", "A B C")]
    assert [g[6] for g in got] == ["P(A) = 0.5", "P(B | A) = 0.4", "P(C | A B) = 0.4",
                                   "P(<eos> | A B C) = 0.6"]
    totals = lines(r, "the sequence")
    P, fs = 0.5 * 0.4 * 0.4 * 0.6, (0.5, 0.4, 0.4, 0.6)
    assert totals[0][1:] == ("P(A B C <eos>)", pytest.approx(P, rel=1e-15),
                             "P(A)·P(B | A)·P(C | A B)·P(<eos> | A B C)", "{}·{}·{}·{}", fs, "")
    assert totals[1][1:5] == ("log P", pytest.approx(math.log(P), rel=1e-12),
                              "Σ_t log P(y_t | y_<t)", "{} + {} + {} + {}")
    assert totals[1][5] == pytest.approx(tuple(math.log(f) for f in fs), rel=1e-15)
    assert totals[2][1:5] == ("score", pytest.approx(math.log(P) / 4 ** 0.75, rel=1e-12),
                              "(1/L^α)·log P", "(1/{}^{})·{}")
    assert totals[2][6] == "L = 4 tokens with <eos>, α = 0.75"
    # the SPEC's own table for "A B C" sums to 1.2: used as written, and said
    assert len(totals) == 3 and r.notes == [
        "the table for the prefix 'A B C' sums to 1.2, not 1; it is used as written"]


def test_greedy_ties_take_the_first_in_the_vocabulary():
    doc = {"type": "decode", "vocabulary": ["A", "B", "C", "<eos>"], "method": "greedy",
           "tables": {"": [0.3, 0.3, 0.3, 0.1], "A": [0.1, 0.1, 0.1, 0.7]}}
    r = rnnquiz.solve(doc)
    assert r.answer == ["A", "<eos>"]
    notes = [s.note for s in r.steps if s.phase == "greedy search"]
    assert notes == ["P(A) = 0.3; ties with B, C: the first in the vocabulary is taken",
                     "P(<eos> | A) = 0.7"]


def long_chain(n_vocab_extra: int = 0):
    vocab = ["A"] + [f"w{k}" for k in range(n_vocab_extra)] + ["<eos>"]
    row = [0.9] + [0.0] * n_vocab_extra + [0.1]
    return {"type": "decode", "vocabulary": vocab, "method": "greedy", "alpha": 1,
            "tables": {" ".join(["A"] * k): row for k in range(9)}}


@pytest.mark.parametrize("n", [8, 9])
def test_a_long_greedy_sequence_stops_at_max_length_and_summarises_past_eight(n):
    """A A … A (no eos) to max_length n, P = 0.9^n; its product written out up to 8 factors."""
    r = rnnquiz.solve({**long_chain(), "max_length": n})
    assert r.answer == ["A"] * n
    P, L = rnnquiz.solve({**long_chain(), "max_length": n,
                          "ask": {"quantity": "probability"}}).answer, n
    assert P == pytest.approx(0.9 ** n, rel=1e-14)
    (tot, logp, score) = lines(r, "the sequence")
    if n <= 8:
        assert tot[3] == "·".join(["P(A)"] + [f"P(A | {' '.join(['A'] * k)})"
                                              for k in range(1, n)])
        assert tot[4] == "·".join(["{}"] * n) and tot[5] == (0.9,) * n
        assert logp[4] == " + ".join(["{}"] * n)
        assert logp[5] == pytest.approx((math.log(0.9),) * n, rel=1e-15)
    else:
        assert (tot[3], tot[4], tot[5]) == ("Π_t P(y_t | y_<t)", "", ())
        assert (logp[4], logp[5]) == ("", ())
    assert logp[2] == pytest.approx(n * math.log(0.9), rel=1e-12)
    assert score[2] == pytest.approx(math.log(0.9), rel=1e-12)          # α = 1: log P / n
    assert score[6] == f"L = {L} tokens, α = 1"


def test_a_vocabulary_of_nine_names_the_largest_instead_of_every_probability():
    for extra, sub in ((6, "argmax(A {}, w0 {}, w1 {}, w2 {}, w3 {}, w4 {}, w5 {}, <eos> {})"),
                       (7, "the largest of 9")):
        r = rnnquiz.solve({**long_chain(extra), "max_length": 1})
        (y1,) = lines(r, "greedy search")
        assert y1[4] == sub
        assert y1[5] == (() if extra == 7 else (0.9,) + (0.0,) * extra + (0.1,))


# ---------------------------------------------------------------- scoring a sequence

def test_scoring_a_given_sequence_token_by_token():
    doc = {"type": "decode", "vocabulary": ["A", "B", "C", "<eos>"], "tables": TABLES,
           "method": "score", "sequence": ["A", "B", "C"], "alpha": 0.5}
    r = rnnquiz.solve(doc)
    P = 0.5 * 0.4 * 0.4
    assert r.answer == pytest.approx(P, rel=1e-15)
    assert [g[:3] for g in lines(r, "the sequence, token by token")] == [
        (1, "P(A)", 0.5), (2, "P(B | A)", 0.4), (3, "P(C | A B)", 0.4)]
    score = lines(r, "the sequence")[-1]
    assert score[2] == pytest.approx(math.log(P) / math.sqrt(3), rel=1e-12)
    assert score[6] == "L = 3 tokens, α = 0.5"
    assert rnnquiz.solve({**doc, "ask": {"quantity": "log_probability"}}).answer == \
        pytest.approx(math.log(P), rel=1e-12)


def test_a_sequence_of_probability_zero_has_no_score():
    doc = {"type": "decode", "vocabulary": ["A", "B", "<eos>"], "method": "score",
           "sequence": ["B", "<eos>"], "tables": {"": [1, 0, 0], "B": [0, 0, 1]}}
    r = rnnquiz.solve(doc)
    assert r.answer == 0.0
    logp = lines(r, "the sequence")[1]
    assert logp[2] == -math.inf and logp[5] == (-math.inf, 0.0)
    with pytest.raises(rnnquiz.ProblemError, match=r"ask.quantity: the sequence 'B <eos>' has "
                                                   r"probability 0, so its log-probability "
                                                   r"\(and score\) is -infinity"):
        rnnquiz.solve({**doc, "ask": {"quantity": "score"}})


def test_a_table_that_does_not_sum_to_one_is_used_and_said():
    doc = {"type": "decode", "vocabulary": ["A", "B", "<eos>"], "method": "greedy",
           "tables": {"": [0.6, 0.2, 0.1], "A": [0.1, 0.1, 0.8], "B": [0.2, 0.2, 0.6 + 1e-7]}}
    r = rnnquiz.solve(doc)
    assert r.answer == ["A", "<eos>"]
    assert r.notes == ["the table for the prefix '' sums to 0.9, not 1; it is used as written"]
    doc["tables"]["B"] = [0.2, 0.2, 0.6 + 2e-6]
    assert rnnquiz.solve(doc).notes[1] == ("the table for the prefix 'B' sums to 1, not 1; "
                                           "it is used as written")


def test_twelve_candidates_are_all_written_and_not_summarised():
    """beam 2 over 6 tokens: step 2 has 2·6 = 12 candidates, each written, 2 kept."""
    vocab = ["a", "b", "c", "d", "e", "<eos>"]
    doc = {"type": "decode", "vocabulary": vocab, "method": "beam", "beam": 2,
           "max_length": 2, "alpha": 1,
           "tables": {"": [0.4, 0.3, 0.1, 0.1, 0.05, 0.05],
                      "a": [0.1, 0.1, 0.1, 0.1, 0.1, 0.5],
                      "b": [0.6, 0.1, 0.1, 0.1, 0.05, 0.05]}}
    r = rnnquiz.solve(doc)
    step2 = [(s.symbol, s.value, s.note.split(";")[0]) for s in r.steps if s.t == 2]
    assert [x[0] for x in step2] == [f"{p} {t}" for p in "ab" for t in vocab]
    assert [x[2] for x in step2].count("kept") == 2           # a <eos> 0.2, b a 0.18
    assert dict((x[0], x[1]) for x in step2 if x[2] == "kept") == {
        "a <eos>": 0.4 * 0.5, "b a": 0.3 * 0.6}
    assert "…" not in [s.symbol for s in r.steps]


# ---------------------------------------------------------------- the answer's own rows

# beam 2, α = 0.75, max_length 3: a <eos> (0.5·0.7 = 0.35) has the best normalised score
SMALL = {"": [0.5, 0.1, 0.4], "a": [0.1, 0.2, 0.7], "a b": [0.1, 0.1, 0.8]}
BEAM2 = {"type": "decode", "vocabulary": ["a", "b", "<eos>"], "tables": SMALL, "method": "beam",
         "beam": 2, "alpha": 0.75, "max_length": 3}


def test_each_method_answers_its_default_quantity_and_its_asked_rows():
    scored = {**BEAM2, "method": "score", "sequence": "a <eos>", "beam": None}
    assert rnnquiz.solve(scored).answer == pytest.approx(0.35, rel=1e-15)
    assert rnnquiz.solve({**scored, "method": "greedy"}).answer == ["a", "<eos>"]
    assert rnnquiz.solve(BEAM2).answer == ["a", "<eos>"]
    r = rnnquiz.solve({**BEAM2, "ask": {"quantity": "log_probability"}})
    assert r.answer == pytest.approx(math.log(0.35), rel=1e-15)
    (row,) = [g for g in lines(r, "final scores") if g[1] == "log P"]
    assert row[2:6] == (r.answer, "log P(a <eos>)", "log {}", (pytest.approx(0.35, rel=1e-15),))
    assert lines(r, "final scores")[-1][1] == "log P"           # after "best", the answer
    r = rnnquiz.solve({**scored, "ask": {"quantity": "sequence"}})
    assert r.answer == ["a", "<eos>"]
    assert lines(r, "the sequence")[-1][1:3] + lines(r, "the sequence")[-1][6:] == \
        ("sequence", "a <eos>", "as given")


def test_a_log_probability_of_a_sequence_of_probability_zero_is_an_error():
    doc = {**BEAM2, "method": "score", "sequence": "b <eos>", "beam": None,
           "tables": {**SMALL, "b": [0.5, 0.5, 0.0]}, "ask": {"quantity": "log_probability"}}
    with pytest.raises(rnnquiz.ProblemError, match=r"'b <eos>' has probability 0"):
        rnnquiz.solve(doc)


@pytest.mark.parametrize("change, notes", [
    ({}, []),
    ({"method": "greedy"}, ["beam is not used by method greedy"]),
    ({"method": "score", "sequence": "a <eos>"}, ["beam is not used by method score"]),
    ({"method": "greedy", "beam": None, "sequence": "a <eos>"},
     ["sequence is not used by method greedy"]),
    ({"method": "error_analysis", "beam": None, "sequence": "a <eos>", "output": "<eos>"}, []),
])
def test_keys_the_method_does_not_read_are_said(change, notes):
    assert rnnquiz.solve({**BEAM2, **change}).notes == notes
