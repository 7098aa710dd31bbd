"""A published answer of tokens (decode's sequence): each entry a word, or a whole number read
as its digits (a vocabulary of numbers); a yes/no, a decimal, a blank or a number past 64 bits
is refused at the key path of that entry."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from rnnquiz.errors import ProblemError
from rnnquiz.types import from_dict

ROOT = Path(__file__).resolve().parent.parent
# d2l 10.8's greedy search, asking the sequence (the second document)
GREEDY = list(yaml.safe_load_all((ROOT / "problems" / "d2l_10_8_greedy.yaml").read_text()))[1]


def _answer(tokens):
    return from_dict({**GREEDY, "answer": tokens}).answer


def test_the_published_sequence_is_read_as_words():
    assert _answer(["A", "B", "C", "<eos>"]) == ["A", "B", "C", "<eos>"]


def test_a_whole_number_of_64_bits_is_a_token_of_its_digits():
    # 2^64 - 1 needs 64 bits: still a token, written with every digit
    assert _answer(["A", 2 ** 64 - 1]) == ["A", "18446744073709551615"]
    assert _answer([7, " B "]) == ["7", "B"]


@pytest.mark.parametrize("bad, shown", [
    (True, "true"),                      # YAML's yes is a bool, not the word "True"
    (1.5, "1.5"),
    ("  ", "'  '"),
    (2 ** 64, "18446744073709551616"),   # 65 bits
])
def test_an_entry_that_is_no_token_is_refused_at_its_index(bad, shown):
    with pytest.raises(ProblemError) as err:
        _answer(["A", bad, "C", "<eos>"])
    assert err.value.keys == ("answer", 1)
    assert err.value.reason == f"expected a token (a word), got {shown}"
