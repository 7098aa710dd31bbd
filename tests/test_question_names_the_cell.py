"""The question in words (quiz, new, export) names the cell it is about: "An RNN", "An LSTM",
"A GRU", "A gated RNN"; a layer's shapes question does too, a simple RNN when the file names
no cell. The subjects are the ones SPEC's examples write."""

from __future__ import annotations

import pytest
import yaml

from conftest import PROBLEMS
from rnnquiz.teaching.question import question_text
from rnnquiz.types import from_dict


def _doc(name: str, ptype: str, cell: str) -> dict:
    docs = [d for d in yaml.safe_load_all((PROBLEMS / name).read_text(encoding="utf-8"))
            if isinstance(d, dict) and d.get("type") == ptype and d.get("cell") == cell]
    return docs[0]


@pytest.mark.parametrize("name, ptype, cell, subject", [
    ("awd_lstm_ar_tar.yaml", "backprop", "lstm", "An LSTM "),
    ("pytorch_rnn_fc_readout.yaml", "backprop", "rnn", "An RNN "),
    ("dlai_q8_gru_simplification.yaml", "vanishing", "gru", "A GRU "),
    ("mit_gated_rnn.yaml", "vanishing", "gated", "A gated RNN "),
])
def test_a_network_question_names_its_cell(name, ptype, cell, subject):
    doc = _doc(name, ptype, cell)
    assert question_text(from_dict(doc)).startswith(subject)


def test_a_layers_shapes_question_names_its_cell_or_a_simple_rnn():
    doc = _doc("dlai_q7_gate_dim.yaml", "shapes", "lstm")
    assert question_text(from_dict(doc)).startswith("An LSTM layer ")
    del doc["cell"]
    assert question_text(from_dict(doc)).startswith("An RNN layer ")
