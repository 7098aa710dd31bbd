"""The working of `perplexity` line by line: -ln p_t for each token (a long sequence shows its
first 3 and last 2, with a line for the rest), E written out up to 8 terms, E/T and exp(E/T);
from a table of ln P, each position's entry at its target, padding left out (the NLP
specialisation's log_perplexity). Values by hand: p_t = 2^-t, so -ln p_t = t·ln 2, E =
ln 2·T(T+1)/2 and the perplexity is 2^((T+1)/2)."""

from __future__ import annotations

import math

import pytest

import rnnquiz
from rnnquiz.types import from_dict, solve

LN2 = math.log(2)


def lines(r, phase):
    return [(s.symbol, s.t, s.formula, s.operands, s.note) for s in r.steps if s.phase == phase]


def halving(T):
    return rnnquiz.solve({"type": "perplexity", "probabilities": [0.5 ** t for t in range(1, T + 1)]})


def term(t):
    return (f"-ln p_{t}", t, "-ln({})", (0.5 ** t,), "")


@pytest.mark.parametrize("T, shown", [
    (1, [1]), (6, [1, 2, 3, 4, 5, 6]),              # up to HEAD + TAIL + 1 = 6: every term
    (7, [1, 2, 3, "2 more terms", 6, 7]), (12, [1, 2, 3, "7 more terms", 11, 12])])
def test_each_term_or_the_first_three_and_the_last_two(T, shown):
    r = halving(T)
    assert lines(r, "loss per token") == [
        term(t) if isinstance(t, int) else ("…", None, "", (), "") for t in shown]
    values = [s.value for s in r.steps if s.phase == "loss per token"]
    assert values == [pytest.approx(t * LN2, rel=1e-15) if isinstance(t, int) else t
                      for t in shown]
    assert r.answer == pytest.approx(2 ** ((T + 1) / 2), rel=1e-14)


@pytest.mark.parametrize("T, formula", [(8, " + ".join(["{}"] * 8)), (9, "the sum of the 9 terms")])
def test_the_sum_is_written_out_up_to_eight_terms(T, formula):
    (E,) = [s for s in halving(T).steps if s.symbol == "E"]
    assert (E.equation, E.formula, E.phase) == ("Σ_t -ln p_t", formula, "loss")
    assert E.value == pytest.approx(LN2 * T * (T + 1) / 2, rel=1e-15)
    assert len(E.operands) == (T if T <= 8 else 0)


TABLE = [[-0.5, -1.0]] * 9           # ln P(token 0) = -0.5, ln P(token 1) = -1 at every position


def table(targets, pad=1):
    return rnnquiz.solve({"type": "perplexity", "log_probabilities": TABLE[:len(targets)],
                          "targets": targets, "pad": pad})


def entry(t, k):
    return (f"log_p_{t}", t, "", (), "target 1 is the pad id: left out" if k == 1 else "")


def test_a_table_shows_each_position_at_its_target_the_pad_left_out():
    """targets 0, 1, 0, 1, 0, 1 with pad 1: the kept -0.5 three times, log_perplexity 0.5."""
    r = table([0, 1, 0, 1, 0, 1])
    assert lines(r, "loss per token") == [entry(t, t % 2 == 0) for t in range(1, 7)]
    per = [s for s in r.steps if s.phase == "loss per token"]
    assert [(s.value, s.equation) for s in per] == [
        (-0.5 if t % 2 else -1.0, f"ln P(token {1 - t % 2}) at position {t}") for t in range(1, 7)]
    assert r.values["log_perplexity"] == 0.5 and r.answer == pytest.approx(math.exp(0.5),
                                                                          rel=1e-15)


def test_a_long_table_shows_its_first_three_and_last_two_positions():
    r = table([0, 1, 0, 1, 0, 1, 0, 1])
    assert lines(r, "loss per token") == [entry(1, 0), entry(2, 1), entry(3, 0),
                                          ("…", None, "", (), ""), entry(7, 0), entry(8, 1)]
    assert [s.value for s in r.steps if s.symbol == "…"] == ["3 more positions"]
    assert [s.phase for s in r.steps if s.symbol == "…"] == ["loss per token"]
    assert r.values["log_perplexity"] == 0.5


def rest(r):
    return [(s.symbol, s.value, s.equation, s.formula, s.operands, s.phase, s.note)
            for s in r.steps if s.phase != "loss per token"]


def test_the_mean_over_the_positions_that_count():
    """targets 0, 1, 1 with pad 1: only -0.5 counts, log_perplexity 0.5, perplexity e^0.5."""
    r = table([0, 1, 1])
    assert rest(r)[:-1] == [
        ("non_pad", [1, 0, 0], "1 - [targets_t = pad]", "", (), "loss", "pad = 1"),
        ("Σ log_p·non_pad", -0.5, "Σ_t log_p_t·non_pad_t", "{}·{} + {}·{} + {}·{}",
         (-0.5, 1, -1.0, 0, -1.0, 0), "loss", ""),
        ("Σ non_pad", 1, "Σ_t non_pad_t", "", (), "loss", "the positions that count"),
        ("log_perplexity", 0.5, "-Σ log_p·non_pad / Σ non_pad", "-({})/{}", (-0.5, 1), "loss",
         "the mean loss per token, in nats (cross_entropy)")]
    assert rest(r)[-1][0] == "perplexity" and rest(r)[-1][2:] == (
        "exp(log_perplexity)", "exp({})", (0.5,), "perplexity", "")
    assert rest(r)[-1][1] == pytest.approx(math.exp(0.5), rel=1e-15)


@pytest.mark.parametrize("T, formula", [(8, " + ".join(["{}·{}"] * 8)),
                                        (9, "the sum over the 5 kept positions")])
def test_the_masked_sum_is_written_out_up_to_eight_positions(T, formula):
    """targets 0, 1, 0, ...: ⌈T/2⌉ positions of -0.5 kept."""
    (line,) = [s for s in table([t % 2 for t in range(T)]).steps if s.symbol == "Σ log_p·non_pad"]
    assert (line.formula, len(line.operands)) == (formula, 2 * T if T <= 8 else 0)
    assert line.value == -0.5 * ((T + 1) // 2)


def test_without_a_pad_id_every_position_counts():
    r = table([0, 1, 1], pad=None)
    assert rest(r)[0] == ("non_pad", [1, 1, 1], "1 - [targets_t = pad]", "", (), "loss",
                          "no pad id given: every position counts")
    assert r.values["log_perplexity"] == pytest.approx(2.5 / 3, rel=1e-15)


def test_a_tables_cross_entropy_and_the_summed_loss_slip():
    """targets 0, 0, 1 with pad 1: two kept terms of -0.5, Σ = -1 over N = 2: cross_entropy 0.5
    (= log_perplexity), E = 1; the summed_loss slip takes exp of the sum: e^1, not e^0.5."""
    r = table([0, 0, 1])
    assert (r.values["cross_entropy"], r.values["E"]) == (0.5, 1.0)
    doc = {"type": "perplexity", "log_probabilities": TABLE[:3], "targets": [0, 0, 1], "pad": 1}
    slipped = solve(from_dict(doc), steps=False, variants=frozenset({"summed_loss"}))
    assert slipped.answer == pytest.approx(math.e, rel=1e-15)
