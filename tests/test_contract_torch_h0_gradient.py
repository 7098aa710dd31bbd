"""A one-layer nn.RNN whose h_0 is written as PyTorch prints it for a batch, (1, N, H): its
gradient comes back in that shape (SPEC 1: a gradient has the shape its parameter is written
with; 1.15: PyTorch's h_0 of a batch). Values from torch autograd."""

import json

import pytest

from conftest import run

DOC = """type: backprop
notation: pytorch
batch: true
network:
  weight_ih_l0: [[0.3, -0.2], [0.5, 0.1]]
  weight_hh_l0: [[0.4, -0.6], [0.2, 0.3]]
  bias_ih_l0: [0.1, 0.0]
  bias_hh_l0: [0.0, -0.1]
  h_init: [[[0.1, -0.2], [0.3, 0.4]]]
inputs: [[[1.0, 0.5], [-0.5, 2.0]], [[0.2, -1.0], [1.5, 0.3]]]
upstream: {h: [[[0.1, -0.3], [0.2, 0.5]], [[-0.4, 0.2], [0.3, -0.1]]]}
ask: {quantity: dE/dh_init}
"""


def test_h0_gradient_keeps_pytorchs_layer_axis(tmp_path):
    torch = pytest.importorskip("torch")
    d = torch.float64
    rnn = torch.nn.RNN(2, 2, batch_first=True).double()
    with torch.no_grad():
        rnn.weight_ih_l0.copy_(torch.tensor([[0.3, -0.2], [0.5, 0.1]], dtype=d))
        rnn.weight_hh_l0.copy_(torch.tensor([[0.4, -0.6], [0.2, 0.3]], dtype=d))
        rnn.bias_ih_l0.copy_(torch.tensor([0.1, 0.0], dtype=d))
        rnn.bias_hh_l0.copy_(torch.tensor([0.0, -0.1], dtype=d))
    h0 = torch.tensor([[[0.1, -0.2], [0.3, 0.4]]], dtype=d, requires_grad=True)
    x = torch.tensor([[[1.0, 0.5], [-0.5, 2.0]], [[0.2, -1.0], [1.5, 0.3]]], dtype=d)
    up = torch.tensor([[[0.1, -0.3], [0.2, 0.5]], [[-0.4, 0.2], [0.3, -0.1]]], dtype=d)
    out, _ = rnn(x, h0)
    (out * up).sum().backward()
    f = tmp_path / "h0.yaml"
    f.write_text(DOC)
    r = run("solve", str(f), "--json")
    assert r.exit_code == 0, r.stderr
    got = json.loads(r.stdout)["answer"]
    want = h0.grad.tolist()
    assert len(got) == 1 and len(got[0]) == 2          # (1, N, H), as written
    for g_row, w_row in zip(got[0], want[0]):
        assert g_row == pytest.approx(w_row, abs=1e-12)
