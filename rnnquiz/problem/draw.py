"""The random numbers of `rnnquiz new`, shared by the types that draw a network: weights in
tenths, a one-unit simple RNN, a stack of them. Every draw comes from the caller's rng, in a
fixed order, so the same seed gives the same file."""

from __future__ import annotations

import random


def w(rng: random.Random, low: float = -1.0, high: float = 1.0) -> float:
    """A weight in tenths (never 0: a 0 would hide its path)."""
    return round(rng.uniform(low, high), 1) or 0.5


def sequence(rng: random.Random) -> tuple[int, list[int]]:
    """T and the inputs x_t. Every type draws them first, used or not, so each type's numbers
    stay those its seed always gave."""
    T = rng.choice([3, 4])
    return T, [rng.randint(-3, 3) for _ in range(T)]


def rnn_network(rng: random.Random) -> dict:
    return {"hidden": rng.choice(["logistic", "tanh"]), "output": "linear",
            "W_xh": w(rng), "W_hh": w(rng), "W_hy": w(rng), "b_h": w(rng, -0.5, 0.5),
            "b_y": 0.0, "h_init": 0}


def stack(rng: random.Random, layers: int, bidirectional: bool, hidden: str) -> list:
    """A stack of one unit a layer and direction (SPEC 1.9): hand-workable, every path used."""
    def direction(width: int) -> dict:
        return {"hidden": hidden, "W_xh": w(rng) if width == 1 else [[w(rng), w(rng)]],
                "W_hh": w(rng), "b_h": w(rng, -0.5, 0.5)}
    net = []
    for k in range(layers):
        width = 2 if bidirectional and k > 0 else 1
        net.append({"forward": direction(width), "backward": direction(width)}
                   if bidirectional else direction(width))
    net[-1]["W_hy"] = [[w(rng), w(rng)]] if bidirectional else w(rng)
    return net


def deepen(doc: dict, rng: random.Random, layers: int, bidirectional: bool) -> dict:
    """The exercise's network as a stack (`new --layers`, `--bidirectional`)."""
    doc["network"] = stack(rng, layers, bidirectional, doc["network"]["hidden"])
    doc.pop("feedback", None)           # output feedback is a one-layer network's
    if bidirectional:
        doc["bidirectional"] = True
    return doc
