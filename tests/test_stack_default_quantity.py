"""A cell type's stack (here CS224n's bidirectional nn.LSTM encoder) asked no quantity answers
every h_t, the concatenated top states, on the working path and on the vectorised one alike
(a forward type would answer y; an LSTM's default is its states, SPEC 1.9)."""

from __future__ import annotations

import copy

import numpy as np
import yaml

import rnnquiz
from conftest import PROBLEMS


def test_both_paths_answer_every_h_t():
    doc = copy.deepcopy(next(yaml.safe_load_all(
        (PROBLEMS / "cs224n_encoder_c_projection.yaml").read_text(encoding="utf-8"))))
    assert doc["type"] == "lstm"
    doc["ask"] = {"digits": 4}
    worked, scanned = rnnquiz.solve(doc, steps=True), rnnquiz.solve(doc, steps=False)
    assert worked.question == scanned.question == "every h_t"
    np.testing.assert_allclose(np.asarray(scanned.answer), np.asarray(worked.answer), atol=1e-12)
    assert np.shape(worked.answer) == (3, 4)          # 3 steps, [→h; ←h] of 2 units each
