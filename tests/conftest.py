"""What the tests share: paths, running the CLI, random problems of any registered cell and
notation, and central finite differences. Hypothesis draws are derandomised, so a failure
reproduces. PyTorch is an optional oracle: each test that needs it takes it with
pytest.importorskip, and RNNQUIZ_REQUIRE_ORACLES (set by CI) turns such a skip into a failure."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner
from hypothesis import settings

ROOT = Path(__file__).resolve().parent.parent
PROBLEMS = ROOT / "problems"

settings.register_profile("repo", derandomize=True, deadline=None, database=None)
settings.load_profile("repo")

try:
    import torch
except ModuleNotFoundError:     # the oracle tests skip (pytest.importorskip in each)
    pass
else:
    # torch computes in float64 here, as rnnquiz does, in whichever test or order it is used
    torch.set_default_dtype(torch.float64)

# Where the oracles must be there (CI sets it), a test skipped for want of one fails instead:
# a green run then means every torch comparison ran.
REQUIRE_ORACLES = os.environ.get("RNNQUIZ_REQUIRE_ORACLES", "") not in ("", "0")


def oracle_missing(report) -> str | None:
    """The reason of a skip for want of an optional oracle (torch, or any importorskip), else None."""
    if not report.skipped or hasattr(report, "wasxfail"):
        return None
    reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else str(report.longrepr)
    reason = reason.removeprefix("Skipped: ")
    if "torch" in reason.lower() or "could not import" in reason:
        return reason
    return None


def _fail_if_oracle_missing(report) -> None:
    reason = oracle_missing(report)
    if REQUIRE_ORACLES and reason is not None:
        report.outcome = "failed"
        report.longrepr = f"RNNQUIZ_REQUIRE_ORACLES is set, yet this skipped: {reason}"


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    _fail_if_oracle_missing(outcome.get_result())


@pytest.hookimpl(hookwrapper=True)
def pytest_make_collect_report(collector):
    outcome = yield
    _fail_if_oracle_missing(outcome.get_result())


def run(*args, input=None, terminal_width=80):
    """`rnnquiz ARGS` through click's runner (stdout and stderr apart), help wrapped at 80
    columns whatever the terminal running the tests."""
    from rnnquiz.cli.commands import cli
    return CliRunner().invoke(cli, list(args), input=input, catch_exceptions=False,
                              terminal_width=terminal_width)


def refusal(doc: dict) -> tuple[tuple, str]:
    """The key path and the reason of the error that loading `doc` raises (it must raise)."""
    from rnnquiz.errors import ProblemError
    from rnnquiz.types import from_dict
    with pytest.raises(ProblemError) as e:
        from_dict(doc)
    return e.value.path, e.value.reason


def random_network(rng, cell: str, notation: str, n_x: int, n_h: int, readout: bool,
                   n_y: int = 2) -> dict:
    """Every key of a notation with random values of the right shape (the read-out's if asked)."""
    from rnnquiz.problem.network import _dim
    from rnnquiz.notations import NOTATIONS
    n = NOTATIONS[(cell, notation)]
    if n.variant is not None:
        n = n.variant({})
    sizes = {"h": n_h, "x": n_x, "y": n_y}
    net = {}
    for key, dims in n.weights.items():
        if key in n.readout and not readout:
            continue
        net[key] = rng.normal(0, 0.7, [_dim(d, sizes) for d in dims]).tolist()
    for key, dim in n.biases.items():
        if key in n.readout and not readout:
            continue
        net[key] = rng.normal(0, 0.5, _dim(dim, sizes)).tolist()
    for key in n.states:
        net[key] = rng.normal(0, 0.5, n_h).tolist()
    return net


def backprop_problem(rng, cell: str, notation: str, readout: bool, T: int = 4, n_x: int = 2,
                     n_h: int = 3) -> dict:
    """A BPTT exercise in the notation's own keys and step numbering, targets at some steps."""
    from rnnquiz.notations import NOTATIONS
    n = NOTATIONS[(cell, notation)]
    reads_out = (readout and bool(n.readout)) or n.always_reads_out
    doc = {"type": "backprop", "cell": cell, "notation": notation,
           "network": random_network(rng, cell, notation, n_x, n_h, reads_out),
           "inputs": rng.normal(0, 1, (T, n_x)).tolist()}
    n_y = 2 if reads_out else n_h
    doc["targets"] = {t + n.first: rng.normal(0, 1, n_y).tolist()
                      for t in sorted({0, min(2, T - 1), T - 1})}
    return doc


def finite_difference(doc: dict, key, steps: bool, eps: float = 1e-6) -> np.ndarray:
    """dE/d(network.key) by central differences, solving through the working or the scan.
    `key` may be a path into a stack: (layer, direction, key) or (layer, key)."""
    import copy

    import rnnquiz
    path = key if isinstance(key, tuple) else (key,)
    where = doc["network"]
    for k in path[:-1]:
        where = where[k]
    base = np.array(where[path[-1]], dtype=float)
    num = np.zeros_like(base)
    for idx in np.ndindex(base.shape):
        E = []
        for sign in (1, -1):
            v = base.copy()
            v[idx] += sign * eps
            d = copy.deepcopy(doc)
            at = d["network"]
            for k in path[:-1]:
                at = at[k]
            at[path[-1]] = v.tolist()
            E.append(rnnquiz.solve({**d, "ask": {"quantity": "E"}}, steps=steps).answer)
        num[idx] = (E[0] - E[1]) / (2 * eps)
    return num


def assert_paths_agree(doc: dict) -> None:
    """The working and the vectorised scan give the same quantities, every one of them."""
    import rnnquiz
    slow, quick = rnnquiz.solve(doc).values, rnnquiz.solve(doc, steps=False).values
    assert set(slow) == set(quick)
    for key in slow:
        np.testing.assert_allclose(np.asarray(quick[key], dtype=float).reshape(-1),
                                   np.asarray(slow[key], dtype=float).reshape(-1),
                                   rtol=1e-9, atol=1e-12, err_msg=key)


def assert_gradients_match_differences(doc: dict, cell: str, notation: str,
                                       steps: bool) -> None:
    """dE/d<key> for every parameter and initial state the file gives, against central
    differences of E, through the working or the scan."""
    import rnnquiz
    from rnnquiz.notations import NOTATIONS
    r = rnnquiz.solve(doc, steps=steps)
    n = NOTATIONS[(cell, notation)]
    for key in n.params + list(n.states):
        if key not in doc["network"]:
            continue
        num = finite_difference(doc, key, steps)
        got = np.asarray(r.values[f"dE/d{key}"], dtype=float).reshape(num.shape)
        np.testing.assert_allclose(got, num, rtol=1e-5, atol=1e-8, err_msg=key)


def assert_jacobian_matches_differences(cell, P: dict, step, init: dict) -> None:
    """cell.jacobian of one step against central differences of `step` (state -> (new, cache)),
    over the joint state (h and c for the LSTM)."""
    _, cache = step(init)
    J = cell.jacobian(P, cache)
    flat = np.concatenate([init[s] for s in cell.states])
    cuts = np.cumsum([len(init[s]) for s in cell.states])[:-1]
    num = np.zeros((len(flat), len(flat)))
    for j in range(len(flat)):
        outs = []
        for sign in (1, -1):
            v = flat.copy()
            v[j] += sign * 1e-6
            new, _ = step(dict(zip(cell.states, np.split(v, cuts))))
            outs.append(np.concatenate([new[s] for s in cell.states]))
        num[:, j] = (outs[0] - outs[1]) / 2e-6
    np.testing.assert_allclose(J, num, rtol=1e-6, atol=1e-9)


@pytest.fixture
def at_root(monkeypatch):
    """The repository as the current folder: export ids are paths relative to it."""
    monkeypatch.chdir(ROOT)
