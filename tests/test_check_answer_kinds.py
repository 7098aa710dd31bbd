"""`check --answer` refuses an answer of the wrong kind with a usage error (exit 2): words where
the question asks numbers, whatever punctuation follows them."""

import pytest

from conftest import run


@pytest.mark.parametrize("answer, said", [("x1,,", "the words 'x1'"),
                                          ("abc", "the word 'abc'")])
def test_words_for_a_number_are_a_usage_error(answer, said):
    r = run("check", "problems/hinton_p3.yaml", "--answer", answer)
    assert r.exit_code == 2
    assert "y at t=1 is answered with numbers, got " + said in r.stderr


def test_a_verdict_word_in_any_case_is_read():
    r = run("check", "problems/hinton_p5.yaml", "--answer", " Vanishing ")
    assert r.exit_code == 0, r.stderr
