"""`rnnquiz ctc`: the CTC type as a calculator, its options as data named like the
file's keys (cli/calculators.py makes them options).

With no option it solves the loss of the target "ab" over four frames; an option replaces that
key of the example and keeps the others, `--fresh` starts from none.
"""

from __future__ import annotations

import copy

from ...errors import ProblemError

# the loss of "ab" over four frames: what the calculator solves with no option
SEED = {"type": "ctc", "title": "CTC: the loss of the target ab over four frames",
        "symbols": ["a", "b"],
        "probabilities": [[0.5, 0.3, 0.2], [0.4, 0.4, 0.2], [0.3, 0.2, 0.5], [0.6, 0.1, 0.3]],
        "target": ["a", "b"]}


def _rows(text: str, option: str) -> list[list[float]]:
    """`0.5,0.3,0.2;0.4,0.4,0.2`: frames separated by `;`."""
    try:
        return [[float(x) for x in row.split(",")] for row in text.split(";") if row.strip()]
    except ValueError:
        raise ProblemError(f"expected numbers, commas within a frame and ';' between frames, "
                           f"got {text!r}", path=option) from None


def _labels(text: str) -> str | list[str]:
    """`ab` (one-character names) or `a,b` / `sil,a`: a list where commas are written."""
    return [s.strip() for s in text.split(",")] if "," in text else text


def _build(opts: dict) -> dict:
    """The problem of the options (the seed's keys, each option replacing its own)."""
    prob = {"type": "ctc"} if opts.get("fresh") else copy.deepcopy(SEED)
    rows = {k: _rows(opts[k], f"--{k}") for k in ("probabilities", "logits") if opts.get(k)}
    if rows:
        prob.pop("probabilities", None)
        prob.update(rows)
    if opts.get("symbols"):
        prob["symbols"] = [s.strip() for s in opts["symbols"].split(",")]
    for key in ("target", "sequence", "path"):
        if opts.get(key) is not None:
            prob[key] = _labels(opts[key])
    for key in ("blank", "blank_index", "loss", "reduction", "notation", "method", "beam"):
        if opts.get(key) is not None:
            prob[key] = opts[key]
    if (opts.get("method") or opts.get("sequence") or opts.get("path")) and \
            opts.get("target") is None and not opts.get("fresh"):
        prob.pop("target", None)      # the seed's target asked a loss; a decoder asks none
    if opts.get("path") is not None and not rows and not opts.get("fresh"):
        prob.pop("probabilities", None)
    ask = {k: opts[k] for k in ("quantity", "t", "digits") if opts.get(k) is not None}
    if ask:
        prob["ask"] = ask
    if opts.get("fresh") or any(opts.get(k) is not None for k in SEED if k != "type"):
        prob["title"] = "CTC"
    return prob


CALCULATOR = {
    "name": "ctc",
    "help": "CTC forward-backward, loss, gradients and decoding (default: ab over four frames).",
    "examples": "rnnquiz ctc                                   the loss of ab over four frames\n"
                "rnnquiz ctc --quantity alpha --t 2            one frame of the alpha table\n"
                "rnnquiz ctc --method greedy                   best-path decoding of the same frames\n"
                "rnnquiz ctc --path c_oo_o_kk___b_ooooo__oo__kkk --blank _ --symbols c,o,k,b",
    "options": (
        {"flags": ("--symbols",), "help": "The labels, comma-separated: a,b."},
        {"flags": ("--blank",), "help": "The blank's name (default -)."},
        {"flags": ("--blank-index", "blank_index"), "choices": ("first", "last"),
         "help": "The blank's column (default first)."},
        {"flags": ("--probabilities",),
         "help": "y_t(k), one frame a row: '0.5,0.3,0.2;0.4,0.4,0.2' (blank first)."},
        {"flags": ("--logits",), "help": "The rows before a softmax, as --probabilities."},
        {"flags": ("--target",), "help": "The labelling of the loss: ab, or a,b."},
        {"flags": ("--loss",), "choices": ("nll", "expected_divergence"),
         "help": "nll (default) or 11-785's expected divergence."},
        {"flags": ("--reduction",), "choices": ("sum", "mean"),
         "help": "sum (default) or mean (divided by the target's length)."},
        {"flags": ("--notation",), "choices": ("graves", "cmu11785"),
         "help": "graves (default, frames from 1) or cmu11785 (from 0)."},
        {"flags": ("--method",), "choices": ("greedy", "beam"),
         "help": "Decode: best path (greedy) or prefix beam search."},
        {"flags": ("--beam",), "kind": "int", "min": 1, "help": "The beam width."},
        {"flags": ("--sequence",), "help": "A labelling whose p(sequence|x) is asked."},
        {"flags": ("--path",), "help": "A path to collapse: c_oo_o_kk (with --blank _)."},
        {"flags": ("--quantity",), "help": "What to compute (default: the type's)."},
        {"flags": ("--t",), "kind": "int", "min": 0, "help": "One frame of a table."},
        {"flags": ("--digits",), "kind": "int", "min": 0, "help": "Decimal places to compare at."},
        {"flags": ("--fresh",), "kind": "flag", "default": False,
         "help": "Start from no example (give every key)."},
    ),
    "build": _build,
    "seed": SEED,
}
