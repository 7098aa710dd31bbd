"""Issue 30: the third hostile campaign. Numbers at the ends of float64 give the right answer
or an error naming the overflow (never 0 where the answer is 3.5, never an internal error);
a quoted number where a number is expected is an error, not a silent "disagrees".
Values by hand: ‖[1e200, 1e200]‖ = √2·1e200, so 5/‖g‖·g = 5/√2 = 3.5355339..."""

from __future__ import annotations

import json
import math
import os

import pytest

import rnnquiz
from conftest import PROBLEMS, run


def clip(grads, theta, quantity=None):
    doc = {"type": "clip", "gradients": {"g": grads}, "norm": theta}
    if quantity:
        doc["ask"] = {"quantity": quantity}
    return rnnquiz.solve(doc)


# ---------------------------------------------------------------- clip at the ends of float64

@pytest.mark.parametrize("big", [1e200, 1e300, 1.7e308])
def test_clip_of_huge_gradients_is_theta_over_root_two(big):
    r = clip([big, big], 5)
    assert r.answer == pytest.approx([5 / math.sqrt(2)] * 2, rel=1e-15)


def test_the_norm_of_huge_gradients_is_scaled_not_infinite():
    assert clip([1e200, 1e200], 5, "norm").answer == pytest.approx(math.sqrt(2) * 1e200,
                                                                    rel=1e-15)
    steps = {s.symbol: s for s in clip([1e200, 1e200], 5, "norm").steps}
    assert steps["s"].value == 1e200                 # the working says it divides first
    assert steps["‖g/s‖²"].value == 2.0


def test_a_norm_past_float64_is_an_error_naming_the_overflow():
    with pytest.raises(rnnquiz.ProblemError, match="overflows float64"):
        clip([1.7e308, 1.7e308], 5, "norm")


def test_tiny_gradients_keep_their_norm_instead_of_zero():
    """[1e-200, 1e-200]: the squares underflow to 0, the norm is √2·1e-200."""
    # abs=0: approx's default abs=1e-12 would take 0 for 1e-200
    assert clip([1e-200, 1e-200], 1, "norm").answer == pytest.approx(math.sqrt(2) * 1e-200,
                                                                      rel=1e-15, abs=0)
    # θ = 1e-300 < ‖g‖: clipped to θ/√2 each
    assert clip([1e-200, 1e-200], 1e-300).answer == pytest.approx([1e-300 / math.sqrt(2)] * 2,
                                                                   rel=1e-15, abs=0)


def test_a_tiny_theta_against_a_huge_gradient_is_not_zero():
    """θ/‖g‖ = 1e-320/1e300 underflows; θ·(g/‖g‖) = 1e-320 does not."""
    assert clip([1e300], 1e-320).answer == [1e-320]


def test_a_tiny_entry_beside_huge_ones_keeps_its_clipped_value():
    """g = [4e299, 4e299, -7e-173], θ = 7.4e258: θ/‖g‖ ≈ 1.3e-41 is a normal float, so the
    tiny entry clips to -9.157e-214 (exact, in fractions below); dividing by s = 4e299 first
    would lose it to 0."""
    from fractions import Fraction
    grads = [4e299, 4e299, -7e-173]
    exact_norm_sq = sum(Fraction(g) ** 2 for g in grads)
    answer = clip(grads, 7.4e258).answer
    for got, g in zip(answer, grads):
        # θ·g/‖g‖ squared, sign kept: compared through squares, so no float rounds it first
        want_sq = Fraction(7.4e258) ** 2 * Fraction(g) ** 2 / exact_norm_sq
        assert math.copysign(1, got) == math.copysign(1, g)
        assert abs(float(Fraction(got) ** 2 / want_sq) - 1) < 1e-14
    assert answer[2] == pytest.approx(-9.15703e-214, rel=1e-5, abs=0)


def test_the_cli_answers_the_campaign_file(tmp_path):
    f = tmp_path / "clip.yaml"
    f.write_text("type: clip\ngradients: {g: [1e200, 1e200]}\nnorm: 5\n")
    r = run("solve", str(f), "--json")
    assert r.exit_code == 0
    assert json.loads(r.stdout)["answer"] == pytest.approx([3.5355339059327378] * 2, rel=1e-15)


def test_backprop_clipping_of_huge_gradients_is_theta_over_the_norm():
    """E = ½(y - 0)² with y = W_hy·h, h = W_xh·x (linear), x = 1: dE/dW_hy = y·h,
    dE/dW_xh = W_hy·y·x. With W_hy = 1e200 dE/dW_xh = 1e400 overflows, so no clipped value
    is known; with W_hy = 1e150, W_xh = 1e-150: y = 1, dE/dW_hy = 1e-150, dE/dW_xh = 1e150,
    and dE/db_h = W_hy·y = 1e150 too (the norm counts every bias key, given or not: SPEC
    1.1), dE/db_y = 1, dE/dW_hh = 0: ‖g‖ = √2·1e150 (to 1e-300), so dE/dW_hy clips to
    1e-150/(√2·1e150) = 7.07e-301."""
    doc = {"type": "backprop", "network": {"hidden": "linear", "output": "linear",
                                           "W_xh": 1, "W_hy": 1e200, "W_hh": 0},
           "inputs": [1], "targets": [0], "clip": {"norm": 1},
           "ask": {"quantity": "dE/dW_hy"}}
    with pytest.raises(rnnquiz.ProblemError, match="overflow"):
        rnnquiz.solve(doc)
    doc["network"].update(W_hy=1e150, W_xh=1e-150)
    r = rnnquiz.solve(doc)
    assert r.answer == pytest.approx(1e-150 / (math.sqrt(2) * 1e150), rel=1e-12, abs=0)


# ---------------------------------------------------------------- exp and pow past their range

def test_perplexity_of_a_5e_324_probability_names_the_overflow():
    doc = {"type": "perplexity", "probabilities": [5e-324]}
    with pytest.raises(rnnquiz.ProblemError, match="perplexity overflows float64"):
        rnnquiz.solve(doc)
    # the loss itself is fine: -ln(5e-324) = 1074·ln 2 (5e-324 is 2^-1074)
    r = rnnquiz.solve({**doc, "ask": {"quantity": "E"}})
    assert r.answer == pytest.approx(1074 * math.log(2), rel=1e-15)


def test_a_cross_entropy_of_800_is_not_an_internal_error():
    """Logits ±1000 on a softmax: the loss is about 1000 per step, and the perplexity
    note (not asked) overflowing must not stop the answer."""
    doc = {"type": "backprop", "network": {"hidden": "tanh", "output": "softmax",
                                           "W_xh": [[1, 0], [0, 1]],
                                           "W_hy": [[1000, 0], [0, 1000]]},
           "inputs": [[1, 0], [0, 1]], "targets": [1, 0], "loss": "cross_entropy",
           "ask": {"quantity": "E"}}
    r = rnnquiz.solve(doc)
    h = math.tanh(1)
    assert r.answer == pytest.approx(2 * 1000 * h, rel=1e-12)     # -ln softmax = 1000·h·2
    with pytest.raises(rnnquiz.ProblemError, match="perplexity overflows"):
        rnnquiz.solve({**doc, "ask": {"quantity": "perplexity"}})


def test_decode_with_alpha_1e308_ranks_the_longest_first():
    """L^α overflows for every L > 1: the scores are below float64's range, and the
    longest hypothesis is the closest to 0 (d2l 10.8's normalisation taken to its limit)."""
    doc = rnnquiz.load(PROBLEMS / "beam_search_by_hand.yaml")[0].data
    r = rnnquiz.solve({**doc, "alpha": 1e308})
    assert r.answer == ["B", "C", "C", "<eos>"]
    s = rnnquiz.solve({**doc, "alpha": 1e308, "ask": {"quantity": "score"}})
    assert s.answer == 0.0


# ---------------------------------------------------------------- a quoted number

def test_a_quoted_number_as_answer_is_an_error_not_disagrees(tmp_path):
    f = tmp_path / "q.yaml"
    f.write_text((PROBLEMS / "hinton_p3.yaml").read_text().replace("answer: -0.36",
                                                                   'answer: "-0.36"'))
    r = run("solve", str(f))
    assert r.exit_code == 2
    assert r.stderr.startswith(f"error: {f}:15: answer: expected a number")
    assert "'-0.36'" in r.stderr and "write the number without quotes: -0.36" in r.stderr
    assert run("check", str(f), "--answer", "-0.36").exit_code == 2


def test_a_word_answer_stays_a_word():
    r = rnnquiz.solve(rnnquiz.load(PROBLEMS / "hinton_p5.yaml")[0])
    assert r.answer == "vanishing" and r.agrees


# ---------------------------------------------------------------- folders and switches

def test_a_tree_1200_folders_deep_is_searched_without_recursion(tmp_path):
    folder = tmp_path / "deep"
    folder.mkdir()
    fd = os.open(folder, os.O_RDONLY)
    try:
        for _ in range(1200):
            os.mkdir("d", dir_fd=fd)
            inner = os.open("d", os.O_RDONLY, dir_fd=fd)
            os.close(fd)
            fd = inner
        target = os.open("p.yaml", os.O_WRONLY | os.O_CREAT, dir_fd=fd)
        with os.fdopen(target, "w") as fh:
            fh.write((PROBLEMS / "hinton_p3.yaml").read_text())
    finally:
        os.close(fd)
    try:
        r = run("solve", str(folder), "--json")
    finally:
        # pytest's own clean-up (shutil.rmtree) recurses once per level: take the tree down
        # from the bottom here, or every later run on the machine ends in RecursionError
        deepest = str(folder) + "/d" * 1200
        os.remove(deepest + "/p.yaml")
        for depth in range(1200, 0, -1):
            os.rmdir(str(folder) + "/d" * depth)
    assert r.exit_code == 0, r.stderr
    out = json.loads(r.stdout)
    assert out["file"] == str(folder) + "/d" * 1200 + "/p.yaml" and out["agrees"]


def test_a_link_to_a_parent_folder_is_not_followed(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "p.yaml").write_text((PROBLEMS / "hinton_p3.yaml").read_text())
    os.symlink("..", tmp_path / "a" / "up")
    r = run("solve", str(tmp_path), "--json")
    assert r.exit_code == 0 and len(r.stdout.splitlines()) == 1


@pytest.mark.parametrize("value, shown", [("0", False), ("false", False), ("off", False),
                                          ("", False), ("1", True), ("yes", True)])
def test_rnnquiz_debug_0_means_off(monkeypatch, value, shown):
    from rnnquiz.cli.sources import debug_wanted
    monkeypatch.setenv("RNNQUIZ_DEBUG", value)
    assert debug_wanted() is shown
