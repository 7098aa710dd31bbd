"""`vanishing`: do gradients vanish or explode as they flow back? (SPEC 1.1, 1.6)

The factor of each step back is J_t = dz_{t+1}/dz_t = W_hh·diag(hidden'(z_t)) (for cells,
the state Jacobian dh_{t+1}/dh_t). The verdict comes from their product over the span
asked, n = to - from factors:

    g = ‖J_{to-1} ⋯ J_from‖₂^(1/n)

`neither` when |g - 1| <= tolerance, `vanishing` below, `exploding` above. For a scalar
network g is the geometric mean of |J_t|. The per-step norms ‖J_t‖ are shown beside it:
they bound the product (‖AB‖ <= ‖A‖‖B‖) but can mislead, since a non-normal W_hh has
‖W^n‖^(1/n) -> ρ(W) < ‖W‖. The product is kept as log-norm plus a matrix of norm 1,
renormalised at every step, so it neither overflows nor underflows, and the Jacobians
are consumed one at a time.
"""

from __future__ import annotations

from dataclasses import replace

from .. import Outcome
from ..keys import COMMON, NET, GRAD

NAME = "vanishing"
TOPIC = "Vanishing and exploding gradients"   # what an exported question is filed under (PrairieLearn's topic)
# what a file may call the type, for the advice on an unknown type
ALIASES = ("vanishinggradient", "exploding")
WORDS = ("vanishing", "exploding", "neither")   # the verdicts an answer is chosen from
KEYS = COMMON | NET | GRAD | {"tolerance"}   # the type's top-level keys
# the slips this type's answers can make: teaching/slips.py's shared ones and its own
# (slips.py)
SLIPS = ("no_bias", "activation_swapped", "off_by_one_step", "letters_swapped", "no_rounding",
         "rounded_early", "weight_only_verdict")
ASK = "Does the gradient vanish, explode, or neither?"   # the question asked
HINT = "vanishing, exploding or neither"   # how quiz asks for the answer
WHO = None   # the question's subject (None: the cell it runs)
STEP_COST = 90_000   # units a time step costs beyond its multiply-adds (problem/limits.py)
NETWORK = True       # ask.layer and ask.direction pick a layer
SPANS = True         # ask.from and ask.to pick the span of the verdict


def validate(p, data: dict) -> None:
    # start-up: the problem package, the cells and the verdict (numpy) are read where a problem
    # is validated, solved or costed, so `rnnquiz vanishing --help` imports none
    from ...problem import asked_step   # noqa: PLC0415 (start-up: see above)
    from ...problem.network_keys import feedback, gradients, network_problem   # noqa: PLC0415 (as above)
    from ...problem.values import error_at   # noqa: PLC0415 (as above)
    network_problem(p, data)
    if getattr(p.network, "engine", None):      # a network of its own kind (Hagan's delays)
        raise error_at(("network",), "weights by delay (Hagan's tapped delay lines) are solved "
                                     "by types forward and backprop, not vanishing")
    if p.state_decay:
        raise error_at(("network", "state_decay"), "the state s_t carries every earlier output, "
                                                   "so no one factor a step back can be judged; "
                                                   "the vanishing verdict is for μ = 0")
    gradients(p, data, required=False)
    if p.targets is None and p.upstream is None:
        for key in ("loss", "reduction", "mask", "truncate", "clip", "given"):
            if data.get(key) is not None:
                raise error_at((key,), "changes the backward pass, and this vanishing question has "
                                   "none: the verdict reads the factors alone; give targets "
                                   "(or upstream) to see the gradient carried back, or leave "
                                   f"{key} out")
    if p.batch:
        raise error_at(("batch",), "vanishing follows one sequence's factors; give one sequence "
                               "(leave batch out)")
    if p.T < 2:
        raise error_at(("inputs",), "a single-step sequence has no factor dz_{t+1}/dz_t; "
                                "give at least two inputs")
    feedback(p, data)
    asked_step(p)


def schema() -> dict:
    """Its part of `rnnquiz schema`: the band |g - 1| <= tolerance that is neither."""
    return {"properties": {"tolerance": {"type": "number", "minimum": 0}}}


def solve(p, work) -> Outcome:
    from ...cells import jacobians, run   # noqa: PLC0415 (start-up: as validate's)
    from ..gradient_norms import add_norms   # noqa: PLC0415 (as above)
    from .verdict import rnn_factors, step_labels, verdict   # noqa: PLC0415 (as above)
    if p.stack is not None:
        return stack_verdict(p, work)
    fp = run.forward(p, work)
    notes = []
    if p.targets is not None or p.upstream is not None:   # the gradient the factors carry
        values, _, _ = run.backprop(p, work, fp)
        if p.clip is not None:
            notes = add_norms(p, values, work)
    if p.cell != "rnn":
        jac, label = jacobians.per_step(fp, work)
        out = verdict(p, work, jac, label)
    else:
        out = verdict(p, work, rnn_factors(p, fp, work), step_labels(p, fp.ctx.S))
    out.notes += notes
    return out


def stack_verdict(p, work) -> Outcome:
    """Through a stack (SPEC 1.9): each layer's and direction's own state Jacobians
    dh^(l)_t/dh^(l)_{t-1}. The stack's joint Jacobian is block lower-triangular (a layer
    feeds the one above at the same step), so its product grows at the rate of its fastest
    layer: without ask.layer the verdict is the layer and direction of the largest g."""
    import numpy as np   # noqa: PLC0415 (start-up: as validate's)
    from ...cells import layers, stack_top   # noqa: PLC0415 (start-up: only a stack needs them)
    from ...trace import Work   # noqa: PLC0415 (start-up: as validate's)
    from ..gradient_norms import add_norms   # noqa: PLC0415 (as above)
    from .verdict import verdict   # noqa: PLC0415 (as above)
    runs, H, ys = layers.forward(p, work)
    notes = []
    if p.targets is not None or p.upstream is not None:   # the gradient the factors carry
        from ...cells import stack   # noqa: PLC0415 (given targets only)
        E, dE_dy, dE_du, D = stack_top.top_gradient(p, runs, H, ys, work)
        back = layers.back_layers(p, runs, D, work)
        if p.clip is not None:
            seqs = {key: {q: [c[q] for c in r.caches] for q in r.cell.quantities}
                    for key, r in stack._items(runs)}
            values, _, _ = stack._values(p, runs, seqs, H, ys, (E, dE_dy, dE_du, back), work)
            notes = add_norms(p, values, work)
    chosen = [r for row in runs for r in row.values()
              if p.ask.layer in (None, r.layer) and p.ask.direction in (None, r.direction)]

    def factors(r):
        S = r.ctx.S
        joint = len(r.cell.states) > 1
        jac = [r.cell.jacobian(r.P, c) for c in r.caches[1:]]
        labels = [(f"d(h_{t}, c_{t})/d(h_{t - 1}, c_{t - 1})" if joint and not r.marks.tag else
                   f"d({S('h', t)}, {S('c', t)})/d({S('h', t - 1)}, {S('c', t - 1)})" if joint
                   else f"d{S('h', t)}/d{S('h', t - 1)}")
                  for t in range(p.first + 1, p.first + p.T)]
        return jac, labels, replace(p, network=r.sub.network, stack=None, cell=p.cell)

    rates = []
    for r in chosen:
        jac, labels, sub = factors(r)
        rates.append(verdict(sub, Work(record=False), jac, labels).values["g"])
    best = chosen[int(np.argmax(rates))]
    jac, labels, sub = factors(best)
    out = verdict(sub, best.work, jac, labels)
    if len(chosen) > 1:
        out.notes.append("g of each layer and direction: " + ", ".join(
            f"layer {r.layer}{' ' + r.direction if p.stack.bidirectional else ''} {g:.6g}"
            for r, g in zip(chosen, rates)) + f"; the verdict is layer {best.layer}'s"
            + (f" ({best.direction})" if p.stack.bidirectional else "")
            + ", the fastest: the stack's product grows at its rate")
    out.notes += notes
    return out


def scannable(p) -> bool:
    return p.cell == "rnn" and p.stack is None and not p.feedback


def scan(p) -> Outcome:
    """The factors from the vectorised scan: W_hh·diag(hidden'(z_t)) for t = 0 ... T-2."""
    from ...cells import jacobians, run   # noqa: PLC0415 (start-up: as validate's)
    from ...cells.activations import ACTIVATIONS   # noqa: PLC0415 (as above)
    from ...trace import Work   # noqa: PLC0415 (as above)
    from .verdict import step_labels, verdict   # noqa: PLC0415 (as above)
    net = p.network
    P = run.canonical(p)
    states = run.cell_for("rnn").scan(P, p.inputs, run.initial(p), **run.options(p))
    Z = states["z"]
    S = ACTIVATIONS[net.words["hidden"]][1](Z[:-1])
    labels = step_labels(p, lambda q, t: p.network.notation.symbol(q, t))
    work = Work()                   # the verdict's own lines, for a long sequence's working:
    work.scalar = not net.vector    # its steps' are not shown (they are every step's)
    work.window = (p.first, p.first + p.T)
    out = verdict(p, work, (jacobians.rnn_pre(s, P["W_hh"]) for s in S), labels)
    out.working = work.steps
    out.values["_h"] = states["h"]      # where a long sequence's last steps start from
    return out


def long_head(p, work) -> None:
    """A long sequence's first steps (`p` holds only them): forward and the factors between
    them; not back, as each step back carries the gradient of every later step."""
    from ...cells import run   # noqa: PLC0415 (start-up: as validate's)
    from .verdict import rnn_factors   # noqa: PLC0415 (as above)
    for _ in rnn_factors(p, run.forward(p, work), work):
        pass


def long_tail(p, work) -> None:
    """Its last steps (`p` holds only them, numbered from where they start): forward, back
    when there are targets, and the factors between them (the running product and the verdict
    are the whole sequence's, from the scan)."""
    from ...cells import run   # noqa: PLC0415 (start-up: as validate's)
    from .verdict import rnn_factors   # noqa: PLC0415 (as above)
    fp = run.forward(p, work)
    if p.targets is not None or p.upstream is not None:
        run.backprop(p, work, fp)
    for _ in rnn_factors(p, fp, work):
        pass


def generate(rng, layers: int = 1, bidirectional: bool = False) -> dict:
    """A new exercise (`rnnquiz new vanishing`): one impulse, then a W_hh that shrinks or grows."""
    from ...problem import draw   # noqa: PLC0415 (start-up: only `new` draws)
    T, _ = draw.sequence(rng)
    net = draw.rnn_network(rng)
    net["W_hh"] = rng.choice([0.5, 1.0, 2.0, 4.0, 6.0, -3.0])
    doc = {"type": "vanishing", "network": net, "inputs": [1] + [0] * (T + 1)}
    if layers > 1 or bidirectional:
        draw.deepen(doc, rng, layers, bidirectional)
        for layer in doc["network"]:
            for d in ([layer["forward"], layer["backward"]] if bidirectional else [layer]):
                d["W_hh"] = rng.choice([0.5, 1.0, 2.0, 4.0, 6.0, -3.0])
    return doc


def cost(p, networks, params: int, step: int) -> tuple[int, int, int, str]:
    """The limits' (step cost, work, memory, words) beyond the states: the Jacobians kept."""
    from ...problem.limits import JACOBIAN_BYTES   # noqa: PLC0415 (start-up: as validate's)
    return step, 0, sum(n.sizes["h"] ** 2 for n in networks) * JACOBIAN_BYTES, ""


def degenerate(original, variant) -> str | None:
    """`rnnquiz vary`: a variant keeps the file's verdict (its product of factors stays on the
    file's side of 1), whatever quantity it asks."""
    was, now = original.values.get("verdict"), variant.values.get("verdict")
    if was is not None and now != was:
        return f"the verdict flips ({was} to {now})"
    return None
