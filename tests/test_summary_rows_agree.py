"""Rows that mix words and numbers (a model's summary, SPEC 1.7) are compared entry by entry at
the digits asked (SPEC 1): a published 66048.4 is 66048 at 0 places, not within 1e-9."""

from __future__ import annotations

from rnnquiz.problem.answers import agree


def test_summary_rows_are_compared_at_the_digits_asked():
    ours = [["lstm", 66048.0], ["dense", 129.0]]
    assert agree(ours, [["lstm", 66048.4], ["dense", 129.0]], 0)
    assert not agree(ours, [["lstm", 66048.4], ["dense", 129.0]], None)
    assert not agree(ours, [["lstm", 66048.6], ["dense", 129.0]], 0)
    assert not agree(ours, [["gru", 66048.0], ["dense", 129.0]], 0)
