"""`rnnquiz vary`: every bundled exercise's variants load, solve and agree with their own answers,
keep the file's decimals, signs and shapes, differ from it, and come back the same for a seed;
degenerate draws are redrawn and counted, and the bound on redraws is an error naming the file."""

from __future__ import annotations

import json
import math
import os
import subprocess
import sys

import numpy as np
import pytest
import yaml

import rnnquiz
from conftest import run
from export_expect import BUNDLED, ROOT
from rnnquiz.problem.redraw import decimals, is_number
from rnnquiz.teaching.vary import variants
from rnnquiz.types import TYPES, load_text

TEXT = ("title", "source", "answer", "question")
# the types whose variants change text rather than numbers
WORDS = {"choice", "bleu"}


def _docs():
    return [(path, p) for path in BUNDLED for p in rnnquiz.load(ROOT / path)]


def _walk(a, b, where=(), group=None):
    """(original, variant, key path, original's innermost list) of every number, after
    asserting the two have the same shape: keys, lengths, and where the numbers are."""
    if isinstance(a, dict):
        assert isinstance(b, dict) and list(a) == list(b), where
        for k in a:
            yield from _walk(a[k], b[k], where + (k,))
    elif isinstance(a, list):
        assert isinstance(b, list) and len(a) == len(b), where
        inner = a if all(not isinstance(e, (list, dict)) for e in a) else None
        for i, (x, y) in enumerate(zip(a, b)):
            yield from _walk(x, y, where + (i,), inner)
    elif is_number(a):
        assert is_number(b) and type(a) is type(b), (where, a, b)
        yield a, b, where, group or [a]


def test_every_bundled_exercise_varies_into_keyed_variants_like_it():
    assert {p.type for _, p in _docs()} == set(TYPES)         # every type has an exercise
    for path, p in _docs():
        vs = variants(p, 2, 11)
        for v in vs:
            text = yaml.safe_dump(v.document, sort_keys=False, allow_unicode=True)
            (back,) = load_text(text, "variant.yaml")
            r = rnnquiz.solve(back)
            assert r.agrees is True, (path, v.k)
            assert back.type == p.type and back.notation == p.notation and back.round == p.round
            assert back.ask == p.ask, path
            assert f"variant {v.k}" in back.title and "seed 11" in back.source
            data = {k: e for k, e in v.document.items() if k not in TEXT}
            orig = {k: e for k, e in p.data.items() if k not in TEXT}
            assert data != orig, path                              # new numbers (or words)
            if p.type in WORDS:
                continue
            for a, b, where, group in _walk(orig, data):
                bits = isinstance(a, int) and set(group) <= {0, 1}
                if a == 0 and not bits:
                    assert b == 0, (path, where)                   # a zero stays zero
                elif not bits:
                    assert math.copysign(1, a) == math.copysign(1, b) and b != 0, (path, where)
                if isinstance(a, float):
                    assert decimals(b) <= max(decimals(e) for e in group if is_number(e)), \
                        (path, where, a, b)


def test_the_answers_read_back_by_solve_from_stdin_agree_with_varys_json():
    out = run("vary", "hinton_p3", "mit_lstm_states_1", "hinton_p2_choice", "--count", "3",
              "--seed", "5")
    assert out.exit_code == 0
    assert out.stdout.count("\n---\n") == 8
    solved = run("solve", "-", "--json", input=out.stdout)
    assert solved.exit_code == 0, solved.stderr
    rows = [json.loads(line) for line in solved.stdout.splitlines()]
    keyed = run("vary", "hinton_p3", "mit_lstm_states_1", "hinton_p2_choice", "--count", "3",
                "--seed", "5", "--json")
    records = [json.loads(line) for line in keyed.stdout.splitlines()]
    assert len(rows) == len(records) == 9
    assert all(r["agrees"] for r in rows)
    assert [r["answer"] for r in rows] == [r["answer"] for r in records]
    assert [r["variant"] for r in records] == [1, 2, 3] * 3
    assert all(r["redraws"] >= 0 and r["seed"] == 5 for r in records)


def _cli(*args, env=None):
    return subprocess.run([sys.executable, "-m", "rnnquiz", *args], capture_output=True,
                          text=True, cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT),
                                                    **(env or {})})


def test_the_same_seed_gives_byte_identical_variants_whatever_the_hash_seed():
    files = ["hinton_p3", "cs224n_a4_bleu", "beam_search_by_hand", "pytorch_lstm_params",
             "dlai_q3_many_to_one"]
    a = _cli("vary", *files, "--count", "3", "--seed", "9", env={"PYTHONHASHSEED": "1"})
    b = _cli("vary", *files, "--count", "3", "--seed", "9", env={"PYTHONHASHSEED": "2"})
    c = _cli("vary", *files, "--count", "3", "--seed", "10")
    assert a.returncode == b.returncode == c.returncode == 0, a.stderr
    assert a.stdout == b.stdout
    assert a.stdout != c.stdout
    first = [d["network"] for d in yaml.safe_load_all(a.stdout) if d["type"] == "forward"]
    other = [d["network"] for d in yaml.safe_load_all(c.stdout) if d["type"] == "forward"]
    assert first != other and len(first) == 3
    # --count 2 draws the first two of --count 3
    two = run("vary", "hinton_p3", "--count", "2", "--seed", "9")
    assert a.stdout.startswith(two.stdout)


def test_out_writes_one_file_a_variant_and_refuses_to_overwrite(tmp_path):
    out = run("vary", "cmu11785_hw3_ctc", "--count", "2", "--seed", "3", "--out", str(tmp_path))
    assert out.exit_code == 0, out.stderr
    names = sorted(os.listdir(tmp_path))
    assert names == [f"cmu11785_hw3_ctc_doc{d}_seed3_v{k}.yaml" for d in (1, 2, 3) for k in (1, 2)]
    for name in names:
        (p,) = rnnquiz.load(tmp_path / name)
        assert rnnquiz.solve(p).agrees is True
    again = run("vary", "cmu11785_hw3_ctc", "--count", "2", "--seed", "3", "--out", str(tmp_path))
    assert again.exit_code == 2 and "exists; use --force" in again.stderr
    assert run("vary", "cmu11785_hw3_ctc", "--count", "2", "--seed", "3", "--out",
               str(tmp_path), "--force").exit_code == 0


def test_a_vanishing_variant_keeps_the_files_verdict():
    for path, p in _docs():
        if p.type != "vanishing":
            continue
        for v in variants(p, 4, 2):
            assert v.result.answer == p.answer, path          # the file's published verdict


def test_a_draw_the_type_calls_degenerate_is_redrawn_and_counted(monkeypatch):
    calls = []

    def degenerate(original, variant):
        calls.append(variant.answer)
        return "forced for the test" if len(calls) <= 3 else None
    monkeypatch.setattr(TYPES["forward"], "degenerate", degenerate, raising=False)
    (p,) = rnnquiz.load(ROOT / "problems" / "hinton_p3.yaml")
    (v,) = variants(p, 1, 4)
    assert v.redraws == 3 and v.reasons == ["forced for the test"] * 3
    assert len(set(calls)) == 4                               # each redraw is a new draw
    calls.clear()
    out = run("vary", "hinton_p3", "--seed", "4", "--json")
    assert json.loads(out.stdout)["redraws"] == 3
    assert "variant 1 drawn 4 times (redrawn: forced for the test)" in out.stderr


TIE = """type: forward
network: {hidden: linear, output: linear, W_xh: 0.4, W_hh: 0, W_hy: 1, b_h: 0, b_y: 0, h_init: 0}
inputs: [1]
round: 0
ask: {quantity: y, t: 0}
"""


def test_a_rounding_step_meeting_an_exact_half_is_redrawn(tmp_path):
    # z_0 = W_xh·1 rounded to 0 places: W_xh = 0.5 (one draw in five) would be a tie
    (p,) = load_text(TIE, "tie.yaml")
    assert not any(s.tie for s in rnnquiz.solve(p).steps)
    kept = [v for seed in range(10) for v in variants(p, 3, seed)]
    assert any("exact .5 (at z_0)" in r for v in kept for r in v.reasons)
    assert all(v.document["network"]["W_xh"] != 0.5 for v in kept)
    assert not any(s.tie for v in kept for s in v.result.steps)


def test_the_bound_on_redraws_is_an_error_naming_the_file_with_exit_2(tmp_path):
    path = tmp_path / "zeros.yaml"
    path.write_text(TIE.replace("W_xh: 0.4", "W_xh: 0").replace("W_hy: 1", "W_hy: 0")
                    .replace("[1]", "[0]"), encoding="utf-8")
    out = run("vary", str(path), "--count", "2", "--seed", "1", "--out", str(tmp_path / "o"))
    assert out.exit_code == 2
    assert out.stderr.startswith(f"error: {path}: variant 1 (seed 1): every one of 51 draws")
    assert "the file's own numbers" in out.stderr and out.stderr.count("\n") == 1
    assert not (tmp_path / "o").exists()                      # nothing written


# ---------------------------------------------------------------- independent recomputations

def _doc_variants(name, count=3, seed=7, index=0):
    p = rnnquiz.load(ROOT / "problems" / f"{name}.yaml")[index]
    return [v.document for v in variants(p, count, seed)]


def test_a_forward_variant_recomputed_by_hand():
    for d in _doc_variants("hinton_p3"):
        n = d["network"]
        h = n["h_init"]
        ys = []
        for x in d["inputs"]:
            h = 1 / (1 + math.exp(-(n["W_xh"] * x + n["W_hh"] * h + n["b_h"])))
            ys.append(n["W_hy"] * h + n["b_y"])
        assert d["answer"] == round(ys[1], 2)


def test_clip_perplexity_and_bits_variants_recomputed_with_numpy():
    for d in _doc_variants("d2l_9_5_clip_norm", index=0):
        g = np.concatenate([np.ravel(v) for v in d["gradients"].values()])
        scale = min(1.0, d["norm"] / np.linalg.norm(g))
        assert np.allclose(d["answer"], np.round(np.asarray(d["gradients"]["dW_hh"]) * scale, 4))
    for d in _doc_variants("perplexity_by_hand", index=0):
        p = np.asarray(d["probabilities"])
        assert 0 < p.min() and p.max() <= 1
        assert d["answer"] == pytest.approx(math.exp(-np.mean(np.log(p))), rel=1e-12)
    for d in _doc_variants("hinton_p1", count=5):
        assert d["answer"] == math.log2(d["states"]) and d["answer"] == int(d["answer"])


def test_a_pytorch_lstm_parameter_count_variant_against_torch():
    torch = pytest.importorskip("torch")
    for d in _doc_variants("pytorch_lstm_params", count=4):
        model = torch.nn.LSTM(d["input"], d["hidden"])
        assert d["answer"] == sum(t.numel() for t in model.parameters())


def test_a_ctc_loss_variant_against_torch():
    torch = pytest.importorskip("torch")
    for d in _doc_variants("cmu11785_hw3_ctc", index=0):
        logits = torch.tensor(d["logits"], dtype=torch.float64)
        target = torch.tensor([[1 + d["symbols"].index(s) for s in d["target"]]])
        loss = torch.nn.functional.ctc_loss(logits.log_softmax(-1)[:, None, :], target,
                                            [len(d["logits"])], [len(d["target"])], blank=0,
                                            reduction="sum")
        assert d["answer"] == round(float(loss), 6)
        rows = np.exp(np.asarray(d["logits"]))
        assert np.asarray(d["logits"]).shape == (6, 4) and rows.all()


def test_a_choice_variant_keeps_its_right_options_by_content():
    (p,) = rnnquiz.load(ROOT / "problems" / "hinton_p2_choice.yaml")
    right = {p.options[i - 1] for i in p.correct}
    orders = set()
    for d in _doc_variants("hinton_p2_choice", count=5):
        assert sorted(d["options"]) == sorted(p.options)
        assert {d["options"][i - 1] for i in d["correct"]} == right
        assert d["answer"] == d["correct"]
        orders.add(tuple(d["options"]))
    assert len(orders) > 1 and tuple(p.options) not in orders


def test_probability_rows_stay_distributions_at_their_decimals():
    for d in _doc_variants("graves_best_path_misses", count=4, index=0):
        for row in d["probabilities"]:
            assert sum(row) == pytest.approx(1, abs=1e-12) and min(row) > 0
            assert all(decimals(v) <= 1 for v in row)
    for d in _doc_variants("d2l_10_8_greedy", count=4, index=1):
        assert d["answer"] == ["A", "B", "C", "<eos>"]          # the search keeps its path
        for row in d["tables"].values():
            assert sum(row) == pytest.approx(1, abs=1e-12)


def test_a_bleu_variant_draws_its_words_from_the_files_vocabulary():
    (p,) = rnnquiz.load(ROOT / "problems" / "cs224n_a4_bleu.yaml")[:1]
    vocab = set(p.data["candidate"].split()) | {w for r in p.data["references"] for w in r.split()}
    for d in _doc_variants("cs224n_a4_bleu", count=4):
        words = d["candidate"].split()
        assert len(words) == len(p.data["candidate"].split()) and set(words) <= vocab
        assert d["candidate"] != p.data["candidate"] and d["references"] == p.data["references"]
        assert d["answer"] > 0


def test_the_python_api_returns_keyed_problems_from_a_problem_or_a_dict():
    (p,) = rnnquiz.load(ROOT / "problems" / "mit_lstm_states_1.yaml")
    got = rnnquiz.vary(p, count=2, seed=3)
    again = rnnquiz.vary(dict(p.data), count=2, seed=3)
    # the same numbers; only the source differs (a dict has no file to name)
    assert [{**q.data, "source": ""} for q in got] == [{**q.data, "source": ""} for q in again]
    for q in got:
        assert q.type == "lstm" and q.answer is not None and q.data["answer"] == q.answer
        assert rnnquiz.solve(q).agrees is True
        assert q.variant.seed == 3 and q.variant.redraws >= 0
    assert got[0].data["inputs"] != got[1].data["inputs"] or \
        got[0].data["network"] != got[1].data["network"]


def test_one_hot_inputs_stay_one_hot_and_bits_stay_bits():
    for d in _doc_variants("karpathy_min_char_rnn", count=5):
        assert all(sorted(row) == [0, 1] for row in d["inputs"])
    seen = set()
    for d in _doc_variants("mit_lstm_states_1", count=5):
        assert set(d["inputs"]) <= {0, 1} and len(d["inputs"]) == 6
        seen.add(tuple(d["inputs"]))
    assert len(seen) > 1


def test_a_models_widths_that_depend_on_each_other_stay_consistent():
    for d in _doc_variants("dlai_nmt_attention_model", count=4):
        bi, attention, energy, post, _ = d["model"]
        # the attention reads [a_t; s_{t-1}]: the Bi-LSTM's two directions and the post-LSTM
        assert attention["input"] == 2 * bi["hidden"] + post["hidden"]
        assert post["input"] == 2 * bi["hidden"] and energy["output"] == 1
    for d in _doc_variants("dlai_q7_gate_dim", count=4):
        assert d["answer"] == d["hidden"] and d["input"] % 1000 == 0


def test_an_lstm_step_variant_recomputed_with_numpy_as_cs231n_writes_it():
    for d in _doc_variants("cs231n_lstm_step_parts", count=2):
        n = d["network"]
        x = np.asarray(d["inputs"])[:, 0, :] if np.ndim(d["inputs"]) == 3 else np.asarray(d["inputs"])
        a = x @ np.asarray(n["Wx"]) + np.asarray(n["h0"]) @ np.asarray(n["Wh"]) + np.asarray(n["b"])
        i, f, o, g = np.split(a, 4, axis=-1)
        sig = lambda z: 1 / (1 + np.exp(-z))                     # noqa: E731
        c = sig(f) * np.asarray(n["c0"]) + sig(i) * np.tanh(g)
        h = sig(o) * np.tanh(c)
        # the key at 8 decimals: within half a unit of the last place of the exact value
        np.testing.assert_allclose(np.asarray(d["answer"][0]).reshape(c.shape), c, rtol=0,
                                   atol=0.5e-8 + 1e-15)
        np.testing.assert_allclose(np.asarray(d["answer"][1]).reshape(h.shape), h, rtol=0,
                                   atol=0.5e-8 + 1e-15)


def test_a_row_of_log_probabilities_is_redrawn_as_a_distribution_at_its_decimals():
    from rnnquiz.problem.redraw import log_distribution
    rng = np.random.default_rng(3)
    row = [-2.3026, -2.3026, -0.5108, -1.6094]
    for _ in range(20):
        new = log_distribution(row, rng)
        assert len(new) == 4 and max(new) <= 0 and new != row
        assert all(decimals(v) <= 4 for v in new)
        # rounded at 4 places: each probability within e^(±0.00005) of a distribution's
        assert math.fsum(math.exp(v) for v in new) == pytest.approx(1, abs=4 * 5e-5)


def test_two_files_of_one_name_get_files_of_their_own(tmp_path):
    for sub in ("a", "b"):
        (tmp_path / sub).mkdir()
        (tmp_path / sub / "ex.yaml").write_text((ROOT / "problems" / "hinton_p3.yaml")
                                                .read_text(encoding="utf-8"), encoding="utf-8")
    out = run("vary", str(tmp_path / "a" / "ex.yaml"), str(tmp_path / "b" / "ex.yaml"),
              "--count", "2", "--seed", "1", "--out", str(tmp_path / "o"))
    assert out.exit_code == 0, out.stderr
    assert sorted(os.listdir(tmp_path / "o")) == ["ex_seed1_v1.yaml", "ex_seed1_v1_2.yaml",
                                                  "ex_seed1_v2.yaml", "ex_seed1_v2_2.yaml"]
    assert out.stdout.splitlines() == [str(tmp_path / "o" / n) for n in
                                       ("ex_seed1_v1.yaml", "ex_seed1_v2.yaml",
                                        "ex_seed1_v1_2.yaml", "ex_seed1_v2_2.yaml")]


def test_stdin_varies_like_the_file():
    text = (ROOT / "problems" / "hinton_p3.yaml").read_text(encoding="utf-8")
    piped = run("vary", "-", "--count", "2", "--seed", "6", "--json", input=text)
    named = run("vary", "hinton_p3", "--count", "2", "--seed", "6", "--json")
    assert piped.exit_code == named.exit_code == 0
    strip = [{k: v for k, v in json.loads(line).items() if k not in ("file", "problem")}
             for line in piped.stdout.splitlines()]
    assert strip == [{k: v for k, v in json.loads(line).items() if k not in ("file", "problem")}
                     for line in named.stdout.splitlines()]


BOUNDARY = """type: forward
network: {hidden: linear, output: linear, W_xh: 0.24, W_hh: 0, W_hy: 1, b_h: 0, b_y: 0, h_init: 0}
inputs: [1]
ask: {quantity: y, t: 0, digits: 1}
"""


def test_an_answer_on_a_boundary_of_its_digits_is_redrawn():
    # y_0 = W_xh at one decimal: W_xh = 0.15, 0.25 or 0.35 would sit on a .5 of the last digit
    (p,) = load_text(BOUNDARY, "boundary.yaml")
    kept = [v for seed in range(12) for v in variants(p, 3, seed)]
    assert any("rounding boundary" in r for v in kept for r in v.reasons)
    assert all(round(v.document["network"]["W_xh"] * 100) % 10 != 5 for v in kept)
