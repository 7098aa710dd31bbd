"""The question `quiz`, `new` and export ask of a decode exercise says how hypotheses are
scored as the file sets it: no length normalisation unless it gives alpha."""

import pytest

from rnnquiz.teaching.question import full_question
from rnnquiz.types import from_dict

GREEDY = {"type": "decode", "vocabulary": ["A", "B", "<eos>"], "method": "greedy",
          "tables": {"": [0.5, 0.4, 0.1], "A": [0.1, 0.1, 0.8], "B": [0.1, 0.1, 0.8]}}


def test_without_alpha_the_score_is_not_normalised():
    text = full_question(from_dict(GREEDY))
    assert "not normalised by its length" in text and "L^" not in text


def test_with_alpha_the_score_divides_by_L_to_the_alpha():
    text = full_question(from_dict({**GREEDY, "method": "beam", "beam": 2, "alpha": 0.7}))
    assert "(1/L^0.7)·Σ log P" in text


# The whole question, each method: the tables, the method, eos and max_length (10 unless
# given), how a hypothesis is scored; then what is asked (SPEC 1.11, 1.15).
TABLES = "first: [0.5, 0.4, 0.1]; after 'A': [0.1, 0.1, 0.8]; after 'B': [0.1, 0.1, 0.8]"
GIVEN = f"The next-token probabilities over A, B, <eos> are {TABLES}."
PLAIN = "a hypothesis scores Σ log P (natural log), not normalised by its length."
ANALYSIS = {**GREEDY, "method": "error_analysis", "sequence": "A <eos>", "output": ["B", "<eos>"]}


@pytest.mark.parametrize("change, text", [
    ({}, f"{GIVEN} Greedy search takes the most probable token at each step, until <eos> or "
         f"10 tokens (<eos> counted); {PLAIN} What is the sequence it finds (the tokens, "
         "space-separated)?"),
    ({"method": "beam", "beam": 2, "alpha": 0.7, "max_length": 3},
     f"{GIVEN} Beam search keeps the 2 most probable hypotheses at each step, until <eos> or "
     "3 tokens (<eos> counted); a hypothesis of L tokens scores (1/L^0.7)·Σ log P (natural "
     "log). What is the sequence it finds (the tokens, space-separated)?"),
    ({"method": "score", "sequence": "A <eos>", "ask": {"quantity": "probability"}},
     f"{GIVEN} The sequence is scored, until <eos> or 10 tokens (<eos> counted); {PLAIN} "
     "What is the probability of the sequence it finds?"),
    ({"ask": {"quantity": "sequence"}},
     f"{GIVEN} Greedy search takes the most probable token at each step, until <eos> or "
     f"10 tokens (<eos> counted); {PLAIN} What is the sequence it finds (the tokens, "
     "space-separated)?"),
    ({"ask": {"quantity": "score"}}, f"{PLAIN} What is the score of the sequence it finds?"),
    ({"ask": {"quantity": "log_probability"}},
     f"{PLAIN} What is the log-probability of the sequence it finds?"),
])
def test_the_whole_question_of_each_method(change, text):
    asked = full_question(from_dict({**GREEDY, **change}))
    assert asked.endswith(text) and asked.startswith(GIVEN), asked


def test_a_file_without_method_is_searched_greedily_or_scored_if_it_gives_a_sequence():
    doc = {k: v for k, v in GREEDY.items() if k != "method"}
    asked = full_question(from_dict(doc))
    assert f"{GIVEN} Greedy search takes the most probable token at each step, until" in asked
    asked = full_question(from_dict({**doc, "sequence": "B <eos>"}))
    assert f"{GIVEN} The sequence is scored, until" in asked, asked


def test_the_error_analysis_question_names_both_sequences_and_the_comparison():
    by_p = full_question(from_dict({**ANALYSIS, "ask": {"quantity": "at_fault"}}))
    assert by_p == (f"{GIVEN} The human's y* = A <eos> and beam search's ŷ = B <eos> are "
                    "compared by their probabilities P(·|x): beam_search is at fault if the "
                    "model prefers y*, else rnn. Which is at fault, beam_search or rnn?"), by_p
    by_score = full_question(from_dict({**ANALYSIS, "alpha": 1}))
    assert "are compared by their scores (1/L^1)·Σ log P: beam_search" in by_score, by_score


def test_tokens_written_as_numbers_and_another_eos_are_named_as_written():
    doc = {"type": "decode", "vocabulary": [1, 2, "end"], "eos": "end", "method": "greedy",
           "tables": {"": [0.5, 0.25, 0.25]}, "max_length": 1}
    assert full_question(from_dict(doc)) == (
        "The next-token probabilities over 1, 2, end are first: [0.5, 0.25, 0.25]. Greedy "
        "search takes the most probable token at each step, until end or 1 tokens (end "
        f"counted); {PLAIN} What is the sequence it finds (the tokens, space-separated)?")
