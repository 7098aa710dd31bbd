"""An echo state network's file (`type: forward`, `notation: esn`) -> the Problem's `network`
(W_in, W, W_out with checked shapes) and `detail` (α, ρ, the read-out fit and its targets).
The equations are in rnnquiz/notations/esn.py."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from . import Problem, asked_step
from ..notations import model
from .network_keys import read_round
from .network import Network, describe_shape
from .values import error_at, flag, integer, inputs, number, numbers, shown_value

# the top-level keys an echo state network takes (beyond title, source, answer, ask, question);
# any other key of type forward is refused by name, with why where it reads like a fit
OWN = ("network", "inputs", "round", "notation", "targets", "readout_fit")
NOT_HERE = {"batch": "runs one sequence (no batch)",
            "bidirectional": "runs one reservoir forward",
            "readout": "reads out at every step (y(n) = W_out [1; u(n); x(n)])",
            "feedback": "feeds no output back",
            "method": "has no gradients to carry forward: its read-out is fitted (readout_fit)",
            "layout": "is written in the guide's layout only",
            "tie": "has no parameters to tie"}
COMMON = ("type", "title", "source", "answer", "ask", "question")


@dataclass
class Fit:
    """readout_fit: ridge regression over the steps after the washout."""

    method: str
    beta: float
    washout: int
    targets: np.ndarray              # (T, N_y): one target a step, the washout's too
    targets_vector: bool             # written as lists (answers keep the file's shapes)


@dataclass
class ESN:
    leaking_rate: float
    spectral_radius: float | None
    fit: Fit | None


def esn_problem(p: Problem, data: dict) -> None:
    """Read an echo state network problem into `p` (network, detail, inputs, round)."""
    spec = model("esn")
    p.cell, p.notation = "rnn", "esn"
    for key in data:
        if key in OWN or key in COMMON or (key == "batch" and not flag(data, key, False)):
            continue
        why = NOT_HERE.get(key, f"takes no {key}")
        raise error_at((key,), f"an echo state network (notation esn) {why}; leave it out")
    read_round(p, data)
    if p.ask.layer not in (None, 1) or p.ask.direction not in (None, "forward"):
        raise error_at(("ask", "layer" if p.ask.layer not in (None, 1) else "direction"),
                   "an echo state network has one reservoir, run forward")
    if "inputs" not in data:
        raise error_at(("inputs",), "missing; expected the inputs u(1) ... u(T) as a list")
    p.inputs, p.inputs_vector = inputs(data["inputs"])
    net = data.get("network") or {}
    if not isinstance(net, dict):
        raise error_at(("network",), f"expected a mapping of W_in, W, W_out, leaking_rate, "
                                 f"spectral_radius, got {shown_value(net)}")
    n = spec.NOTATION
    known = [*n.weights, *spec.NUMBERS]
    for key in net:
        if key not in known:
            raise error_at(("network", key), f"unknown key for an echo state network (notation "
                                         f"esn); expected one of {', '.join(known)}")
    numbers_ = {}
    for key, (default, what, ok, _) in spec.NUMBERS.items():
        v = net.get(key)
        if v is None:
            numbers_[key] = default
            continue
        numbers_[key] = number(v, ("network", key), what=what)
        if not ok(numbers_[key]):
            raise error_at(("network", key), f"expected {what}, got {shown_value(v)}")
    p.network = _network(p, n, net)
    fit = _fit(p, data) if "readout_fit" in data else None
    if fit is None and "targets" in data:
        raise error_at(("targets",), "are what readout_fit fits W_out to; give readout_fit "
                                 "{method: ridge, beta: β} too, or leave targets out")
    if fit is not None and "W_out" in net:
        raise error_at(("readout_fit",), "fits W_out, and network.W_out is given; leave out one "
                                     "of them")
    if fit is not None:
        p.network.sizes["y"] = fit.targets.shape[1]
        p.network.has_output = True
    p.detail = d = ESN(leaking_rate=numbers_["leaking_rate"],
                       spectral_radius=numbers_["spectral_radius"], fit=fit)
    _asked(p, spec)
    regressors = 1 + p.network.sizes["x"] + p.network.sizes["h"]
    if fit is not None and fit.beta == 0 and p.T - fit.washout < regressors:
        raise error_at(("readout_fit", "beta"),
                   f"is 0 with {p.T - fit.washout} step(s) to fit and {regressors} columns of "
                   "[1; u(n); x(n)]: X·Xᵀ is singular; give beta > 0")
    asked_step(p)               # the limits first: the eigenvalues below cost N_x³
    if d.spectral_radius is not None:
        _rescalable(p.network["W"], d.spectral_radius)


def _rescalable(W: np.ndarray, rho: float) -> None:
    """W has a spectral radius that (ρ/ρ(W))·W can be computed from."""
    r = radius(W)
    if not np.isfinite(r):
        raise error_at(("network", "W"), "its eigenvalues overflow float64: scale W down (with "
                                     "spectral_radius only its direction counts)")
    if r == 0:
        what = "nilpotent" if W.any() else "all 0 or left out"
        raise error_at(("network", "spectral_radius"),
                   f"W's eigenvalues are all 0 (W is {what}): it has no spectral radius to "
                   f"rescale to {rho:g}")


def radius(W: np.ndarray) -> float:
    """ρ(W), the largest modulus of W's eigenvalues (inf where they overflow)."""
    with np.errstate(all="ignore"):
        try:
            return float(np.max(np.abs(np.linalg.eigvals(W))))
        except np.linalg.LinAlgError:         # numpy refuses a matrix it overflowed in
            return math.inf


def _network(p: Problem, n, net: dict) -> Network:
    """W_in (N_x, 1 + N_u), W (N_x, N_x), W_out (N_y, 1 + N_u + N_x), checked; missing ones 0."""
    given, written = {}, {}
    for key in n.weights:
        if key in net:
            given[key], written[key] = numbers(net[key], ("network", key))
            if given[key].ndim == 1:        # one row: one unit, or one output
                given[key] = given[key].reshape(1, -1)
            elif given[key].ndim == 0:
                given[key] = given[key].reshape(1, 1)
    X = p.inputs.shape[1]
    H = (given["W_in"].shape[0] if "W_in" in given else given["W"].shape[0] if "W" in given
         else given["W_out"].shape[1] - 1 - X if "W_out" in given else 1)
    Y = given["W_out"].shape[0] if "W_out" in given else 1
    sizes = {"h": H, "x": X, "y": Y}
    want = {"W_in": ((H, 1 + X), f"reservoir size {H} by 1 + input size {X}: column 0 "
                                 "multiplies the constant input 1"),
            "W": ((H, H), f"reservoir size {H} by {H}"),
            "W_out": ((Y, 1 + X + H), f"{Y} output{'s' if Y != 1 else ''} by 1 + input size "
                                      f"{X} + reservoir size {H}: the columns of [1; u(n); x(n)]")}
    params = {}
    for key, (shape, words) in want.items():
        if key not in given:
            params[key] = np.zeros(shape)
        elif given[key].shape != shape:
            raise error_at(("network", key), f"has shape {describe_shape(written[key])}, expected "
                                         f"{shape[0]}x{shape[1]} ({words})")
        else:
            params[key] = given[key]
    # a one-unit reservoir on numbers, W a number (or left out): states and outputs as numbers
    vector = p.inputs_vector or H > 1 or written.get("W") is not None
    return Network(notation=n, params=params, written=written, sizes=sizes, words={},
                   has_output="W_out" in given, vector=vector)


def fit_schema() -> dict:
    """readout_fit's JSON Schema (type forward's part of `rnnquiz schema`), read as `_fit` reads it."""
    spec = model("esn")
    return {"type": "object", "additionalProperties": False, "required": ["beta"],
            "properties": {"method": {"enum": list(spec.METHODS)},
                           "beta": {"type": "number", "minimum": 0},
                           "washout": {"type": "integer", "minimum": 0}}}


def _fit(p: Problem, data: dict) -> Fit:
    v = data["readout_fit"]
    if not isinstance(v, dict):
        raise error_at(("readout_fit",), f"expected a mapping {{method: ridge, beta: β, washout: "
                                     f"k}}, got {shown_value(v)}")
    spec = model("esn")
    for key in v:
        if key not in spec.FIT_KEYS:
            raise error_at(("readout_fit", key), f"unknown key; expected one of "
                                             f"{', '.join(spec.FIT_KEYS)}")
    method = v.get("method", "ridge")
    if method not in spec.METHODS:
        raise error_at(("readout_fit", "method"), f"expected one of {', '.join(spec.METHODS)}, got "
                                              f"{shown_value(method)}")
    if v.get("beta") is None:
        raise error_at(("readout_fit", "beta"), "missing; expected the ridge parameter β >= 0 "
                                            "(W_out = Y Xᵀ (X Xᵀ + β I)⁻¹)")
    beta = number(v["beta"], ("readout_fit", "beta"), what="the ridge parameter β >= 0")
    if beta < 0:
        raise error_at(("readout_fit", "beta"), f"expected the ridge parameter β >= 0, got "
                                            f"{shown_value(v['beta'])}")
    T = p.T
    washout = 0 if v.get("washout") is None else integer(
        v["washout"], ("readout_fit", "washout"), what="a number of steps k >= 0")
    if washout >= T:
        raise error_at(("readout_fit", "washout"), f"leaves no step to fit: washout {washout} of "
                                               f"{T} step{'s' if T != 1 else ''} (expected "
                                               f"at most {T - 1})")
    if data.get("targets") is None:
        raise error_at(("targets",), "missing; expected the target y(n) at every step n = 1 ... T "
                                 "(the washout's too: they are left out of the fit)")
    raw = data["targets"]
    if not isinstance(raw, list):
        raise error_at(("targets",), f"expected a list of targets, one a step, got {shown_value(raw)}")
    targets, shape = numbers(raw, ("targets",))
    if len(targets) != T:
        raise error_at(("targets",), f"has {len(targets)} target{'s' if len(targets) != 1 else ''}; "
                                 f"inputs has {T} step{'s' if T != 1 else ''} (one target a "
                                 "step, the washout's too)")
    return Fit(method=method, beta=beta, washout=washout,
               targets=targets.reshape(T, -1), targets_vector=len(shape) > 1)


def _asked(p: Problem, spec) -> None:
    """A quantity the file cannot give is named before the solving: y and W_out need a
    read-out, W_scaled a spectral radius."""
    d = p.detail
    for i, ask in enumerate(p.ask.parts or (p.ask,)):
        where = ("ask", "quantity") if p.ask.parts is None else ("ask", "quantity", i)
        q = ask.quantity
        if q in ("y", "W_out") and not p.network.has_output:
            raise error_at(where, f"{q} needs a read-out: network.W_out, or readout_fit with "
                              "targets")
        if q == "W_scaled" and d.spectral_radius is None:
            raise error_at(where, "W_scaled is W rescaled to network.spectral_radius, which is not "
                              "given")
        if q is not None and q not in spec.QUANTITIES:
            raise error_at(where, f"an echo state network has no quantity {q!r}; expected one of "
                              f"{', '.join(spec.QUANTITIES)}")
