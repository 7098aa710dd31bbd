"""`rnnquiz new clip` draws exercises as its generator promises: 2 or 3 of the gradients
dW_xh, dW_hh, dW_hy, db_h, db_y; a bias a number or a vector of 2 or 3, a weight a vector of 2
or a 2x2 matrix; entries in tenths within [-6, 6], none 0; clipped by value θ ∈ {1, 2, 3} with
a gradient asked, or by norm θ ∈ {1, 2, 5} with a gradient or the norm asked; 4 digits. Each
drawn file is read back. Over 200 seeds every kind comes up. `rnnquiz vary` redraws θ."""

from __future__ import annotations

import random

import pytest

import rnnquiz
from rnnquiz.teaching.generate import exercise
from rnnquiz.types import clip
from rnnquiz.types import from_dict

NAMES = {"dW_xh", "dW_hh", "dW_hy", "db_h", "db_y"}


@pytest.fixture()
def clips():
    return [exercise("clip", random.Random(seed)) for seed in range(200)]


def _shape(v):
    if isinstance(v, float):
        return "number"
    return (len(v), len(v[0])) if isinstance(v[0], list) else len(v)


def test_the_gradients_are_two_or_three_of_the_rnns(clips):
    seen, counts, entries = set(), set(), {"number": [], "vector": [], "matrix": []}
    for doc in clips:
        grads = doc["gradients"]
        assert set(grads) <= NAMES
        counts.add(len(grads))
        for name, v in grads.items():
            shape = _shape(v)
            assert shape in (("number", 2, 3) if name.startswith("db") else (2, (2, 2))), name
            seen.add((name[:2], shape))
            if shape == "number":
                entries["number"].append(v)
            elif isinstance(shape, int):
                entries["vector"] += v
            else:
                entries["matrix"] += v[0] + v[1]
        from_dict(doc)          # a file the loader takes
    assert counts == {2, 3}
    assert seen == {("db", "number"), ("db", 2), ("db", 3), ("dW", 2), ("dW", (2, 2))}
    for kind, xs in entries.items():        # each kind drawn from all of [-6, 6]
        assert all(isinstance(x, float) and x == round(x, 1) and x != 0 and -6 <= x <= 6
                   for x in xs), kind
        assert min(xs) < -5 and max(xs) > 5, kind


def test_theta_and_what_is_asked(clips):
    seen = set()
    for doc in clips:
        assert doc["type"] == "clip" and set(doc) == {"type", "gradients", doc.get("value") and
                                                      "value" or "norm", "ask"}
        ask = doc["ask"]
        assert set(ask) == {"quantity", "digits"} and ask["digits"] == 4
        if "value" in doc:
            assert ask["quantity"] in doc["gradients"]
            seen.add(("value", doc["value"]))
        else:
            assert ask["quantity"] in (*doc["gradients"], "norm")
            seen.add(("norm", doc["norm"]))
            seen.add(("asked", "norm" if ask["quantity"] == "norm" else "gradient"))
    assert seen == {("value", 1), ("value", 2), ("value", 3), ("norm", 1), ("norm", 2),
                    ("norm", 5), ("asked", "norm"), ("asked", "gradient")}


@pytest.mark.parametrize("key", ["value", "norm"])
def test_a_variant_redraws_theta(key):
    doc = {"type": "clip", "gradients": {"g": [30, 40]}, key: 7.5}
    thetas = {v.data[key] for v in rnnquiz.vary(doc, count=8, seed=3)}
    assert thetas and 7.5 not in thetas


def _doc(grads, **theta):
    return {"type": "clip", "gradients": {"g": grads}, **theta}


@pytest.mark.parametrize("file, variant, said", [
    # ‖[3, 4]‖ = 5: clipped by θ = 4, not by 6; no entry beyond 4 or 6 either
    (_doc([3, 4], norm=4), _doc([3, 4], norm=6), "the gradients are clipped no more"),
    (_doc([3, 4], norm=6), _doc([3, 4], norm=4),
     "the gradients are clipped where the file's are not"),
    (_doc([3, 4], norm=4), _doc([6, 8], norm=4), None),
    (_doc([3, 4], norm=5), _doc([1], norm=5), None),          # ‖g‖ = θ: not clipped
    (_doc([3, 4], value=2), _doc([1, 2], value=2), "the gradients are clipped no more"),
    (_doc([1, 2], value=2), _doc([3, 1], value=2),
     "the gradients are clipped where the file's are not"),
    (_doc([3, -4], value=2), _doc([-3, 1], value=2), None),
])
def test_a_variant_clips_where_the_file_clips(file, variant, said):
    assert clip.degenerate(rnnquiz.solve(file), rnnquiz.solve(variant)) == said
