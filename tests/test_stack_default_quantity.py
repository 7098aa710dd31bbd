"""A stack asked no quantity answers its type's default on the working path and on the
vectorised one alike: a cell type's (here CS224n's bidirectional nn.LSTM encoder) every h_t,
the concatenated top states; a forward type's every y_t (SPEC 1.9)."""

from __future__ import annotations

import copy

import numpy as np
import pytest
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


def test_a_forward_stack_asked_nothing_answers_every_y_t():
    # d2l 10.3's two-layer RNN, worked by hand in the file: O_2 = 0.5785 - 0.3798 = 0.1987
    doc = copy.deepcopy(next(yaml.safe_load_all(
        (PROBLEMS / "d2l_deep_rnn.yaml").read_text(encoding="utf-8"))))
    doc["ask"] = {"digits": 4}
    for steps in (True, False):
        r = rnnquiz.solve(doc, steps=steps)
        assert r.question == "every y_t", steps
        assert float(np.ravel(r.answer)[-1]) == pytest.approx(0.1987, abs=5e-5)
