"""`rnnquiz probe`: what an LSTM's state h_t encodes, over all binary inputs.

Runs the network on every binary sequence of a length and checks, for each candidate
statistic of the prefix x_0 ... x_t, whether h_t and the statistic determine each
other. Answers the MITx "LSTM info" question in words, with the evidence.
"""

from __future__ import annotations

import itertools
from ..types import from_dict, solve
from ..trace import plain


def _run_length(prefix, bit):
    n = 0
    for x in reversed(prefix):
        if x != bit:
            break
        n += 1
    return n


def _parity_of_run(prefix, bit):
    n = _run_length(prefix, bit)
    return "none" if n == 0 else ("odd" if n % 2 else "even")


CANDIDATES = {
    "whether the number of consecutive ones is odd": lambda p: _parity_of_run(p, 1),
    "whether the number of consecutive zeros is odd": lambda p: _parity_of_run(p, 0),
    "whether the total number of ones is odd": lambda p: sum(p) % 2 == 1,
    "whether the total number of zeros is odd": lambda p: (len(p) - sum(p)) % 2 == 1,
    "the last input": lambda p: p[-1],
    "the number of ones modulo 3": lambda p: sum(p) % 3,
    "the number of zeros modulo 3": lambda p: (len(p) - sum(p)) % 3,
}


def probe(problem: dict, length: int = 8) -> dict:
    samples = {}                      # prefix -> h_t
    for bits in itertools.product((0, 1), repeat=length):
        p = from_dict({**problem, "inputs": list(bits), "ask": {"quantity": "h"}})
        p.answer = None
        hs = solve(p, steps=False).answer
        for t in range(length):
            h = tuple(hs[t]) if isinstance(hs[t], list) else hs[t]
            samples[bits[:t + 1]] = h
    rows = []
    for name, stat in CANDIDATES.items():
        h_of, s_of = {}, {}
        consistent = True
        for prefix, h in samples.items():
            s = stat(prefix)
            if h_of.setdefault(s, h) != h or s_of.setdefault(h, s) != s:
                consistent = False
        rows.append({"statistic": name, "encoded": consistent,
                     "mapping": {str(k): plain(v) for k, v in sorted(h_of.items(), key=str)}
                     if consistent else None})
    found = [r["statistic"] for r in rows if r["encoded"]]
    return {"answer": found[0] if found else "none of the candidates",
            "encoded": found, "evidence": rows, "sequences": 2 ** length, "length": length}
