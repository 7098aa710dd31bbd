"""A published word answer holding a control character (a terminal would obey ESC) is refused
at the key `answer`, naming the character."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from rnnquiz.errors import ProblemError
from rnnquiz.types import from_dict

ROOT = Path(__file__).resolve().parent.parent
EXPLODING = next(yaml.safe_load_all((ROOT / "problems" / "dlai_q6_exploding.yaml").read_text()))


def test_an_escape_in_a_word_answer_is_refused_at_answer():
    with pytest.raises(ProblemError) as err:
        from_dict({**EXPLODING, "answer": "explo\x1bding"})
    assert err.value.keys == ("answer",)
    assert err.value.reason == "control character U+001B is not allowed in text"


def test_a_plain_word_answer_is_read_as_written():
    assert from_dict({**EXPLODING, "answer": "exploding"}).answer == "exploding"
