"""layout.gate_order's error counts the LSTM's gates as the file can write them: 4, or 5 with
the relevance gate (SPEC 1.15); it said "its 5 gates" for every LSTM."""

from conftest import run

DOC = """type: lstm
notation: pytorch
layout: {gate_order: [i, f, g, x]}
network: {weight_ih: [[1], [1], [1], [1]], weight_hh: [[1], [1], [1], [1]]}
inputs: [[1.0]]
"""


def test_unknown_gate_names_file_line_key_and_four_gates(tmp_path):
    f = tmp_path / "order.yaml"
    f.write_text(DOC)
    r = run("solve", str(f))
    assert r.exit_code == 2
    assert "order.yaml:3: layout.gate_order" in r.stderr
    assert "'x'" in r.stderr and "4 (or 5) gates" in r.stderr
    assert "its 5 gates" not in r.stderr
