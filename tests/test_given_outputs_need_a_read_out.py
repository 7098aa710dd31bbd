"""`given: {y: ...}` states the outputs y_t; a network with no read-out has y_t = h_t
(SPEC 1.6), so a given y there is refused by name, pointing at given.h (it was an internal
error), while a network with a read-out still takes it."""

import json

from conftest import run

NO_READOUT = """type: backprop
notation: pytorch
network:
  weight_ih: [[0.5]]
  weight_hh: [[0.3]]
inputs: [[1.0], [2.0]]
targets: [[1.0], [0.0]]
given: {y: [[0.1], [0.2]]}
"""


def test_a_given_y_without_a_read_out_names_given_h(tmp_path):
    f = tmp_path / "gy.yaml"
    f.write_text(NO_READOUT)
    r = run("solve", str(f))
    assert r.exit_code == 2
    assert r.stderr.strip() == (f"error: {f}:8: given.y: this network has no read-out, so its "
                                "output y_t is its state h_t; give the states as given.h")


def test_a_given_y_with_a_read_out_is_used(tmp_path):
    # y_t = W_hy h_t with W_hy = 1: E = ½Σ(y_t - target_t)² at the given y: ½(0.9² + 0.2²)
    f = tmp_path / "gy.yaml"
    f.write_text(NO_READOUT.replace("  weight_hh: [[0.3]]\n", "  weight_hh: [[0.3]]\n  W_hy: [[1.0]]\n")
                 + "ask: {quantity: E, digits: 6}\n")
    r = run("solve", str(f), "--json")
    assert r.exit_code == 0, r.stderr
    assert abs(json.loads(r.stdout)["answer"] - 0.5 * (0.81 + 0.04)) < 1e-9
