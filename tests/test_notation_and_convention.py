"""One word per concept: `notation` says whose keys and layout (and, for most courses, the GRU's
update rule); `convention` only picks the rule where the notation leaves it open (mit)."""

from __future__ import annotations

from conftest import run

PYTORCH_GRU = """type: gru
notation: pytorch
convention: {convention}
network:
  {keys}
inputs: [1, 2]
ask: {{quantity: h, t: 1}}
"""
TORCH_KEYS = "weight_ih: [0.1, 0.2, 0.3]\n  weight_hh: [0.4, 0.5, 0.6]"


def _solve(tmp_path, text):
    f = tmp_path / "g.yaml"
    f.write_text(text, encoding="utf-8")
    return run("solve", str(f), "--json")


def test_a_conflict_names_the_key_to_drop(tmp_path):
    r = _solve(tmp_path, PYTORCH_GRU.format(convention="ng", keys=TORCH_KEYS))
    assert r.exit_code == 2
    assert "g.yaml:3: convention: the pytorch notation's GRU is the pytorch convention; " \
           "leave convention out" in r.stderr


def test_the_conflict_is_named_before_the_keys_are_read(tmp_path):
    # the mit keys under notation: pytorch: the conflict of the two words is the first thing
    r = _solve(tmp_path, PYTORCH_GRU.format(convention="ng", keys="W_uh: 0.4"))
    assert r.exit_code == 2 and "leave convention out" in r.stderr


def test_both_naming_the_same_rule_agree(tmp_path):
    r = _solve(tmp_path, PYTORCH_GRU.format(convention="pytorch", keys=TORCH_KEYS))
    assert r.exit_code == 0, r.stderr


def test_convention_outside_a_gru_points_to_notation(tmp_path):
    r = _solve(tmp_path, "type: lstm\nconvention: pytorch\ninputs: [1]\n")
    assert r.exit_code == 2
    assert "convention only picks a GRU's update rule" in r.stderr
    assert "write notation:" in r.stderr


def test_a_key_of_another_notation_names_that_notation(tmp_path):
    r = _solve(tmp_path, PYTORCH_GRU.format(convention="pytorch", keys="W_uh: 0.4"))
    assert r.exit_code == 2
    assert "W_uh is written in the mit notation; write notation: mit" in r.stderr
