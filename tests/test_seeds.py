"""Every seed problem is solved and agrees with the quiz's published answer."""

from pathlib import Path

import pytest

import rnnquiz

PROBLEMS = Path(__file__).resolve().parent.parent / "problems"


def test_hinton_p3_value():
    (p,) = rnnquiz.load(PROBLEMS / "hinton_p3.yaml")
    r = rnnquiz.solve(p)
    # hand-worked: z_0 = 3.5, h_0 = σ(3.5), z_1 = 2 - h_0 - 1, y_1 = -0.7 σ(z_1)
    assert r.answer == pytest.approx(-0.35512927312785325, abs=1e-15)
    assert r.answer_rounded == -0.36
    assert r.agrees is True


def test_mit_lstm_states():
    (p,) = rnnquiz.load(PROBLEMS / "mit_lstm_states_1.yaml")
    assert rnnquiz.solve(p).answer == [0, 0, 1, -1, 1, 0]
    (p,) = rnnquiz.load(PROBLEMS / "mit_lstm_states_2.yaml")
    assert rnnquiz.solve(p).answer == [1, -1, 0, 1, -1]


@pytest.mark.parametrize("path", sorted(PROBLEMS.glob("*.yaml")), ids=lambda p: p.stem)
def test_every_bundled_problem_agrees(path):
    for p in rnnquiz.load(path):
        r = rnnquiz.solve(p)
        assert r.agrees is True, (path.name, r.answer, r.expected)


@pytest.mark.parametrize("calculator, name, doc", [
    ("hmm", "hinton_p1", 0), ("rnn", "hinton_p3", 0), ("bptt", "hinton_p4", 0),
    ("vanishing", "hinton_p5", 0), ("lstm", "mit_lstm_states_1", 0),
    ("shapes", "dlai_q7_gate_dim", 0),
])
def test_calculator_seeds_are_the_problem_files(calculator, name, doc):
    """The calculators' built-in defaults must not drift from the bundled problems."""
    from rnnquiz.types import calculator as spec
    seed = spec(calculator)["seed"]
    ours = rnnquiz.load(PROBLEMS / f"{name}.yaml")[doc]
    theirs = rnnquiz.solve(seed)
    assert rnnquiz.solve(ours).answer == theirs.answer
    assert ours.data["inputs" if "inputs" in ours.data else "type"] == \
        seed.get("inputs" if "inputs" in ours.data else "type")
    for key in ("network", "targets", "given", "states", "answer"):
        if key in ours.data:
            assert ours.data[key] == seed[key], key
