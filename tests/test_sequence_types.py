"""clip, perplexity and decode (SPEC 1.11) against independent references: PyTorch's
clip_grad_norm_ and clip_grad_value_, deeplearning.ai's published clip() outputs, d2l 10.8's
0.048 and 0.054, beam searches worked by hand and an exhaustive search, math.exp of a hand mean.
"""

import itertools
import json
import math
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

import rnnquiz
from rnnquiz.cli.commands import cli
from conftest import run

PROBLEMS = Path(__file__).resolve().parent.parent / "problems"


def solve(doc, **ask):
    doc = {k: v for k, v in doc.items() if k != "answer"}
    if ask:
        doc["ask"] = ask
    return rnnquiz.solve(doc)


def document(name, i=0):
    return dict(rnnquiz.load(PROBLEMS / f"{name}.yaml")[i].data)


# ---------------------------------------------------------------- clip

def dinosaur_gradients():
    """The deeplearning.ai notebook's test: numpy's legacy generator, seed 3, in this order."""
    rng = np.random.RandomState(3)
    shapes = {"dWax": (5, 3), "dWaa": (5, 5), "dWya": (2, 5), "db": (5, 1), "dby": (2, 1)}
    return {k: rng.randn(*s) * 10 for k, s in shapes.items()}


def test_dinosaur_island_file_holds_the_notebooks_gradients():
    doc = document("dlai_dinosaur_clip")
    for k, g in dinosaur_gradients().items():
        assert np.array_equal(np.asarray(doc["gradients"][k]), g), k


def test_dinosaur_island_published_clip_outputs():
    doc = document("dlai_dinosaur_clip")
    got = {k: np.asarray(solve(doc, quantity=k).answer) for k in ("dWaa", "dWax", "dWya", "db", "dby")}
    assert got["dWaa"][1][2] == 10.0
    assert got["dWax"][3][1] == -10.0
    assert round(got["dWya"][1][2], 11) == 0.29713815361
    assert got["db"][4].tolist() == [10.0]
    assert np.round(got["dby"][1], 8).tolist() == [8.45833407]
    assert got["db"].shape == (5, 1)                 # the shape the gradient is written with
    assert rnnquiz.solve(rnnquiz.load(PROBLEMS / "dlai_dinosaur_clip.yaml")[0]).agrees


def torch_grads(grads):
    torch = pytest.importorskip("torch")
    params = []
    for g in grads.values():
        t = torch.zeros(np.shape(g), dtype=torch.float64, requires_grad=True)
        t.grad = torch.tensor(np.asarray(g, dtype=float), dtype=torch.float64)
        params.append(t)
    return torch, params


@pytest.mark.parametrize("theta", [0.5, 3.0, 8.0, 100.0])
def test_clip_by_norm_matches_torch_clip_grad_norm(theta):
    rng = np.random.default_rng(7)
    grads = {"dW_xh": rng.normal(size=(3, 2)) * 3, "dW_hh": rng.normal(size=(3, 3)),
             "db_h": rng.normal(size=3).tolist(), "db_y": 1.5}
    grads = {k: (v.tolist() if isinstance(v, np.ndarray) else v) for k, v in grads.items()}
    torch, params = torch_grads(grads)
    total = torch.nn.utils.clip_grad_norm_(params, max_norm=theta)
    doc = {"type": "clip", "gradients": grads, "norm": theta}
    assert solve(doc, quantity="norm").answer == pytest.approx(float(total), rel=1e-12)
    for (name, _), t in zip(grads.items(), params):
        ours = np.asarray(solve(doc, quantity=name).answer, dtype=float)
        # torch divides by ‖g‖ + 1e-6; d2l and we by ‖g‖
        np.testing.assert_allclose(ours, t.grad.numpy(), rtol=1e-6, atol=0)
    if theta >= float(total):
        assert solve(doc, quantity="dW_hh").answer == grads["dW_hh"]     # nothing clipped


@pytest.mark.parametrize("theta", [0.3, 1.0, 10.0])
def test_clip_by_value_matches_torch_clip_grad_value(theta):
    rng = np.random.default_rng(3)
    grads = {"dWax": rng.normal(size=(4, 3)).tolist(), "db": rng.normal(size=4).tolist()}
    torch, params = torch_grads(grads)
    torch.nn.utils.clip_grad_value_(params, clip_value=theta)
    doc = {"type": "clip", "gradients": grads, "value": theta}
    for (name, _), t in zip(grads.items(), params):
        assert np.array_equal(np.asarray(solve(doc, quantity=name).answer), t.grad.numpy())


def test_global_norm_by_hand_and_the_working():
    r = rnnquiz.solve(rnnquiz.load(PROBLEMS / "d2l_9_5_clip_norm.yaml")[0])
    assert r.agrees and r.answer == pytest.approx([15 / 13, 20 / 13], rel=1e-15)
    o = r.to_json()
    norm = next(s for s in o["steps"] if s["symbol"] == "‖g‖")
    assert norm["working"] == "sqrt(25 + 144)" and norm["value"] == 13
    scale = next(s for s in o["steps"] if s["symbol"] == "θ/‖g‖")
    assert scale["working"] == "5/13"
    doc = document("d2l_9_5_clip_norm")
    assert solve(doc, quantity="db").answer == pytest.approx(60 / 13, rel=1e-15)
    doc.pop("ask")
    assert solve(doc).answer == {"dW_hh": pytest.approx([15 / 13, 20 / 13]),
                                 "db": pytest.approx(60 / 13)}


def test_own_norm_slip_and_its_diagnosis():
    f = str(PROBLEMS / "d2l_9_5_clip_norm.yaml")
    r = run("check", f, "--answer", "3,4", "--json")        # dW_hh's own norm is 5 = θ
    o = json.loads(r.stdout)
    # each tensor by its own norm is a convention (clip_by_norm, Keras' clipnorm), which the
    # own_norm slip also commits: the answer is the convention's (SPEC 1.16)
    assert r.exit_code == 1 and [d["id"] for d in o["diagnosis"]] == ["clip_per_tensor"]
    assert o["diagnosis"][0]["kind"] == "convention"


# ---------------------------------------------------------------- perplexity

def test_perplexity_is_exp_of_the_mean_by_hand():
    probs = [0.9, 0.6, 0.3, 0.05, 0.5]
    mean = (-math.log(0.9) - math.log(0.6) - math.log(0.3) - math.log(0.05) - math.log(0.5)) / 5
    doc = {"type": "perplexity", "probabilities": probs}
    assert solve(doc).answer == pytest.approx(math.exp(mean), rel=1e-14)
    assert solve(doc, quantity="cross_entropy").answer == pytest.approx(mean, rel=1e-14)
    assert solve(doc, quantity="E").answer == pytest.approx(5 * mean, rel=1e-14)
    (p,) = rnnquiz.load(PROBLEMS / "perplexity_by_hand.yaml")[:1]
    assert rnnquiz.solve(p).answer == pytest.approx(4.0, rel=1e-15)


def test_uniform_perplexity_is_the_vocabulary_size():
    ps = rnnquiz.load(PROBLEMS / "cs224n_uniform_perplexity.yaml")
    assert rnnquiz.solve(ps[0]).answer == 10000
    assert rnnquiz.solve(ps[1]).answer == pytest.approx(math.log(10000), rel=1e-15)
    assert all(rnnquiz.solve(p).agrees for p in ps)
    # the same from 10000 probabilities of 1/|V|: perplexity |V|
    doc = {"type": "perplexity", "probabilities": [1 / 10000] * 7}
    assert solve(doc).answer == pytest.approx(10000, rel=1e-12)


def test_summed_loss_slip_gives_exp_of_E():
    r = run("check", str(PROBLEMS / "perplexity_by_hand.yaml"), "--answer", "64", "--json")
    o = json.loads(r.stdout)
    assert r.exit_code == 1 and o["diagnosis"][0]["slip"] == "summed_loss"
    assert o["diagnosis"][0]["value"] == pytest.approx(math.exp(6 * math.log(2)))


# ---------------------------------------------------------------- decode

def test_d2l_greedy_is_not_optimal():
    greedy = rnnquiz.load(PROBLEMS / "d2l_10_8_greedy.yaml")
    assert rnnquiz.solve(greedy[0]).answer == pytest.approx(0.5 * 0.4 * 0.4 * 0.6, rel=1e-15)
    assert rnnquiz.solve(greedy[1]).answer == ["A", "B", "C", "<eos>"]
    (better,) = rnnquiz.load(PROBLEMS / "d2l_10_8_not_optimal.yaml")
    p = rnnquiz.solve(better).answer
    assert p == pytest.approx(0.054, rel=1e-12) and p > 0.048
    assert all(rnnquiz.solve(x).agrees for x in [*greedy, better])
    # the score: (1/L^α) Σ log P with L = 4 (eos counted), α = 0.75 as d2l sets it
    doc = document("d2l_10_8_not_optimal")
    score = solve({**doc, "alpha": 0.75}, quantity="score").answer
    assert score == pytest.approx(math.log(0.054) / 4 ** 0.75, rel=1e-12)
    # alpha has no default (SPEC 1.15): without it the score is log P itself
    assert solve(doc, quantity="score").answer == pytest.approx(math.log(0.054), rel=1e-12)


def test_greedy_working_names_each_choice_and_its_probability():
    o = rnnquiz.solve(rnnquiz.load(PROBLEMS / "d2l_10_8_greedy.yaml")[0]).to_json()
    choices = [(s["value"], s["note"]) for s in o["steps"] if s["symbol"].startswith("y_")]
    assert choices == [("A", "P(A) = 0.5"), ("B", "P(B | A) = 0.4"), ("C", "P(C | A B) = 0.4"),
                       ("<eos>", "P(<eos> | A B C) = 0.6")]


def test_beam_search_worked_by_hand():
    doc = document("beam_search_by_hand")
    r = solve(doc)
    assert r.answer == ["B", "C", "<eos>"]
    assert solve(doc, quantity="probability").answer == pytest.approx(0.3 * 0.7 * 0.8)
    assert solve(doc, quantity="score").answer == pytest.approx(math.log(0.168) / 3 ** 0.75)
    steps = r.to_json()["steps"]
    kept = {s["t"]: [] for s in steps if s.get("phase") == "beam search"}
    for s in steps:
        if s.get("phase") == "beam search" and s["note"].startswith("kept"):
            kept[s["t"]].append(s["symbol"])
    assert kept == {1: ["A", "B"], 2: ["A <eos>", "B C"], 3: ["B C C", "B C <eos>"],
                    4: ["B C C <eos>"]}
    finals = [s["symbol"] for s in steps if s.get("phase") == "final scores"]
    assert finals == ["score(A <eos>)", "score(B C <eos>)", "score(B C C <eos>)", "best"]
    # without length normalisation the short A <eos> wins; greedy (= beam 1) finds it too
    assert solve({**doc, "alpha": 0}).answer == ["A", "<eos>"]
    assert solve({**doc, "beam": 1}).answer == ["A", "<eos>"]
    assert solve({**doc, "method": "greedy"}).answer == ["A", "<eos>"]


def test_no_length_norm_slip_is_diagnosed():
    f = str(PROBLEMS / "beam_search_by_hand.yaml")
    o = json.loads(run("check", f, "--answer", "A,<eos>", "--json").stdout)
    # without the length normalisation is a convention too (SPEC 1.16): beam_no_norm
    assert o["agrees"] is False and o["diagnosis"][0]["slip"] == "beam_no_norm"
    assert run("check", f, "--answer", "B C <eos>").exit_code == 0


def exhaustive(doc):
    """The best score over every sequence that ends with eos or at max_length."""
    vocab, eos, L = doc["vocabulary"], doc["eos"], doc["max_length"]
    words = [v for v in vocab if v != eos]
    best = None
    for n in range(1, L + 1):
        for body in itertools.product(words, repeat=n - 1):
            for last in vocab:
                seq = (*body, last)
                if last != eos and n < L:
                    continue
                logp = sum(math.log(doc["tables"][" ".join(seq[:t])][vocab.index(tok)])
                           for t, tok in enumerate(seq))
                score = logp / n ** doc["alpha"]
                if best is None or score > best[0] + 1e-12:
                    best = (score, list(seq))
    return best


@pytest.mark.parametrize("seed", range(8))
def test_a_beam_wide_enough_is_exhaustive_search(seed):
    import yaml
    doc = yaml.safe_load(run("new", "decode", "--seed", str(seed)).stdout)
    doc.update(method="beam", beam=64, alpha=0.75)
    score, seq = exhaustive(doc)
    assert solve(doc, quantity="sequence").answer == seq
    assert solve(doc, quantity="score").answer == pytest.approx(score, rel=1e-12)


# ---------------------------------------------------------------- bad input

BAD = {
    "clip both": ("type: clip\ngradients: {dW: [1, 2]}\nvalue: 1\nnorm: 2\n",
                  ":4: norm: expected exactly one of value"),
    "clip neither": ("type: clip\ngradients: {dW: [1, 2]}\n", "value: expected exactly one"),
    "clip word": ("type: clip\ngradients:\n  dW: [1, x]\nnorm: 1\n",
                  ":3: gradients.dW[1]: expected a number, got 'x'"),
    "clip no gradients": ("type: clip\nnorm: 1\n", "gradients: missing"),
    "clip negative": ("type: clip\ngradients: {dW: 1}\nnorm: -1\n", "norm: expected a number > 0"),
    "clip unknown key": ("type: clip\ngradients: {dW: 1}\nvalues: 1\n", ":3: values: unknown key"),
    "clip quantity": ("type: clip\ngradients: {dW: 1}\nnorm: 1\nask: {quantity: dV}\n",
                      "ask.quantity: clip has no quantity 'dV'"),
    "clip reserved name": ("type: clip\ngradients: {norm: 1}\nnorm: 1\n",
                           "gradients.norm: 'norm' names a quantity"),
    "perplexity zero": ("type: perplexity\nprobabilities: [0.5, 0]\n",
                        ":2: probabilities[1]: expected a probability in (0, 1]"),
    "perplexity above one": ("type: perplexity\nprobabilities: [1.5]\n", "probabilities[0]"),
    "perplexity both": ("type: perplexity\nprobabilities: [0.5]\nvocabulary: 10\n",
                        "vocabulary: expected exactly one of probabilities"),
    "perplexity E": ("type: perplexity\nvocabulary: 10000\nask: {quantity: E}\n",
                     ":3: ask.quantity: E (the summed loss) needs probabilities"),
    "perplexity vocabulary": ("type: perplexity\nvocabulary: 0\n", "vocabulary: expected the "),
    "decode no table": ("type: decode\nvocabulary: [A, B, <eos>]\ntables:\n  '': [0.6, 0.3, 0.1]\n"
                        "  A: [0.2, 0.7, 0.1]\n", ":3: tables: no table for the prefix 'A B'"),
    "decode table length": ("type: decode\nvocabulary: [A, <eos>]\ntables:\n  '': [1]\n",
                            ":4: tables.: has 1 probabilities, expected 2"),
    "decode probability": ("type: decode\nvocabulary: [A, <eos>]\ntables:\n  A: [0.5, 1.4]\n",
                           ":4: tables.A[1]: expected a probability in [0, 1], got 1.4"),
    "decode prefix token": ("type: decode\nvocabulary: [A, <eos>]\ntables:\n  A D: [0.5, 0.5]\n",
                            "tables.A D: the prefix 'A D' holds 'D'"),
    "decode sequence token": ("type: decode\nvocabulary: [A, <eos>]\ntables: {'': [1, 0]}\n"
                              "sequence: [A, D]\n", "sequence[1]: 'D' is not in the vocabulary"),
    "decode method": ("type: decode\nvocabulary: [A, <eos>]\ntables: {'': [1, 0]}\n"
                      "method: sample\n", "method: expected one of greedy, beam, score"),
    "decode beam": ("type: decode\nvocabulary: [A, <eos>]\ntables: {'': [1, 0]}\nmethod: beam\n",
                    "beam: missing"),
    "decode eos": ("type: decode\nvocabulary: [A, B]\ntables: {'': [1, 0]}\n",
                   "eos: '<eos>' is not in the vocabulary"),
    "decode score prefix": ("type: decode\nvocabulary: [A, <eos>]\ntables: {'': [1, 0]}\n"
                            "sequence: [A, A, <eos>]\n", "tables: no table for the prefix 'A'"),
    "decode eos inside": ("type: decode\nvocabulary: [A, <eos>]\ntables: {'': [1, 0]}\n"
                          "sequence: [<eos>, A]\n", "sequence: '<eos>' ends a sequence"),
}


@pytest.mark.parametrize("name", sorted(BAD))
def test_bad_input_is_one_line_naming_the_key(tmp_path, name):
    text, fragment = BAD[name]
    f = tmp_path / "bad.yaml"
    f.write_text(text)
    for args, where, stdin in ((["solve", str(f), "--json"], str(f), None),
                               (["solve", "-"], "<stdin>", text)):
        r = CliRunner().invoke(cli, args, input=stdin)
        assert r.exit_code == 2, (r.exit_code, r.stdout, r.stderr)
        assert r.stdout == "" and r.stderr.count("\n") == 1, r.stderr
        assert r.stderr.startswith(f"error: {where}") and fragment in r.stderr, r.stderr


def test_token_answers_agree_as_words():
    doc = document("d2l_10_8_greedy", 1)
    assert rnnquiz.solve({**doc, "answer": "A B C <eos>"}).agrees is True
    assert rnnquiz.solve({**doc, "answer": ["A", "C", "B", "<eos>"]}).agrees is False
    r = run("check", str(PROBLEMS / "d2l_10_8_greedy.yaml"), "--answer", "0.048")
    assert r.exit_code == 0


def test_a_clip_answer_may_be_the_mapping_of_all_gradients():
    doc = {"type": "clip", "gradients": {"dW": [3, 4], "db": 12}, "norm": 5,
           "answer": {"dW": [1.1538, 1.5385], "db": 4.6154}, "ask": {"digits": 4}}
    assert rnnquiz.solve(doc).agrees is True
    doc["answer"]["db"] = 12
    assert rnnquiz.solve(doc).agrees is False


def test_words_in_a_numeric_answer_stay_an_error():
    with pytest.raises(rnnquiz.ProblemError, match=r"answer\[1\]: expected a number"):
        rnnquiz.solve({"type": "choice", "question": "Q", "options": ["a", "b"], "correct": [1],
                       "answer": [1, "2) 4"]})


def test_the_spec_example_whose_last_table_sums_to_1_2_is_solved_and_noted():
    tables = {"": [0.5, 0.2, 0.2, 0.1], "A": [0.1, 0.4, 0.3, 0.2], "A B": [0.2, 0.2, 0.4, 0.2],
              "A B C": [0.2, 0.2, 0.2, 0.6]}
    doc = {"type": "decode", "vocabulary": ["A", "B", "C", "<eos>"], "eos": "<eos>",
           "tables": tables, "method": "greedy", "beam": 2, "alpha": 0.75,
           "sequence": ["A", "C", "B", "<eos>"], "max_length": 10, "ask": {"quantity": "sequence"}}
    r = rnnquiz.solve(doc)
    assert r.answer == ["A", "B", "C", "<eos>"]
    assert r.notes == ["the table for the prefix 'A B C' sums to 1.2, not 1; it is used as written",
                       "beam is not used by method greedy",
                       "sequence is not used by method greedy"]


# ---------------------------------------------------------------- properties

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

entry = st.floats(-50, 50, allow_nan=False).map(lambda v: round(v, 3))
gradient = st.one_of(entry, st.lists(entry, min_size=1, max_size=4),
                     st.integers(1, 3).flatmap(lambda n: st.lists(
                         st.lists(entry, min_size=n, max_size=n), min_size=1, max_size=3)))


@settings(max_examples=60, deadline=None)
@given(st.dictionaries(st.sampled_from(["dW_xh", "dW_hh", "dW_hy", "db_h", "db_y"]), gradient,
                       min_size=1), st.floats(0.1, 100).map(lambda v: round(v, 2)),
       st.sampled_from(["norm", "value"]))
def test_clipped_gradients_respect_the_bound(grads, theta, method):
    doc = {"type": "clip", "gradients": grads, method: theta, "ask": {"quantity": "clipped"}}
    out = rnnquiz.solve(doc).answer
    flat = np.concatenate([np.ravel(out[k]) for k in grads])
    given_flat = np.concatenate([np.ravel(grads[k]) for k in grads])
    assert all(np.shape(out[k]) == np.shape(grads[k]) for k in grads)
    if method == "value":
        assert np.all(np.abs(flat) <= theta) and np.array_equal(flat, np.clip(given_flat, -theta,
                                                                               theta))
    else:
        norm = np.linalg.norm(given_flat)
        assert np.linalg.norm(flat) <= max(theta, norm) * (1 + 1e-12)
        assert np.linalg.norm(flat) == pytest.approx(min(theta, norm), rel=1e-12, abs=1e-300)
        np.testing.assert_allclose(flat * norm, given_flat * np.linalg.norm(flat), atol=1e-9)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.floats(0.001, 1), min_size=1, max_size=30))
def test_perplexity_is_one_over_the_geometric_mean(probs):
    pp = rnnquiz.solve({"type": "perplexity", "probabilities": probs}).answer
    assert pp == pytest.approx(float(np.prod(np.asarray(probs) ** (-1 / len(probs)))), rel=1e-9)
    assert pp >= 1 - 1e-12


def test_markdown_keeps_eos_as_text():
    from markdown_it import MarkdownIt
    md = run("solve", str(PROBLEMS / "beam_search_by_hand.yaml"), "--format", "markdown").stdout
    tokens = MarkdownIt("commonmark").enable("table").parse(md)
    inline = [c for t in tokens for c in (t.children or [])]
    assert not [t for t in [*tokens, *inline] if t.type.startswith("html")]
    assert "\\<eos\\>" in md
