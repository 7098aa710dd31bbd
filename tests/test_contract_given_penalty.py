"""AR/TAR of states the exercise gives, with the network it describes beside them (SPEC 1.15:
with `given: {h}` and no inputs the penalty is computed). Values hand-worked with numpy."""

import json

import numpy as np

from conftest import run

H = [[0.5, -0.2], [0.1, 0.4], [-0.3, 0.3]]
# fast.ai's AR 2·mean(h²) and TAR 1·mean((h_t - h_{t-1})²), over every element
_h = np.array(H)
PENALTY = 2 * (_h ** 2).mean() + ((_h[1:] - _h[:-1]) ** 2).mean()   # 0.385833...

DOC = """type: backprop
{network}given: {{h: {h}}}
regularization: {{ar: 2, tar: 1}}
ask: {{quantity: penalty, digits: 6}}
"""


def _penalty(tmp_path, network: str) -> float:
    f = tmp_path / "pen.yaml"
    f.write_text(DOC.format(network=network, h=H))
    r = run("solve", str(f), "--json")
    assert r.exit_code == 0, r.stderr
    return json.loads(r.stdout)["answer"]


def test_penalty_of_given_states_without_network(tmp_path):
    assert abs(_penalty(tmp_path, "") - PENALTY) < 1e-12


def test_penalty_of_given_states_beside_the_network_they_came_from(tmp_path):
    net = "notation: goodfellow\nnetwork: {U: 0.1, W: 0.2}\n"
    assert abs(_penalty(tmp_path, net) - PENALTY) < 1e-12
    net = "network: {W_xh: [[0.1], [0.2]], W_hh: [[0.1, 0], [0, 0.1]]}\n"
    assert abs(_penalty(tmp_path, net) - 0.3858333333333333) < 1e-12


def test_given_states_with_an_unrelated_key_still_named(tmp_path):
    f = tmp_path / "pen.yaml"
    f.write_text(DOC.format(network="targets: [1, 2, 3]\n", h=H))
    r = run("solve", str(f))
    assert r.exit_code == 2
    assert "targets" in r.stderr and "pen.yaml" in r.stderr
