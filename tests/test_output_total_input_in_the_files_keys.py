"""dE/du_t's note says what u_t is as the y_t line writes it: the file's read-out keys and
layout (Keras' h_t·dense_kernel + dense_bias, fastbook's h_o.weight·h_t + h_o.bias), not the
canonical W_hy·h_t + b_y of a file that has no such keys."""

from __future__ import annotations

import pytest
import yaml

import rnnquiz
from conftest import PROBLEMS


@pytest.mark.parametrize("name, n, symbol, u, y", [
    ("keras_simple_rnn_many_to_one", 1, "dE/du_2", "h_2·dense_kernel + dense_bias",
     "σ(h_2·dense_kernel + dense_bias)"),
    ("fastbook_lmmodel4_tied", 0, "dE/du_0", "h_o.weight·h_0 + h_o.bias",
     "softmax(h_o.weight·h_0 + h_o.bias)"),
])
def test_the_output_total_input_in_the_files_keys(name, n, symbol, u, y):
    doc = list(yaml.safe_load_all((PROBLEMS / f"{name}.yaml").read_text(encoding="utf-8")))[n]
    lines = {s.symbol: s for s in rnnquiz.solve(doc).steps}
    assert lines[symbol].note == f"{symbol[4:]} = {u}, the output's total input"
    assert lines[f"y_{symbol[-1]}"].equation == y
