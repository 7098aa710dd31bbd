"""Long sequences of numbers read by numpy, not by PyYAML node by node (yamlio uses this).

PyYAML builds a Python object per scalar and per list: about 6 s per million numbers, 45 s
and 1.2 GB for a million one-number rows. A long flow list of numbers, of rows of numbers, or
a block list of numbers is cut out of the text and replaced by a marker (the line count kept,
so every line number of an error stays right); `put_back` puts the arrays in its place.
Anything that is not plainly numbers is left to YAML.
"""

from __future__ import annotations

import re

import numpy as np

# A long flow sequence of plain numbers ([0.5, -1, 2e-3, ...]), of rows of numbers
# ([[0.5], [1, 2e-3], ...]) or a long block sequence of numbers (- 0.5 on each line) is read by
# numpy, not node by node: PyYAML builds a Python object per scalar and per list (about 6 s
# per million numbers, 45 s and 1.2 GB for a million one-number rows).
_BIG = re.compile(r"\[[-+0-9.eE,\s\[\]]{20000,}\]")
# a key, then (on the next line) the first item of a block sequence of numbers
_BLOCK = re.compile(r"^([ \t]*)([^\s#\-\[\]{}'\"&*!|>%@`][^\n]*?:)[ \t]*\n"
                    r"(?=([ \t]*)- +[-+0-9.eE]+[ \t]*\n)", re.M)
_BLOCK_BODY = re.compile(r"[-+0-9.eE \t\n]+")
BLOCK_LINES = 2000
_MARK = "__rnnquiz_numbers_{}_{}__"      # with a fresh nonce per file: no text can equal it


def _flat(body: str) -> np.ndarray | None:
    """'0.5, -1, 2e-3' as float64, or None unless every item is one plain number (no list
    of a string per item: two million items would cost 110 MB)."""
    text = body.replace("\n", " ").rstrip(" \t\r")
    if text.endswith(","):
        text = text[:-1]                      # a trailing comma is allowed in flow sequences
    if not text.strip() or _NOT_A_NUMBER.search(text):
        return None
    import warnings   # noqa: PLC0415 (start-up: only files past 20,000 characters)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")       # a short read is found by the count below
        try:
            arr = np.fromstring(text, dtype=np.float64, sep=",")
        except ValueError:                    # numpy 2 raises where numpy 1 warned
            return None
    return arr if arr.size == text.count(",") + 1 else None


# An item that is not one finite number of the YAML 1.2 core schema (1, -2.5, .5, 5., 1e-3),
# found in one pass over the joined items (strtod alone would take '1e' as 1)
_NOT_A_NUMBER = re.compile(r"(?:^|,)(?![ \t\r\n]*[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)"
                           r"(?:[eE][-+]?[0-9]+)?[ \t\r\n]*(?:,|$))")


def _numbers_of(text: str) -> np.ndarray | None:
    body = text[1:-1]
    if "[" not in body:
        return _flat(body)
    return _rows(body)


def _rows(body: str) -> np.ndarray | None:
    """'[1, 2], [3, 4]' as a 2-D float64 array, or None unless it is rows of plain numbers of
    one length side by side; found with numpy over the characters, not a string per row."""
    b = np.frombuffer(body.encode("ascii"), dtype=np.uint8)
    opens, closes = np.flatnonzero(b == 91), np.flatnonzero(b == 93)       # [ and ]
    if not len(opens) or len(opens) != len(closes) or np.any(opens >= closes) or \
            np.any(closes[:-1] >= opens[1:]):
        return None                           # nested or unbalanced: not rows of numbers
    commas = np.cumsum(b == 44, dtype=np.int32)                            # ,
    spaces = (b == 32) | (b == 9) | (b == 10) | (b == 13)
    other = np.cumsum(~spaces & (b != 44) & (b != 91) & (b != 93), dtype=np.int32)   # digits
    del spaces, b
    inside = commas[closes] - commas[opens]
    if np.any(other[opens[1:]] != other[closes[:-1]]) or other[opens[0]] or \
            other[-1] != other[closes[-1]] or np.any(commas[opens[1:]] - commas[closes[:-1]] != 1) \
            or np.any(inside != inside[0]):
        return None                           # something between rows, or ragged rows
    flat = _flat(body.translate(_NO_BRACKETS))
    if flat is None or flat.size != len(opens) * (int(inside[0]) + 1):
        return None
    return flat.reshape(len(opens), -1)


_NO_BRACKETS = {91: None, 93: None}


def lift_big_sequences(text: str) -> tuple[str, list, str]:
    import secrets   # noqa: PLC0415 (start-up: only files past 20,000 characters)
    arrays = []
    nonce = secrets.token_hex(8)
    while nonce in text:
        nonce = secrets.token_hex(8)

    def lift(m: re.Match) -> str:
        arr = _numbers_of(m.group(0))
        if arr is None:
            return m.group(0)                 # not plain numbers after all: let YAML read it
        arrays.append(arr)
        # keep the line count, so every later line number is still right
        return _MARK.format(nonce, len(arrays) - 1) + "\n" * m.group(0).count("\n")

    def lift_blocks(text: str) -> str:
        out, at = [], 0
        for m in _BLOCK.finditer(text):
            if m.start() < at:
                continue
            arr, end = _block_numbers(text, m)
            if arr is None:
                continue
            arrays.append(arr)
            lines = text.count("\n", m.end(), end)
            out += [text[at:m.end() - 1], f" {_MARK.format(nonce, len(arrays) - 1)}\n",
                    "\n" * lines]
            at = end
        return "".join(out) + text[at:] if out else text

    text = _BIG.sub(lift, text)
    if "- " in text:
        text = lift_blocks(text)
    return text, arrays, nonce


def _block_numbers(text: str, m: re.Match) -> tuple[np.ndarray | None, int]:
    """The numbers of the block sequence after the key `m`, and where it ends; (None, 0) unless
    it is at least BLOCK_LINES lines `<indent>- <number>`, all at one indent, and nothing of
    the sequence follows (a comment or another kind of item: then YAML reads it all)."""
    key_indent, indent = m.group(1), m.group(3)
    body = _BLOCK_BODY.match(text, m.end())
    if body is None or len(indent) < len(key_indent):
        return None, 0
    region = text[m.end():text.rfind("\n", m.end(), body.end()) + 1]
    region = region.rstrip(" \t\n") + "\n"          # blank lines after it are not items
    end = m.end() + len(region)
    lines = region.count("\n")
    if lines < BLOCK_LINES or re.match(r"[ \t]*-", text[end:end + 200]):
        return None, 0
    numbers, items = re.subn(r"^" + re.escape(indent) + r"- +", "", region, flags=re.M)
    if items != lines:
        return None, 0
    import warnings   # noqa: PLC0415 (start-up: only files past 20,000 characters)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")       # a short read is found by the count below
        try:
            arr = np.fromstring(numbers, dtype=np.float64, sep=" ")
        except ValueError:
            return None, 0
    return (arr, end) if arr.size == lines else (None, 0)


def put_back(data, arrays: list, used: set, nonce: str):
    if isinstance(data, dict):
        return {k: put_back(v, arrays, used, nonce) for k, v in data.items()}
    if isinstance(data, list):
        return [put_back(v, arrays, used, nonce) for v in data]
    prefix = _MARK.format(nonce, "")[:-2]
    if isinstance(data, str) and data.startswith(prefix) and data.endswith("__"):
        digits = data[len(prefix):-2]
        if digits.isdigit() and int(digits) < len(arrays) and int(digits) not in used:
            used.add(int(digits))
            arr = arrays[int(digits)]
            # rows in a list, as YAML gives them (validators read a list of sequences row by
            # row), each row an array (a million Python lists would cost seconds to check)
            return list(arr) if arr.ndim > 1 else arr
    return data
