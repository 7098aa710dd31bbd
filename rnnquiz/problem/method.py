"""`method:` of the network types (SPEC 1.17): how the gradients, or the sensitivities, are
computed. `bptt` (the default) carries dE/dh back from the last step; `rtrl` (real-time
recurrent learning, Williams and Zipser; Hagan ch. 14) carries dh_t/dθ forward with the pass.

Read only when a file writes the key, so a plain solve never loads this module.
"""

from __future__ import annotations

import numpy as np

from .values import error_at, shown_value

METHODS = ("bptt", "rtrl")
# the JSON Schema of the key (cli/schema.py reads it through the types' `schema()`)
SCHEMA = {"enum": list(METHODS)}
# the sensitivities RTRL keeps, every step's, for the working and the answers: about 4 s and
# 100 MB at this many, its JSON too (an exercise has a few hundred)
MAX_KEPT = 1_000_000
# and the steps back it takes (one a state component, a step): about 1 ms each
MAX_STEPS = 3_000


def read_method(p, data: dict) -> None:
    """p.method from the file, checked: a known word, and RTRL only where it runs (one
    layer, one sequence, the computed values, no output fed back)."""
    method = data.get("method", "bptt")
    if not isinstance(method, str) or method not in METHODS:
        raise error_at(("method",), f"expected one of {', '.join(METHODS)}, got {shown_value(method)}")
    p.method = method
    if method != "rtrl":
        return
    refused = (
        ("network", p.stack is not None,
         "method rtrl runs one layer in one direction; a stack is solved by bptt "
         "(leave method out)"),
        ("batch", bool(p.batch), "method rtrl carries one sequence's sensitivities; leave "
                                 "batch out, or use method bptt"),
        ("feedback", bool(p.feedback), "method rtrl with the output fed back is not supported; "
                                       "use method bptt"),
        ("truncate", p.truncate is not None, "truncate is BPTT's; RTRL carries every step "
                                             "forward (leave truncate out)"),
        ("given", bool(p.given), "method rtrl computes the states itself; leave given out, or "
                                 "use method bptt"),
        ("upstream", bool(p.upstream) and "c" in (p.upstream or {}),
         "method rtrl takes dE/dh_t from above, not dE/dc; use method bptt"),
        ("network", p.tokens is not None, "method rtrl with an embedding is not supported; "
                                          "use method bptt"),
        ("regularization", bool(getattr(p, "regularization", None)),
         "method rtrl with a penalty on the states is not supported; use method bptt"),
    )
    for _key, bad, message in refused:
        if bad:
            raise error_at(("method",), message)
    net = p.network
    rows = net.sizes.get("h", 1) * (2 if p.cell == "lstm" else 1)
    params = sum(int(np.size(v)) for k, v in net.params.items()     # an LDDN's are all its own
                 if net.engine or k in net.notation.params or k in net.notation.states)
    kept = rows * params * max(p.T, 1)
    if (rows + 1) * p.T > MAX_STEPS:
        raise error_at(("method",), f"method rtrl takes a step back for each of the {rows:,} state "
                                f"components at each of the {p.T:,} steps, (state size + 1) × "
                                f"steps = {(rows + 1) * p.T:,}, more than {MAX_STEPS:,}; method "
                                "bptt gives the same gradients")
    if kept > MAX_KEPT:
        raise error_at(("method",), f"method rtrl keeps (state size) × (parameters) × (steps) = "
                                f"{rows:,} × {params:,} × {p.T:,} = {kept:,} sensitivities, more "
                                f"than {MAX_KEPT:,}; method bptt gives the same gradients")


def asked_words(question: str) -> str:
    """A sensitivity asked in words (the types' `asked_words` hook): `dh/dW_hh at t=2 (the
    state's sensitivity to W_hh, carried forward by real-time recurrent learning)`."""
    q = question.split(" ")[0]
    if not q.startswith("d") or q.startswith(("dE/d", "dF/d")) or "/d" not in q \
            or q == "dh_to/dh_from":
        return question             # a gradient (of E, or Hagan's F), or a Jacobian
    whose = "the cell state's" if q.startswith("dc/") else "the state's"
    return (f"{question} ({whose} sensitivity to {q.partition('/d')[2]}, carried forward by "
            "real-time recurrent learning)")
