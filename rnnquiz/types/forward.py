"""`forward`: the simple RNN's forward pass (SPEC 1.1); in `notation: esn` an echo state
network's (SPEC 1.17: a model notation, notations.MODELS, run by cells/reservoir.py)."""

from __future__ import annotations

from ..cells import runner
from ..notations import MODELS
from . import Outcome, method_hooks
from .keys import COMMON, NET

NAME = "forward"
TOPIC = "RNN forward pass"   # what an exported question is filed under (PrairieLearn's topic)
# what a file may call the type, for the advice on an unknown type
ALIASES = ("rnn", "simplernn", "feedforward")
# the type's top-level keys: targets and readout_fit fit an echo state network's read-out
KEYS = COMMON | NET | {"feedback", "method", "targets", "readout_fit"}
# the slips this type's answers can make: teaching/slips.py's shared ones and its own (below)
SLIPS = ("no_bias", "activation_swapped", "off_by_one_step", "initial_state_as_input",
         "letters_swapped", "no_rounding", "rounded_early", "rtrl_not_carried", "leak_swapped",
         "ridge_without_bias_row")
WHO = "An RNN"   # the question's subject
STEP_COST = 8_000   # units a time step costs beyond its multiply-adds (problem/limits.py)
CELL = "rnn"         # the cell this type always runs
NETWORK = True       # ask.layer and ask.direction pick a layer
SHORT_HEAD = True    # a long sequence's working shows its first steps


def validate(p, data: dict) -> None:
    # start-up: the problem package (numpy) is read here, so `rnnquiz rnn --help` imports none
    from ..problem import asked_step   # noqa: PLC0415 (start-up: see above)
    from ..problem.network_keys import feedback, network_problem   # noqa: PLC0415 (as above)
    from ..problem.values import error_at   # noqa: PLC0415 (as above)
    if isinstance(data.get("notation"), str) and data["notation"] in MODELS:
        from ..problem.esn import esn_problem   # noqa: PLC0415 (start-up: esn files only)
        esn_problem(p, data)
        return
    for key in ("targets", "readout_fit"):
        if key in data:
            raise error_at((key,), "fits an echo state network's read-out (notation: esn); a "
                               "simple RNN's forward pass has no targets (type backprop "
                               "takes them for a loss)")
    network_problem(p, data, CELL)
    feedback(p, data, targets=False)
    asked_step(p)
    if "method" in data:
        from ..problem.method import read_method   # noqa: PLC0415 (start-up: RTRL files only)
        read_method(p, data)


def solve(p, work) -> Outcome:
    if p.method == "rtrl":      # the sensitivities dh_t/d<key> carried forward (SPEC 1.17)
        from ..cells import rtrl_run   # noqa: PLC0415 (start-up: RTRL files only)
        values, per_step, default = rtrl_run.forward_values(p, work, output=True)
    elif p.notation in MODELS:
        from ..cells import reservoir   # noqa: PLC0415 (start-up: esn files only)
        values, per_step, default = reservoir.solve(p, work)
    else:
        values, per_step, default = runner(p).forward_values(p, work, output=True)
    return Outcome(values=values, per_step=per_step, default=default)


_, asked_words, _method = method_hooks()       # its scannable also leaves the esn out


def schema() -> dict:
    """Its part of `rnnquiz schema`: method, and an echo state network's readout_fit."""
    from ..problem.esn import fit_schema   # noqa: PLC0415 (`rnnquiz schema` only)
    return {"properties": {**_method()["properties"], "readout_fit": fit_schema()}}


def cost(p, networks, params: int, step: int) -> tuple[int, int, int, str]:
    """The limits' (step cost, work, memory, words) beyond the states: an echo state network's
    eigenvalues (N_x³) and ridge fit (the columns X, X·Xᵀ and its solve, d = 1 + N_u + N_x)."""
    if p.notation not in MODELS:
        return step, 0, 0, ""
    H, d = p.network.sizes["h"], 1 + sum(p.network.sizes[k] for k in ("x", "h"))
    eig = 10 * H ** 3 if p.detail.spectral_radius is not None else 0
    fit = p.T * d * d + 2 * d ** 3 if p.detail.fit is not None else 0
    words = ", with the read-out fit" if p.detail.fit is not None else ""
    from ..problem.limits import STATE_BYTES   # noqa: PLC0415 (start-up: esn files only)
    return step, eig + fit, 3 * p.T * d * 8 + 4 * d * d * STATE_BYTES, words


def scannable(p) -> bool:
    """The scan has no sensitivities (RTRL), and the echo state network no separate vectorised
    path: its working is its scan."""
    return p.method == "bptt" and p.notation not in MODELS


def scan(p) -> Outcome:
    values, per_step, default = runner(p).scan_values(p, output=True)
    return Outcome(values=values, per_step=per_step, default=default)


def _slips():
    """Its own slips (teaching/slips.py's catalogue gathers them): an echo state network's,
    committed in its run (cells/reservoir.py) where they show."""
    from .slip import Slip, flagged   # noqa: PLC0415 (start-up: `check` only)

    def esn(applies):
        return lambda p: p.notation == "esn" and p.detail is not None and applies(p.detail)
    return (
        Slip("leak_swapped", "the leaking rate on the wrong term: x(n) = α·x(n-1) + (1 - α)·x̃(n)",
             flagged("leak_swapped", esn(lambda d: d.leaking_rate not in (1.0, 0.5)))),
        Slip("ridge_without_bias_row", "the ridge read-out fitted without the constant 1 in X "
             "(W_out with no bias column)", flagged("ridge_without_bias_row", esn(lambda d: d.fit))),
    )


OWN_SLIPS = _slips


def generate(rng, layers: int = 1, bidirectional: bool = False) -> dict:
    """A new exercise (`rnnquiz new forward`): y_t of a one-unit RNN, or of a stack; sometimes
    an RTRL sensitivity, Hagan's tapped delay lines or an echo state network."""
    from ..problem import draw, draw_features   # noqa: PLC0415 (start-up: only `new` draws)
    alt = draw_features.other(rng) if layers == 1 and not bidirectional else None
    T, inputs = draw.sequence(rng)
    doc = {"type": "forward", "network": draw.rnn_network(rng), "inputs": inputs,
           "ask": {"quantity": "y", "t": rng.randrange(T), "digits": 2}}
    if alt:
        return draw_features.forward(alt)
    return draw.deepen(doc, rng, layers, bidirectional) if layers > 1 or bidirectional else doc


# `rnnquiz rnn`: the calculator (cli/calculators.py builds its options from the notations)
CALCULATOR = {
    "name": "rnn",
    "help": "Forward pass of a simple RNN (default: Hinton's lecture 7 problem 3).",
    "examples": "rnnquiz rnn                               Hinton's problem 3\n"
                "rnnquiz rnn --W_hh -0.5 --digits 3       the same network with W_hh = -0.5\n"
                "rnnquiz rnn --fresh --W_xh 1 --W_hy 1 --inputs 1,2,3",
    "network": "rnn",       # the cell whose keys it takes as options
    "seed": {               # what it solves with no option: problems/hinton_p3.yaml
        "type": "forward",
        "title": "Hinton lecture 7, problem 3: y at T=1",
        "source": "Hinton, Neural Networks for Machine Learning (Coursera), lecture 7 quiz",
        "network": {"hidden": "logistic", "output": "linear", "W_xh": 0.5, "W_hh": -1.0,
                    "W_hy": -0.7, "b_h": -1.0, "b_y": 0.0, "h_init": 0},
        "inputs": [9, 4, -2],
        "ask": {"quantity": "y", "t": 1, "digits": 2},
        "answer": -0.36,
    },
}
