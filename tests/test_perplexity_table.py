"""Perplexity from a table of log-probabilities with padding (rnnquiz/types/perplexity/), as
the NLP specialisation's Deep N-grams assignment computes it: its numpy formula written out
here, torch's nll_loss with ignore_index, and values by hand."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest
import yaml

import rnnquiz
from conftest import PROBLEMS, run

FILE = PROBLEMS / "dlai_nlp_perplexity_padding.yaml"


def assignment(preds, target, pad):
    """The assignment's log_perplexity for one line (a batch of one), in plain numpy."""
    preds, target = np.asarray(preds)[None], np.asarray(target)[None]
    log_p = np.sum(preds * np.eye(preds.shape[-1])[target], axis=-1)
    non_pad = 1.0 - np.equal(target, pad)
    log_ppx = np.sum(log_p * non_pad, axis=-1) / np.sum(non_pad, axis=-1)
    return -np.mean(log_ppx)


def table(logp, targets, pad=None, quantity="perplexity"):
    doc = {"type": "perplexity", "log_probabilities": logp, "targets": targets,
           "ask": {"quantity": quantity}}
    if pad is not None:
        doc["pad"] = pad
    return rnnquiz.solve(doc)


def test_the_bundled_table_is_the_assignments_formula():
    for doc in yaml.safe_load_all(FILE.read_text(encoding="utf-8")):
        log_ppx = assignment(doc["log_probabilities"], doc["targets"], doc["pad"])
        r = rnnquiz.solve(doc)
        assert r.agrees
        assert r.values["log_perplexity"] == pytest.approx(log_ppx, rel=1e-14)
        assert r.values["perplexity"] == pytest.approx(math.exp(log_ppx), rel=1e-14)
    # by hand: (0.5108 + 0.6931 + 0.7985)/3 = 0.667467, its exp 1.949293
    assert r.values["log_perplexity"] == pytest.approx(2.0024 / 3, abs=1e-12)


def test_by_hand_without_padding_the_first_position_counts():
    logp = [[math.log(0.5), math.log(0.5)], [math.log(0.25), math.log(0.75)]]
    r = table(logp, [0, 0])
    # (ln 2 + ln 4)/2 = 1.5 ln 2: perplexity 2^1.5
    assert r.values["log_perplexity"] == pytest.approx(1.5 * math.log(2), rel=1e-15)
    assert r.answer == pytest.approx(2 ** 1.5, rel=1e-15)
    assert r.values["E"] == pytest.approx(3 * math.log(2), rel=1e-15)


def test_the_pad_positions_are_left_out_wherever_they_are():
    logp = [[math.log(0.25)] * 4, [math.log(0.5), math.log(0.5), -50, -50],
            [math.log(0.1), math.log(0.2), math.log(0.3), math.log(0.4)]]
    # pad 0: position 1 (target 3, p 1/4) and position 3 (target 2, p 0.3) count
    r = table(logp, [3, 0, 2], pad=0)
    expect = -(math.log(0.25) + math.log(0.3)) / 2
    assert r.values["log_perplexity"] == pytest.approx(expect, rel=1e-15)
    non_pad = next(s for s in r.steps if s.symbol == "non_pad")
    assert non_pad.value == [1, 0, 1]
    # a pad id that no target takes leaves every position in
    all_in = table(logp, [3, 0, 2], pad=3 + 7)
    assert all_in.values["log_perplexity"] == pytest.approx(
        -(math.log(0.25) + math.log(0.5) + math.log(0.3)) / 3, rel=1e-15)


def test_torch_nll_loss_with_ignore_index_is_the_same_mean():
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(7)
    for T, V, pad in ((6, 5, 1), (9, 3, 0), (4, 8, 2)):
        logits = rng.normal(size=(T, V)) * 2
        logp = torch.log_softmax(torch.tensor(logits), dim=-1)
        targets = rng.integers(0, V, size=T)
        targets[0] = (pad + 1) % V           # at least one position counts
        loss = torch.nn.functional.nll_loss(logp, torch.tensor(targets), ignore_index=pad)
        r = table(logp.tolist(), targets.tolist(), pad=pad)
        assert r.values["log_perplexity"] == pytest.approx(loss.item(), rel=1e-12)
        assert r.answer == pytest.approx(math.exp(loss.item()), rel=1e-12)


def test_check_names_the_padding_averaged_in():
    out = run("check", str(FILE), "--answer", "2.0593", "--json")
    assert out.exit_code == 1
    first = json.loads(out.stdout)["diagnosis"][0]
    assert (first["slip"], first["departs_at"]) == ("pad_counted", "non_pad")
    assert first["value"] == pytest.approx(math.exp(0.72236), rel=1e-12)


@pytest.mark.parametrize("change,where", [
    ({"targets": [2, 0, 3, 1]}, "targets"),
    ({"targets": [2, 0, 4, 1, 1]}, "targets[2]"),
    ({"targets": [2, 0, 3, 1, 1.5]}, "targets[4]"),
    ({"pad": 2, "targets": [2, 2, 2, 2, 2]}, "targets"),
    ({"pad": -1}, "pad"),
    ({"log_probabilities": [[0.1, 0.2, 0.3, 0.4]] * 5}, "log_probabilities[0][0]"),
    ({"log_probabilities": [[-0.1, -0.2, -0.3, -0.4]] * 5}, "log_probabilities[0]"),
    ({"log_probabilities": [-0.1, -0.2, -0.3, -0.4, -0.5]}, "log_probabilities"),
    ({"probabilities": [0.5]}, "log_probabilities"),
])
def test_bad_tables_are_named_by_key(tmp_path, change, where):
    doc = next(yaml.safe_load_all(FILE.read_text(encoding="utf-8")))
    doc.update(change)
    doc.pop("answer")
    path = tmp_path / "bad.yaml"
    path.write_text(json.dumps(doc), encoding="utf-8")     # JSON is YAML, without anchors
    out = run("solve", str(path))
    assert out.exit_code == 2
    assert where in out.stderr and "Traceback" not in out.stderr
    assert len(out.stderr.strip().splitlines()) == 1


def test_targets_and_pad_belong_to_a_table():
    with pytest.raises(rnnquiz.ProblemError) as err:
        rnnquiz.solve({"type": "perplexity", "probabilities": [0.5, 0.25], "pad": 0})
    assert err.value.keys == ("pad",)
