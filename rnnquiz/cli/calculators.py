"""The solvers as calculators: `rnnquiz rnn --W_hh -1 --inputs 9,4,-2`.

Each calculator starts from its seed exercise (so `rnnquiz rnn` alone solves
Hinton's problem 3). Parameters are options named like the file's keys, built
from the notation registry, so a new cell or notation gets its options for free.
"""

from __future__ import annotations

import copy
import sys

import click

from . import calculator_seeds as seeds
from ..cells import CELLS
from ..errors import ProblemError
from .calculator_options import _inputs, parse_targets, parse_values, published, round_option  # noqa: F401
from .calculator_help import EXAMPLES, WORD_HELP, GroupedCommand, key_groups
from ..notations import NOTATIONS
from ..render import FORMATS


# The calculators (rnnquiz/cli/calculators.py) and their one-line help.
CALCULATORS = {
    "rnn": "Forward pass of a simple RNN (default: Hinton's lecture 7 problem 3).",
    "bptt": "Backpropagation through time (default: Hinton's lecture 7 problem 4).",
    "vanishing": "Vanishing or exploding gradients? (default: Hinton's lecture 7 problem 5).",
    "hmm": "Bits of information in a hidden state: an HMM's (log2 N) or an RNN's (N).",
    "lstm": "LSTM states, MIT notation (default: MITx homework 4, rounding h_t and c_t).",
    "gru": "GRU states (convention ng, pytorch or fully_gated).",
    "gated": "The MITx gated RNN's states s_t.",
    "shapes": "Gate dimension, weight shapes and parameter counts (default: deeplearning.ai Q7).",
    "ctc": "CTC forward-backward, loss, gradients and decoding (default: ab over four frames).",
}

# calculator -> (problem type, cells whose keys it takes)
KINDS = {"rnn": ("forward", "rnn"), "bptt": ("backprop", None), "vanishing": ("vanishing", None),
         "lstm": ("lstm", "lstm"), "gru": ("gru", "gru"), "gated": ("gated", "gated")}


def _network_keys(cell: str | None) -> list[str]:
    return [k for _, ks in key_groups(cell) for k in ks]


def _seed_keys(prob: dict, ptype: str) -> set[str]:
    """The network keys of the seed's own notation (its cell, its course)."""
    from ..notations import DEFAULT_NOTATION   # noqa: PLC0415
    cell = prob.get("cell") or {"forward": "rnn", "backprop": "rnn", "vanishing": "rnn"}.get(
        ptype, ptype)
    n = NOTATIONS.get((cell, prob.get("notation") or DEFAULT_NOTATION.get(cell, "")))
    return set(n.keys) if n is not None else set()


def build_problem(name: str, opts: dict) -> dict:
    """The problem a calculator's options describe, from its seed exercise.

    A parameter given as an option replaces that one key of the seed's network and keeps the
    others; `fresh` (or keys of another notation than the seed's) starts from an empty one.
    What was used is recorded under "_used" for the output's first lines.
    """
    ptype, _ = KINDS.get(name, (None, None))
    seed = copy.deepcopy(seeds.CALCULATORS.get(name, {"type": ptype}))
    prob = seed
    net_given = {k: v for k, v in opts["params"].items() if v is not None}
    changed = bool(net_given) or opts.get("inputs") is not None
    fresh = bool(opts.get("fresh"))
    origin = prob.get("title", "")
    dropped: list[str] = []
    if net_given and not fresh and not set(net_given) <= _seed_keys(prob, ptype):
        fresh = True
        other = sorted(set(net_given) - _seed_keys(prob, ptype))
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
        if ptype != "lstm":
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
        if ptype == "vanishing" and opts.get("inputs") is not None and \
                opts.get("targets") is None:
            prob.pop("targets", None)
        if ptype == "backprop" and opts.get("inputs") is not None and \
                opts.get("targets") is None and "targets" in prob and \
                len(prob["targets"]) != len(prob["inputs"]):
            raise ProblemError("give --targets for these inputs (one per step, or step:target)",
                               path="targets")
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


def _make(name: str, help_text: str, cli_solve_render):
    ptype, cell = KINDS[name]
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
    if ptype in ("backprop", "vanishing"):
        common += [
            click.Option(["--targets"], default=None, help="One per step (0.1,-0.1) or some (3:0.5)."),
            click.Option(["--loss"], type=click.Choice(["squared", "cross_entropy", "sse"]),
                         default=None, help="The loss (default squared: E = 1/2 Σ (y - "
                                            "target)²; sse: Hagan's, without the 1/2)."),
            click.Option(["--cell"], type=click.Choice(list(CELLS)), default=None,
                         help="The cell to backpropagate through (default rnn; its keys below)."),
            click.Option(["--given-h"], default=None, help="Given h_t, one per step."),
            click.Option(["--given-y"], default=None, help="Given y_t, one per step."),
        ]
    if ptype == "vanishing":
        common += [click.Option(["--tolerance"], type=float, default=None,
                                help="|g - 1| at most this is 'neither' (default 0.01)."),
                   click.Option(["--from", "from_"], type=click.IntRange(min=0), default=None,
                                help="The first step of the product (default the first)."),
                   click.Option(["--to"], type=click.IntRange(min=0), default=None,
                                help="The last step of the product (default the last).")]
    if cell in (None, "lstm", "gru"):
        common.append(click.Option(["--notation"], default=None,
                                   help="mit, deeplearning_ai or pytorch."))
    if cell in (None, "gru"):
        common.append(click.Option(["--convention"], type=click.Choice(["ng", "pytorch", "fully_gated"]),
                                   default=None, help="The GRU's equations: ng (default, "
                                                      "deeplearning.ai), pytorch or fully_gated "
                                                      "(Cho et al., d2l)."))

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
            opts["inputs"] = _inputs(kw["inputs"])
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
                given[key] = _inputs(kw[f"given_{key}"])
        if given:
            opts["given"] = given
        cli_solve_render(name, opts, kw["fmt"], kw["as_json"])

    return GroupedCommand(name, params=common + params, callback=callback,
                          help=help_text + "\n\n" + EXAMPLES[name],
                          context_settings={"help_option_names": ["-h", "--help"],
                                            "max_content_width": 100})


def run_calculator(name: str, opts: dict, fmt: str, as_json: bool) -> None:
    from .sources import Exit, _error   # noqa: PLC0415
    try:
        prob = build_problem(name, opts)
    except ProblemError as err:
        _error(str(err))
        sys.exit(Exit.BAD_INPUT)
    _run_dict(prob, fmt, as_json, name=f"rnnquiz {name}")


def _hmm_command():
    @click.command("hmm", context_settings={"help_option_names": ["-h", "--help"]})
    @click.option("--states", type=click.IntRange(min=1), default=None,
                  help="An HMM with this many hidden states.")
    @click.option("--binary-units", type=click.IntRange(min=1), default=None,
                  help="An RNN hidden state of this many binary units.")
    @click.option("--answer", default=None, help="A published answer to compare with.")
    @click.option("--format", "fmt", type=click.Choice(FORMATS),
                  default="table", show_default=True, help="How to show the working.")
    @click.option("--json", "as_json", is_flag=True, help="JSON Lines (same as --format json).")
    def hmm(states, binary_units, answer, fmt, as_json):
        """Bits of information in a hidden state: an HMM's (log2 N) or an RNN's (N).

        \b
        rnnquiz hmm                        Hinton's problem 1 (16 states)
        rnnquiz hmm --states 10            log2(10) = 3.32 bits
        rnnquiz hmm --binary-units 16      16 bits
        """
        prob = copy.deepcopy(seeds.HINTON_P1)
        if states is not None or binary_units is not None:
            prob = {"type": "hmm_bits"}
            if states is not None:
                prob["states"] = states
            if binary_units is not None:
                prob["binary_units"] = binary_units
        if answer is not None:
            prob["answer"] = published(answer)
        _run_dict(prob, fmt, as_json)
    return hmm


def _shapes_command():
    @click.command("shapes", context_settings={"help_option_names": ["-h", "--help"]})
    @click.option("--cell", type=click.Choice(["rnn", "lstm", "gru"]), default=None,
                  help="The cell (default lstm).")
    @click.option("--input", "input_", type=click.IntRange(min=1), default=None,
                  help="Input size (a one-hot vocabulary: its size).")
    @click.option("--hidden", type=click.IntRange(min=1), default=None, help="Hidden size.")
    @click.option("--output", type=click.IntRange(min=1), default=None,
                  help="Output size (adds the read-out layer).")
    @click.option("--framework", type=click.Choice(["course", "pytorch", "keras"]), default=None,
                  help="Whose layout and parameter count (default: course).")
    @click.option("--layers", type=click.IntRange(1, 1000), default=None, help="A stack.")
    @click.option("--bidirectional", is_flag=True, default=None, help="Both directions.")
    @click.option("--reset-after/--no-reset-after", default=None,
                  help="A Keras GRU's reset_after (TF2's default: on).")
    @click.option("--quantity", type=click.Choice(["gate_dim", "params", "shapes"]), default=None,
                  help="What to compute (default gate_dim).")
    @click.option("--answer", default=None, help="A published answer to compare with.")
    @click.option("--format", "fmt", type=click.Choice(FORMATS),
                  default="table", show_default=True, help="How to show the working.")
    @click.option("--json", "as_json", is_flag=True, help="JSON Lines (same as --format json).")
    def shapes(cell, input_, hidden, output, framework, layers, bidirectional, reset_after,
               quantity, answer, fmt, as_json):
        """Gate dimension, weight shapes and parameter counts (default: deeplearning.ai Q7).

        \b
        rnnquiz shapes                                    deeplearning.ai Q7
        rnnquiz shapes --cell gru --input 100 --hidden 64 --quantity params
        rnnquiz shapes --cell lstm --input 10 --hidden 20 --framework pytorch --quantity params
        """
        prob = copy.deepcopy(seeds.DLAI_Q7)
        given = {"cell": cell, "input": input_, "hidden": hidden, "output": output,
                 "framework": framework, "layers": layers, "bidirectional": bidirectional,
                 "reset_after": reset_after}
        if any(v is not None for v in given.values()):
            prob = {"type": "shapes", "cell": cell or "lstm", "input": input_ or 1,
                    "hidden": hidden or 1}
            prob.update({k: v for k, v in given.items() if v is not None and k not in prob})
        if quantity is not None:
            prob["ask"] = {"quantity": quantity}
            prob.pop("answer", None)
        if answer is not None:
            prob["answer"] = published(answer)
        _run_dict(prob, fmt, as_json)
    return shapes


def _run_dict(prob: dict, fmt: str, as_json: bool, name: str = "rnnquiz") -> None:
    """Solve a calculator's problem, render it, exit with the code of SPEC 4."""
    from .sources import Exit, _error, _renderer   # noqa: PLC0415
    from ..types import from_dict   # noqa: PLC0415
    from ..types import solve   # noqa: PLC0415
    render = _renderer(fmt, as_json)
    used = prob.pop("_used", None)
    try:
        result = solve(from_dict(prob, file=name))
    except ProblemError as err:
        _error(str(err))
        sys.exit(Exit.BAD_INPUT)
    if used is not None:
        result.extra["used"] = used         # the output begins with what was used
    code = Exit.DISAGREES if result.agrees is False else Exit.OK
    from . import streams   # noqa: PLC0415
    streams.pending_code = code
    if getattr(render, "name", "") == "json":
        import io   # noqa: PLC0415
        buf = io.StringIO()
        render(result, buf)
        streams.emit(buf.getvalue())      # whole lines, even on Ctrl-C
    else:
        render(result, sys.stdout)
        finish = getattr(render, "finish", None)
        if finish is not None:
            finish(sys.stdout)
    sys.exit(code)


def register_calculators(group: click.Group) -> None:
    for name in ("rnn", "bptt", "vanishing", "lstm", "gru", "gated"):
        group.add_command(_make(name, CALCULATORS[name], run_calculator))
    group.add_command(_hmm_command())
    group.add_command(_shapes_command())
    from .calculator_ctc import ctc_command   # noqa: PLC0415
    group.add_command(ctc_command(_run_dict))
