"""Answers a person types (`check --answer`, `quiz`, a calculator's `--answer`): read as a
number, rows, a word or tokens, judged at the decimals they are written with, and refused
when they cannot be an answer to the question. Apart from answers.py, which a plain solve
loads to compare with the published answer: only the commands that take an answer load this."""

from __future__ import annotations

import re
from typing import Any

from .answers import answer_numbers, is_finite_answer, is_words


_NUM = r"[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?"


def parse_answer(text: str) -> Any:
    """`check --answer`: a number, `0,0,1` (or `0 0 1`), rows split by `;`, or a word."""
    s = text.strip().replace("\u2212", "-")
    if re.match(r"\{?\s*\d+\s*:", s):         # {1: 0.54, 2: 0.46}: a gradient by delay
        from .keyed_answers import parse   # noqa: PLC0415 (start-up: rare)
        return parse(s, answer_numbers)
    if s.startswith("[") and s.endswith("]"):
        s = s.replace("[", "").replace("]", "")
        if not s.strip():
            raise ValueError("an empty list")
    if re.fullmatch(rf"\s*{_NUM}\s*", s):
        return float(s)
    if "{" in s or "}" in s:                 # braces are neither numbers nor tokens
        raise ValueError(_expected(text))
    rows = [r for r in s.split(";")]
    # numbers are split by commas or spaces alike: `1e-2, 2E1` and `1e-2 2E1`
    if all(re.fullmatch(rf"\s*{_NUM}(?:(?:\s*,\s*|\s+){_NUM})*\s*,?\s*", r) for r in rows):
        parsed = [[float(v) for v in r.replace(",", " ").split()] for r in rows]
        if len(parsed) == 1:
            return parsed[0]
        if len({len(r) for r in parsed}) != 1:
            raise ValueError("rows of different lengths")
        return parsed
    if re.fullmatch(r"[A-Za-z_][\w -]*", s):
        return s
    words = s.replace(",", " ").split()
    for w in words:
        if re.fullmatch(r"[-+]?[\d.]*\d[\d.]*(?:[eE][-+]?\d+)?", w) and not re.fullmatch(_NUM, w):
            raise ValueError(f"{w!r} is not a number: one decimal point at most (as 0.88)")
    if words and not any(";" in w for w in words) and \
            not all(re.fullmatch(_NUM, w) for w in words):
        return words              # a sequence of tokens: "A,C,B,<eos>" or "A C B <eos>"
    raise ValueError(_expected(text))


def _expected(text: str) -> str:
    shown = text if len(text) <= 40 else text[:37] + "..."
    return (f"expected a number, a list like 0,0,1 or 0 0 1, rows split by ';', or a word; "
            f"got {shown!r}")


def digits_for(p, value: Any, text: str) -> int | None:
    """The decimals an answer is judged at: the problem's ask.digits, else as it is written."""
    if p.ask.digits is not None or isinstance(value, str):
        return p.ask.digits
    return decimals_written(text)


def decimals_written(text: str) -> int | None:
    """How many decimals the most precise number of an answer is written with
    (1.5e-3 has 4: it is 0.0015; 7e305 has 0)."""
    found = re.findall(r"\d*(?:\.(\d*))?[eE]([-+]?\d+)|\d*\.(\d+)", text)
    places = []
    for frac_e, exp, frac in found:
        if exp:
            places.append(max(0, len(frac_e) - int(exp)) if len(exp) < 6 else 0)
        else:
            places.append(len(frac))
    if not places and re.search(r"\d", text):
        return 0
    return min(max(places), 340) if places else None


# the words a word question is answered with
def kind_error(result, value, words: tuple[str, ...] = ()) -> str | None:
    """Why a given answer cannot be an answer to this question (a word for a number, ...);
    `words` are the verdicts a word answer is chosen from (its type's WORDS)."""
    if isinstance(result.answer, str) and not isinstance(value, str):
        return f"{result.question} is answered with a word, got a number"
    if words and isinstance(value, str) and value.strip().casefold() not in words:
        return f"expected {', '.join(words[:-1])} or {words[-1]}, got {value!r}"
    if isinstance(result.answer, (int, float)) and isinstance(value, list) and len(value) > 1:
        return f"{result.question} is one number, got {len(value)}"
    if not is_words(result.answer) and is_words(value):
        said = value if isinstance(value, str) else " ".join(value)
        return (f"{result.question} is answered with numbers, got the "
                f"{'word' if isinstance(value, str) else 'words'} {said!r}")
    if not is_finite_answer(value):
        return "expected finite numbers"
    return None


def option_number(v, n: int) -> int:
    """An option number of a choice question: a whole number from 1 to n (2.9 is not 2)."""
    if isinstance(v, list) or not float(v).is_integer() or not 1 <= v <= n:
        raise ValueError(f"expected option numbers from 1 to {n}, got {v:g}"
                         if not isinstance(v, list) else "expected option numbers, not rows")
    return int(v)
