"""W_cy (SPEC 1.15) reads the top layer's cell states, both directions' joined, once with
`readout: last`: BPTT through such a network answers as torch does (CS224n's encoder)."""

import json
from pathlib import Path

import numpy as np
import pytest
import yaml

from conftest import run


def _bundled(name: str) -> dict:
    path = Path(__file__).resolve().parent.parent / "problems" / name
    return next(yaml.safe_load_all(path.read_text(encoding="utf-8")))


def test_backprop_through_the_bidirectional_encoder_with_w_cy_and_readout_last(tmp_path):
    """W_cy reads both directions' last cell states joined (4 wide); each one-direction run
    applied it to its own 2 and ended in an internal error. E reads y = [→h_2; ←h_0]."""
    torch = pytest.importorskip("torch")
    doc = _bundled("cs224n_encoder_c_projection.yaml")
    for key in ("question", "answer"):
        del doc[key]
    doc.update(type="backprop", cell="lstm", targets=[[0.1, 0.2, 0.3, 0.4]], loss="squared",
               ask={"quantity": "dE/dweight_hh_l0"})
    f = tmp_path / "p.yaml"
    f.write_text(yaml.safe_dump(doc, sort_keys=False), encoding="utf-8")
    r = run("solve", str(f), "--json")
    assert r.exit_code == 0, r.stderr
    got = json.loads(r.stdout.splitlines()[0])["answer"]

    f64 = torch.float64
    lstm = torch.nn.LSTM(3, 2, bidirectional=True, dtype=f64)
    lstm.load_state_dict({k: torch.tensor(v, dtype=f64) for k, v in doc["network"].items()
                          if k != "W_cy"})
    out, _ = lstm(torch.tensor(doc["inputs"], dtype=f64).unsqueeze(1))
    y = torch.cat([out[-1, 0, :2], out[0, 0, 2:]])
    (0.5 * ((y - torch.tensor(doc["targets"][0], dtype=f64)) ** 2).sum()).backward()
    assert np.allclose(got, lstm.weight_hh_l0.grad.numpy(), rtol=0, atol=1e-12)

    doc["ask"] = {"quantity": "y_c"}          # still the bundled exercise's answer
    f.write_text(yaml.safe_dump(doc, sort_keys=False), encoding="utf-8")
    r = run("solve", str(f), "--json")
    assert json.loads(r.stdout.splitlines()[0])["answer"] == pytest.approx([-0.4670, -0.2741],
                                                                            abs=5e-5)
