"""The helpers of the `clip`, `perplexity` and `choice` types (rnnquiz/types/clip.py,
perplexity.py, choice.py): the global norm's working, the answers' shapes, a uniform
model's perplexity, and where a choice's demo is read from. Values by hand."""

from __future__ import annotations

import math

import pytest

import rnnquiz

# ---------------------------------------------------------------- clip: the global norm

CLIP = {"type": "clip", "gradients": {"dW": [[3, 4]], "db": [12], "c": 2.0}, "norm": 1}


def test_the_global_norm_writes_each_square_then_the_root():
    """‖g‖² = 3² + 4² + 12² + 2² = 25 + 144 + 4 = 173."""
    r = rnnquiz.solve({**CLIP, "ask": {"quantity": "norm"}})
    assert r.answer == math.sqrt(173)
    steps = [s for s in r.steps if s.phase == "global norm"]
    assert [(s.symbol, s.value, s.equation, s.formula, s.operands) for s in steps] == [
        ("‖dW‖²", 25.0, "Σ dW²", "{}² + {}²", (3.0, 4.0)),
        ("‖db‖²", 144.0, "Σ db²", "{}²", (12.0,)),
        ("‖c‖²", 4.0, "Σ c²", "{}²", (2.0,)),
        ("‖g‖", math.sqrt(173), "sqrt(‖dW‖² + ‖db‖² + ‖c‖²)", "sqrt({} + {} + {})",
         (25.0, 144.0, 4.0))]
    assert steps[-1].note == "the L2 norm of all the gradients stacked into one vector"
    assert all(type(a) is float for s in steps for a in s.operands)


def test_a_large_gradient_names_the_count_of_its_squares():
    """Up to six entries each square is written; seven: 1 + 4 + ... + 49 = 140."""
    for n, sub in ((6, " + ".join(["{}²"] * 6)), (7, "the sum of the 7 squares")):
        r = rnnquiz.solve({"type": "clip", "gradients": {"dW": list(range(1, n + 1))},
                           "norm": 1000, "ask": {"quantity": "norm"}})
        (sq,) = [s for s in r.steps if s.symbol == "‖dW‖²"]
        assert sq.formula == sub
        assert sq.operands == (tuple(float(k) for k in range(1, n + 1)) if n == 6 else ())
        assert sq.value == sum(k * k for k in range(1, n + 1))
        assert r.answer == math.sqrt(sum(k * k for k in range(1, n + 1)))


def test_clipped_answers_keep_the_shape_each_gradient_was_written_in():
    r = rnnquiz.solve({**CLIP, "ask": {"quantity": "c"}})
    s = 1 / math.sqrt(173)
    assert type(r.answer) is float and r.answer == pytest.approx(2 * s, rel=1e-15)
    assert len(r.values["dW"]) == 1 and r.values["dW"][0] == pytest.approx([3 * s, 4 * s],
                                                                            rel=1e-15)
    assert r.values["db"] == pytest.approx([12 * s], rel=1e-15)
    assert r.to_json()["answer"] == pytest.approx(2 * s, rel=1e-15)


# ---------------------------------------------------------------- perplexity: uniform

def test_a_uniform_model_has_perplexity_the_vocabulary_size():
    r = rnnquiz.solve({"type": "perplexity", "vocabulary": 10000})
    assert r.answer == 10000.0
    assert r.values == {"perplexity": 10000.0, "cross_entropy": math.log(10000)}
    got = [(s.symbol, s.value, s.equation, s.formula, s.operands, s.phase, s.note)
           for s in r.steps]
    assert got == [
        ("p", 1e-4, "1/|V|", "1/{}", (10000,), "loss per token",
         "a uniform model gives every token the same probability"),
        ("cross_entropy", math.log(10000), "-ln p = ln |V|", "ln({})", (10000,), "loss",
         "the same at every token, so the mean too"),
        ("perplexity", 10000.0, "exp(ln |V|) = |V|", "exp({})", (math.log(10000),),
         "perplexity", "a uniform model is as unsure as a choice among all 10,000 tokens")]
    ce = rnnquiz.solve({"type": "perplexity", "vocabulary": 10000,
                        "ask": {"quantity": "cross_entropy"}})
    assert ce.answer == pytest.approx(9.210340371976184, rel=1e-15)


# ---------------------------------------------------------------- choice: the demo's file

DEMO = "type: forward\ninputs: [2, 1]\nnetwork: {W_xh: 0.5, hidden: linear}\nask: {quantity: h}\n"


def choice(tmp_path, demo: str):
    f = tmp_path / "c.yaml"
    f.write_text(f"type: choice\nquestion: Q?\noptions: [a, b]\ncorrect: [2]\ndemo: {demo}\n")
    return rnnquiz.load(f)[0]


def test_a_demo_beside_the_choice_file_is_read_first(tmp_path):
    # a file of the same name as a bundled problem: the one beside the choice wins
    (tmp_path / "mit_gated_rnn.yaml").write_text(DEMO)
    r = rnnquiz.solve(choice(tmp_path, "mit_gated_rnn.yaml"))
    assert r.answer == [2] and [s.answer for s in r.sub] == [[1.0, 0.5]]     # h = 0.5·x


def test_a_demo_not_beside_the_file_is_the_bundled_problem(tmp_path):
    r = rnnquiz.solve(choice(tmp_path, "mit_gated_rnn.yaml"))
    # its second problem: s_t = tanh(s_{t-1} + x_t) from 0.5, x = [1, -1]
    s1 = math.tanh(0.5 + 1)
    assert r.sub[0].answer == "neither"
    assert r.sub[1].answer == pytest.approx([s1, math.tanh(s1 - 1)], rel=1e-12)
    doc = {"type": "choice", "question": "Q?", "options": ["a", "b"], "correct": [1],
           "demo": "mit_gated_rnn.yaml"}
    assert [s.answer for s in rnnquiz.solve(doc).sub][0] == "neither"


def test_a_missing_demo_names_where_it_was_looked_for(tmp_path):
    with pytest.raises(rnnquiz.ProblemError) as err:
        rnnquiz.solve(choice(tmp_path, "nowhere.yaml"))
    assert (f"demo: demo 'nowhere.yaml' not found (looked for {tmp_path / 'nowhere.yaml'})"
            in str(err.value))
    doc = {"type": "choice", "question": "Q?", "options": ["a", "b"], "correct": [1],
           "demo": "nowhere.yaml"}
    with pytest.raises(rnnquiz.ProblemError, match=r"not found \(looked for nowhere\.yaml\)"):
        rnnquiz.solve(doc)


def test_a_choice_given_as_a_mapping_reads_its_demo_from_the_bundled_problems(tmp_path,
                                                                            monkeypatch):
    """No file, no folder: not the working directory's file of that name."""
    (tmp_path / "mit_gated_rnn.yaml").write_text(DEMO)
    monkeypatch.chdir(tmp_path)
    doc = {"type": "choice", "question": "Q?", "options": ["a", "b"], "correct": [1],
           "demo": "mit_gated_rnn.yaml"}
    assert [s.answer for s in rnnquiz.solve(doc).sub][0] == "neither"
