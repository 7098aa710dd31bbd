"""`backprop`: backpropagation through time (SPEC 1.1, and 1.6 through cells)."""

from __future__ import annotations

from ..errors import ProblemError
from ..cells import runner
from . import Outcome
from .keys import COMMON, NET, GRAD

NAME = "backprop"
TOPIC = "Backpropagation through time"   # what an exported question is filed under (PrairieLearn's topic)
# what a file may call the type, for the advice on an unknown type
ALIASES = ("bptt", "backward", "backpropagation", "gradient", "gradients")
KEYS = COMMON | NET | GRAD | {"method", "regularization"}   # the type's top-level keys
# teaching/slips.py's slips this type's answers can make
SLIPS = ("no_bias", "activation_swapped", "off_by_one_step", "initial_state_as_input",
         "direct_term_only", "no_derivative", "derivative_of_given", "half_missing", "sse_half",
         "letters_swapped", "sign_flipped", "no_rounding", "rounded_early", "rtrl_not_carried",
         "tied_one_use", "tar_from_initial")
WHO = None   # the question's subject (None: the cell it runs)
STEP_COST = 20_000   # units a time step costs beyond its multiply-adds (problem/limits.py)
NETWORK = True       # ask.layer and ask.direction pick a layer


def validate(p, data: dict) -> None:
    # start-up: the problem package (numpy) is read here, so `rnnquiz bptt --help` imports none
    from ..problem import asked_step   # noqa: PLC0415 (start-up: see above)
    from ..problem.network_keys import (   # noqa: PLC0415 (as above)
        feedback, gradients, network_problem)
    if "regularization" in data or "tie" in data:
        from ..problem import regularization   # noqa: PLC0415 (start-up: few files regularize)
        if regularization.given_only(data):     # the penalty of given states (SPEC 1.15)
            return regularization.penalty_only(p, data)
    network_problem(p, data)
    gradients(p, data)
    feedback(p, data)
    if "regularization" in data or p.tie:
        regularization.check(p, data)
    asked_step(p)
    if "method" in data:
        from ..problem.method import read_method   # noqa: PLC0415 (start-up: RTRL files only)
        read_method(p, data)


def schema() -> dict:
    """The JSON Schema's part of this type: inputs may be left out for the penalty of given
    states (regularization with given h, SPEC 1.15); method is bptt or rtrl."""
    from ..problem.regularization import SCHEMA   # noqa: PLC0415 (`rnnquiz schema` only)
    return {"optional": ["inputs"], "properties": {"method": {"enum": ["bptt", "rtrl"]},
                                                   "regularization": SCHEMA}}


def scannable(p) -> bool:
    """The scan is BPTT's; Ω, and the penalties with output feedback, are the working's
    pass only."""
    reg = p.regularization
    return p.method == "bptt" and not (reg and (p.feedback or "information_flow" in reg))


# the quantities asked by a word, in SPEC 1.1's and 1.15's words
_WORDS = {"grad_norm": "the global norm of the gradients before clipping",
          "perplexity": "the perplexity, exp(mean loss per loss term)",
          "loss": "the loss before the penalties join E",
          "penalty": "the activation regularization penalty, AR + TAR",
          "omega": "Pascanu's Ω (unweighted)"}


def asked_words(q: str, p=None) -> str:
    """What a bare quantity name asks, in words; a sensitivity (method: rtrl) as RTRL's."""
    from ..problem.method import asked_words as sensitivity   # noqa: PLC0415 (questions only)
    return _WORDS.get(q) or sensitivity(q)


def _extras(p, values: dict, work) -> None:
    """Tied weights' gradients (SPEC 1.15), then E with the penalties."""
    if p.tie:
        from ..problem.tie import summed   # noqa: PLC0415 (tied weights only)
        summed(p, values, work)
    if p.regularization:
        from ..cells.regularization import add_to_E   # noqa: PLC0415 (penalties only)
        add_to_E(p, values, work)


def solve(p, work) -> Outcome:
    from .gradient_norms import add_norms   # noqa: PLC0415 (start-up: as validate's)
    if p.network is None:                       # the penalty of given states
        from ..cells.regularization import given_penalty   # noqa: PLC0415 (given states only)
        return Outcome(values=given_penalty(p, work), default="penalty")
    if p.method == "rtrl":      # the gradients accumulated forward by RTRL (SPEC 1.17)
        from ..cells import rtrl_run   # noqa: PLC0415 (start-up: RTRL files only)
        values, per_step, default = rtrl_run.backprop(p, work)
    else:
        values, per_step, default = runner(p).backprop(p, work)
    if p.tie:                   # the norm counts a tied parameter once (problem/tie.py)
        from ..problem.tie import norm_gradients   # noqa: PLC0415 (tied weights only)
        values["_gradients"] = norm_gradients(p, values)
    notes = add_norms(p, values, work)
    _extras(p, values, work)
    if "omega" in values:
        default = "omega"
    if not p.batch and (p.reduction == "batch_mean"
                        or p.reduction == "mean" and p.upstream is not None):
        notes.append(f"reduction {p.reduction} divides by the number of examples of a batch; "
                     "one sequence (no batch: true) is a batch of one: nothing is divided")
    if p.given:
        notes.append("the backward pass uses the values the exercise gives ("
                     + ", ".join(sorted(p.given)) + "); z_t is recomputed from the given h_{t-1}")
    return Outcome(values=values, per_step=per_step, default=default, notes=notes)


def long_head(p, work) -> None:
    """A long sequence's first steps (`p` holds only them): the forward pass's, as each step
    back carries the gradient of every later step (types/long_working.py)."""
    runner(p).forward_values(p, work)


def scan(p) -> Outcome:
    from ..trace import Work   # noqa: PLC0415 (start-up: as validate's)
    from .gradient_norms import add_norms   # noqa: PLC0415 (start-up: as validate's)
    values, per_step, default = runner(p).scan_values(p, gradients=True)
    if p.tie:
        from ..problem.tie import norm_gradients   # noqa: PLC0415 (tied weights only)
        values["_gradients"] = norm_gradients(p, values)
    add_norms(p, values, Work(record=False))
    _extras(p, values, Work(record=False))
    return Outcome(values=values, per_step=per_step, default=default)


def generate(rng, layers: int = 1, bidirectional: bool = False) -> dict:
    """A new exercise (`rnnquiz new backprop`): dE/dz_t, sometimes of a Jordan network;
    sometimes a tied weight, AR/TAR, decaying state units or RTRL."""
    from ..problem import draw, draw_features   # noqa: PLC0415 (start-up: only `new` draws)
    alt = draw_features.other(rng) if layers == 1 and not bidirectional else None
    T, inputs = draw.sequence(rng)
    doc = {"type": "backprop", "network": draw.rnn_network(rng), "inputs": inputs,
           "targets": [draw.w(rng) for _ in range(T)],
           "ask": {"quantity": "dE/dz", "t": rng.randrange(T), "digits": 4}}
    if rng.random() < 0.25:     # a Jordan network: the output fed back (SPEC 1.1)
        doc["network"]["W_yh"] = draw.w(rng)
        doc["feedback"] = rng.choice(["output", "output", "target"])
        doc["ask"] = {"quantity": rng.choice(["dE/dz", "dE/dW_yh"]), "digits": 4}
        if doc["ask"]["quantity"] == "dE/dz":
            doc["ask"]["t"] = rng.randrange(T)
    if alt:     # a tied weight, AR/TAR, Jordan's state decay or RTRL instead
        return draw_features.backprop(alt)
    if layers > 1 or bidirectional:
        draw.deepen(doc, rng, layers, bidirectional)
        doc["ask"] = {"quantity": "dE/dW_hh", "layer": 1, "digits": 4,
                      **({"direction": "backward"} if bidirectional else {})}
    return doc


def cost(p, networks, params: int, step: int) -> tuple[int, int, int, str]:
    """The limits' (step cost, work, memory, words) beyond the states: a gated cell's step, and
    every parameter gradient with its terms (shown to T = 200)."""
    from ..problem.limits import (   # noqa: PLC0415 (start-up: as validate's)
        CELL_BACKPROP_STEP, GRADIENT_BYTES, GRADIENT_COST)
    if p.cell not in (None, "rnn"):
        step = CELL_BACKPROP_STEP
    return (step, params * GRADIENT_COST * (1 + min(p.T, 200) // 50), params * GRADIENT_BYTES,
            f", {params:,} gradient entries")


def _check_targets(prob: dict, opts: dict) -> None:
    """New inputs with the seed's targets: only where there is one target a step."""
    if opts.get("inputs") is not None and opts.get("targets") is None and \
            "targets" in prob and len(prob["targets"]) != len(prob["inputs"]):
        raise ProblemError("give --targets for these inputs (one per step, or step:target)",
                           path="targets")


# `rnnquiz bptt`: the calculator (cli/calculators.py builds its options from the notations)
CALCULATOR = {
    "name": "bptt",
    "help": "Backpropagation through time (default: Hinton's lecture 7 problem 4).",
    "examples": "rnnquiz bptt                               Hinton's problem 4\n"
                "rnnquiz bptt --inputs 1,2 --targets 0.5,0  every dE/dz_t\n"
                "rnnquiz bptt --cell lstm --fresh --W_fx 1 --inputs 1,-1 --targets 0.5,-0.5",
    "network": None,        # every cell's keys (--cell picks the cell)
    "options": ("gradient", "notation", "convention"),
    "on_change": _check_targets,
    "seed": {               # problems/hinton_p4.yaml
        "type": "backprop",
        "title": "Hinton lecture 7, problem 4: dE/dz_1",
        "source": "Hinton, Neural Networks for Machine Learning (Coursera), lecture 7 quiz",
        "network": {"hidden": "logistic", "output": "linear", "W_xh": -0.1, "W_hh": 0.5,
                    "W_hy": 0.25, "b_h": 0.4, "b_y": 0.0, "h_init": 0},
        "inputs": [18, 9, -8],
        "targets": [0.1, -0.1, -0.2],
        "given": {"h": [0.2, 0.4, 0.8], "y": [0.05, 0.1, 0.2]},
        "ask": {"quantity": "dE/dz", "t": 1, "digits": 4},
        "answer": 0.0139,
    },
}
