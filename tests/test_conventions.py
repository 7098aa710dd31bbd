"""`solve --conventions`: the asked quantity under every convention that changes it, the file's
own first, in every format and in the API; `rnnquiz conventions` and docs/conventions.md from
the same data. The values under the other conventions are worked here by hand (numpy)."""

from __future__ import annotations

import json

import numpy as np
import pytest
import yaml

import rnnquiz
from conftest import PROBLEMS, ROOT, run
from rnnquiz.teaching.conventions import catalogue, reference

SPEC_IDS = {"gru_update_old_state", "gru_update_candidate", "gru_reset_after",
            "gru_reset_before", "bias_two", "bias_one", "transposed", "steps_from_1",
            "steps_from_0", "loss_mean", "loss_sum", "loss_no_half", "loss_half", "log2",
            "clip_per_tensor", "clip_global", "ctc_mean", "ctc_sum", "beam_no_norm",
            "beam_norm", "bleu_add_one", "bleu_exp", "bleu_none"}


def sig(z):
    return 1 / (1 + np.exp(-z))


# a deeplearning.ai GRU of two units and one input: W on [c<t-1>, x<t>]
NET = {"W_u": [[0.4, -0.2, -0.7], [0.1, 0.3, 0.5]], "b_u": [0.2, -0.1],
       "W_r": [[-0.5, 0.4, 0.6], [0.2, -0.3, -0.8]], "b_r": [0.1, 0.3],
       "W_c": [[0.9, -0.6, 0.8], [0.5, 0.7, -0.4]], "b_c": [-0.3, 0.2], "c_init": [0.5, -0.4]}
XS = [1.0, -2.0]
DOC = {"type": "gru", "title": "a dlai GRU", "notation": "deeplearning_ai", "network": NET,
       "inputs": XS, "ask": {"t": 2, "digits": 4}}


def by_hand(rule: str) -> np.ndarray:
    """c<2> by each rule: ng (deeplearning.ai), fully_gated (Cho), pytorch (reset after W)."""
    W = {k: np.array(v) for k, v in NET.items()}
    c = W["c_init"]
    for x in XS:
        u = sig(W["W_u"] @ np.append(c, x) + W["b_u"])
        r = sig(W["W_r"] @ np.append(c, x) + W["b_r"])
        Wch, Wcx = W["W_c"][:, :2], W["W_c"][:, 2]
        if rule == "pytorch":
            cand = np.tanh(Wcx * x + W["b_c"] + r * (Wch @ c))
        else:
            cand = np.tanh(Wch @ (r * c) + Wcx * x + W["b_c"])
        c = u * cand + (1 - u) * c if rule == "ng" else (1 - u) * cand + u * c
    return c


@pytest.fixture()
def gru_file(tmp_path):
    f = tmp_path / "dlai_gru.yaml"
    f.write_text(yaml.safe_dump(DOC), encoding="utf-8")
    return str(f)


def test_json_lists_the_files_own_first_then_each_convention(gru_file):
    r = run("solve", gru_file, "--conventions", "--json")
    assert r.exit_code == 0
    rows = json.loads(r.stdout)["conventions"]
    assert rows[0]["own"] is True
    assert rows[0]["answer"] == pytest.approx(by_hand("ng"), abs=1e-12)
    assert "gru_update_candidate" in rows[0]["id"].split("+")
    got = {row["id"]: row["answer"] for row in rows[1:]}
    assert got["gru_update_old_state"] == pytest.approx(by_hand("fully_gated"), abs=1e-12)
    assert got["gru_update_old_state+gru_reset_after"] == pytest.approx(by_hand("pytorch"),
                                                                        abs=1e-12)
    assert all(row["own"] is False and row["label"] for row in rows[1:])


def test_every_format_shows_the_table(gru_file):
    for fmt in ("table", "markdown", "latex", "html"):
        r = run("solve", gru_file, "--conventions", "--format", fmt, terminal_width=200)
        assert r.exit_code == 0, fmt
        assert "The answer under each convention" in r.stdout, fmt
        assert "PyTorch" in r.stdout and f"{by_hand('pytorch')[0]:.4f}" in r.stdout, fmt
    assert "The answer under each convention" not in run("solve", gru_file).stdout


def test_the_api_gives_the_same_rows(gru_file):
    (p,) = rnnquiz.load(gru_file)
    result = rnnquiz.solve(p, conventions=True)
    rows = json.loads(run("solve", gru_file, "--conventions", "--json").stdout)["conventions"]
    assert result.to_json()["conventions"] == rows
    assert "The answer under each convention" in result.render("markdown")
    assert "conventions" not in rnnquiz.solve(p).to_json()


def test_a_convention_that_does_not_change_the_answer_is_left_out():
    # d2l's W_hh is diagonal: transposed it is the same matrix
    rows = rnnquiz.solve(rnnquiz.load(PROBLEMS / "d2l_rnn_row_layout.yaml")[0],
                         conventions=True).extra["conventions"]
    assert [r["own"] for r in rows] == [True]


def test_steps_counted_from_1_in_hintons_problem_3():
    rows = rnnquiz.solve(rnnquiz.load(PROBLEMS / "hinton_p3.yaml")[0],
                         conventions=True).extra["conventions"]
    shifted = {r["id"]: r["answer"] for r in rows}["steps_from_1"]
    assert shifted == pytest.approx(-0.7 * sig(0.5 * 9 - 1), abs=1e-12)     # y_0 by hand


def test_every_row_differs_from_the_files_own_at_its_digits():
    for path in sorted(PROBLEMS.glob("*.yaml")):
        for p in rnnquiz.load(path):
            if p.options or p.ask.parts is not None:
                continue
            rows = rnnquiz.solve(p, steps=False, conventions=True).extra["conventions"]
            own = rows[0]["answer"]
            for row in rows[1:]:
                assert not rnnquiz.problem.answers.agree(row["answer"], own, p.ask.digits), \
                    (path.name, row["id"])


def test_the_catalogue_has_every_id_of_the_format():
    have = {c.id for c in catalogue()}
    assert SPEC_IDS <= have
    assert any(i.startswith("gate_order_") for i in have)
    assert all(c.label and c.topic and c.who for c in catalogue())


def test_rnnquiz_conventions_lists_them_all_and_docs_match():
    r = run("conventions", "--json")
    rows = json.loads(r.stdout)["conventions"]
    assert r.exit_code == 0 and SPEC_IDS <= {row["id"] for row in rows}
    assert rows == json.loads(json.dumps(reference()))
    md = run("conventions", "--format", "markdown").stdout
    assert md in (ROOT / "docs" / "conventions.md").read_text(encoding="utf-8")
    table = run("conventions").stdout
    assert "gru_update_old_state" in table and "PyTorch" in table


def _lstm_by_hand(W_i, W_h, b, xs, blocks: str):
    """One unit's h_t over the steps, the stacked blocks read in `blocks` (canonical letters)."""
    h = c = 0.0
    out = []
    for x in xs:
        z = dict(zip(blocks, np.array(W_i) * x + np.array(W_h) * h + np.array(b)))
        c = sig(z["f"]) * c + sig(z["i"]) * np.tanh(z["g"])
        h = sig(z["o"]) * np.tanh(c)
        out.append(h)
    return out


def test_a_stacked_file_lists_its_own_gate_order_then_the_other():
    """nn.LSTMCell's blocks i, f, g, o are the file's own; read in CS231n's i, f, o, g they give
    the other row (both worked here by hand); no other cell's gate order is listed. The keys
    may carry nn.LSTM's `_l0`; the initial states are not reordered."""
    W_i, W_h = [0.5, -0.4, 0.9, 0.3], [0.2, 0.1, -0.3, 0.6]
    b_i, b_h = [0.1, 0.2, -0.1, 0.05], [0.0, 0.1, 0.2, -0.3]
    b = np.add(b_i, b_h)
    for suffix in ("", "_l0"):
        net = {"weight_ih": [[w] for w in W_i], "weight_hh": [[w] for w in W_h],
               "bias_ih": b_i, "bias_hh": b_h}
        doc = {"type": "lstm", "notation": "pytorch", "inputs": [[1.0], [-0.5]],
               "network": {"h_init": [0.0], "c_init": [0.0],
                           **{k + suffix: v for k, v in net.items()}}, "ask": {"quantity": "h"}}
        rows = rnnquiz.solve(doc, steps=False, conventions=True).extra["conventions"]
        assert [(r["id"], r["own"]) for r in rows] == [("gate_order_ifgo", True),
                                                       ("gate_order_ifog", False)], suffix
        assert rows[0]["label"] == "this exercise's own (PyTorch)"
        assert np.ravel(rows[0]["answer"]) == pytest.approx(
            _lstm_by_hand(W_i, W_h, b, [1.0, -0.5], "ifgo"), rel=1e-12)
        assert np.ravel(rows[1]["answer"]) == pytest.approx(
            _lstm_by_hand(W_i, W_h, b, [1.0, -0.5], "ifog"), rel=1e-12)


def test_a_file_without_a_network_names_no_course_in_its_own_row():
    p = rnnquiz.load(PROBLEMS / "cmu11785_hw3_ctc.yaml")[0]
    rows = rnnquiz.solve(p, steps=False, conventions=True).extra["conventions"]
    assert rows[0]["label"] == "this exercise's own convention"


def test_steps_counted_from_0_read_the_first_step_of_a_file_counting_from_1():
    """deeplearning.ai asked c<1> of two steps: read from 0, t = 1 is its second step, c<2>."""
    rows = rnnquiz.solve({**DOC, "ask": {"t": 1, "digits": 4}}, steps=False,
                         conventions=True).extra["conventions"]
    got = {r["id"]: r["answer"] for r in rows}
    assert got["steps_from_0"] == pytest.approx(by_hand("ng"), abs=1e-12)


def test_the_last_step_of_a_file_counting_from_1_has_no_step_numbering_row():
    """c<2> is the last of two steps: read from 0 it would be a third step, which the file has
    not, so no step numbering is listed, not even the file's own."""
    rows = rnnquiz.solve(DOC, steps=False, conventions=True).extra["conventions"]
    assert [r["id"] for r in rows] == ["gru_update_candidate+gru_reset_before",
                                       "gru_update_old_state",
                                       "gru_update_old_state+gru_reset_after"]
