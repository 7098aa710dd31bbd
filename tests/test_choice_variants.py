"""`rnnquiz vary` of a choice: the options in a new order and `correct` following them to the
same options, whether written as one number, a list, or whole numbers written 2.0."""

from __future__ import annotations

import numpy as np

from rnnquiz.types import choice


class Order:
    """An rng whose permutation is given: new position -> old index."""

    def __init__(self, *order):
        self.order = order

    def permutation(self, n):
        assert n == len(self.order)
        return np.array(self.order)


def test_correct_follows_its_options_to_their_new_places():
    data = choice.vary({"options": ["a", "b", "c"], "correct": 1}, Order(2, 0, 1))
    assert data == {"options": ["c", "a", "b"], "correct": 2}          # a is now 2nd
    data = choice.vary({"options": ["a", "b", "c"], "correct": [1, 3]}, Order(2, 0, 1))
    assert data == {"options": ["c", "a", "b"], "correct": [1, 2]}     # c 1st, a 2nd


def test_a_correct_number_written_2_0_follows_option_2():
    data = choice.vary({"options": ["a", "b", "c"], "correct": [2.0]}, Order(2, 0, 1))
    assert data == {"options": ["c", "a", "b"], "correct": [3]}        # b is now 3rd


def test_two_options_are_swapped_too():
    data = choice.vary({"options": ["yes", "no"], "correct": [1]}, Order(1, 0))
    assert data == {"options": ["no", "yes"], "correct": [2]}


def test_a_document_without_options_comes_back_as_it_is():
    assert choice.vary({"question": "Q?"}, Order()) == {"question": "Q?"}
