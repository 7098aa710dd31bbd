"""A `clip` file the type cannot read is refused with one line naming the key and saying what
was expected (SPEC 1.11: gradients by name, exactly one of value or norm, θ > 0), word for word."""

from __future__ import annotations

import pytest

from conftest import refusal
from rnnquiz.types import from_dict

G = {"type": "clip", "gradients": {"g": [3, 4]}}
BOTH = ("expected exactly one of value (each entry to [-θ, θ]) or norm (the global L2 norm at "
        "most θ)")

REFUSED = [
    ({"type": "clip", "norm": 1}, "gradients",
     "missing; expected a mapping of gradients {dWaa: [[...]], db: [...]}"),
    ({**G, "gradients": [3, 4], "norm": 1}, "gradients",
     "expected a mapping of gradients {name: numbers}, got a list"),
    ({**G, "gradients": {}, "norm": 1}, "gradients",
     "expected a mapping of gradients {name: numbers}, got an empty mapping"),
    ({**G, "gradients": {" ": [1]}, "norm": 1}, "gradients. ",
     "expected a gradient's name, got ' '"),
    ({**G, "gradients": {7: [1]}, "norm": 1}, "gradients[7]", "expected a gradient's name, got 7"),
    ({**G, "gradients": {"clipped": [1]}, "norm": 1}, "gradients.clipped",
     "'clipped' names a quantity of clip (norm, clipped); rename the gradient"),
    (G, "value", BOTH),
    ({**G, "value": 1, "norm": 1}, "norm", BOTH),
    ({**G, "norm": "x"}, "norm", "expected a number > 0, got 'x'"),
    ({**G, "value": 0}, "value", "expected a number > 0, got 0"),
    ({**G, "norm": -2}, "norm", "expected a number > 0, got -2"),
    ({**G, "norm": 1, "answer": {"g": "big"}}, "answer.g",
     "expected a number or a list of numbers (or of lists), got 'big'"),
]


@pytest.mark.parametrize("doc, path, message", REFUSED)
def test_a_file_clip_cannot_read_is_refused_naming_the_key(doc, path, message):
    assert refusal(doc) == (path, message)


def test_a_theta_just_above_zero_is_taken():
    assert from_dict({**G, "value": 5e-324}).detail.theta == 5e-324
