"""The solvers as calculators: `rnnquiz rnn --W_hh -1 --inputs 9,4,-2`.

Each type that offers a calculator says so in its module's CALCULATOR (docs/extending.md): its
seed exercise (so `rnnquiz rnn` alone solves Hinton's problem 3), its help and examples, and
either the cell whose network keys it takes (options named like the file's keys, built from
the notation registry, so a new cell or notation gets its options for free) or its own
options, as data, with the function that builds its problem from them.
"""

from __future__ import annotations

import copy
import sys

import click

from ..errors import ProblemError
from .calculator_options import SHARED, parse_inputs, parse_targets, parse_values, published, round_option  # noqa: F401
from .calculator_help import WORD_HELP, GroupedCommand, key_groups
from ..render import FORMATS
from ..types import CALCULATORS, calculator

# The note a network calculator's --help begins its examples with
VALUES = "A V is a number, 1,2 or '1,2;3,4'. Keys not given keep the seed's values."


def _network_keys(cell: str | None) -> list[str]:
    return [k for _, ks in key_groups(cell) for k in ks]


def _seed_keys(prob: dict, spec: dict) -> set[str]:
    """The network keys of the seed's own notation (its cell, its course)."""
    from ..notations import DEFAULT_NOTATION, NOTATIONS   # noqa: PLC0415 (calculators only)
    cell = prob.get("cell") or spec["network"] or "rnn"
    n = NOTATIONS.get((cell, prob.get("notation") or DEFAULT_NOTATION.get(cell, "")))
    return set(n.keys) if n is not None else set()


def build_problem(name: str, opts: dict) -> dict:
    """The problem a calculator's options describe, from its seed exercise.

    A parameter given as an option replaces that one key of the seed's network and keeps the
    others; `fresh` (or keys of another notation than the seed's) starts from an empty one.
    What was used is recorded under "_used" for the output's first lines.
    """
    spec = calculator(name)
    prob = copy.deepcopy(spec["seed"])
    net_given = {k: v for k, v in opts["params"].items() if v is not None}
    changed = bool(net_given) or opts.get("inputs") is not None
    fresh = bool(opts.get("fresh"))
    origin = prob.get("title", "")
    dropped: list[str] = []
    if net_given and not fresh and not set(net_given) <= _seed_keys(prob, spec):
        fresh = True
        other = sorted(set(net_given) - _seed_keys(prob, spec))
        origin = (f"an empty network ({', '.join(other)}: "
                  f"{'not a key' if len(other) == 1 else 'not keys'} of the seed exercise's "
                  f"{prob.get('notation') or 'default'} notation)")
    seed_net = prob.get("network") or {}
    if net_given and not fresh and any(isinstance(v, list) for v in net_given.values()) and \
            not any(isinstance(v, list) for v in seed_net.values()):
        fresh = True
        origin = "an empty network (your values are vectors; the seed's network is scalar)"
    if fresh:
        prob["network"] = dict(net_given)
        prob.pop("notation", None)          # the seed's notation need not be the options'
        prob.pop("convention", None)
        if "round" not in spec.get("fresh_keeps", ()):
            prob.pop("round", None)         # the seed's rounding belongs to the seed's network
        changed = True
        origin = origin if net_given and origin.startswith("an empty") else "an empty network"
    elif net_given:
        prob["network"] = {**prob.get("network", {}), **net_given}
    if opts.get("inputs") is not None:
        prob["inputs"] = opts["inputs"]
    for key in ("targets", "loss", "given", "cell", "notation", "convention", "tolerance",
                "round"):
        if opts.get(key) is not None:
            prob[key] = opts[key]
            changed = changed or key in ("targets", "given", "cell", "notation", "convention")
    if changed:
        for key in ("answer", "title", "source", "ask"):
            prob.pop(key, None)
        if ("given" not in opts or opts.get("given") is None) and \
                prob.pop("given", None) is not None:
            dropped.append("the seed's given h and y (they belong to its own network)")
        if "on_change" in spec:
            spec["on_change"](prob, opts)
    ask = dict(prob.get("ask") or {})
    for key in ("quantity", "t", "digits", "from", "to"):
        if opts.get(key) is not None:
            ask[key] = opts[key]
    if ask:
        prob["ask"] = ask
    if opts.get("answer") is not None:
        prob["answer"] = published(opts["answer"])
    if "network" in prob:
        prob["_used"] = {"network": prob["network"], "inputs": prob.get("inputs"),
                         "given": sorted(net_given), "from": origin}
        if prob.get("targets") is not None:
            prob["_used"]["targets"] = prob["targets"]
        if dropped:
            prob["_used"]["not_used"] = dropped
    return prob


def _make(spec: dict, cli_solve_render):
    name, cell = spec["name"], spec["network"]
    params = []
    keys = _network_keys(cell)
    for group, group_keys in key_groups(cell):
        for key in group_keys:
            if not key.isidentifier():      # projection.weight: no option name; --param takes it
                continue
            option = click.Option([f"--{key}", key], default=None,
                                  metavar="WORD" if key in WORD_HELP else "V",
                                  help=WORD_HELP.get(key, ""))
            option.group = group
            params.append(option)
    common = [
        click.Option(["--inputs"], default=None, metavar="X", help="x_0 ... x_{T-1}: 0,0,1 or '1,0;0,1'."),
        click.Option(["--param"], multiple=True, metavar="KEY=V", help="Any network key, e.g. W_hh=-1."),
        click.Option(["--fresh"], is_flag=True,
                     help="Start from an empty network (every key not given is 0) instead of "
                          "the seed exercise's."),
        click.Option(["--round", "round_"], default=None, metavar="MODE",
                     help="none, state, activations or k decimals."),
        click.Option(["--quantity"], default=None, help="The quantity asked (e.g. y, h, dE/dz)."),
        click.Option(["--t", "t"], type=click.IntRange(min=0), default=None, help="The time step asked."),
        click.Option(["--digits"], type=click.IntRange(0, 15), default=None, help="Decimal places."),
        click.Option(["--answer"], default=None, help="A published answer to compare with."),
        click.Option(["--format", "fmt"], type=click.Choice(FORMATS),
                     default="table", show_default=True, help="How to show the working."),
        click.Option(["--json", "as_json"], is_flag=True, help="JSON Lines (same as --format json)."),
    ]
    for group in spec.get("options", ()):
        common += SHARED[group]()

    def callback(**kw):
        kw = {k: v for k, v in kw.items()}
        values = {k: kw.pop(k, None) for k in keys}
        for item in kw.pop("param") or ():
            k, sep, v = item.partition("=")
            if not sep or k not in keys:
                raise click.BadParameter(f"expected KEY=V with KEY one of {', '.join(keys)}, "
                                         f"got {item!r}", param_hint="--param")
            values[k] = v
        opts = {"params": {k: (parse_values(v, f"--{k}") if k not in ("hidden", "output")
                               else v) for k, v in values.items() if v is not None},
                "fresh": kw.pop("fresh", False)}
        if kw.get("inputs") is not None:
            opts["inputs"] = parse_inputs(kw["inputs"])
        r = kw.get("round_")
        if r is not None:
            opts["round"] = round_option(r)
        for key in ("quantity", "t", "digits", "answer", "loss", "cell", "tolerance", "to",
                    "notation", "convention"):
            if kw.get(key) is not None:
                opts[key] = kw[key]
        if kw.get("from_") is not None:
            opts["from"] = kw["from_"]
        if kw.get("targets") is not None:
            opts["targets"] = parse_targets(kw["targets"])
        given = {}
        for key in ("h", "y"):
            if kw.get(f"given_{key}") is not None:
                given[key] = parse_inputs(kw[f"given_{key}"])
        if given:
            opts["given"] = given
        cli_solve_render(name, opts, kw["fmt"], kw["as_json"])

    return GroupedCommand(name, params=common + params, callback=callback,
                          help=f"{spec['help']}\n\n{VALUES}\n\n\b\n{spec['examples']}",
                          context_settings={"help_option_names": ["-h", "--help"],
                                            "max_content_width": 100})


def run_calculator(name: str, opts: dict, fmt: str, as_json: bool) -> None:
    from .sources import Exit, print_error, said   # noqa: PLC0415 (calculators only)
    try:
        prob = build_problem(name, opts)
    except ProblemError as err:
        print_error(said(err))
        sys.exit(Exit.BAD_INPUT)
    _run_dict(prob, fmt, as_json, name=f"rnnquiz {name}")


def _option(o: dict) -> click.Option:
    """A click option from a type's calculator option, written as data (types/ import no click)."""
    kind = o.get("kind", "text")
    kw = {"default": o.get("default"), "help": o.get("help", "")}
    if "choices" in o:
        kw["type"] = click.Choice(list(o["choices"]))
    elif kind == "int":
        kw["type"] = click.IntRange(o.get("min"), o.get("max"))
    elif kind == "flag":
        kw["is_flag"] = True
    if o.get("multiple"):
        kw["multiple"] = True
    if o.get("metavar"):
        kw["metavar"] = o["metavar"]
    return click.Option(list(o["flags"]), **kw)


def _own(spec: dict) -> click.Command:
    """A calculator whose type builds its problem from its own options (`build`)."""
    name = spec["name"]

    def callback(fmt, as_json, answer, **opts):
        try:
            prob = spec["build"](opts)
        except ProblemError as err:
            from ..types.advice import advised   # noqa: PLC0415 (errors only)
            reason = advised(err).reason
            if err.path and err.path.startswith("--"):     # an option's value
                raise click.BadParameter(reason, param_hint=err.path) from None
            if not err.path:
                raise click.UsageError(reason) from None
            raise
        if answer is not None:
            prob["answer"] = published(answer)
        _run_dict(prob, fmt, as_json, name=f"rnnquiz {name}")

    params = [_option(o) for o in spec["options"]] + [
        click.Option(["--answer"], default=None, help="A published answer to compare with."),
        click.Option(["--format", "fmt"], type=click.Choice(FORMATS), default="table",
                     show_default=True, help="How to show the working."),
        click.Option(["--json", "as_json"], is_flag=True, help="JSON Lines (same as --format json).")]
    return GroupedCommand(name, params=params, callback=callback,
                          help=f"{spec['help']}\n\n\b\n{spec['examples']}",
                          context_settings={"help_option_names": ["-h", "--help"]})


def _run_dict(prob: dict, fmt: str, as_json: bool, name: str = "rnnquiz") -> None:
    """Solve a calculator's problem, render it, exit with the code of SPEC 4."""
    from .sources import Exit, print_error, renderer_for, said   # noqa: PLC0415 (calculators only)
    from ..types import from_dict   # noqa: PLC0415 (calculators only)
    from ..types import solve   # noqa: PLC0415 (calculators only)
    render = renderer_for(fmt, as_json)
    used = prob.pop("_used", None)
    try:
        result = solve(from_dict(prob, file=name))
    except ProblemError as err:
        print_error(said(err))
        sys.exit(Exit.BAD_INPUT)
    if used is not None:
        result.extra["used"] = used         # the output begins with what was used
    code = Exit.DISAGREES if result.agrees is False else Exit.OK
    from . import streams   # noqa: PLC0415 (calculators only)
    streams.pending_code = code
    if getattr(render, "name", "") == "json":
        import io   # noqa: PLC0415 (calculators only)
        buf = io.StringIO()
        render(result, buf)
        streams.emit(buf.getvalue())      # whole lines, even on Ctrl-C
    else:
        render(result, sys.stdout)
        finish = getattr(render, "finish", None)
        if finish is not None:
            finish(sys.stdout)
    sys.exit(code)


def command(name: str) -> click.Command:
    """`rnnquiz NAME`: the calculator of the type that offers it (types.CALCULATORS)."""
    spec = calculator(name)
    return _make(spec, run_calculator) if "network" in spec else _own(spec)


def register_calculators(group: click.Group) -> None:
    for name in CALCULATORS:
        group.add_command(command(name))
