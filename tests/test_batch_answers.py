"""Published answers of three levels (SPEC 1, 1.10): a batch's every h_t is N x T x H, as
CS231n's rnn_forward and lstm_forward print expected_h. Read, compared element by element at
`digits`, and refused by name when malformed. The oracles: CS231n's published expected_h (its
notebooks build the inputs with np.linspace) and torch autograd."""

from __future__ import annotations

import json

import numpy as np
import pytest

import rnnquiz
from rnnquiz.errors import ProblemError

from conftest import PROBLEMS, run

# RNN_Captioning.ipynb, "Vanilla RNN: forward": expected_h as the notebook prints it
RNN_EXPECTED_H = [
    [[-0.42070749, -0.27279261, -0.11074945, 0.05740409, 0.22236251],
     [-0.39525808, -0.22554661, -0.0409454, 0.14649412, 0.32397316],
     [-0.42305111, -0.24223728, -0.04287027, 0.15997045, 0.35014525]],
    [[-0.55857474, -0.39065825, -0.19198182, 0.02378408, 0.23735671],
     [-0.27150199, -0.07088804, 0.13562939, 0.33099728, 0.50158768],
     [-0.51014825, -0.30524429, -0.06755202, 0.17806392, 0.40333043]]]

# LSTM_Captioning.ipynb, "LSTM: forward"
LSTM_EXPECTED_H = [
    [[0.01764008, 0.01823233, 0.01882671, 0.0194232],
     [0.11287491, 0.12146228, 0.13018446, 0.13902939],
     [0.31358768, 0.33338627, 0.35304453, 0.37250975]],
    [[0.45767879, 0.4761092, 0.4936887, 0.51041945],
     [0.6704845, 0.69350089, 0.71486014, 0.7346449],
     [0.81733511, 0.83677871, 0.85403753, 0.86935314]]]


def _rnn_forward_doc() -> dict:
    N, T, D, H = 2, 3, 4, 5
    return {"type": "forward", "notation": "cs231n", "batch": True,
            "inputs": np.linspace(-0.1, 0.3, num=N * T * D).reshape(N, T, D).tolist(),
            "network": {"h0": np.linspace(-0.3, 0.1, num=N * H).reshape(N, H).tolist(),
                        "Wx": np.linspace(-0.2, 0.4, num=D * H).reshape(D, H).tolist(),
                        "Wh": np.linspace(-0.4, 0.1, num=H * H).reshape(H, H).tolist(),
                        "b": np.linspace(-0.7, 0.1, num=H).tolist()},
            "ask": {"quantity": "h", "digits": 8}, "answer": RNN_EXPECTED_H}


def _lstm_forward_doc() -> dict:
    N, D, H, T = 2, 5, 4, 3
    return {"type": "lstm", "notation": "cs231n", "batch": True,
            "inputs": np.linspace(-0.4, 0.6, num=N * T * D).reshape(N, T, D).tolist(),
            "network": {"h0": np.linspace(-0.4, 0.8, num=N * H).reshape(N, H).tolist(),
                        "Wx": np.linspace(-0.2, 0.9, num=4 * D * H).reshape(D, 4 * H).tolist(),
                        "Wh": np.linspace(-0.3, 0.6, num=4 * H * H).reshape(H, 4 * H).tolist(),
                        "b": np.linspace(0.2, 0.7, num=4 * H).tolist()},
            "ask": {"quantity": "h", "digits": 8}, "answer": LSTM_EXPECTED_H}


@pytest.mark.parametrize("make", [_rnn_forward_doc, _lstm_forward_doc])
@pytest.mark.parametrize("steps", [True, False])
def test_cs231n_expected_h_is_read_and_agrees(make, steps):
    doc = make()
    r = rnnquiz.solve(doc, steps=steps)
    assert r.expected == doc["answer"]
    assert np.shape(r.answer) == np.shape(doc["answer"])
    assert r.agrees is True


@pytest.mark.parametrize("make", [_rnn_forward_doc, _lstm_forward_doc])
def test_one_element_off_in_the_last_place_disagrees(make):
    doc = make()
    wrong = json.loads(json.dumps(doc["answer"]))
    wrong[1][2][3] = round(wrong[1][2][3] + 1e-8, 8)
    assert rnnquiz.solve({**doc, "answer": wrong}).agrees is False


def test_the_steps_axis_first_is_not_the_batch():
    """(T, N, H) holds the same numbers in another order: it does not agree."""
    doc = _rnn_forward_doc()
    swapped = np.transpose(doc["answer"], (1, 0, 2)).tolist()
    assert rnnquiz.solve({**doc, "answer": swapped}).agrees is False


def test_dE_dx_of_a_batch_against_autograd():
    """A 3-level gradient answer (N x T x D), written to 6 places as a course would print it."""
    torch = pytest.importorskip("torch")
    torch.set_default_dtype(torch.float64)
    torch.manual_seed(11)
    N, T, D, H = 2, 3, 2, 3
    x = torch.randn(N, T, D, requires_grad=True)
    h0 = torch.randn(N, H)
    Wx, Wh, b = torch.randn(D, H), torch.randn(H, H), torch.randn(H)
    h, hs = h0, []
    for t in range(T):
        h = torch.tanh(x[:, t] @ Wx + h @ Wh + b)
        hs.append(h)
    target = torch.randn(N, T, H)
    E = 0.5 * ((torch.stack(hs, 1) - target) ** 2).sum()
    E.backward()
    published = np.round(x.grad.numpy(), 6).tolist()
    doc = {"type": "backprop", "notation": "cs231n", "batch": True,
           "inputs": x.detach().numpy().tolist(), "targets": target.numpy().tolist(),
           "network": {"Wx": Wx.numpy().tolist(), "Wh": Wh.numpy().tolist(),
                       "b": b.numpy().tolist(), "h0": h0.numpy().tolist()},
           "ask": {"quantity": "dE/dx", "digits": 6}, "answer": published}
    for steps in (True, False):
        r = rnnquiz.solve(doc, steps=steps)
        np.testing.assert_allclose(r.answer, x.grad.numpy(), rtol=1e-10, atol=1e-13)
        assert r.agrees is True


def test_the_bundled_cs231n_batches_agree_through_the_cli():
    r = run("solve", str(PROBLEMS / "cs231n_rnn_forward.yaml"),
            str(PROBLEMS / "cs231n_lstm_forward.yaml"), "--json")
    assert r.exit_code == 0, r.stderr
    rnn, lstm = (json.loads(line) for line in r.stdout.splitlines())
    assert rnn["expected"] == RNN_EXPECTED_H and rnn["agrees"] is True
    assert lstm["expected"] == LSTM_EXPECTED_H and lstm["agrees"] is True


def test_a_wrong_3_level_answer_exits_1(tmp_path):
    text = (PROBLEMS / "cs231n_rnn_forward.yaml").read_text()
    assert "0.40333043]" in text
    f = tmp_path / "wrong.yaml"
    f.write_text(text.replace("0.40333043]", "0.40333044]"))
    r = run("solve", str(f), "--json")
    assert r.exit_code == 1
    assert json.loads(r.stdout)["agrees"] is False


BLOCK = [[1.0, 2.0], [3.0, 4.0]]


@pytest.mark.parametrize("answer,where", [
    ([BLOCK, [[1.0, 2.0]]], "answer[1]: has shape 1x2; answer[0] has 2x2"),
    ([BLOCK, [[1.0, 2.0], [3.0, 4.0, 5.0]]], "answer[1][1]: rows differ in length"),
    ([BLOCK, 5], "answer[1]: expected a list like answer[0], got 5"),
    ([BLOCK, [[1.0, "x"], [3.0, 4.0]]], "answer[1][0][1]: expected a number, got 'x'"),
    ([BLOCK, [[1.0, float("nan")], [3.0, 4.0]]], "answer[1][0][1]: NaN is not allowed"),
    ([[[[[[[1.0]]]]]]], "answer: expected at most 6 levels of lists"),
])
def test_malformed_3_level_answers_are_named(answer, where):
    doc = {"type": "forward", "inputs": [1, 2], "network": {"W_xh": 1}, "answer": answer}
    with pytest.raises(ProblemError) as err:
        rnnquiz.solve(doc)
    assert where in str(err.value)


def test_a_malformed_block_names_its_line(tmp_path):
    f = tmp_path / "bad.yaml"
    f.write_text("type: forward\nnetwork: {W_xh: 1}\ninputs: [1, 2]\nanswer:\n"
                 "- [[1, 2], [3, 4]]\n- [[1, 2]]\n")
    r = run("solve", str(f))
    assert r.exit_code == 2
    assert r.stderr.strip() == (f"error: {f}:6: answer[1]: has shape 1x2; answer[0] has 2x2 "
                                "(every block alike)")


def test_the_python_api_takes_the_answer_as_numpy_arrays():
    """rnnquiz.solve(dict): expected_h as one array, or as a list of the examples' arrays."""
    doc = _rnn_forward_doc()
    for answer in (np.array(RNN_EXPECTED_H), [np.array(block) for block in RNN_EXPECTED_H]):
        r = rnnquiz.solve({**doc, "answer": answer})
        assert r.expected == RNN_EXPECTED_H and r.agrees is True
