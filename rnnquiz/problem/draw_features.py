"""The newer kinds `rnnquiz new` sometimes draws in place of its plain exercise: an LSTM variant
(SPEC 1.15), a tied weight, AR/TAR, Jordan's state decay, RTRL, Hagan's delay lines, an echo
state network, a padded table of log-probabilities.

`new` draws from a `Draws`, which decides once, when it is seeded, whether its exercise is of
a newer kind; `other(rng)` then gives the kind's own rng, a copy of the rng's state that
consumes nothing of it: the caller still makes its plain draw from `rng`, so every seed (and
every retry of a dull draw) that stays plain gives the exercise it always gave."""

from __future__ import annotations

import math
import random

from .draw import w

CHANCE = 0.3    # how often `new` draws a newer kind


def _roll(rng: random.Random) -> tuple[bool, random.Random]:
    """Whether a draw from this state is of a newer kind, and the copy it rolled on."""
    alt = random.Random(repr(rng.getstate()))
    return alt.random() < CHANCE, alt


class Draws(random.Random):
    """The random numbers of one `new` exercise, with the one choice its retries keep: whether
    it is of a newer kind (about 3 seeds in 10), rolled on a copy of its first state."""

    def __init__(self, seed: str):
        super().__init__(seed)
        self.newer_kind = _roll(self)[0]


def other(rng: random.Random) -> random.Random | None:
    """A second rng for a newer kind, or None for the plain exercise: a `Draws` keeps the
    choice it was seeded with (`new` draws again from it when an answer is dull, and a plain
    exercise's retries must stay the plain ones they were); any other rng rolls it now."""
    newer, alt = _roll(rng)
    return alt if (rng.newer_kind if isinstance(rng, Draws) else newer) else None


def _inputs(rng: random.Random, T: int) -> list[int]:
    return [rng.randint(-2, 2) or 1 for _ in range(T)]


def lstm(rng: random.Random) -> dict:
    """A one-unit LSTM (MIT keys) with a relevance gate, a linear state activation, or both."""
    kind = rng.choice([("relevance",), ("linear",), ("relevance", "linear")])
    net = {k: w(rng) for k in ("W_fh", "W_fx", "W_ih", "W_ix", "W_oh", "W_ox", "W_ch", "W_cx")}
    net |= {k: w(rng, -0.5, 0.5) for k in ("b_f", "b_i", "b_o", "b_c")}
    if "relevance" in kind:
        net |= {"W_rh": w(rng), "W_rx": w(rng), "b_r": w(rng, -0.5, 0.5),
                "relevance_gate": True}
    if "linear" in kind:
        net["state_activation"] = "linear"
    T = rng.choice([2, 3])
    return {"type": "lstm", "notation": "mit",
            "network": {**net, "h_init": w(rng, -0.5, 0.5), "c_init": w(rng, -0.5, 0.5)},
            "inputs": _inputs(rng, T),
            "ask": {"quantity": rng.choice(["h", "c"]), "t": T - 1, "digits": 4}}


def backprop(rng: random.Random) -> dict:
    """A tied weight, AR/TAR, Jordan's decaying state units, or a gradient by RTRL."""
    kind = rng.choice(["tie", "ar_tar", "state_decay", "rtrl"])
    T = rng.choice([2, 3])
    if kind == "tie":       # fastbook's LMModel4: one matrix on the input and on the state
        net = {"hidden": "tanh", "output": "linear",
               "W": [[w(rng), w(rng)], [w(rng), w(rng)]], "b_h": [w(rng, -0.5, 0.5), 0.0],
               "W_hy": [[w(rng), w(rng)]], "h_init": [0, 0]}
        return {"type": "backprop", "tie": {"W": ["W_xh", "W_hh"]}, "network": net,
                "inputs": [[rng.randint(-2, 2), rng.randint(-2, 2)] for _ in range(T)],
                "targets": [w(rng) for _ in range(T)],
                "ask": {"quantity": "dE/dW", "digits": 4}}
    if kind == "ar_tar":    # AWD-LSTM's penalty on given states
        return {"type": "backprop",
                "given": {"h": [[w(rng), w(rng)] for _ in range(T + 1)]},
                "regularization": {"ar": rng.choice([1, 2, 3]), "tar": rng.choice([1, 2])},
                "ask": {"quantity": "penalty", "digits": 4}}
    if kind == "state_decay":
        net = {"hidden": "logistic", "output": "linear", "W_xh": w(rng), "W_yh": w(rng),
               "W_hy": w(rng), "b_h": w(rng, -0.5, 0.5), "y_init": 0,
               "state_decay": rng.choice([0.25, 0.5, 0.75])}
        return {"type": "backprop", "network": net, "inputs": _inputs(rng, T),
                "targets": [w(rng) for _ in range(T)],
                "ask": {"quantity": "dE/dW_yh", "digits": 4}}
    net = {"hidden": "tanh", "output": "linear", "W_xh": w(rng), "W_hh": w(rng),
           "W_hy": w(rng), "b_h": w(rng, -0.5, 0.5), "h_init": 0}
    return {"type": "backprop", "method": "rtrl", "network": net, "inputs": _inputs(rng, T),
            "targets": [w(rng) for _ in range(T)],
            "ask": {"quantity": rng.choice(["dE/dW_hh", "dE/dW_xh"]), "digits": 4}}


def forward(rng: random.Random) -> dict:
    """An RTRL sensitivity dh_t/dW_hh, Hagan's tapped delay lines, or a small echo state net."""
    kind = rng.choice(["rtrl", "hagan", "esn"])
    T = rng.choice([2, 3])
    if kind == "rtrl":
        net = {"hidden": "tanh", "W_xh": [[w(rng)], [w(rng)]],
               "W_hh": [[w(rng), w(rng)], [w(rng), w(rng)]], "b_h": [0, 0], "h_init": [0, 0]}
        return {"type": "forward", "method": "rtrl", "network": net,
                "inputs": [[rng.randint(-2, 2) or 1] for _ in range(T)],
                "ask": {"quantity": "dh/dW_hh", "t": T - 1, "digits": 4}}
    if kind == "hagan":
        net = {"iw": {0: w(rng), 1: w(rng)}, "lw": {1: w(rng, -0.7, 0.7), 2: w(rng, -0.5, 0.5)},
               "a_init": [w(rng), w(rng)]}
        return {"type": "forward", "notation": "hagan", "network": net,
                "inputs": _inputs(rng, T), "ask": {"quantity": "a", "t": T, "digits": 4}}
    net = {"W_in": [w(rng, -0.5, 0.5), w(rng)], "W": w(rng, -0.9, 0.9),
           "W_out": [w(rng, -0.5, 0.5), w(rng), w(rng, 0.5, 1.5)],
           "leaking_rate": rng.choice([0.3, 0.5, 0.7, 1.0])}
    return {"type": "forward", "notation": "esn", "network": net, "inputs": _inputs(rng, T),
            "ask": {"quantity": "y", "t": T, "digits": 4}}


def perplexity(rng: random.Random) -> dict:
    """A table of ln P (rows of a distribution, 4 decimals), targets and a padding token."""
    V, T, pad = 4, rng.choice([4, 5]), rng.randrange(4)
    table = []
    for _ in range(T):
        weights = [rng.randint(1, 9) for _ in range(V)]
        table.append([round(math.log(x / sum(weights)), 4) for x in weights])
    kept = rng.randint(2, T - 1)
    targets = [rng.choice([v for v in range(V) if v != pad]) for _ in range(kept)]
    return {"type": "perplexity", "log_probabilities": table,
            "targets": targets + [pad] * (T - kept), "pad": pad,
            "ask": {"quantity": rng.choice(["perplexity", "log_perplexity"]), "digits": 4}}
