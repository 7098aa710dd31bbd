"""Property-based tests: random valid problems solve; random mutations never crash.

Also runs the atheris fuzz target briefly when atheris is installed.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

import rnnquiz
from rnnquiz.cli.commands import cli
from rnnquiz.notations import NOTATIONS
from rnnquiz.problem.network import _dim

ROOT = Path(__file__).resolve().parent.parent
PROBLEMS = sorted((ROOT / "problems").glob("*.yaml"))

small = st.floats(-2, 2, allow_nan=False, allow_infinity=False).map(lambda v: round(v, 2))


@st.composite
def network_problem(draw):
    ptype = draw(st.sampled_from(["forward", "backprop", "vanishing", "lstm", "gru", "gated"]))
    cell = {"lstm": "lstm", "gru": "gru", "gated": "gated"}.get(ptype, "rnn")
    if ptype in ("backprop", "vanishing"):
        cell = draw(st.sampled_from(["rnn", "lstm", "gru", "gated"]))
    notation = draw(st.sampled_from(sorted(n for (c, n) in NOTATIONS if c == cell)))
    n = NOTATIONS[(cell, notation)]
    words = {key: draw(st.sampled_from(options)) for key, options in n.words.items()
             if key != "output"}
    if n.variant:                   # Keras' GRU: reset_after decides the bias's shape
        from rnnquiz.notations.refused import Refused
        try:
            n = n.variant({n.word_names.get(k, k): v for k, v in words.items()} | words)
        except Refused:             # words the notation refuses (recurrence: cell in d2l)
            assume(False)
    n_x, n_h, T = draw(st.integers(1, 3)), draw(st.integers(1, 3)), draw(st.integers(2, 5))
    sizes = {"x": n_x, "h": n_h, "y": n_h}
    net = {}
    for key, dims in n.weights.items():
        if key not in n.readout and draw(st.booleans()):
            shape = [_dim(d, sizes) for d in dims]
            net[key] = draw(st.lists(st.lists(small, min_size=shape[1], max_size=shape[1]),
                                     min_size=shape[0], max_size=shape[0]))
    first_state = next(iter(n.states))      # always given, so the hidden size is known
    for key, dim in list(n.biases.items()) + [(k, "h") for k in n.states]:
        if key not in n.readout and (key == first_state or draw(st.booleans())):
            net[key] = draw(st.lists(small, min_size=_dim(dim, sizes), max_size=_dim(dim, sizes)))
    net.update(words)
    doc = {"type": ptype, "network": net,
           "inputs": draw(st.lists(st.lists(small, min_size=n_x, max_size=n_x),
                                   min_size=T, max_size=T)),
           "round": draw(st.sampled_from(["none", "none", "state", "activations", 2]))}
    if ptype in ("backprop", "vanishing"):
        doc["cell"], doc["notation"] = cell, notation
        n_y = n_h
        if n.always_reads_out:
            net["W_hy"], n_y = [[1.0] * n_h], 1
        doc["targets"] = [[draw(small) for _ in range(n_y)] for _ in range(T)]
    else:
        doc["notation"] = notation
    return doc


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(network_problem())
def test_random_valid_problems_solve(doc):
    r = rnnquiz.solve(doc)
    json.dumps(r.to_json(), allow_nan=False)
    quick = rnnquiz.solve(doc, steps=False)
    if isinstance(r.answer, str):
        assert quick.answer == r.answer
    else:                                      # the engine agrees with the working
        np.testing.assert_allclose(np.asarray(quick.answer, float), np.asarray(r.answer, float),
                                   rtol=1e-9, atol=1e-12)


@settings(max_examples=60, deadline=None)
@given(network_problem().filter(lambda d: d["type"] == "backprop"))
def test_random_gradients_match_finite_differences(doc):
    doc = {**doc, "round": "none", "ask": {"quantity": "E"}}
    # a threshold unit has no gradient (its derivative is taken as 0): differences see a jump
    assume(doc["network"].get("hidden") != "step")
    r = rnnquiz.solve(doc, steps=False)
    kinks = {"relu": (0.0,), "hard_sigmoid": (-2.5, 2.5)}.get(doc["network"].get("hidden"), ())
    if kinks:
        # differences average the two slopes at a kink: stay off it
        n = NOTATIONS[(doc["cell"], doc["notation"])]
        z = np.asarray(r.values[n.key("z")], dtype=float)
        assume(all(np.min(np.abs(z - k)) > 1e-3 for k in kinks))
    eps = 1e-6
    for key, value in doc["network"].items():
        if isinstance(value, (str, bool)):        # words: activations, reset_after
            continue
        base = np.asarray(value, dtype=float)
        idx = tuple(0 for _ in base.shape)
        Es = []
        for sign in (1, -1):
            v = base.copy()
            v[idx] += sign * eps
            Es.append(rnnquiz.solve({**doc, "network": {**doc["network"], key: v.tolist()}},
                                    steps=False).answer)
        num = (Es[0] - Es[1]) / (2 * eps)
        got = np.asarray(r.values[f"dE/d{key}"], dtype=float)[idx]
        assert got == pytest.approx(num, rel=1e-4, abs=1e-6), key


def mutate(data: st.DataObject, text: str) -> str:
    ops = data.draw(st.lists(st.tuples(st.sampled_from(["del", "ins", "swap", "dup"]),
                                       st.integers(0, max(len(text) - 1, 0)),
                                       st.sampled_from(list("-:[]{},.#&*!|>' \t\n0e9xyz\\\"")),
                                       ), min_size=1, max_size=6))
    for op, i, ch in ops:
        i = min(i, len(text))
        if op == "del":
            text = text[:i] + text[i + 1:]
        elif op == "ins":
            text = text[:i] + ch + text[i:]
        elif op == "swap":
            text = text[:i] + ch + text[i + 1:]
        else:
            line_start = text.rfind("\n", 0, i) + 1
            line_end = text.find("\n", i)
            line = text[line_start:line_end if line_end >= 0 else None]
            text = text[:line_start] + line + "\n" + text[line_start:]
    return text


@settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(PROBLEMS), st.data())
def test_mutated_files_end_in_0_1_or_2_without_a_traceback(path, data):
    text = mutate(data, path.read_text())
    r = CliRunner().invoke(cli, ["solve", "-", "--json"], input=text)
    assert r.exit_code in (0, 1, 2), (r.exit_code, r.exception, text)
    assert "Traceback" not in r.stderr and "internal error" not in r.stderr, r.stderr
    if r.exit_code == 2:
        assert r.stderr.startswith("error: <stdin>") and r.stderr.count("\n") == 1, r.stderr
    for line in r.stdout.splitlines():
        json.loads(line)


def test_fuzz_target_runs_briefly(tmp_path):
    pytest.importorskip("atheris")
    out = subprocess.run([sys.executable, str(ROOT / "fuzz" / "fuzz_loader.py"), "-runs=1500",
                          str(tmp_path / "corpus")], capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr[-3000:]
