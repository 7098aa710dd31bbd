"""`rnnquiz new TYPE --seed N`: fresh exercises with course-like numbers and their answers.

The same seed gives the same file: every number comes from random.Random(seed).
"""

from __future__ import annotations

import random

import yaml


def _w(rng: random.Random, low: float = -1.0, high: float = 1.0) -> float:
    return round(rng.uniform(low, high), 1) or 0.5


def _rnn_network(rng):
    return {"hidden": rng.choice(["logistic", "tanh"]), "output": "linear",
            "W_xh": _w(rng), "W_hh": _w(rng), "W_hy": _w(rng), "b_h": _w(rng, -0.5, 0.5),
            "b_y": 0.0, "h_init": 0}


def _stack(rng, layers: int, bidirectional: bool, hidden: str) -> list:
    """A stack of one unit a layer and direction (SPEC 1.9): hand-workable, every path used."""
    def direction(width: int) -> dict:
        return {"hidden": hidden, "W_xh": _w(rng) if width == 1 else [[_w(rng), _w(rng)]],
                "W_hh": _w(rng), "b_h": _w(rng, -0.5, 0.5)}
    net = []
    for k in range(layers):
        width = 2 if bidirectional and k > 0 else 1
        net.append({"forward": direction(width), "backward": direction(width)}
                   if bidirectional else direction(width))
    net[-1]["W_hy"] = [[_w(rng), _w(rng)]] if bidirectional else _w(rng)
    return net


def exercise(ptype: str, rng: random.Random, layers: int = 1,
             bidirectional: bool = False) -> dict:
    doc = _exercise(ptype, rng)
    if (layers > 1 or bidirectional) and ptype in ("forward", "backprop", "vanishing"):
        doc["network"] = _stack(rng, layers, bidirectional, doc["network"]["hidden"])
        doc.pop("feedback", None)           # output feedback is a one-layer network's
        if bidirectional:
            doc["bidirectional"] = True
        if ptype == "vanishing":
            for layer in doc["network"]:
                for d in ([layer["forward"], layer["backward"]] if bidirectional else [layer]):
                    d["W_hh"] = rng.choice([0.5, 1.0, 2.0, 4.0, 6.0, -3.0])
        if ptype == "backprop":
            doc["ask"] = {"quantity": "dE/dW_hh", "layer": 1, "digits": 4,
                          **({"direction": "backward"} if bidirectional else {})}
    return doc


def _exercise(ptype: str, rng: random.Random) -> dict:
    T = rng.choice([3, 4])
    inputs = [rng.randint(-3, 3) for _ in range(T)]
    if ptype == "forward":
        return {"type": "forward", "network": _rnn_network(rng), "inputs": inputs,
                "ask": {"quantity": "y", "t": rng.randrange(T), "digits": 2}}
    if ptype == "backprop":
        doc = {"type": "backprop", "network": _rnn_network(rng), "inputs": inputs,
               "targets": [_w(rng) for _ in range(T)],
               "ask": {"quantity": "dE/dz", "t": rng.randrange(T), "digits": 4}}
        if rng.random() < 0.25:     # a Jordan network: the output fed back (SPEC 1.1)
            doc["network"]["W_yh"] = _w(rng)
            doc["feedback"] = rng.choice(["output", "output", "target"])
            doc["ask"] = {"quantity": rng.choice(["dE/dz", "dE/dW_yh"]), "digits": 4}
            if doc["ask"]["quantity"] == "dE/dz":
                doc["ask"]["t"] = rng.randrange(T)
        return doc
    if ptype == "vanishing":
        net = _rnn_network(rng)
        net["W_hh"] = rng.choice([0.5, 1.0, 2.0, 4.0, 6.0, -3.0])
        return {"type": "vanishing", "network": net, "inputs": [1] + [0] * (T + 1)}
    if ptype == "hmm_bits":
        return {"type": "hmm_bits", "states": rng.choice([2, 4, 8, 10, 16, 32, 64, 100])}
    if ptype == "lstm":
        big = [-100, -50, 0, 50, 100]
        net = {k: rng.choice(big) for k in ("W_fx", "b_f", "W_ix", "b_i", "W_ox", "b_o",
                                             "W_ch", "W_cx")}
        return {"type": "lstm", "network": {**net, "h_init": 0, "c_init": 0},
                "inputs": [rng.randint(0, 1) for _ in range(5)], "round": "state",
                "ask": {"quantity": "h"}}
    if ptype == "gru":
        net = {k: _w(rng) for k in ("W_uh", "W_ux", "b_u", "W_rh", "W_rx", "W_ch", "W_cx")}
        return {"type": "gru", "network": {**net, "h_init": 0}, "inputs": inputs,
                "round": "none", "ask": {"quantity": "h", "t": T - 1, "digits": 3}}
    if ptype == "gated":
        net = {k: _w(rng) for k in ("W_gs", "W_gx", "b_g", "W_ss", "W_sx")}
        return {"type": "gated", "network": {**net, "s_init": 0}, "inputs": inputs,
                "round": "none", "ask": {"quantity": "s", "t": T - 1, "digits": 3}}
    if ptype == "shapes":
        doc = {"type": "shapes", "cell": rng.choice(["rnn", "lstm", "gru"]),
               "input": rng.choice([100, 1000, 10000]), "hidden": rng.choice([50, 64, 100, 128]),
               "framework": rng.choice(["course", "pytorch", "keras"])}
        layers, both, reset = rng.choice([1, 1, 2]), rng.random() < 0.3, rng.random() < 0.7
        if layers > 1:
            doc["layers"] = layers
        if both:
            doc["bidirectional"] = True
        if doc["framework"] == "keras" and doc["cell"] == "gru":
            doc["reset_after"] = reset
        doc["ask"] = {"quantity": "params"}
        return doc
    if ptype in SEQUENCE_TYPES:
        return SEQUENCE_TYPES[ptype](rng)
    raise ValueError(ptype)


def _clip(rng) -> dict:
    names = rng.sample(["dW_xh", "dW_hh", "dW_hy", "db_h", "db_y"], k=rng.choice([2, 3]))
    grads = {}
    for name in names:
        shape = rng.choice([1, 2, 3]) if name.startswith("db") else rng.choice([(2, 2), 2])
        if shape == 1:
            grads[name] = _w(rng, -6, 6)
        elif isinstance(shape, int):
            grads[name] = [_w(rng, -6, 6) for _ in range(shape)]
        else:
            grads[name] = [[_w(rng, -6, 6) for _ in range(shape[1])] for _ in range(shape[0])]
    if rng.random() < 0.5:
        return {"type": "clip", "gradients": grads, "value": rng.choice([1, 2, 3]),
                "ask": {"quantity": rng.choice(names), "digits": 4}}
    return {"type": "clip", "gradients": grads, "norm": rng.choice([1, 2, 5]),
            "ask": {"quantity": rng.choice(names + ["norm"]), "digits": 4}}


def _perplexity(rng) -> dict:
    if rng.random() < 0.25:
        return {"type": "perplexity", "vocabulary": rng.choice([100, 1000, 5000, 10000]),
                "ask": {"quantity": rng.choice(["perplexity", "cross_entropy"]), "digits": 4}}
    probs = [rng.choice([0.1, 0.2, 0.25, 0.4, 0.5, 0.6, 0.75, 0.8, 0.9])
             for _ in range(rng.randint(3, 6))]
    return {"type": "perplexity", "probabilities": probs,
            "ask": {"quantity": rng.choice(["perplexity", "cross_entropy", "E"]), "digits": 4}}


def _decode(rng) -> dict:
    """Tables for every prefix up to max_length - 1 tokens, in tenths, none of them 0."""
    words, eos, max_length = ["A", "B", "C"], "<eos>", 3
    prefixes = [()]
    for _ in range(max_length - 1):
        prefixes += [p + (w,) for p in prefixes if len(p) == len(prefixes[-1]) for w in words]
    tables = {}
    for prefix in prefixes:
        cuts = sorted(rng.sample(range(1, 10), 3))
        tables[" ".join(prefix)] = [round(b - a, 1) / 10 for a, b in
                                    zip([0] + cuts, cuts + [10])]
    doc = {"type": "decode", "vocabulary": words + [eos], "eos": eos, "tables": tables,
           "max_length": max_length}
    method = rng.choice(["greedy", "beam", "score"])
    doc["method"] = method
    if method == "score":
        seq = [rng.choice(words) for _ in range(rng.randint(1, max_length - 1))] + [eos]
        doc["sequence"] = seq
        doc["ask"] = {"quantity": rng.choice(["probability", "score"]), "digits": 4}
        return doc
    if method == "beam":
        doc["beam"], doc["alpha"] = 2, 0.75
    q = rng.choice(["sequence", "probability", "score"])
    doc["ask"] = {"quantity": q} if q == "sequence" else {"quantity": q, "digits": 4}
    return doc


SEQUENCE_TYPES = {"clip": _clip, "perplexity": _perplexity, "decode": _decode}


def _dull(answer) -> bool:
    if isinstance(answer, list):
        flat = [abs(v) for v in answer if isinstance(v, (int, float))]
        return bool(flat) and max(flat) < 0.005
    return isinstance(answer, (int, float)) and abs(answer) < 0.005


TYPES = ("forward", "backprop", "vanishing", "hmm_bits", "lstm", "gru", "gated", "shapes",
         "clip", "perplexity", "decode")


def new(ptype: str, seed: int, index: int = 0, **shape) -> str:
    """One exercise as YAML text: its question in words, and its answer filled in by solving it."""
    return _dump(exercise_doc(ptype, seed, index, **shape))


def exercise_doc(ptype: str, seed: int, index: int = 0, layers: int = 1,
                 bidirectional: bool = False) -> dict:
    """The exercise as a document: type, title, source, question, the problem, its answer."""
    from ..types import from_dict   # noqa: PLC0415
    from ..cli.quiz import full_question   # noqa: PLC0415
    from ..types import solve   # noqa: PLC0415
    from ..trace import plain   # noqa: PLC0415
    deep = layers > 1 or bidirectional
    rng = random.Random(f"{ptype}:{seed}:{index}" + (f":{layers}:{bidirectional}" if deep else ""))
    for _ in range(50):         # skip dull draws (an LSTM that stays at 0, a result of 0)
        doc = {"title": f"A fresh {ptype} exercise (seed {seed}"
                        + (f", #{index + 1}" if index else "") + ")",
               "source": f"rnnquiz new {ptype} --seed {seed}"
                         + (f" --layers {layers}" if layers > 1 else "")
                         + (" --bidirectional" if bidirectional else ""),
               **exercise(ptype, rng, layers, bidirectional)}
        p = from_dict(doc)
        r = solve(p, steps=False)
        if not _dull(r.answer):
            break
    answer = plain(r.answer_rounded if r.answer_rounded is not None else r.answer)
    question = full_question(p, solve(p))   # with its working: the asked steps name themselves
    order = ["type", "title", "source"] + [k for k in doc if k not in ("type", "title",
                                                                          "source", "answer")]
    return {k: doc[k] for k in order[:3]} | {"question": question} | \
        {k: doc[k] for k in order[3:]} | {"answer": answer}


def _dump(doc: dict) -> str:
    text = yaml.safe_dump(doc, sort_keys=False, allow_unicode=True, default_flow_style=None,
                          width=100)
    return text.replace("? ''\n  : ", "'': ")     # decode's empty prefix as a plain key


def handout(docs: list[dict]) -> str:
    """The students' sheet: each exercise's title and question in words, no answers."""
    from ..render.markdown import md   # noqa: PLC0415
    lines = ["# Exercises", ""]
    for i, d in enumerate(docs, start=1):
        lines += [f"## {i}\\. {md(d['title'])}", "", md(d["question"], block=True), ""]
    return "\n".join(lines)
