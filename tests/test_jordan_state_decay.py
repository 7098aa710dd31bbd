"""Jordan's state units with self-decay (`network.state_decay: μ`): s_t = μ s_{t-1} + y_{t-1}
fed back through W_yh, s_0 = y_init. Checked against torch autograd for each `feedback`, by
hand, and against the plain output feedback at μ = 0."""

from __future__ import annotations

import copy

import numpy as np
import pytest

import rnnquiz
from conftest import PROBLEMS, finite_difference, run
from oracles.feedback import fed_back

DOC = {"type": "backprop",
       "network": {"hidden": "logistic", "output": "logistic",
                   "W_xh": [[0.5, -0.3], [0.2, 0.8]], "W_hh": [[0.1, -0.2], [0.3, 0.0]],
                   "W_yh": [[0.6], [-0.4]], "W_hy": [[1.0, -0.7]], "b_h": [0.1, -0.1],
                   "b_y": 0.2, "y_init": 0.3, "state_decay": 0.5},
       "inputs": [[1, 0], [0, 1], [1, 1], [0, 0]], "targets": [1, 0, 1, 0]}


def _ask(doc, q, steps=True):
    return rnnquiz.solve({**copy.deepcopy(doc), "ask": {"quantity": q}}, steps=steps).answer


def _torch(torch, doc, mode):
    """The gradients, E and every y_t by torch autograd (tests/oracles/feedback.py)."""
    net = {k: torch.tensor(v, requires_grad=True) for k, v in doc["network"].items()
           if k not in ("hidden", "output", "state_decay")}
    X = torch.tensor(doc["inputs"], dtype=torch.float64)
    TG = torch.tensor(doc["targets"], dtype=torch.float64).reshape(-1, 1)
    E, steps = fed_back(torch, net, X, TG, "logistic", "logistic", mode,
                        mu=doc["network"]["state_decay"])
    E.backward()
    return net, E.item(), [s["y"].item() for s in steps]


@pytest.mark.parametrize("mode", ["output", "target", "argmax"])
def test_outputs_and_gradients_match_torch_autograd(mode):
    torch = pytest.importorskip("torch")
    doc = {**copy.deepcopy(DOC), "feedback": mode}
    net, E, ys = _torch(torch, doc, mode)
    assert _ask(doc, "E") == pytest.approx(E, abs=1e-12)
    np.testing.assert_allclose(np.ravel(_ask(doc, "y")), ys, atol=1e-12)
    for steps in (True, False):         # the working and the vectorised path
        for key in ("W_yh", "y_init", "W_hh", "W_xh", "W_hy", "b_h"):
            np.testing.assert_allclose(np.ravel(_ask(doc, f"dE/d{key}", steps)),
                                       net[key].grad.numpy().ravel(), atol=1e-12)


def test_the_forward_pass_and_its_scan_agree_and_match_torch():
    torch = pytest.importorskip("torch")
    _, _, ys = _torch(torch, DOC, "output")
    fwd = {k: v for k, v in copy.deepcopy(DOC).items() if k != "targets"}
    fwd["type"] = "forward"
    for steps in (True, False):
        np.testing.assert_allclose(np.ravel(_ask(fwd, "y", steps)), ys, atol=1e-12)


def test_the_gradient_of_y_init_and_w_yh_by_finite_differences():
    for key in ("W_yh", "y_init"):
        np.testing.assert_allclose(np.ravel(_ask(DOC, f"dE/d{key}")),
                                   np.ravel(finite_difference(DOC, key, steps=True)), atol=1e-8)


def test_zero_decay_is_the_plain_output_feedback():
    plain = copy.deepcopy(DOC)
    del plain["network"]["state_decay"]
    zero = copy.deepcopy(DOC)
    zero["network"]["state_decay"] = 0
    for q in ("E", "dE/dW_yh", "dE/dy_init", "y"):
        np.testing.assert_allclose(_ask(zero, q), _ask(plain, q), atol=0)


def test_the_working_writes_each_state_unit_with_its_numbers():
    r = rnnquiz.solve({**DOC, "ask": {"quantity": "dE/dW_yh"}})
    s2 = next(s for s in r.steps if s.symbol == "s_2")
    assert s2.equation == "μ·s_1 + y_1" and s2.formula == "{}·{} + {}"
    assert s2.operands[0] == 0.5
    ds = next(s for s in r.steps if s.symbol == "dE/ds_2")
    assert ds.equation == "W_yh·dE/dz_2 + μ·dE/ds_3"


def test_the_problem_file_is_right_by_hand():
    for p in rnnquiz.load(str(PROBLEMS / "jordan_state_decay.yaml")):
        assert rnnquiz.solve(p).agrees


@pytest.mark.parametrize("change, key", [
    (lambda d: d["network"].pop("W_yh") and d["network"].pop("y_init"), "network.state_decay"),
    (lambda d: d["network"].update(state_decay="half"), "network.state_decay"),
    (lambda d: d["network"].pop("W_yh") and d["network"].pop("y_init")
     and d["network"].update(state_decay=0), "network.state_decay"),
    (lambda d: d.update(type="vanishing"), "network.state_decay"),
    (lambda d: d.update(type="forward", ask={"quantity": "jacobian"}) or d.pop("targets"),
     "ask.quantity"),
])
def test_what_decay_does_not_allow_is_an_error_by_key(tmp_path, change, key):
    import yaml
    doc = copy.deepcopy(DOC)
    change(doc)
    path = tmp_path / "decay.yaml"
    path.write_text(yaml.safe_dump(doc, sort_keys=False), encoding="utf-8")
    result = run("solve", str(path))
    assert result.exit_code == 2
    assert f": {key}:" in result.stderr and "Traceback" not in result.stderr, result.stderr


def test_the_schema_names_state_decay_tie_and_regularization():
    from rnnquiz.cli.schema import schema
    text = str(schema())
    for key in ("state_decay", "'tie'", "'regularization'", "information_flow"):
        assert key in text


def test_the_new_problem_files_validate_against_the_schema():
    jsonschema = pytest.importorskip("jsonschema")
    import json

    import yaml
    from rnnquiz.cli.schema import schema
    validator = jsonschema.Draft7Validator(schema())
    for name in ("jordan_state_decay", "fastbook_lmmodel4_tied", "awd_lstm_ar_tar",
                 "goodfellow_information_flow"):
        for doc in yaml.safe_load_all((PROBLEMS / f"{name}.yaml").read_text(encoding="utf-8")):
            errors = [e.message for e in validator.iter_errors(json.loads(json.dumps(doc)))]
            assert not errors, (name, errors)


def test_the_question_in_words_defines_the_state_unit():
    from rnnquiz.teaching.question import full_question
    p = rnnquiz.load(str(PROBLEMS / "jordan_state_decay.yaml"))[0]
    text = full_question(p, rnnquiz.solve(p))
    assert "the state unit s_t = 0.5·s_{t-1} + y_{t-1}, with s = y_init at the first step" in text
