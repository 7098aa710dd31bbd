"""Answer agreement and answer plumbing (rnnquiz/problem/answers.py) against hand-worked values:
every comparison, rounding and parsing rule of SPEC 1 with a case on each side of it, so a
changed operator, constant or branch fails (benchmarks/MUTATION.md)."""

from __future__ import annotations

import math
from types import SimpleNamespace

import numpy as np
import pytest

from rnnquiz.problem import answers, typed_answers
from rnnquiz.problem.answers import agree, is_finite_answer, is_words, round_places, rounded
from rnnquiz.problem.typed_answers import decimals_written, digits_for, kind_error, parse_answer


# ---------------------------------------------------------------- words and tokens

def test_is_words():
    assert is_words("vanishing") is True
    assert is_words(["A", "b", "<eos>"]) is True
    assert is_words([]) is False                        # an empty list is no token sequence
    assert is_words(["A", 1.0]) is False
    assert is_words([1.0, 2.0]) is False
    assert is_words(1.0) is False
    assert is_words(None) is False


def test_tokens_split_on_commas_and_spaces_stripped_and_casefolded():
    assert answers._tokens("A, b  C,<EOS>") == ["a", "b", "c", "<eos>"]
    assert answers._tokens([" A ", "Straße"]) == ["a", "strasse"]   # casefold, not lower


# ---------------------------------------------------------------- rounding an answer

def test_rounded_is_half_to_even_at_the_places_asked():
    # 0.125 and 0.375 are exact binary fractions: the half really is a half
    assert rounded(0.125, 2) == 0.12 and isinstance(rounded(0.125, 2), float)
    assert rounded(0.375, 2) == 0.38
    assert rounded([0.125, -1.0625], 3) == [0.125, -1.062]
    assert rounded([[0.5, 1.5], [2.5, 3.5]], 0) == [[0.0, 2.0], [2.0, 4.0]]
    assert rounded({"dW": [0.125, 0.375], "db": 0.0625}, 2) == {"dW": [0.12, 0.38],
                                                                  "db": 0.06}


def test_rounded_gives_nothing_when_there_is_nothing_to_round():
    assert rounded(0.125, None) is None
    assert rounded("vanishing", 2) is None
    assert rounded(["A", "B"], 2) is None
    assert rounded(None, 2) is None
    assert rounded([1.0, [2.0, 3.0]], 2) is None          # ragged: ValueError
    assert rounded(object(), 2) is None                   # TypeError
    assert rounded(["1", "2"], 2) is None                 # tokens, even numeric ones
    assert rounded({"dW": [0.125]}, None) is None         # no digits: no mapping of Nones


def test_round_places_leaves_whole_floats_and_huge_places_alone():
    assert round_places(np.array(1e306), 4) == 1e306       # numpy alone overflows to inf
    assert round_places(np.array(1234.5), -2) == 1200.0    # negative places: hundreds
    assert round_places(np.array(1250.0), -2) == 1200.0    # half to even
    # at 400 places 10^-400 is 0 in float64: nothing is rounded, nothing becomes nan
    got = round_places(np.array([0.1, -2.5, 3.0]), 400)
    assert got.tolist() == [0.1, -2.5, 3.0]
    # 0.1 at 17 places: 0.1·10^17 ≥ 2^52, so 0.1 is returned as it is (numpy gives 0.1 too)
    assert round_places(np.array(0.1), 17) == 0.1
    # |x|·10^digits just under 2^52 is still rounded: 2^52 - 0.5 at 0 places
    x = 2.0 ** 52 - 0.5
    assert round_places(np.array(x), 0) == 2.0 ** 52       # half to even
    assert round_places(np.array(x), 1) == x               # at one place it is left alone


def test_round_places_rounds_below_the_limit_half_to_even():
    # 420000000000000.25 at one place: the half goes to the even .2 (x·10 < 2^52)
    assert float(round_places(np.array(420000000000000.25), 1)) == 420000000000000.2
    assert round(420000000000000.25, 1) == 420000000000000.2


def test_round_places_rounds_until_the_floats_are_coarser_than_the_places():
    # Python's round() of a float is correctly rounded: the independent reference.
    # 451593274000000.0625 at one place is ...000.1, whose nearest float is ...000.125;
    # x·10 passes 2^52 here but floats are still 1/16 apart, finer than the place
    x = 451593274000000.0625
    assert round(x, 1) == 451593274000000.125
    assert float(round_places(np.array(x), 1)) == round(x, 1)
    # from |x|·10^digits ≥ 2^53 on, floats are at least a place apart: x is its own rounding
    big = 2.0 ** 53 / 10 + 0.25                          # 900719925474099.45 is not a float
    assert round(big, 1) == big and float(round_places(np.array(big), 1)) == big
    rng = np.random.default_rng(5)
    for digits in (1, 2, 4):
        xs = rng.uniform(2.0 ** 52 * 10.0 ** -digits, 2.0 ** 54 * 10.0 ** -digits, 300)
        got = round_places(xs, digits)
        assert got.tolist() == [round(float(v), digits) for v in xs]


def test_round_places_warns_of_nothing():
    import warnings
    with warnings.catch_warnings():
        warnings.simplefilter("error")          # numpy's overflow in x·10^digits, 0·inf
        assert round_places(np.array([1e306, -1e300]), 4).tolist() == [1e306, -1e300]
        assert round_places(np.array([0.1, 2.5]), 400).tolist() == [0.1, 2.5]
        assert round_places(np.array(0.25), 330) == 0.25


def test_round_places_gives_no_negative_zero():
    got = float(round_places(np.array(-0.001), 2))
    assert got == 0.0 and math.copysign(1.0, got) == 1.0


# ---------------------------------------------------------------- agreeing

def test_agree_tolerance_is_inclusive_and_relative_above_one():
    assert agree(1e-9, 0.0, None)                       # |c - e| = 1e-9 <= 1e-9 · 1
    assert not agree(1.5e-9, 0.0, None)
    assert agree(2e6 + 1e-3, 2e6, None)                 # 1e-3 <= 1e-9 · 2e6 = 2e-3
    assert not agree(2e6 + 3e-3, 2e6, None)
    assert agree(-2e6 - 1e-3, -2e6, None)               # the magnitude of the published value
    assert not agree(-2e6 - 3e-3, -2e6, None)


def test_agree_at_digits_compares_rounded_values_element_by_element():
    assert agree([0.125, 0.374], [0.12, 0.37], 2)
    assert not agree([0.125, 0.376], [0.12, 0.37], 2)
    assert agree([[1.0, 2.0]], [1.0, 2.0], 2)            # rows flattened before comparing
    assert not agree([1.0, 2.0], [1.0, 2.0, 3.0], 2)
    assert not agree([1.0, 2.0], [1.0, 2.0, 3.0], None)
    assert agree(0.123, 0.1, 1) and not agree(0.123, 0.1, None)


def test_agree_refuses_what_is_not_finite_or_not_given():
    assert not agree(None, None, None) and not agree(1.0, None, 2)
    assert not agree(float("nan"), float("nan"), None)
    assert not agree(float("inf"), float("inf"), 2)
    assert not agree([1.0, float("-inf")], [1.0, 1.0], None)
    assert not agree([1.0, [2.0, 3.0]], [1.0, [2.0, 3.0]], None)   # ragged
    assert not agree(object(), 1.0, None)


def test_agree_integers_past_float64_exactly():
    assert agree(10 ** 400, 10 ** 400, None)
    assert not agree(10 ** 400, 10 ** 400 + 1, None)


def test_agree_words_and_token_sequences():
    assert agree("Vanishing ", "vanishing", None)
    assert not agree("exploding", "vanishing", None)
    assert agree(["A", "C", "<eos>"], "a c <EOS>", None)
    assert agree("A, C, <eos>", ["a", "c", "<eos>"], None)
    assert agree(["A", "B"], ["a", "b"], 2)
    assert not agree(["A", "B"], ["A", "C"], None)
    assert not agree(["A", "B"], ["A"], None)
    assert not agree(["A", "B"], [1.0, 2.0], None)      # tokens against numbers
    assert not agree([1.0, 2.0], ["A", "B"], None)
    assert not agree("neither", 1.0, None)
    assert not agree(["1", "2"], [1.0, 2.0], None)      # tokens are words even when numeric
    assert not agree(["1.0", "2.0"], [1.0, 2.0], None)  # not even when their text is the same
    assert not agree(1.5, "1.50", None)                 # a word is equal only to that word
    assert not agree([1.0, 2.0], [1.0, "a"], None)       # not all numbers: no agreement
    assert not agree([1.0, 2.0], [1.0, "a"], 2)


def test_agree_mappings_key_by_key():
    got = {"dW": [0.125, 1.0], "db": 0.5}
    assert agree(got, {"db": 0.5, "dW": [0.12, 1.0]}, 2)
    assert not agree(got, {"db": 0.5, "dW": [0.13, 1.0]}, 2)
    assert not agree(got, {"dW": [0.125, 1.0]}, 2)       # a key missing
    assert not agree(got, {"dW": [0.125, 1.0], "db": 0.5, "dc": 0.0}, 2)
    assert not agree(got, [0.125, 1.0, 0.5], 2) and not agree([0.5], {"db": 0.5}, None)


# ---------------------------------------------------------------- parsing check --answer

def test_parse_answer_numbers():
    assert parse_answer("  1.5 ") == 1.5 and isinstance(parse_answer("2"), float)
    assert parse_answer(".5") == 0.5 and parse_answer("5.") == 5.0
    assert parse_answer("+2e3") == 2000.0 and parse_answer("-1E-2") == -0.01
    assert parse_answer("\u22121.25") == -1.25
    assert parse_answer("1,2,") == [1.0, 2.0]            # a trailing comma
    assert parse_answer("[ 1, -2 ]") == [1.0, -2.0]
    assert parse_answer("[3]") == 3.0
    assert parse_answer("1;2") == [[1.0], [2.0]]
    assert parse_answer("1, 2 ; 3, 4") == [[1.0, 2.0], [3.0, 4.0]]


def test_parse_answer_words_and_tokens():
    assert parse_answer(" Vanishing ") == "Vanishing"
    assert parse_answer("no_change-ever") == "no_change-ever"
    assert parse_answer("A,C,B,<eos>") == ["A", "C", "B", "<eos>"]
    assert parse_answer("A C B <eos>") == ["A", "C", "B", "<eos>"]
    assert parse_answer("[abc") == ["[abc"]               # half a bracket is not a list
    assert parse_answer("abc]") == ["abc]"]


@pytest.mark.parametrize("text, message", [
    ("[]", "^an empty list$"), ("[  ]", "^an empty list$"),
    ("1,2;3", "^rows of different lengths$"),
    ("a;b", "^expected a number"), (";", "^expected a number"),
])
def test_parse_answer_refuses(text, message):
    with pytest.raises(ValueError, match=message):
        parse_answer(text)


def test_parse_answer_error_shows_at_most_40_characters():
    forty = "a;" + "b" * 38
    with pytest.raises(ValueError) as e:
        parse_answer(forty)
    assert str(e.value).endswith(f"got {forty!r}")
    longer = forty + "3"
    with pytest.raises(ValueError) as e:
        parse_answer(longer)
    assert str(e.value).endswith(f"got {longer[:37] + '...'!r}")


# ---------------------------------------------------------------- decimals

def _p(digits):
    return SimpleNamespace(ask=SimpleNamespace(digits=digits))


def test_digits_for():
    assert digits_for(_p(3), 1.0, "1.23456") == 3
    assert digits_for(_p(3), "vanishing", "vanishing") == 3
    assert digits_for(_p(None), "vanishing", "vanishing") is None
    assert digits_for(_p(None), "A2.5", "A2.5") is None   # a word: never its digits
    assert digits_for(_p(None), 1.25, "1.25") == 2


@pytest.mark.parametrize("text, places", [
    ("1.5e-3", 4), ("7e305", 0), ("1.25e1", 1), ("1.5e2", 0), ("2.5E+1", 0), ("1e-5", 5),
    ("0.125, 2.5", 3), ("2.5; 0.125", 3), ("12", 0), ("3.", 0), (".5", 1), ("-0.36", 2),
    ("1e-340", 340), ("1e-341", 340), ("1e-9999", 340),
    ("1e-99999", 0), ("1.5e-100000", 0),             # an exponent of six characters: 0
])
def test_decimals_written(text, places):
    assert decimals_written(text) == places


def test_decimals_written_of_no_number():
    assert decimals_written("vanishing") is None and decimals_written("") is None


# ---------------------------------------------------------------- finite, kind, options

def test_is_finite_answer():
    assert is_finite_answer("x") and is_finite_answer(None)
    assert is_finite_answer(1.0) and is_finite_answer(3) and is_finite_answer([1, 2])
    assert not is_finite_answer(float("inf")) and not is_finite_answer(float("nan"))
    assert not is_finite_answer([1.0, float("-inf")])
    assert not is_finite_answer([[1.0], [float("nan")]])
    assert is_finite_answer(10 ** 400) and is_finite_answer([10 ** 400])
    assert is_finite_answer([1.0, [2.0]])                 # ragged: judged elsewhere


def _result(ptype, answer, question="h at t=2"):
    return SimpleNamespace(problem=SimpleNamespace(type=ptype), answer=answer,
                           question=question)


def test_kind_error_messages():
    word = _result("vanishing", "exploding", "the gradient")
    verdicts = ("vanishing", "exploding", "neither")
    assert kind_error(word, 1.0) == "the gradient is answered with a word, got a number"
    assert kind_error(word, [1.0]) == "the gradient is answered with a word, got a number"
    assert kind_error(word, "maybe", verdicts) == \
        "expected vanishing, exploding or neither, got 'maybe'"
    assert kind_error(word, " Neither ", verdicts) is None
    one = _result("forward", 0.5)
    assert kind_error(one, [1.0, 2.0]) == "h at t=2 is one number, got 2"
    assert kind_error(one, [1.0]) is None and kind_error(one, 1.0) is None
    assert kind_error(_result("forward", 3), [1.0, 2.0, 3.0]) == "h at t=2 is one number, got 3"
    assert kind_error(one, "vanishing") == \
        "h at t=2 is answered with numbers, got the word 'vanishing'"
    rows = _result("forward", [0.5, 0.25])
    assert kind_error(rows, [1.0, 2.0, 3.0]) is None       # the count is agree's to judge
    assert kind_error(rows, ["A", "B"]) == "h at t=2 is answered with numbers, got the words 'A B'"
    assert kind_error(_result("decode", ["A", "B"]), ["A", "C"]) is None   # tokens for tokens
    assert kind_error(rows, [1.0, float("inf")]) == "expected finite numbers"
    assert kind_error(one, float("nan")) == "expected finite numbers"


def test_option_numbers():
    assert typed_answers.option_number(2.0, 3) == 2 and isinstance(typed_answers.option_number(2.0, 3), int)
    assert typed_answers.option_number(1, 3) == 1 and typed_answers.option_number(3, 3) == 3
    for bad in (0, 4, 2.9, -1, 0.5):
        with pytest.raises(ValueError) as e:
            typed_answers.option_number(bad, 3)
        assert str(e.value) == f"expected option numbers from 1 to 3, got {bad:g}"
    with pytest.raises(ValueError, match="^expected option numbers, not rows$"):
        typed_answers.option_number([1.0], 3)


# ---------------------------------------------------------------- picking the quantity asked
# h_t = 0.5 x_t + 0.25 h_{t-1}, h_0 = 0, x = 1, 2, 3:  h = 0.5, 1.125, 1.78125 (exact in binary)

H = [0.5, 1.125, 1.78125]
SCALAR = {"hidden": "linear", "W_xh": 0.5, "W_hh": 0.25}
VECTOR = {"hidden": "linear", "W_xh": [[0.5]], "W_hh": [[0.25]]}


def _solve(doc, steps):
    import rnnquiz
    return rnnquiz.solve(doc, steps=steps)


@pytest.mark.parametrize("steps", [True, False])
def test_every_state_of_a_scalar_network_is_a_list_of_numbers(steps):
    doc = {"type": "forward", "network": SCALAR, "inputs": [1.0, 2.0, 3.0],
           "ask": {"quantity": "h"}}
    r = _solve(doc, steps)
    assert r.answer == H and all(type(v) is float for v in r.answer)
    assert r.question == "every h_t"
    r = _solve({**doc, "ask": {"quantity": "h", "t": 1}}, steps)
    assert r.answer == H[1] and type(r.answer) is float and r.question == "h at t=1"


@pytest.mark.parametrize("steps", [True, False])
def test_every_state_of_a_network_written_with_lists_is_rows(steps):
    doc = {"type": "forward", "network": VECTOR, "inputs": [[1.0], [2.0], [3.0]],
           "ask": {"quantity": "h"}}
    assert _solve(doc, steps).answer == [[v] for v in H]
    assert _solve({**doc, "ask": {"quantity": "h", "t": 2}}, steps).answer == [H[2]]


@pytest.mark.parametrize("steps", [True, False])
def test_a_batch_gives_a_row_per_example(steps):
    # example 2's inputs are twice example 1's: its states are twice as large (linear cell)
    doc = {"type": "forward", "batch": True, "network": SCALAR,
           "inputs": [[1.0, 2.0, 3.0], [2.0, 4.0, 6.0]], "ask": {"quantity": "h"}}
    r = _solve(doc, steps)
    assert r.answer == [H, [2 * v for v in H]] and r.question == "every h_t"
    assert _solve({**doc, "ask": {"quantity": "h", "t": 1}}, steps).answer == [H[1], 2 * H[1]]
    vec = {**doc, "network": VECTOR, "inputs": [[[1.0], [2.0], [3.0]], [[2.0], [4.0], [6.0]]]}
    assert _solve(vec, steps).answer == [[[v] for v in H], [[2 * v] for v in H]]
    assert _solve({**vec, "ask": {"quantity": "h", "t": 0}}, steps).answer == [[0.5], [1.0]]


@pytest.mark.parametrize("steps", [True, False])
def test_the_jacobian_is_a_number_or_a_matrix_as_written(steps):
    # dh_2/dh_0 = W_hh² = 1/16 for a linear cell
    ask = {"quantity": "jacobian", "from": 0, "to": 2}
    r = _solve({"type": "forward", "network": SCALAR, "inputs": [1.0, 2.0, 3.0], "ask": ask},
               steps)
    assert r.answer == 0.0625 and type(r.answer) is float and r.question == "dh_to/dh_from"
    r = _solve({"type": "forward", "network": VECTOR, "inputs": [[1.0], [2.0], [3.0]],
                "ask": ask}, steps)
    assert r.answer == [[0.0625]]


# E = ½ y_2², y_2 = h_2 = 1.125 (W_hy = 1), h_1 = 0.5, x = 1, 2:
# dE/dW_hh = 1.125·h_1 = 0.5625, dE/dW_xh = 1.125·(x_2 + 0.25 x_1) = 2.53125,
# dE/db_h = 1.125·(1 + 0.25) = 1.40625, dE/dW_hy = 1.125·h_2 = 1.265625
GRADS = {"dE/dW_hh": 0.5625, "dE/dW_xh": 2.53125, "dE/db_h": 1.40625, "dE/dW_hy": 1.265625}


@pytest.mark.parametrize("steps", [True, False])
@pytest.mark.parametrize("written, shapes", [
    ({"W_xh": 0.5, "W_hh": 0.25, "b_h": 0.0, "W_hy": 1.0}, {}),
    ({"W_xh": [[0.5]], "W_hh": [[0.25]], "b_h": 0.0, "W_hy": [[1.0]]},
     {"dE/dW_xh": "m", "dE/dW_hh": "m", "dE/dW_hy": "m"}),
    ({"W_xh": [[0.5]], "W_hh": [0.25], "b_h": [0.0], "W_hy": 1.0},
     {"dE/dW_xh": "m", "dE/dW_hh": "v", "dE/db_h": "v"}),
])
def test_a_gradient_has_the_shape_its_parameter_is_written_with(written, shapes, steps):
    net = {"hidden": "linear", **written}
    for q, g in GRADS.items():
        doc = {"type": "backprop", "network": net, "inputs": [1.0, 2.0], "targets": {1: 0.0},
               "ask": {"quantity": q}}
        want = {"m": [[g]], "v": [g]}.get(shapes.get(q), g)
        got = _solve(doc, steps).answer
        assert got == want and type(got) is type(want), q
    doc = {"type": "backprop", "network": net, "inputs": [1.0, 2.0], "targets": {1: 0.0},
           "ask": {"quantity": "E"}}
    assert _solve(doc, steps).answer == 0.6328125


def test_an_unwritten_parameter_of_a_vector_network_is_an_array():
    # b_h not written: a network with vector inputs gives its gradient as a list
    doc = {"type": "backprop", "network": {"hidden": "linear", "W_xh": 0.5, "W_hh": 0.25,
                                           "W_hy": 1.0},
           "inputs": [[1.0], [2.0]], "targets": {1: 0.0}, "ask": {"quantity": "dE/db_h"}}
    assert _solve(doc, True).answer == [1.40625]
    scalar = {**doc, "inputs": [1.0, 2.0]}
    assert _solve(scalar, True).answer == 1.40625


def test_a_bias_written_as_one_number_for_two_units_gets_two_gradients():
    # h_1 = (0.5, 1), h_2 = (1.125, 2.5), y_2 = h_2,1 + h_2,2 = 3.625, E = ½ y_2²:
    # dE/db_h = 3.625·(1 + W_hh,kk) = (3.625·1.25, 3.625·1.5)
    doc = {"type": "backprop", "network": {"hidden": "linear", "W_xh": [[0.5], [1.0]],
                                           "W_hh": [[0.25, 0.0], [0.0, 0.5]], "b_h": 0.0,
                                           "W_hy": [[1.0, 1.0]]},
           "inputs": [1.0, 2.0], "targets": {1: 0.0}, "ask": {"quantity": "dE/db_h"}}
    for steps in (True, False):
        assert _solve(doc, steps).answer == [4.53125, 5.4375]


def test_a_quantity_not_there_and_a_step_of_a_whole_sequence_quantity_are_errors():
    from rnnquiz.errors import ProblemError
    doc = {"type": "forward", "network": SCALAR, "inputs": [1.0, 2.0, 3.0],
           "ask": {"quantity": "c"}}
    with pytest.raises(ProblemError) as e:
        _solve(doc, True)
    assert e.value.keys == ("ask", "quantity")
    assert str(e.value).endswith("forward has no quantity 'c'; expected one of h, y, z")
    doc["ask"] = {"quantity": "jacobian", "t": 1}
    with pytest.raises(ProblemError) as e:
        _solve(doc, True)
    assert e.value.keys == ("ask", "t")
    assert str(e.value).endswith("jacobian is not a per-step quantity; leave out ask.t")


def test_a_state_dict_key_is_answered_in_the_shape_the_file_wrote_it():
    """PyTorch's weight_ih_l0 asked by that name: a bias written as a number is answered
    as a number, a weight written as a matrix as a matrix; values from torch's autograd."""
    torch = pytest.importorskip("torch", reason="PyTorch is the oracle of this test")
    rnn = torch.nn.RNN(1, 1).double()
    with torch.no_grad():
        rnn.weight_ih_l0.fill_(0.5)
        rnn.weight_hh_l0.fill_(0.25)
        rnn.bias_ih_l0.zero_()
        rnn.bias_hh_l0.zero_()
    out, _ = rnn(torch.tensor([[[1.0]], [[2.0]]], dtype=torch.float64))
    (0.5 * out[1, 0, 0] ** 2).backward()
    doc = {"type": "backprop", "notation": "pytorch",
           "network": {"weight_ih_l0": [[0.5]], "weight_hh_l0": [[0.25]], "bias_ih_l0": 0.0,
                       "bias_hh_l0": [0.0]},
           "inputs": [1.0, 2.0], "targets": {1: 0.0}}
    for steps in (True, False):
        b = _solve({**doc, "ask": {"quantity": "dE/dbias_ih_l0"}}, steps).answer
        assert type(b) is float and b == pytest.approx(rnn.bias_ih_l0.grad.item(), rel=1e-12)
        b = _solve({**doc, "ask": {"quantity": "dE/dbias_hh_l0"}}, steps).answer
        assert b == pytest.approx([rnn.bias_hh_l0.grad.item()], rel=1e-12)
        assert isinstance(b, list)
        w = _solve({**doc, "ask": {"quantity": "dE/dweight_hh_l0"}}, steps).answer
        assert np.array(w).shape == (1, 1)
        assert w[0][0] == pytest.approx(rnn.weight_hh_l0.grad.item(), rel=1e-12)


def test_a_stack_lists_only_the_quantities_one_may_ask_for():
    """A stack's values carry its layers under `_layers`: no quantity to offer a student."""
    import yaml
    from rnnquiz.errors import ProblemError
    from conftest import PROBLEMS
    doc = yaml.safe_load((PROBLEMS / "d2l_deep_rnn.yaml").read_text())
    doc["ask"] = {"quantity": "nope"}
    with pytest.raises(ProblemError) as e:
        _solve(doc, True)
    assert str(e.value).endswith("forward has no quantity 'nope'; expected one of h, y, z")
