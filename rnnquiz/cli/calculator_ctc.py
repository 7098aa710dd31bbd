"""`rnnquiz ctc`: the CTC type (SPEC 1.12) as a calculator, options named like the file's keys.

With no option it solves SPEC 1.12's example (the loss of the target "ab" over four frames);
an option replaces that key of the example and keeps the others, `--fresh` starts from none.
"""

from __future__ import annotations

import copy

import click

from ..render import FORMATS
from .calculator_options import published

# SPEC 1.12's example: the seed of the calculator
SEED = {"type": "ctc", "title": "CTC: the loss of the target ab over four frames",
        "symbols": ["a", "b"],
        "probabilities": [[0.5, 0.3, 0.2], [0.4, 0.4, 0.2], [0.3, 0.2, 0.5], [0.6, 0.1, 0.3]],
        "target": ["a", "b"]}


def _rows(text: str, option: str) -> list[list[float]]:
    """`0.5,0.3,0.2;0.4,0.4,0.2`: frames separated by `;`."""
    try:
        return [[float(x) for x in row.split(",")] for row in text.split(";") if row.strip()]
    except ValueError:
        raise click.BadParameter(f"expected numbers, commas within a frame and ';' between "
                                 f"frames, got {text!r}", param_hint=option) from None


def _labels(text: str) -> str | list[str]:
    """`ab` (one-character names) or `a,b` / `sil,a`: a list where commas are written."""
    return [s.strip() for s in text.split(",")] if "," in text else text


def build(opts: dict) -> dict:
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
    if opts.get("answer") is not None:
        prob["answer"] = published(opts["answer"])
    if opts.get("fresh") or any(opts.get(k) is not None for k in SEED if k != "type"):
        prob["title"] = "CTC"
    return prob


def ctc_command(run):
    """The command; `run(problem, fmt, as_json, name)` solves and prints (calculators.py's)."""
    @click.command("ctc", context_settings={"help_option_names": ["-h", "--help"]})
    @click.option("--symbols", default=None, help="The labels, comma-separated: a,b.")
    @click.option("--blank", default=None, help="The blank's name (default -).")
    @click.option("--blank-index", "blank_index", type=click.Choice(["first", "last"]),
                  default=None, help="The blank's column (default first).")
    @click.option("--probabilities", default=None,
                  help="y_t(k), one frame a row: '0.5,0.3,0.2;0.4,0.4,0.2' (blank first).")
    @click.option("--logits", default=None, help="The rows before a softmax, as --probabilities.")
    @click.option("--target", default=None, help="The labelling of the loss: ab, or a,b.")
    @click.option("--loss", type=click.Choice(["nll", "expected_divergence"]), default=None,
                  help="nll (default) or 11-785's expected divergence.")
    @click.option("--reduction", type=click.Choice(["sum", "mean"]), default=None,
                  help="sum (default) or mean (divided by the target's length).")
    @click.option("--notation", type=click.Choice(["graves", "cmu11785"]), default=None,
                  help="graves (default, frames from 1) or cmu11785 (from 0).")
    @click.option("--method", type=click.Choice(["greedy", "beam"]), default=None,
                  help="Decode: best path (greedy) or prefix beam search.")
    @click.option("--beam", type=click.IntRange(min=1), default=None, help="The beam width.")
    @click.option("--sequence", default=None, help="A labelling whose p(sequence|x) is asked.")
    @click.option("--path", default=None, help="A path to collapse: c_oo_o_kk (with --blank _).")
    @click.option("--quantity", default=None, help="What to compute (default: the type's).")
    @click.option("--t", type=click.IntRange(min=0), default=None, help="One frame of a table.")
    @click.option("--digits", type=click.IntRange(min=0), default=None,
                  help="Decimal places to compare at.")
    @click.option("--fresh", is_flag=True, help="Start from no example (give every key).")
    @click.option("--answer", default=None, help="A published answer to compare with.")
    @click.option("--format", "fmt", type=click.Choice(FORMATS),
                  default="table", show_default=True, help="How to show the working.")
    @click.option("--json", "as_json", is_flag=True, help="JSON Lines (same as --format json).")
    def ctc(fmt, as_json, **opts):
        """CTC forward-backward, loss, gradients and decoding (default: the loss of ab over four frames).

        \b
        rnnquiz ctc                                   the loss of ab over four frames
        rnnquiz ctc --quantity alpha --t 2            one frame of the alpha table
        rnnquiz ctc --method greedy                   best-path decoding of the same frames
        rnnquiz ctc --path c_oo_o_kk___b_ooooo__oo__kkk --blank _ --symbols c,o,k,b
        """
        run(build(opts), fmt, as_json, name="rnnquiz ctc")
    return ctc
