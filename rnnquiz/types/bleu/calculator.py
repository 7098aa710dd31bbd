"""`rnnquiz bleu --candidate "..." --reference "..." --reference "..."`: the calculator, its
options as data (cli/calculators.py makes them options)."""

from __future__ import annotations

import copy

from ...errors import ProblemError

# what the calculator solves with no option
SEED = {
    "type": "bleu",
    "title": "CS224n a4: BLEU of c1 against r1 and r2",
    "source": "CS224n assignment 4 (NMT), written question on BLEU, part (i)",
    "candidate": "the love can always do",
    "references": ["love can always find a way", "love makes anything possible"],
    "weights": [0.5, 0.5, 0, 0],
    "ask": {"quantity": "bleu", "digits": 4},
    "answer": 0.5477,
}


def _weights(text: str | None):
    if text is None:
        return None
    try:
        return [float(w) for w in text.replace(";", ",").replace(",", " ").split()]
    except ValueError:
        raise ProblemError(f"expected numbers separated by commas (0.5,0.5,0,0), got {text!r}",
                           path="--weights") from None


def _build(opts: dict) -> dict:
    prob = copy.deepcopy(SEED)
    candidate, references = opts.get("candidate"), opts.get("references")
    if candidate is not None or references:
        if candidate is None or not references:
            raise ProblemError("give --candidate with at least one --reference (or neither, "
                               "for CS224n's example)")
        prob = {"type": "bleu", "candidate": candidate, "references": list(references)}
    own = {"weights": _weights(opts.get("weights")), "smoothing": opts.get("smoothing"),
           "percent": opts.get("percent")}
    prob.update({k: v for k, v in own.items() if v is not None})
    ask = {k: opts[k] for k in ("quantity", "n", "digits") if opts.get(k) is not None}
    if ask or any(v is not None for v in own.values()) or "answer" not in prob:
        for key in ("answer", "title", "source"):
            prob.pop(key, None)
        prob["ask"] = {**(prob.get("ask") or {}), **ask}
    return prob


CALCULATOR = {
    "name": "bleu",
    "help": "BLEU of a candidate against references (default: CS224n a4's c1).",
    "examples": "rnnquiz bleu                       CS224n a4: c1 against r1 and r2 (0.5477)\n"
                "rnnquiz bleu --candidate \"the cat the cat on the mat\" \\\n"
                "    --reference \"the cat is on the mat\" --reference \"there is a cat on the mat\"\n"
                "rnnquiz bleu --weights 0.5,0.5,0,0 --quantity p --n 2",
    "options": (
        {"flags": ("--candidate",), "metavar": "TEXT",
         "help": "The translation scored (split at spaces)."},
        {"flags": ("--reference", "references"), "multiple": True, "metavar": "TEXT",
         "help": "A reference translation; repeat for each."},
        {"flags": ("--weights",), "metavar": "λ",
         "help": "λ_1,…,λ_N (default 0.25,0.25,0.25,0.25; CS224n: 0.5,0.5,0,0)."},
        {"flags": ("--smoothing",), "choices": ("none", "add_one", "exp"),
         "help": "none (default), add_one (NLTK method2) or exp (NLTK method3)."},
        {"flags": ("--percent",), "kind": "flag", "help": "BLEU × 100, as sacrebleu."},
        {"flags": ("--quantity",), "choices": ("bleu", "p", "p_smoothed", "bp", "counts", "length"),
         "help": "What to compute (default bleu)."},
        {"flags": ("--n", "n"), "kind": "int", "min": 1,
         "help": "The n-gram order of p, p_smoothed or counts."},
        {"flags": ("--digits",), "kind": "int", "min": 0, "max": 15, "help": "Decimal places."},
    ),
    "build": _build,
    "seed": SEED,
}
