"""Issue 30: the work and memory a problem needs are bounded before anything large is allocated
(rnnquiz/limits.py, docs/limits.md), long inputs are read by numpy in every common spelling,
and the working writes a large array as numpy prints it. Inputs here are small; the largest
problems within the limits are measured by benchmarks/limits.py."""

from __future__ import annotations

import time
import tracemalloc

import numpy as np
import pytest

import rnnquiz
from rnnquiz.problem import limits, yamlio
from conftest import PROBLEMS, run


def refused_quickly(doc: dict, match: str) -> str:
    tracemalloc.start()
    t = time.perf_counter()
    try:
        with pytest.raises(rnnquiz.ProblemError, match=match) as err:
            rnnquiz.solve(doc)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert time.perf_counter() - t < 2 and peak < 50 * 2 ** 20
    return str(err.value)


def test_a_missing_weight_holds_no_memory():
    from rnnquiz.types import from_dict
    p = from_dict({"type": "forward", "inputs": [1], "network": {"h_init": [0.0] * 3000}})
    W = p.network.params["W_hh"]
    assert W.shape == (3000, 3000) and W.strides == (0, 0) and not W.flags.writeable
    assert W.base is not None and W.base.nbytes <= 8


def test_a_forward_pass_of_70000_units_is_refused_by_its_work():
    message = refused_quickly({"type": "forward", "inputs": [1],
                               "network": {"h_init": [0.0] * 70_000}}, "units of work")
    assert "--max-work raises the limit" in message and "1 steps of 70,000 units" in message


def test_the_gradients_of_20000_units_are_refused_before_they_are_built(monkeypatch):
    doc = {"type": "backprop", "inputs": [1, 2], "targets": [0, 1],
           "network": {"b_h": [0.0] * 20_000, "W_hy": [[1.0] * 20_000]}}
    refused_quickly(doc, "units of work")
    monkeypatch.setattr(limits, "MAX_WORK", 10 ** 15)      # then memory is what stops it
    message = refused_quickly(doc, r"would need about [\d,]+ GiB of memory")
    assert "400,060,001 gradient entries" in message or "gradient entries" in message
    assert "--max-memory raises the limit" in message


def test_a_long_lstm_is_refused_by_its_steps_not_after_a_minute():
    message = refused_quickly({"type": "lstm", "inputs": [0.5] * 300_000}, "units of work")
    assert "300,000 steps of 1 units" in message and "a step of lstm about 60,000" in message


def test_the_options_raise_the_limits(tmp_path):
    f = tmp_path / "long.yaml"
    f.write_text("type: lstm\ninputs: [" + ", ".join(["0.5"] * 200_000) + "]\n")
    assert run("solve", str(f), "--json").exit_code == 2
    r = run("solve", str(f), "--json", "--max-work", "1e11")
    assert r.exit_code == 0
    f.write_text("type: backprop\ninputs: [1]\ntargets: [0]\n"
                 "network: {b_h: [" + ", ".join(["0"] * 1500) + "], W_hy: [["
                 + ", ".join(["0"] * 1500) + "]]}\n")
    r = run("solve", str(f), "--json", "--max-work", "1e13", "--max-memory", "64")
    assert r.exit_code == 2 and "more than the limit of 64 MiB" in r.stderr
    limits.MAX_WORK, limits.MAX_MEMORY = 10 ** 10, 512 * 2 ** 20    # the CLI set them


def test_the_documents_of_a_file_share_one_budget():
    # 45,000 units: 3·45,000² = 6.1e9 units (W_hh left out counts three times)
    one = ("type: forward\ninputs: [1]\nnetwork: {h_init: [" + ", ".join(["0"] * 45_000)
           + "]}\n")
    from rnnquiz.types import load_text
    assert len(load_text(one)) == 1                  # within the limit of 1e10
    with pytest.raises(rnnquiz.ProblemError, match="with the documents before it in the file"):
        load_text(one + "---\n" + one)


def test_more_than_500_documents_are_refused_by_name():
    from rnnquiz.types import load_text
    doc = "type: hmm_bits\nstates: 4\n"
    assert len(load_text("---\n".join([doc] * 500))) == 500
    with pytest.raises(rnnquiz.ProblemError, match="more than 500 documents in one file"):
        load_text("---\n".join([doc] * 501))
    assert len(load_text("---\n".join([doc] * 501), max_numbers=2_004_000)) == 501


def test_clip_gradients_are_bounded_by_what_the_working_repeats():
    rows = {"type": "clip", "norm": 1, "gradients": {"g": np.full((700_000, 1), 0.5)}}
    with pytest.raises(rnnquiz.ProblemError, match=r"gradients: asks for about 1\.8e\+10 units "
                                                   r"of work \(700,000 numbers in 700,000 rows"):
        rnnquiz.solve(rows)
    flat = {"type": "clip", "norm": 1, "gradients": {"g": np.full(1_400_000, 0.5)}}
    with pytest.raises(rnnquiz.ProblemError, match=r"would need about 534 MiB of memory "
                                                   r"\(1,400,000 numbers"):
        rnnquiz.solve(flat)


# ---------------------------------------------------------------- reading long inputs

@pytest.mark.parametrize("spelling, want", [
    ("[" + ", ".join(["[0.5, -1e-3]"] * 3000) + "]", np.tile([0.5, -1e-3], (3000, 1))),
    ("\n" + "".join(f"  - {k}.5\n" for k in range(-1500, 1500)),
     np.array([float(f"{k}.5") for k in range(-1500, 1500)])),
])
def test_rows_and_block_lists_are_read_as_yaml_reads_them(spelling, want):
    text = f"type: forward\ninputs: {spelling}\nnetwork: {{W_xh: 0.5}}\n"
    lifted = yamlio.parse_documents(text)[0]["inputs"]
    # rows come back in a list, as YAML gives them (each row an array); a flat list an array
    assert isinstance(lifted, list if want.ndim > 1 else np.ndarray)
    assert want.ndim == 1 or isinstance(lifted[0], np.ndarray)       # read by numpy
    assert np.array_equal(np.asarray(lifted), want)
    slow = yamlio._parse(text, None, 10 ** 7)[0]["inputs"]     # PyYAML node by node
    assert np.array_equal(np.asarray(slow, dtype=float), want)


@pytest.mark.parametrize("odd", ["[1, 2]", "1e", "x", "- 1", "1 # a comment"])
def test_a_block_list_with_anything_else_is_left_to_yaml(odd):
    items = [f"  - {k}\n" for k in range(3000)]
    items[1700] = f"  - {odd}\n"
    text = "type: forward\ninputs:\n" + "".join(items) + "network: {W_xh: 0.5}\n"
    parsed = yamlio._parse(text, None, 10 ** 7)[0] if odd != "x" else None
    try:
        got = yamlio.parse_documents(text)[0]
    except rnnquiz.ProblemError:
        return                                            # YAML itself refuses it
    assert not isinstance(got["inputs"], np.ndarray)
    if parsed is not None:
        assert got["inputs"] == parsed["inputs"]


def test_an_error_inside_a_long_list_still_has_its_line(tmp_path):
    f = tmp_path / "p.yaml"
    f.write_text("type: forward\ninputs:\n" + "".join("- 0.5\n" for _ in range(3000))
                 + "network: {W_xh: abc}\n")
    r = run("solve", str(f))
    assert r.exit_code == 2 and r.stderr.startswith(f"error: {f}:3003: network.W_xh:")


# ---------------------------------------------------------------- writing large arrays

def test_a_large_array_is_written_as_numpy_prints_it():
    from rnnquiz.trace.numbers import fmt
    assert fmt(np.arange(101.0)) == "[0, 1, 2, …, 98, 99, 100]"
    assert fmt(np.arange(100.0)).count(",") == 99                # 100 numbers: every one
    assert fmt(np.full((1000, 1000), 0.25)) == (
        "[" + ", ".join(["[0.25, 0.25, 0.25, …, 0.25, 0.25, 0.25]"] * 3 + ["…"]
                        + ["[0.25, 0.25, 0.25, …, 0.25, 0.25, 0.25]"] * 3) + "]")
    assert fmt([[1, 2]] * 60) .count("…") == 1                    # 120 numbers in a list


def test_the_table_of_a_large_backprop_is_short_and_its_json_whole():
    h = 150
    doc = {"type": "backprop", "inputs": [1, 2], "targets": [0, 1],
           "network": {"b_h": [0.1] * h, "W_hy": [[1.0] * h]}, "ask": {"quantity": "dE/dW_hh"}}
    r = rnnquiz.solve(doc)
    assert len(r.render("table")) < 100_000 and len(r.render("markdown")) < 100_000
    assert np.shape(r.to_json()["answer"]) == (h, h)


def test_a_batch_written_as_long_rows_is_still_a_batch():
    """batch: true with 3 examples of 4,000 steps: the rows are read by numpy, and the batch
    validator still sees a list of sequences. Linear h_t = 0.5·x_t: h = x / 2."""
    rows = [[0.5 * (k + 1)] * 4000 for k in range(3)]
    text = ("type: forward\nbatch: true\nnetwork: {W_xh: 0.5, hidden: linear}\ninputs: ["
            + ", ".join("[" + ", ".join(map(str, r)) + "]" for r in rows) + "]\n"
            "ask: {quantity: h, t: 3999}\n")
    assert isinstance(yamlio.parse_documents(text)[0]["inputs"][0], np.ndarray)
    from rnnquiz.types import load_text
    r = rnnquiz.solve(load_text(text)[0])
    assert np.allclose(np.ravel(r.answer), [0.25, 0.5, 0.75])
