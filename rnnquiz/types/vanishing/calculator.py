"""`rnnquiz vanishing`: the calculator (cli/calculators.py builds its options from the
notations)."""

from __future__ import annotations


def _targets(prob: dict, opts: dict) -> None:
    """New inputs without --targets: the verdict needs no targets (the seed's fit its own)."""
    if opts.get("inputs") is not None and opts.get("targets") is None:
        prob.pop("targets", None)


CALCULATOR = {
    "name": "vanishing",
    "help": "Vanishing or exploding gradients? (default: Hinton's lecture 7 problem 5).",
    "examples": "rnnquiz vanishing                     Hinton's problem 5\n"
                "rnnquiz vanishing --W_hh 4            the same network with W_hh = 4\n"
                "rnnquiz vanishing --W_hh 1,0;0,1 --fresh --inputs '1,0;0,0;0,0'",
    "network": None,        # every cell's keys (--cell picks the cell)
    "options": ("gradient", "verdict", "notation", "convention"),
    "on_change": _targets,
    "seed": {               # problems/hinton_p5.yaml
        "type": "vanishing",
        "title": "Hinton lecture 7, problem 5: vanishing or exploding?",
        "source": "Hinton, Neural Networks for Machine Learning (Coursera), lecture 7 quiz",
        "network": {"hidden": "logistic", "output": "linear", "W_xh": 1, "W_hh": 2, "W_hy": 1,
                    "b_h": 0, "b_y": 0, "h_init": 0},
        "inputs": [1, 0, 0, 0],
        "targets": {3: 0.5},
        "answer": "vanishing",
    },
}
