"""The question `quiz`, `new` and export ask of a decode exercise says how hypotheses are
scored as the file sets it: no length normalisation unless it gives alpha."""

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
