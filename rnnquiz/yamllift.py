"""Long sequences of numbers read by numpy, not by PyYAML node by node (yamlio uses this).

PyYAML builds a Python object per scalar and per list: about 6 s per million numbers, 45 s
and 1.2 GB for a million one-number rows. A long flow list of numbers, of rows of numbers, or
a block list of numbers is cut out of the text and replaced by a marker (the line count kept,
so every line number of an error stays right); `_put_back` puts the arrays in its place.
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
_ROW = re.compile(r"\[([^\[\]]*)\]")
# a key, then (on the next line) the first item of a block sequence of numbers
_BLOCK = re.compile(r"^([ \t]*)([^\s#\-\[\]{}'\"&*!|>%@`][^\n]*?:)[ \t]*\n"
                    r"(?=([ \t]*)- +[-+0-9.eE]+[ \t]*\n)", re.M)
_BLOCK_BODY = re.compile(r"[-+0-9.eE \t\n]+")
BLOCK_LINES = 2000
_MARK = "__rnnquiz_numbers_{}_{}__"      # with a fresh nonce per file: no text can equal it


def _flat(body: str) -> np.ndarray | None:
    """'0.5, -1, 2e-3' as float64, or None unless every item is one plain number."""
    items = body.split(",") if "\n" not in body else body.replace("\n", " ").split(",")
    if items and not items[-1].strip():
        items.pop()                           # a trailing comma is allowed in flow sequences
    if not items or any(not i.strip() or " " in i.strip() for i in items[:1]):
        return None
    import warnings   # noqa: PLC0415
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")       # a short read is found by the count below
        try:
            arr = np.fromstring(",".join(items), dtype=np.float64, sep=",")
        except ValueError:                    # numpy 2 raises where numpy 1 warned
            return None
    return arr if arr.size == len(items) and _plain_numbers(items) else None


def _plain_numbers(items: list[str]) -> bool:
    """Each item one number as YAML 1.2 reads it (strtod would also take '1e' as 1)."""
    return all(_NUMBER.match(i.strip()) for i in items)


# a finite number of the YAML 1.2 core schema, in decimal (1, -2.5, .5, 5., 1e-3)
_NUMBER = re.compile(r"^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$")


def _numbers_of(text: str) -> np.ndarray | None:
    body = text[1:-1]
    if "[" not in body:
        return _flat(body)
    rows = _ROW.findall(body)
    if not rows or _ROW.sub("", body).replace(",", "").strip():
        return None                           # not rows of numbers side by side
    if rows[-1].strip() == "" and len(rows) > 1:
        return None
    flat = _flat(",".join(rows))
    if flat is None or flat.size % len(rows):
        return None
    width = flat.size // len(rows)
    if any(len([i for i in r.split(",") if i.strip()]) != width for r in rows):
        return None                           # ragged rows: the validator names the row
    return flat.reshape(len(rows), width)


def _lift_big_sequences(text: str) -> tuple[str, list, str]:
    import secrets   # noqa: PLC0415
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
    import warnings   # noqa: PLC0415
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")       # a short read is found by the count below
        try:
            arr = np.fromstring(numbers, dtype=np.float64, sep=" ")
        except ValueError:
            return None, 0
    return (arr, end) if arr.size == lines else (None, 0)


def _put_back(data, arrays: list, used: set, nonce: str):
    if isinstance(data, dict):
        return {k: _put_back(v, arrays, used, nonce) for k, v in data.items()}
    if isinstance(data, list):
        return [_put_back(v, arrays, used, nonce) for v in data]
    prefix = _MARK.format(nonce, "")[:-2]
    if isinstance(data, str) and data.startswith(prefix) and data.endswith("__"):
        digits = data[len(prefix):-2]
        if digits.isdigit() and int(digits) < len(arrays) and int(digits) not in used:
            used.add(int(digits))
            return arrays[int(digits)]
    return data
