"""The question in words (`quiz`, `new`, export) asks for a quantity in words, never as the
file's key (`What is shapes?`, `What is at_fault?`), whether the file names the quantity or
leaves it to the type's default, and whether or not the working is at hand."""

from __future__ import annotations

import pytest
import yaml

import rnnquiz
from conftest import PROBLEMS
from rnnquiz.teaching.question import full_question
from rnnquiz.types import TYPES, from_dict

DECODE = {"type": "decode", "vocabulary": ["A", "B", "<eos>"],
          "tables": {"": [0.5, 0.4, 0.1], "A": [0.1, 0.1, 0.8], "B": [0.1, 0.1, 0.8]}}
ANALYSIS = {**DECODE, "method": "error_analysis", "sequence": "A <eos>", "output": "B <eos>"}
LSTM = {"type": "shapes", "cell": "lstm", "input": 10000, "hidden": 100, "output": 10000}
MODEL = {"type": "shapes", "framework": "keras", "input": 37,
         "model": [{"layer": "lstm", "hidden": 32}, {"layer": "dense", "output": 1}]}
PERPLEXITY = {"type": "perplexity", "vocabulary": 100}
CLIP = {"type": "clip", "norm": 1.0, "gradients": {"dW": [3.0, 4.0], "db": [0.0]}}
CTC = {"type": "ctc", "symbols": ["a", "b"], "target": "ab",
       "probabilities": [[0.5, 0.25, 0.25], [0.25, 0.5, 0.25], [0.25, 0.25, 0.5]]}


def _asked(doc, quantity=None):
    """The last sentence of the question, without and with the working at hand."""
    doc = {**doc, "ask": {"quantity": quantity}} if quantity else doc
    p = from_dict(doc)
    bare, worked = (q[q.rfind(". ") + 2:] for q in (full_question(p),
                                                    full_question(p, rnnquiz.solve(doc))))
    assert bare == worked, (bare, worked)
    return bare


@pytest.mark.parametrize("doc, quantity, words", [
    # deeplearning.ai's error analysis: is beam search or the RNN at fault?
    (ANALYSIS, "at_fault", "Which is at fault, beam_search or rnn?"),
    (ANALYSIS, None, "Which is at fault, beam_search or rnn?"),
    # SPEC 1.15: greedy and beam search find a sequence, a given sequence is scored
    (DECODE, None, "What is the sequence it finds (the tokens, space-separated)?"),
    ({**DECODE, "sequence": "A <eos>"}, None, "What is the probability of the sequence it finds?"),
    ({**DECODE, "method": "beam", "beam": 2}, "score",
     "What is the score of the sequence it finds?"),
    # SPEC 1.7: gate_dim, "the dimension of each gate vector", is a layer's default; params
    # counts the trainable parameters, a whole model's is its default; shapes "the shape of
    # every weight, bias, gate and state"
    (LSTM, None, "What is the dimension of each gate vector?"),
    (LSTM, "gate_dim", "What is the dimension of each gate vector?"),
    (LSTM, "params", "What is the number of trainable parameters?"),
    (LSTM, "shapes", "What are the shapes of every weight, bias, gate and state?"),
    (MODEL, None, "What is the number of parameters?"),
    (MODEL, "shapes", "What are the shapes of every layer's parameters?"),
    (MODEL, "summary", "What is the summary, one [kind, output width, parameters] row a layer?"),
    # perplexity = exp(E/T) and E/T, the cross-entropy per token
    (PERPLEXITY, None, "What is the perplexity?"),
    (PERPLEXITY, "cross_entropy", "What is the cross-entropy per token, E/T?"),
    # clipping several gradients answers every one of them
    (CLIP, "clipped", "What is every clipped gradient?"),
    # cmu11785's skip_connect and the tables in natural log (SPEC 1.17)
    (CTC, "skip_connect",
     "What is the skip flag of each position of l' (1 where α may come from two positions "
     "back)?"),
    (CTC, "log_alpha", "What is the table ln α?"),
])
def test_the_quantity_is_asked_in_words(doc, quantity, words):
    assert _asked(doc, quantity) == words


def _problem(name, n=0):
    """The n-th document of a bundled problem file, without its ask."""
    doc = list(yaml.safe_load_all((PROBLEMS / f"{name}.yaml").read_text(encoding="utf-8")))[n]
    return {k: v for k, v in doc.items() if k not in ("ask", "answer", "question")}


AWD = ("awd_lstm_ar_tar", 1)      # an LSTM with AR and TAR and the cross-entropy loss


@pytest.mark.parametrize("name, quantity, words", [
    # SPEC 1.1: grad_norm, "the global norm before clipping"; with cross_entropy the
    # perplexity, "exp(mean loss per loss term)"; 1.15: AR and TAR join E as the penalty
    (AWD, "grad_norm", "What is the global norm of the gradients before clipping?"),
    (AWD, "perplexity", "What is the perplexity, exp(mean loss per loss term)?"),
    (AWD, "penalty", "What is the activation regularization penalty, AR + TAR?"),
    (AWD, "loss", "What is the loss before the penalties join E?"),
    # Pascanu's Ω, unweighted (λΩ joins E)
    (("goodfellow_information_flow", 0), "omega", "What is Pascanu's Ω (unweighted)?"),
    # Hagan's dF/d<key> is a gradient, not a sensitivity
    (("hagan_tapped_delay_line", 0), "dF/dlw", "What is dF/dlw?"),
])
def test_a_backprop_quantity_named_by_a_word_is_asked_in_words(name, quantity, words):
    assert _asked(_problem(*name), quantity) == words


def test_the_model_counts_trainable_parameters_when_asked_to():
    doc = {**MODEL, "ask": {"quantity": "params", "trainable": True}}
    assert full_question(from_dict(doc)).endswith("What is the number of trainable parameters?")


def test_a_type_that_words_its_quantities_words_its_default_too():
    """Every type with words for its quantities says its default in them: no `the answer`."""
    worded = [name for name in TYPES if hasattr(TYPES[name], "asked_words")
              and hasattr(TYPES[name], "default_quantity")]
    assert {"decode", "shapes", "perplexity"} <= set(worded)
    for doc in (ANALYSIS, DECODE, LSTM, MODEL, PERPLEXITY):
        assert "the answer" not in full_question(from_dict(doc)), doc["type"]


def test_a_default_only_the_working_names_is_never_worded_as_a_quantity():
    """clip's default (the one gradient, or every clipped one) is solve's: without the
    working the question asks for the answer, never "the clipped the answer"."""
    assert full_question(from_dict(CLIP)).endswith(" What is the answer?")
    assert full_question(from_dict(CLIP), rnnquiz.solve(CLIP)).endswith(
        " What is every clipped gradient?")


@pytest.mark.parametrize("doc, words", [
    # deeplearning.ai's two verdicts; a sequence is typed as its tokens (SPEC 1.15)
    (ANALYSIS, "beam_search or rnn"),
    ({**DECODE, "ask": {"quantity": "sequence"}}, "the tokens, separated by spaces"),
    (LSTM, "a number"),
])
def test_quiz_says_how_to_type_the_answer(doc, words):
    from rnnquiz.teaching.question import hint
    assert hint(from_dict(doc), rnnquiz.solve(doc)) == words


def test_the_asked_layer_follows_the_words_even_when_they_hold_a_comma():
    """A stack's asked layer goes after what is asked and before the decimals, not at the
    first comma of the words (the penalty's \"..., AR + TAR\")."""
    net = {"W_xh": [[0.1]], "W_hh": [[0.2]], "b_h": [0.0]}
    doc = {"type": "backprop", "network": [net, net], "inputs": [[1.0], [0.5]],
           "targets": [[0.1], [0.2]], "regularization": {"ar": 1.0}}
    assert _asked({**doc, "ask": {"quantity": "penalty", "layer": 2}}) == \
        "What is the activation regularization penalty, AR + TAR (layer 2)?"
    asked = full_question(from_dict({**doc, "ask": {"quantity": "h", "t": 1, "layer": 1,
                                                    "digits": 3}}))
    assert "What is h (layer 1), to 3 decimals?" in asked


@pytest.mark.parametrize("name, quantity, t, symbol, letter", [
    # Goodfellow writes the GRU's candidate h̃^(t) (his steps as superscripts), d2l the state
    # H_t: the question names them so, and the working marks the asked step (▶)
    ("goodfellow_gru_step", "h_tilde", 1, "h̃^(1)", "h̃"),
    ("d2l_rnn_row_layout", "h", 2, "H_2", "H"),
])
def test_a_quantity_the_course_writes_otherwise_is_asked_by_its_symbol(name, quantity, t,
                                                                       symbol, letter):
    from rnnquiz.teaching.question import asked_symbols
    doc = {**_problem(name), "ask": {"quantity": quantity, "t": t, "digits": 4}}
    r = rnnquiz.solve(doc)
    assert asked_symbols(r) == [symbol]
    assert f"What is {symbol}, to 4 decimals?" in full_question(from_dict(doc), r)
    bare = full_question(from_dict({**doc, "ask": {"quantity": quantity, "digits": 4}}))
    assert bare.endswith(f"What is {letter}, to 4 decimals? Write all 4 decimals, trailing "
                         "zeros kept (0.5 is 0.5000)."), bare
