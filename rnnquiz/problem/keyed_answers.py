"""Answers keyed by delay (and by layer): the gradient of a key written `{delay: weight}` in
Hagan's notation (SPEC 1.17), as a file publishes it and as `check --answer` takes it. The keys
are strings, as the JSON writes them."""

from __future__ import annotations

from typing import Any, Callable

from .values import error_at


def read(v: dict, keys: tuple, leaf: Callable[[Any, tuple], Any]) -> dict:
    """{key: numbers or a mapping}; `leaf` reads the numbers (answers.answer_numbers)."""
    if not v:
        raise error_at(keys, "expected {key: answer} with at least one entry")
    return {str(k): read(w, keys + (k,), leaf) if isinstance(w, dict) else leaf(w, keys + (k,))
            for k, w in v.items()}


def parse(text: str, leaf: Callable[[Any, tuple], Any]) -> dict:
    """`1: 0.54, 2: 0.46` or `{2: {1: 0.1}}`, read as YAML."""
    import yaml   # noqa: PLC0415 (start-up: a mapping answer is rare)
    try:
        v = yaml.safe_load(text if text.startswith("{") else "{" + text + "}")
    except yaml.YAMLError:
        v = None
    if not isinstance(v, dict):
        raise ValueError(f"expected {{delay: number, ...}}, got {text[:40]!r}")
    # a ProblemError (a ValueError) keeps its key path ([1]: ...) to be advised where it leaves
    return read(v, (), leaf)
