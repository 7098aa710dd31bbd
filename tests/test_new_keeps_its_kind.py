"""`rnnquiz new` decides once per exercise whether it draws a newer kind, and every retry of a
dull draw keeps that choice. The exercises below are as `new` printed them before the choice
had a generator of its own (recorded then): seeds whose retries, rolling afresh, would have
turned to a newer kind."""

import random

import yaml

from conftest import run


def _new(ptype: str, seed: int) -> dict:
    r = run("new", ptype, "--seed", str(seed))
    assert r.exit_code == 0, r.stderr
    return yaml.safe_load(r.stdout)


def test_a_plain_lstm_stays_plain_through_its_retries():
    doc = _new("lstm", 4)       # 17 draws before one whose answer is not all 0
    assert doc["network"] == {"W_fx": 0, "b_f": -100, "W_ix": 100, "b_i": -50, "W_ox": -50,
                              "b_o": 100, "W_ch": -50, "W_cx": -100, "h_init": 0, "c_init": 0}
    assert doc["inputs"] == [0, 0, 0, 1, 0] and doc["round"] == "state"
    assert doc["answer"] == [0, 0, 0, -1, 0]


def test_a_plain_backprop_stays_plain_through_its_retry():
    doc = _new("backprop", 9)
    assert doc["network"] == {"hidden": "logistic", "output": "linear", "W_xh": -0.5,
                              "W_hh": 0.4, "W_hy": 0.8, "b_h": 0.3, "b_y": 0.0, "h_init": 0}
    assert doc["targets"] == [0.5, 0.9, -0.8, -0.5] and doc["answer"] == -0.0504


def test_asking_for_the_newer_kind_leaves_a_plain_rng_as_it_was():
    from rnnquiz.problem.draw_features import other
    rng = random.Random("lstm:4:0")
    state, attributes = rng.getstate(), dict(vars(rng))
    other(rng)
    assert rng.getstate() == state and vars(rng) == attributes     # nothing kept on it
    fresh = random.Random("lstm:4:0")
    assert [rng.random() for _ in range(3)] == [fresh.random() for _ in range(3)]
