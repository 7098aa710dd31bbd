"""JSON Lines: one object per problem (SPEC 3). Every non-ASCII character stays readable
except the two that end a line in JavaScript (U+2028, U+2029), which are escaped."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, TextIO

if TYPE_CHECKING:
    from ..trace import Result


def dumps(obj) -> str:
    text = json.dumps(obj, ensure_ascii=False, allow_nan=False)
    return text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")


def render_json(r: Result, out: TextIO) -> None:
    out.write(dumps(r.to_json()) + "\n")
