"""Beam search with exactly 12 candidates at a step (rnnquiz/solvers/decode.py): up to 12
every candidate is written, with no summary line. Probabilities worked by hand."""

from __future__ import annotations

import rnnquiz


def test_twelve_candidates_are_all_written_and_not_summarised():
    """beam 2 over 6 tokens: step 2 has 2·6 = 12 candidates, each written, 2 kept."""
    vocab = ["a", "b", "c", "d", "e", "<eos>"]
    doc = {"type": "decode", "vocabulary": vocab, "method": "beam", "beam": 2,
           "max_length": 2, "alpha": 1,
           "tables": {"": [0.4, 0.3, 0.1, 0.1, 0.05, 0.05],
                      "a": [0.1, 0.1, 0.1, 0.1, 0.1, 0.5],
                      "b": [0.6, 0.1, 0.1, 0.1, 0.05, 0.05]}}
    r = rnnquiz.solve(doc)
    step2 = [(s.symbol, s.value, s.note.split(";")[0]) for s in r.steps if s.t == 2]
    assert [x[0] for x in step2] == [f"{p} {t}" for p in "ab" for t in vocab]
    assert [x[2] for x in step2].count("kept") == 2           # a <eos> 0.2, b a 0.18
    assert dict((x[0], x[1]) for x in step2 if x[2] == "kept") == {
        "a <eos>": 0.4 * 0.5, "b a": 0.3 * 0.6}
    assert "…" not in [s.symbol for s in r.steps]
