"""CMU 11-785's RNNCell with its initial state written as PyTorch writes h_0. In a batch the
(1, N, H) form is read as the pytorch notation reads it (SPEC 1.15 names both notations; values
from the course's file, whose answers are torch autograd's, and from torch itself); a nesting the
notation does not take is refused with the shape written and the one expected."""

import json

import pytest

from conftest import PROBLEMS, run

NET = """type: forward
notation: cmu11785
network:
  W_ih: [[0.2, -0.1, 0.4], [0.5, 0.3, -0.2]]
  W_hh: [[0.1, -0.3], [0.2, 0.4]]
  b_ih: [0.1, -0.1]
  b_hh: [0.0, 0.05]
  h_init: {h_init}
inputs: [[1.0, -0.5, 0.3], [0.2, 0.8, -1.0]]
ask: {{quantity: h}}
"""


def _solve(tmp_path, text):
    f = tmp_path / "cell.yaml"
    f.write_text(text)
    return run("solve", str(f), "--json")


@pytest.mark.parametrize("h_init, words", [
    ("[[[0.1, -0.2]]]", "has shape 1x1x2, expected 2 (hidden size 2); torch.nn.RNN's h_0, "
                        "(1, N, H), is read with batch: true"),
    ("[[0.1, -0.2]]", "has shape 1x2, expected 2 (hidden size 2)")])
def test_a_nesting_the_cell_does_not_take_names_both_shapes(tmp_path, h_init, words):
    r = _solve(tmp_path, NET.format(h_init=h_init))
    assert r.exit_code == 2
    assert r.stderr.strip().endswith(f"network.h_init: {words}"), r.stderr
    assert "expected a number" not in r.stderr


def test_a_batchs_state_as_torch_h0_is_the_courses_state(tmp_path):
    """The course file's dE/dh_init (its published answer) with h_prev_t written (1, N, H)."""
    docs = (PROBLEMS / "cmu11785_hw3p1.yaml").read_text().split("\n---\n")
    doc = next(d for d in docs if "quantity: dE/dh_init" in d)
    assert "answer: [[-0.03204520, -0.29117927], [0.09550442, 0.27785317]]" in doc
    text = doc.replace("h_init: [[0.1, -0.2], [0.5, 0.3]]", "h_init: [[[0.1, -0.2], [0.5, 0.3]]]")
    assert text != doc
    r = _solve(tmp_path, text)
    assert r.exit_code == 0, r.stderr
    got = json.loads(r.stdout)["answer"]
    assert len(got) == 1                         # its gradient keeps the layer axis, as torch's
    for g, w in zip(got[0], [[-0.03204520, -0.29117927], [0.09550442, 0.27785317]]):
        assert g == pytest.approx(w, abs=5e-9)


def test_a_batchs_states_from_torch_h0_run_as_nn_rnn(tmp_path):
    torch = pytest.importorskip("torch")
    d = torch.float64
    rnn = torch.nn.RNN(3, 2, batch_first=True).double()
    with torch.no_grad():
        rnn.weight_ih_l0.copy_(torch.tensor([[0.2, -0.1, 0.4], [0.5, 0.3, -0.2]], dtype=d))
        rnn.weight_hh_l0.copy_(torch.tensor([[0.1, -0.3], [0.2, 0.4]], dtype=d))
        rnn.bias_ih_l0.copy_(torch.tensor([0.1, -0.1], dtype=d))
        rnn.bias_hh_l0.copy_(torch.tensor([0.0, 0.05], dtype=d))
    x = torch.tensor([[[1.0, -0.5, 0.3], [0.2, 0.8, -1.0]],
                      [[0.5, 0.5, 0.5], [-1.0, 0.0, 0.4]]], dtype=d)
    h0 = torch.tensor([[[0.1, -0.2], [0.5, 0.3]]], dtype=d)
    want = rnn(x, h0)[0].tolist()
    text = NET.format(h_init="[[[0.1, -0.2], [0.5, 0.3]]]").replace(
        "inputs: [[1.0, -0.5, 0.3], [0.2, 0.8, -1.0]]",
        "batch: true\ninputs: [[[1.0, -0.5, 0.3], [0.2, 0.8, -1.0]], "
        "[[0.5, 0.5, 0.5], [-1.0, 0.0, 0.4]]]")
    r = _solve(tmp_path, text)
    assert r.exit_code == 0, r.stderr
    got = json.loads(r.stdout)["answer"]
    for g_ex, w_ex in zip(got, want):
        for g, w in zip(g_ex, w_ex):
            assert g == pytest.approx(w, abs=1e-12)
