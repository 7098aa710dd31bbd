"""A decode file written wrong is refused at its key, in words that say what to write
(SPEC 1.15): the vocabulary and its tokens, eos, the tables and their prefixes and rows, the
sequence and output, method, beam, alpha and max_length; and what decode takes at the edges
(a 64-bit token, a table written under a null prefix) is taken."""

from __future__ import annotations

import pytest

from rnnquiz.errors import ProblemError
from rnnquiz.types import from_dict

AB = {"type": "decode", "vocabulary": ["a", "b", "<eos>"],
      "tables": {"": [0.5, 0.3, 0.2], "a": [0.5, 0.3, 0.2], "b": [0.2, 0.3, 0.5]}}
VOCAB = "(a, b, <eos>)"
EA = {"method": "error_analysis", "sequence": "a <eos>"}
SPACES = "a token has no spaces (prefixes are tokens split by spaces), got "
TABLES = "expected a mapping {prefix: [P(token | prefix), ...]}, got "
PREFIX = 'expected a prefix as text (tokens split by spaces, "" for the start), got '
TOKENS = "expected the tokens as a list ([A, B, C, <eos>]), got "


@pytest.mark.parametrize("change, keys, reason", [
    ({"vocabulary": None}, ("vocabulary",), TOKENS + "nothing (missing)"),
    ({"vocabulary": "a b"}, ("vocabulary",), TOKENS + "'a b'"),
    ({"vocabulary": []}, ("vocabulary",), TOKENS + "a list"),
    ({"vocabulary": ["a", 1.5, "<eos>"]}, ("vocabulary", 1), "expected a token (a word), got 1.5"),
    ({"vocabulary": ["a", True, "<eos>"]}, ("vocabulary", 1), "expected a token (a word), got true"),
    ({"vocabulary": ["a", " ", "<eos>"]}, ("vocabulary", 1), "expected a token (a word), got ' '"),
    ({"vocabulary": ["a", 2 ** 64, "<eos>"]}, ("vocabulary", 1),
     "expected a token (a word), got 18446744073709551616"),
    ({"vocabulary": ["a", "b c", "<eos>"]}, ("vocabulary", 1), SPACES + "'b c'"),
    ({"vocabulary": ["a", "b", "a", "<eos>"]}, ("vocabulary", 2), "'a' is listed twice"),
    ({"vocabulary": ["a", "b", "end"]}, ("eos",),
     "'<eos>' is not in the vocabulary (a, b, end); name the end-of-sequence token with eos:"),
    ({"eos": "c"}, ("eos",), f"'c' is not in the vocabulary {VOCAB}"),
    ({"eos": "b c"}, ("eos",), SPACES + "'b c'"),
    ({"tables": None}, ("tables",), TABLES + "nothing (missing)"),
    ({"tables": {}}, ("tables",), TABLES + "an empty mapping"),
    ({"tables": [1]}, ("tables",), TABLES + "a list"),
    ({"tables": {True: [0.5, 0.5, 0]}}, ("tables", True), PREFIX + "true"),
    ({"tables": {1.5: [0.5, 0.5, 0]}}, ("tables", 1.5), PREFIX + "1.5"),
    ({"tables": {"": [0.5, 0.5, 0], "a x": [1, 0, 0]}}, ("tables", "a x"),
     f"the prefix 'a x' holds 'x', which is not in the vocabulary {VOCAB}"),
    ({"tables": {"": [0.5, 0.5, 0], "a <eos>": [1, 0, 0]}}, ("tables", "a <eos>"),
     "the prefix 'a <eos>' holds '<eos>': nothing follows the end of a sequence"),
    ({"tables": {"": [0.5, 0.5, 0], "a": [1, 0, 0], " a ": [1, 0, 0]}}, ("tables", " a "),
     "a second table for the prefix 'a'"),
    ({"tables": {"": 1}}, ("tables", ""),
     f"expected 3 probabilities, one per token {VOCAB}, got 1"),
    ({"tables": {"": [0.5, 0.5]}}, ("tables", ""),
     f"has 2 probabilities, expected 3: one per token {VOCAB}"),
    ({"tables": {"": [[0.5, 0.5, 0]]}}, ("tables", "", 0), "expected a number, got a list"),
    ({"tables": {"": [0.5, 0.5, 0]}, "sequence": "a <eos>"}, ("tables",),
     "no table for the prefix 'a'"),
    ({"tables": {"": [0.5, 0.5, 0]}, **EA, "sequence": "<eos>", "output": "a <eos>"},
     ("tables",), "no table for the prefix 'a'"),
    ({"sequence": []}, ("sequence",),
     "expected the sequence to score as a list of tokens, got a list"),
    ({"sequence": {"a": 1}}, ("sequence",),
     "expected the sequence to score as a list of tokens, got a mapping"),
    ({"sequence": "a x"}, ("sequence", 1), f"'x' is not in the vocabulary {VOCAB}"),
    ({"sequence": ["a", "<eos>", "b"]}, ("sequence",), "'<eos>' ends a sequence; nothing follows it"),
    ({"sequence": "a b <eos>", "max_length": 2}, ("sequence",),
     "has 3 tokens, more than max_length 2"),
    ({"method": "sample"}, ("method",),
     "expected one of greedy, beam, score, error_analysis, got 'sample'"),
    ({"method": "score"}, ("sequence",), "missing; method score needs the sequence to score"),
    ({"method": "error_analysis"}, ("sequence",),
     "missing; method error_analysis needs y*, the human's translation, as sequence"),
    ({**EA, "sequence": "a"}, ("output",),
     "missing; method error_analysis needs ŷ, the algorithm's output, beside sequence (y*)"),
    ({**EA, "output": []}, ("output",),
     "expected the algorithm's output ŷ as a list of tokens, got a list"),
    ({**EA, "output": "b <eos> a"}, ("output",), "'<eos>' ends a sequence; nothing follows it"),
    ({"output": "a"}, ("output",),
     "is ŷ of method error_analysis; write method: error_analysis or leave it out"),
    ({"method": "beam"}, ("beam",), "missing; method beam needs the beam width (beam: 2)"),
    ({"method": "beam", "beam": 0}, ("beam",),
     "expected a beam width, a whole number >= 1, got 0"),
    ({"alpha": "x"}, ("alpha",), "expected a number >= 0, got 'x'"),
    ({"alpha": -0.5}, ("alpha",), "expected a number >= 0, got -0.5"),
    ({"max_length": 0}, ("max_length",), "expected a whole number >= 1, got 0"),
])
def test_a_wrong_decode_file_is_refused_at_its_key(change, keys, reason):
    with pytest.raises(ProblemError) as err:
        from_dict({**AB, **change})
    assert (err.value.keys, err.value.reason) == (keys, reason)


def test_the_largest_64_bit_token_and_a_null_prefix_are_taken():
    d = from_dict({**AB, "vocabulary": ["a", 2 ** 64 - 1, "<eos>"],
                   "tables": {"": [0.5, 0.5, 0]}}).detail
    assert d.vocabulary == ["a", "18446744073709551615", "<eos>"]
    d = from_dict({**AB, "tables": {None: [0.5, 0.5, 0]}}).detail        # YAML's `~:` or `:`
    assert list(d.tables) == [()]
