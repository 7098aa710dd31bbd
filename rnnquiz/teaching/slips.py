"""The slips students make on these exercises, and which of them reproduce a wrong answer.

Each slip is a named variant of the same computation, built on the same solvers: a
changed problem (a bias left out, the rounding skipped, the step before), a slip
committed inside the cell code (`Work.variants`: the derivative left out, the term
from later steps dropped), or a changed answer (the 1/2 of the squared loss missing).
Here the catalogue: the slips the network types share, each with its id, its words and where
it applies (slip_variants.py commits them), then each type's own, defined by the type
(`OWN_SLIPS`, docs/extending.md) and gathered here; slip_search.py runs every slip that
applies, then pairs of them, and keeps those whose result, at the precision the answer is
written with, is the answer given.
"""

from __future__ import annotations

import numpy as np

from ..cells.activations import derivative_from_output
from . import slip_variants as commit
from ..types import TYPES
# own(name): the slips only type `name` makes (its OWN_SLIPS); only that type is imported
from ..types.registry import own_slips as own
from ..types.slip import Slip, Variant, flagged

# the slips the network types share, in the order `check` tries them
GENERAL: dict[str, Slip] = {s.id: s for s in (
    Slip("no_bias", "a bias left out", commit.no_bias),
    Slip("activation_swapped", "tanh used for logistic, or the reverse",
         commit.activation_swapped),
    Slip("off_by_one_step", "the value of the step before or after the one asked",
         commit.off_by_one),
    Slip("initial_state_as_input", "the initial state mixed up with the first input",
         commit.initial_state_as_input),
    Slip("direct_term_only", "BPTT without the contributions flowing back from later steps",
         commit.override("direct_term_only", "rnn", carry=lambda self, terms: [])),
    Slip("no_derivative", "an activation's derivative left out of a chain-rule factor",
         commit.override("no_derivative", "rnn",
                   slope=lambda self, z, cache, ctx: np.ones_like(z))),
    Slip("derivative_of_given", "the logistic's derivative taken from the given h_t instead of z_t",
         commit.override("derivative_of_given", "rnn",
                   lambda p: "h" in p.given
                   and p.network.words.get("hidden") == "logistic",
                   slope=lambda self, z, cache, ctx:
                   derivative_from_output("logistic", cache["h"]))),
    Slip("half_missing", "the squared loss without its 1/2 (gradients doubled)",
         commit.not_sse(commit.answer("half_missing", 2.0, gradient_only=False))),
    Slip("sse_half", "Hagan's sum of squared errors taken with the 1/2 of the squared loss "
         "(E and gradients halved)", commit.sse_half),
    Slip("letters_swapped", "the recurrent and input matrices' letters swapped (SLP3 writes "
         "U h_{t-1} + W x_t, Goodfellow W h^(t-1) + U x^(t))",
         commit.letters_swapped),
    Slip("sign_flipped", "(t - y) used for (y - t): the gradient's sign flipped",
         commit.answer("sign_flipped", -1.0)),
    Slip("no_rounding", "the course's rounding skipped", commit.no_rounding),
    Slip("tar_from_initial", "TAR counted from the initial state too (h_init - h_0 is no pair "
         "of computed states)", commit.tar_from_initial),
    Slip("tied_one_use", "a tied weight's gradient taken from one of its uses only, not summed "
         "over them", commit.tied_one_use),
    Slip("rounded_early", "rounding applied where it was not asked (every step, to 1 or 2 decimals)",
         commit.rounded_early),
    Slip("forget_on_h", "the forget gate applied to h_{t-1} instead of c_{t-1}",
         commit.override("forget_on_h", "lstm", lambda p: p.notation == "mit",
                   kept=lambda self, h_prev, c_prev: h_prev)),
    Slip("tanh_missing", "h_t = o_t ⊙ c_t, without the tanh on c_t",
         commit.override("tanh_missing", "lstm", lambda p: p.notation == "mit",
                   squash=lambda self, c: c)),
    Slip("tanh_kept", "h_t = o_t ⊙ tanh(c_t), the usual LSTM's tanh kept where the course's "
         "cell has none (CS230's a = Γ_o*c, state_activation: linear)",
         commit.override("tanh_kept", "lstm",
                   lambda p: p.network.words.get("state_activation") == "linear",
                   phi=lambda self, c: np.tanh(c))),
    Slip("rtrl_not_carried", "RTRL sensitivities not carried forward: dh_t/dθ taken as the "
         "immediate ∂h_t/∂θ alone, the W_hh·dh_{t-1}/dθ term dropped",
         flagged("rtrl_not_carried", lambda p: getattr(p, "method", "bptt") == "rtrl")),
)}


def book(name: str) -> dict[str, Slip]:
    """The slips a problem of type `name` is searched for, in the order `check` tries them:
    the shared ones, then the type's own."""
    return {**GENERAL, **{s.id: s for s in own(name)}}


def catalogue() -> dict[str, Slip]:
    """Every slip: the shared ones, then each type's own in the registry's order (every type
    is imported)."""
    out = dict(GENERAL)
    for name in TYPES:
        out.update({s.id: s for s in own(name)})
    return out


def __getattr__(name: str):
    if name == "SLIPS":         # the whole catalogue, gathered when asked for
        return catalogue()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def variants_for(p) -> list[Variant]:
    out = []
    if getattr(p, "stack", None) is not None:
        return out          # the slips are written for one layer's keys (network.hidden, ...)
    if getattr(getattr(p, "network", None), "engine", None):
        return out          # Hagan's tapped delay lines: the slips are written for the cells
    if getattr(p.ask, "parts", None) is not None:
        return out          # a question in several parts: `check` searches each part's own
    if getattr(TYPES[p.type], "NETWORK", False) and p.network is None:
        return out          # the penalty of given states (backprop without a network)
    mine = set(getattr(TYPES[p.type], "SLIPS", ()))     # the type's hook: the slips it can make
    for slip in book(p.type).values():
        if slip.id in mine:
            out.extend(slip.variants(p))
    return out
