"""The conventions' table names the loss as the file's course does: a Hagan network's row of
the loss with ½ is his performance index F = ½Σ_t e(t)ᵀe(t) and his sensitivity of the last
layer, -e(t) (Neural Network Design, ch. 14: ∂F/∂a(t) = -2e(t) without the ½), as its
working writes them; another course's row, and the reference, keep E and dE/dy."""

import json

from conftest import PROBLEMS, run


def _rows(path):
    r = run("solve", str(path), "--json", "--conventions")
    assert r.exit_code == 0, r.stderr
    return [{row["id"]: row for row in json.loads(line).get("conventions", [])}
            for line in r.stdout.splitlines()]


def test_hagans_loss_row_is_in_his_symbols():
    row = _rows(PROBLEMS / "hagan_tapped_delay_line.yaml")[0]["loss_half"]
    assert row["label"] == "the squared loss with ½: F = ½ Σ_t e(t)ᵀe(t), dF/da(t) = -e(t)"
    assert row["answer"] == {"1": 0.2712500000000001, "2": 0.2275000000000001}  # half of F's


def test_two_layers_name_the_last_layers_output():
    row = _rows(PROBLEMS / "hagan_two_layer_lddn.yaml")[0]["loss_half"]
    assert row["label"].endswith("F = ½ Σ_t e(t)ᵀe(t), dF/da^2(t) = -e(t)")


def test_hagans_loss_without_the_half_is_his_f(tmp_path):
    f = tmp_path / "half.yaml"
    f.write_text("type: backprop\nnotation: hagan\nloss: squared\nnetwork: {iw: {0: 1, 1: 0.5}, "
                 "lw: {1: 0.5, 2: -0.25}, a_init: [0.2, 0.4]}\ninputs: [1, 0, 2]\n"
                 "targets: [1, 1, 2]\nask: {quantity: dF/dlw, digits: 4}\n")
    row = _rows(f)[0]["loss_no_half"]
    assert row["label"] == ("the squared loss without ½: F = Σ_t e(t)ᵀe(t), gradients "
                            "doubled (Hagan's SSE, PyTorch's MSELoss)")


def test_other_courses_and_the_reference_keep_e():
    row = _rows(PROBLEMS / "hagan_sse_gradient.yaml")[0]["loss_half"]    # Hinton's keys
    assert row["label"] == "the squared loss with ½: E = ½Σ(y - t)², dE/dy = y - t"
    ref = {c["id"]: c for c in json.loads(run("conventions", "--json").stdout)["conventions"]}
    assert ref["loss_half"]["label"] == "the squared loss with ½: E = ½Σ(y - t)², dE/dy = y - t"
    assert ref["loss_no_half"]["label"] == ("the squared loss without ½: E = Σ(y - t)², "
                                            "gradients doubled (Hagan's SSE, PyTorch's MSELoss)")


def test_one_layer_written_as_a_list_names_its_layers_output(tmp_path):
    # a network written as a list of layers numbers them even when there is one: the working
    # writes a^1(t), and so does the loss row (hand-worked in hagan_tapped_delay_line.yaml)
    f = tmp_path / "listed.yaml"
    f.write_text("type: backprop\nnotation: hagan\nloss: sse\nnetwork: [{iw: {0: 1, 1: 0.5}, "
                 "lw: {1: {1: 0.5, 2: -0.25}}, a_init: [0.2, 0.4]}]\ninputs: [1, 0, 2]\n"
                 "targets: [1, 1, 2]\nask: {quantity: dF/dlw, digits: 4}\n")
    r = run("solve", str(f), "--json", "--conventions")
    assert r.exit_code == 0, r.stderr
    out = json.loads(r.stdout)
    assert "a^1(3)" in {s["symbol"] for s in out["steps"]}
    row = {c["id"]: c for c in out["conventions"]}["loss_half"]
    assert row["label"].endswith("F = ½ Σ_t e(t)ᵀe(t), dF/da^1(t) = -e(t)")
