"""`rnnquiz shapes`: the calculator, its options as data (cli/calculators.py makes them
options)."""

from __future__ import annotations

import copy

# what the calculator solves with no option: problems/dlai_q7_gate_dim.yaml
SEED = {
    "type": "shapes",
    "title": "deeplearning.ai week 1, Q7: the dimension of Γ_u",
    "source": "deeplearning.ai, Sequence Models, week 1 quiz, question 7",
    "cell": "lstm", "input": 10000, "hidden": 100, "output": 10000,
    "ask": {"quantity": "gate_dim"},
    "answer": 100,
}

_MODEL = ("cell", "input", "hidden", "output", "framework", "layers", "bidirectional",
          "reset_after")


def _build(opts: dict) -> dict:
    prob = copy.deepcopy(SEED)
    given = {k: opts.get(k) for k in _MODEL}
    if any(v is not None for v in given.values()):
        prob = {"type": "shapes", "cell": given["cell"] or "lstm", "input": given["input"] or 1,
                "hidden": given["hidden"] or 1}
        prob.update({k: v for k, v in given.items() if v is not None and k not in prob})
    if opts.get("quantity") is not None:
        prob["ask"] = {"quantity": opts["quantity"]}
        prob.pop("answer", None)
    return prob


CALCULATOR = {
    "name": "shapes",
    "help": "Gate dimension, weight shapes and parameter counts (default: deeplearning.ai Q7).",
    "examples": "rnnquiz shapes                                    deeplearning.ai Q7\n"
                "rnnquiz shapes --cell gru --input 100 --hidden 64 --quantity params\n"
                "rnnquiz shapes --cell lstm --input 10 --hidden 20 --framework pytorch "
                "--quantity params",
    "options": (
        {"flags": ("--cell",), "choices": ("rnn", "lstm", "gru"), "help": "The cell (default lstm)."},
        {"flags": ("--input", "input"), "kind": "int", "min": 1,
         "help": "Input size (a one-hot vocabulary: its size)."},
        {"flags": ("--hidden",), "kind": "int", "min": 1, "help": "Hidden size."},
        {"flags": ("--output",), "kind": "int", "min": 1,
         "help": "Output size (adds the read-out layer)."},
        {"flags": ("--framework",), "choices": ("course", "pytorch", "keras"),
         "help": "Whose layout and parameter count (default: course)."},
        {"flags": ("--layers",), "kind": "int", "min": 1, "max": 1000, "help": "A stack."},
        {"flags": ("--bidirectional",), "kind": "flag", "help": "Both directions."},
        {"flags": ("--reset-after/--no-reset-after", "reset_after"), "kind": "switch",
         "help": "A Keras GRU's reset_after (TF2's default: on)."},
        {"flags": ("--quantity",), "choices": ("gate_dim", "params", "shapes"),
         "help": "What to compute (default gate_dim)."},
    ),
    "build": _build,
    "seed": SEED,
}
