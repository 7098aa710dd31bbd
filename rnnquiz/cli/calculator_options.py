"""The calculators' option values as the command line writes them: numbers, `1,2`, rows
`'1,2;3,4'`, targets `3:0.5`, --answer and --round; what cannot be read is a usage error
naming the option. And the options the network calculators share, by group."""

from __future__ import annotations

import json
import re

import click

from ..cells import CELLS


_NUM = r"\s*[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?\s*"


def parse_values(text: str, what: str):
    """'0.5' -> 0.5, '1,2' -> [1, 2], '1,2;3,4' or '[[1, 2], [3, 4]]' -> [[1, 2], [3, 4]]."""
    s = text.strip().replace("\u2212", "-")
    try:
        if s.startswith("["):
            if len(s) - len(s.lstrip("[")) > 3:
                raise ValueError             # inputs are at most lists of lists (and batches)
            value = json.loads(s)
            if not isinstance(value, list):
                raise ValueError
            return value
        if re.fullmatch(_NUM, s):
            return _num(s)
        rows = s.split(";")
        if rows and not rows[-1].strip():
            rows.pop()                       # a trailing ';'
        parsed = []
        for r in rows:
            cells = r.split(",")
            if cells and not cells[-1].strip() and len(cells) > 1:
                cells.pop()                  # a trailing ','
            parsed.append([_num(v) for v in cells])
        if not parsed:
            raise ValueError
        return parsed[0] if len(parsed) == 1 and ";" not in s else parsed
    except (ValueError, RecursionError):
        shown = text if len(text) <= 40 else text[:37] + "..."
        raise click.BadParameter(f"expected a number, a list like 1,2,3 or rows like "
                                 f"'1,2;3,4', got {shown!r}", param_hint=what) from None


def _num(s: str):
    if not re.fullmatch(_NUM, s):
        raise ValueError(s)
    v = float(s)
    if v != v or v in (float("inf"), float("-inf")):
        raise ValueError(s)
    return int(v) if re.fullmatch(r"\s*[-+]?\d+\s*", s) else v


def parse_targets(text: str):
    """'0.1,-0.1,-0.2' (one per step), '1,0;0,1' (vectors) or '3:0.5' (only some steps)."""
    if ":" in text:
        out = {}
        for part in text.split(","):
            if not part.strip():
                continue
            k, _, v = part.partition(":")
            try:
                step = int(k)
                if step in out:
                    raise click.BadParameter(f"step {step} is given twice", param_hint="--targets")
                out[step] = parse_values(v, "--targets")
            except ValueError:
                raise click.BadParameter(f"expected step:target pairs like 3:0.5, got {text!r}",
                                         param_hint="--targets") from None
        return out
    v = parse_values(text, "--targets")
    return v if isinstance(v, list) else [v]


def parse_inputs(text: str):
    v = parse_values(text, "--inputs")
    return v if isinstance(v, list) else [v]


def published(text: str):
    """--answer: a published answer to compare with, or a usage error naming the option."""
    from ..problem.typed_answers import parse_answer   # noqa: PLC0415 (--answer only)
    try:
        return parse_answer(text)
    except ValueError as err:
        from .sources import said   # noqa: PLC0415 (--answer only)
        raise click.BadParameter(said(err), param_hint="--answer") from None


def round_option(text: str):
    """--round: none, state, activations or k decimals (0 to 15)."""
    r = text.strip()
    if re.fullmatch(r"[0-9]{1,3}", r):
        if int(r) > 15:
            raise click.BadParameter(f"expected at most 15 decimal places, got {r}",
                                     param_hint="--round")
        return int(r)
    if r in ("none", "state", "activations"):
        return r
    raise click.BadParameter(f"expected none, state, activations or a number of decimals "
                             f"(0 to 15), got {text!r}", param_hint="--round")


# The network calculators' options beyond the common ones, by the names their CALCULATOR lists
# (made afresh for each command)
SHARED = {
    "gradient": lambda: [
        click.Option(["--targets"], default=None, help="One per step (0.1,-0.1) or some (3:0.5)."),
        click.Option(["--loss"], type=click.Choice(["squared", "cross_entropy", "sse"]),
                     default=None, help="The loss (default squared: E = 1/2 Σ (y - "
                                        "target)²; sse: Hagan's, without the 1/2)."),
        click.Option(["--cell"], type=click.Choice(list(CELLS)), default=None,
                     help="The cell to backpropagate through (default rnn; its keys below)."),
        click.Option(["--given-h"], default=None, help="Given h_t, one per step."),
        click.Option(["--given-y"], default=None, help="Given y_t, one per step."),
    ],
    "verdict": lambda: [
        click.Option(["--tolerance"], type=float, default=None,
                     help="|g - 1| at most this is 'neither' (default 0.01)."),
        click.Option(["--from", "from_"], type=click.IntRange(min=0), default=None,
                     help="The first step of the product (default the first)."),
        click.Option(["--to"], type=click.IntRange(min=0), default=None,
                     help="The last step of the product (default the last)."),
    ],
    "notation": lambda: [click.Option(["--notation"], default=None, help="mit, deeplearning_ai or pytorch.")],
    "convention": lambda: [
        click.Option(["--convention"], type=click.Choice(["ng", "pytorch", "fully_gated"]),
                     default=None, help="The GRU's equations: ng (default, deeplearning.ai), "
                                        "pytorch or fully_gated (Cho et al., d2l)."),
    ],
}
