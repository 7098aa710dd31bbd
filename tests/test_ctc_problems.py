"""`type: ctc` end to end (SPEC 1.12): the bundled problems through `rnnquiz solve` and
`rnnquiz.solve`, against hand-worked numbers and torch's ctc_loss; its errors by key and line;
its slips; the `rnnquiz ctc` calculator; `rnnquiz new ctc`."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest

import rnnquiz
from conftest import run

Y = [[0.5, 0.3, 0.2], [0.4, 0.4, 0.2], [0.3, 0.2, 0.5], [0.6, 0.1, 0.3]]
P_AB = 0.1608 + 0.1458          # α_4(5) + α_4(4) of SPEC 1.12's example, worked by hand
SPEC = {"type": "ctc", "symbols": ["a", "b"], "probabilities": Y, "target": ["a", "b"]}


def lines(r):
    return [json.loads(x) for x in r.stdout.splitlines()]


def answer(**kw):
    return rnnquiz.solve({**SPEC, **kw}).answer


def test_graves_best_path_misses_the_labelling_a():
    # by hand: p(A) = 0.3·0.6 + 0.7·0.4 + 0.3·0.4 = 0.58 > p(--) = 0.7·0.6 = 0.42
    r = run("solve", "problems/graves_best_path_misses.yaml", "--json")
    assert r.exit_code == 0, r.output
    out = lines(r)
    assert out[0]["answer"] == pytest.approx(0.58, abs=1e-15)
    assert out[1]["answer"] == pytest.approx(0.42, abs=1e-15)
    assert out[2]["answer"] == "A"
    greedy = rnnquiz.solve({"type": "ctc", "symbols": ["A"], "method": "greedy",
                            "probabilities": [[0.7, 0.3], [0.6, 0.4]]})
    assert greedy.answer == "" and greedy.values["path"] == "--"


def test_cookbook_collapses_and_the_blanks_first_slip_is_diagnosed():
    r = run("solve", "problems/dlai_ctc_cookbook.yaml", "--json")
    assert r.exit_code == 0 and lines(r)[0]["answer"] == "cookbook"
    r = run("check", "problems/dlai_ctc_cookbook.yaml", "--answer", "cokbok", "--json")
    assert r.exit_code == 1
    assert [d["slip"] for d in json.loads(r.stdout)["diagnosis"]] == ["ctc_blanks_first"]


def test_the_no_skip_slip_reproduces_the_loss_without_the_a_to_b_transition():
    # without the skip α_t(4) may not come from α_{t-1}(2): by hand, the alignments of "ab"
    # over 4 frames that pass through a blank between a and b: a-b- ... summed
    paths = ["a-b-", "a-bb", "aa-b", "a--b", "-a-b", "aa-b"]
    y = np.array(Y)
    col = {"-": 0, "a": 1, "b": 2}
    p = sum(math.prod(y[t, col[c]] for t, c in enumerate(path)) for path in set(paths))
    wrong = f"{-math.log(p):.4f}"
    doc = {**SPEC, "ask": {"quantity": "loss", "digits": 4}}
    verdict = rnnquiz.check(doc, wrong)
    assert verdict["agrees"] is False
    assert "ctc_blank_between" in [d["slip"] for d in verdict["diagnosis"]]


def test_cmu11785_problem_against_torch_ctc_loss():
    torch = pytest.importorskip("torch")
    import yaml
    docs = list(yaml.safe_load_all(open("problems/cmu11785_hw3_ctc.yaml", encoding="utf-8")))
    u = torch.tensor(docs[0]["logits"], dtype=torch.float64, requires_grad=True)
    lp = torch.log_softmax(u, 1)
    target = torch.tensor([[1, 2, 2, 1]])
    T = u.shape[0]
    loss = torch.nn.functional.ctc_loss(lp.unsqueeze(1), target, torch.tensor([T]),
                                        torch.tensor([4]), blank=0, reduction="sum")
    loss.backward()
    lp2 = lp.detach().clone().requires_grad_(True)
    torch.nn.functional.ctc_loss(lp2.unsqueeze(1), target, torch.tensor([T]), torch.tensor([4]),
                                 blank=0, reduction="sum").backward()
    gamma_k = lp.detach().exp() - lp2.grad           # torch's log-prob gradient is y - γ
    divergence = -(gamma_k * lp.detach()).sum().item()
    r = run("solve", "problems/cmu11785_hw3_ctc.yaml", "--json")
    assert r.exit_code == 0, r.output
    out = lines(r)
    assert out[0]["answer"] == pytest.approx(loss.item(), rel=1e-12)
    assert out[1]["answer"] == pytest.approx(divergence, rel=1e-12)
    assert out[2]["answer"] == pytest.approx(u.grad[2].tolist(), rel=1e-10, abs=1e-14)


@pytest.mark.parametrize("reduction", ["sum", "mean"])
def test_blank_last_and_reduction_against_torch(reduction):
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(7)
    u = rng.normal(size=(6, 4))
    doc = {"type": "ctc", "symbols": ["a", "b", "c"], "blank_index": "last",
           "logits": u.tolist(), "target": "cab", "reduction": reduction,
           "ask": {"quantity": "dE/du"}}
    ours = rnnquiz.solve(doc)
    ut = torch.tensor(u, requires_grad=True)       # torch: blank last as blank=3
    loss = torch.nn.functional.ctc_loss(torch.log_softmax(ut, 1).unsqueeze(1),
                                        torch.tensor([[2, 0, 1]]), torch.tensor([6]),
                                        torch.tensor([3]), blank=3, reduction=reduction)
    loss.backward()
    assert np.allclose(ours.answer, ut.grad.numpy(), rtol=1e-10, atol=1e-14)
    assert ours.values["loss"] == pytest.approx(loss.item(), rel=1e-12)


def test_spec_example_values_and_a_frame_as_the_notation_numbers_it():
    assert answer(ask={"quantity": "probability"}) == pytest.approx(P_AB, rel=1e-12)
    assert answer() == pytest.approx(-math.log(P_AB), rel=1e-12)
    assert answer(ask={"quantity": "extended"}) == "-a-b-"
    # α_1 = (y_1(-), y_1(a), 0, 0, 0); Graves numbers frames from 1, 11-785 from 0
    assert answer(ask={"quantity": "alpha", "t": 1}) == pytest.approx([0.5, 0.3, 0, 0, 0])
    assert answer(notation="cmu11785", ask={"quantity": "alpha", "t": 0}) == \
        pytest.approx([0.5, 0.3, 0, 0, 0])
    gamma = answer(ask={"quantity": "gamma"})
    assert np.allclose(np.sum(gamma, axis=1), 1.0)


def test_the_greedy_path_of_the_spec_example():
    # argmax by frame: -, - (a tie 0.4/0.4 to the lowest column), b, -  ->  "b"
    r = rnnquiz.solve({**SPEC, "method": "greedy"})
    assert r.answer == "b" and r.values["path"] == "--b-"
    assert r.values["probability"] == pytest.approx(0.5 * 0.4 * 0.5 * 0.6)


@pytest.mark.parametrize("doc, where, words", [
    ({"probabilities": [[0.5, 0.3, 0.2], [0.5, 0.3, 0.3]]}, "probabilities[1]", "sums to 1.1"),
    ({"target": "aaab"}, "target", "needs at least 6 frames"),
    ({"target": "ababa"}, "target", "but there are 4"),
    ({"target": "ax"}, "target[1]", "'x' is not one of a, b"),
    ({"blank_index": 0}, "blank_index", "expected one of first, last"),
    ({"method": "beam"}, "beam", "needs its width"),
    ({"beam": 2}, "beam", "leave it out"),
    ({"loss": "ce"}, "loss", "nll, expected_divergence"),
    ({"ask": {"quantity": "alpha", "t": 0}}, "ask.t", "from 1 to 4"),
    ({"symbols": ["a", "-"]}, "symbols[1]", "the blank's name"),
    ({"logits": Y}, "logits", "not both"),
    ({"path": "a-c"}, "path[2]", "'c' is not one of"),
])
def test_bad_input_is_named_by_key_and_line(tmp_path, doc, where, words):
    import yaml
    f = tmp_path / "bad.yaml"
    plain = json.loads(json.dumps({**SPEC, **doc}))         # no shared rows: no YAML anchors
    f.write_text(yaml.safe_dump(plain, default_flow_style=None), encoding="utf-8")
    r = run("solve", str(f))
    assert r.exit_code == 2
    assert f"bad.yaml:" in r.stderr and f"{where}:" in r.stderr and words in r.stderr, r.stderr
    assert "Traceback" not in r.stderr


def test_an_underflowed_alpha_is_an_error_and_log_alpha_its_answer():
    torch = pytest.importorskip("torch")
    T = 400                           # every α_t(s) below 0.001^T: far below float64's range
    y = np.full((T, 4), 0.001)
    y[:, 3] = 0.997                   # the likely symbol c is not in the target
    doc = {"type": "ctc", "symbols": ["a", "b", "c"], "probabilities": y.tolist(),
           "target": "ab"}
    with pytest.raises(rnnquiz.ProblemError, match="alpha underflows.*log_alpha"):
        rnnquiz.solve({**doc, "ask": {"quantity": "alpha"}})
    whole = rnnquiz.solve({**doc, "ask": {"quantity": "log_alpha"}})   # α_1(3) = 0: ln 0
    assert whole.answer[0][2] == -np.inf and any("ln 0" in n for n in whole.notes)
    last = rnnquiz.solve({**doc, "ask": {"quantity": "log_alpha", "t": T}}).answer
    log_alpha = np.array([last])
    lp = torch.log(torch.tensor(y)).unsqueeze(1)
    nll = torch.nn.functional.ctc_loss(lp, torch.tensor([[1, 2]]), torch.tensor([T]),
                                       torch.tensor([2]), blank=0, reduction="sum").item()
    assert np.logaddexp(log_alpha[-1, -1], log_alpha[-1, -2]) == pytest.approx(-nll, rel=1e-12)


def test_the_calculator_solves_the_spec_example_and_takes_options():
    r = run("ctc", "--json")
    assert r.exit_code == 0 and lines(r)[0]["answer"] == pytest.approx(-math.log(P_AB))
    r = run("ctc", "--method", "greedy", "--json")
    assert lines(r)[0]["answer"] == "b"
    r = run("ctc", "--path", "c_oo_o_kk___b_ooooo__oo__kkk", "--blank", "_", "--symbols",
            "c,o,k,b", "--json")
    assert lines(r)[0]["answer"] == "cookbook"
    r = run("ctc", "--fresh", "--symbols", "A", "--probabilities", "0.7,0.3;0.6,0.4",
            "--sequence", "A", "--answer", "0.58", "--digits", "2")
    assert r.exit_code == 0, r.output
    r = run("ctc", "--probabilities", "0.5,0.6")
    assert r.exit_code == 2 and "probabilities[0]" in r.stderr


@pytest.mark.parametrize("seed", range(8))
def test_new_ctc_writes_an_exercise_that_solves_to_its_answer(tmp_path, seed):
    r = run("new", "ctc", "--seed", str(seed))
    assert r.exit_code == 0, r.output
    f = tmp_path / "new.yaml"
    f.write_text(r.stdout, encoding="utf-8")
    r = run("solve", str(f), "--json")
    assert r.exit_code == 0 and lines(r)[0]["agrees"] is True, r.output


def test_tables_past_the_memory_limit_are_refused_before_solving():
    # 100,000 frames by the 80,001 positions of a 40,000-symbol target: ~10^12 bytes of tables
    doc = {"type": "ctc", "symbols": ["a", "b"], "probabilities": [[0.4, 0.3, 0.3]] * 100_000,
           "target": "ab" * 20_000}
    with pytest.raises(rnnquiz.ProblemError, match="100,000 frames by 80,001 positions"):
        rnnquiz.solve(doc)


def test_a_symbol_named_by_a_number_past_4300_digits_is_an_error_by_key():
    # str() of such an int raises ValueError; the promise is a ProblemError naming the key
    import rnnquiz
    doc = {"type": "ctc", "symbols": [10 ** 5000], "probabilities": [[0.5, 0.5]],
           "target": []}
    with pytest.raises(rnnquiz.ProblemError, match=r"symbols\[0\].*very large number"):
        rnnquiz.solve(doc)
