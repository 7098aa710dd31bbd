"""An error leaving the library advised (types/pipeline.py's `advising`) keeps the frames it
was raised in, so a caller debugging a file sees where the check failed."""

from __future__ import annotations

import traceback

import pytest

from rnnquiz.errors import ProblemError
from rnnquiz.types import from_dict


def test_an_advised_error_keeps_the_frames_it_was_raised_in():
    with pytest.raises(ProblemError) as err:
        from_dict({"type": "decode", "vocabulary": ["a", "<eos>"], "eos": "b",
                   "tables": {"": [0.5, 0.5]}})
    assert err.value.advised
    frames = [(f.name, f.filename.replace("\\", "/")) for f in
              traceback.extract_tb(err.value.__traceback__)]
    assert any("validate" in name and file.endswith("types/decode/keys.py")
               for name, file in frames)
