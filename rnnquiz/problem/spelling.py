"""The nearest valid spelling of a word: a key, a value, a type's name (`sigmod` -> `logistic`,
`h0` -> `h_init`, `forwrd` -> `forward`). Read by the loader's errors and by the advice on an
error (types/advice.py), only when there is an error.
"""

from __future__ import annotations

import re

# Names newcomers write for what the format calls otherwise (normalised: lower case, no _ { } ( ) -).
KEY_ALIASES = {
    # top level
    "input": "inputs", "x": "inputs", "xs": "inputs", "sequence": "inputs",
    "weights": "network", "params": "network", "parameters": "network", "net": "network",
    "model": "network",
    "target": "targets", "labels": "targets", "label": "targets", "ytrue": "targets",
    "expected": "answer", "solution": "answer", "result": "answer", "published": "answer",
    "kind": "type", "problem": "type", "rounding": "round", "notations": "notation",
    "conventions": "convention", "question": "question", "asks": "ask", "query": "ask",
    # ask
    "time": "t", "step": "t", "timestep": "t", "tstep": "t", "steps": "t",
    "decimals": "digits", "places": "digits", "precision": "digits", "decimal": "digits",
    "dp": "digits", "ndigits": "digits",
    "what": "quantity", "name": "quantity", "q": "quantity", "quantities": "quantity",
    "start": "from", "end": "to", "stop": "to",
}


def norm(name: str) -> str:
    return re.sub(r"[\s_{}()\-\[\]<>]", "", str(name)).lower()


def nearest(word: str, options: list[str], aliases: dict | None = None) -> str | None:
    """The valid option nearest `word`: an alias, the same letters in another case or without
    underscores, or the closest spelling (None when nothing is close)."""
    import difflib   # noqa: PLC0415 (only when there is an error)
    options = [o for o in options if o]
    if not options or word in options:
        return None
    key = norm(word)
    for table in (aliases or {}, KEY_ALIASES):
        hit = table.get(key) or table.get(str(word).lower())
        if hit in options:
            return hit
    same = [o for o in options if norm(o) == key]
    if same:
        return same[0]
    # a near spelling of an option or of one of its aliases (sigmod -> sigmoid -> logistic)
    known = {**{k: v for k, v in (aliases or {}).items() if v in options},
             **{norm(o): o for o in options}}
    close = difflib.get_close_matches(key, list(known), n=1, cutoff=0.75)
    if close:
        return known[close[0]]
    close = difflib.get_close_matches(str(word), options, n=1, cutoff=0.6)
    return close[0] if close else None
