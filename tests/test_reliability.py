"""Issue 16: hostile input ends in the one-line error of SPEC 4 (never "internal error"),
the API raises ProblemError for the same, and three wrong-but-clean verdicts are fixed."""

import pytest
from click.testing import CliRunner

import rnnquiz
from rnnquiz.problem import answers, typed_answers
from rnnquiz.cli.commands import cli

CHOICE = "type: choice\nquestion: Q\noptions: [a, b]\ncorrect: [1]\n"

# file text -> the whole one-line error after "error: FILE:"
BAD = {
    "round 400": ("type: forward\ninputs: [1]\nround: 400\n",
                  "3: round: expected at most 15 decimal places, got 400"),
    "superscript step": ('type: backprop\ninputs: [1]\ntargets: {"²": 1}\n',
                         "3: targets.²: expected a time step from 0 to 0 as key, got '²'"),
    "step twice": ('type: backprop\ninputs: [1, 2]\ntargets: {1: 0.5, "1": 100}\n',
                   '3: targets[1]: step 1 is given twice (as 1 and as "1")'),
    "choice answer matrix": (CHOICE + "answer: [[1, 2], [3, 4]]\n",
                             "5: answer[0]: expected option numbers (whole numbers from 1), "
                             "got a list"),
    "choice answer 1.7": (CHOICE + "answer: 1.7\n",
                          "5: answer: expected option numbers (whole numbers from 1), got 1.7"),
    "digits on shapes": ("type: shapes\ninput: 3\nhidden: 2\nask: {quantity: shapes, digits: 2}\n",
                         "4: ask.digits: shapes answers are whole numbers and shapes; "
                         "leave out ask.digits"),
    "binary units 10**400": ("type: hmm_bits\nbinary_units: 1" + "0" * 400 + "\n",
                             "2: binary_units: expected a whole number up to 10^15, "
                             "got a larger one"),
    "states 10**400": ("type: hmm_bits\nstates: 1" + "0" * 400 + "\n",
                       "2: states: expected a whole number up to 10^15, got a larger one"),
    "!!int 1.5": ('type: forward\ninputs: [!!int "1.5"]\n',
                  "2: malformed YAML: !!int needs a whole number, got '1.5'"),
    "!!float abc": ('type: forward\ninputs: [!!float "abc"]\n',
                    "2: malformed YAML: !!float needs a number, got 'abc'"),
    "!!bool maybe": ('type: forward\ninputs: [1]\nnetwork: {W_hh: !!bool "maybe"}\n',
                     "3: malformed YAML: !!bool needs true or false, got 'maybe'"),
    "4,301 digits": ("type: forward\ninputs: [1" + "0" * 4400 + "]\n",
                     "2: malformed YAML: a whole number of 4,401 digits is too long"),
    "W_hh twice": ("type: forward\ninputs: [1]\nnetwork:\n  W_hh: 1\n  W_hh: 2\n",
                   "5: 'W_hh' is written twice in one mapping (first on line 4); "
                   "the later value would silently win"),
    "twice on one line": ("type: forward\ninputs: [1]\nnetwork: {W_hh: 1, W_hh: 2}\n",
                          "3: 'W_hh' is written twice in one mapping (first on line 3); "
                          "the later value would silently win"),
    "raw control character": ("type: forward\ntitle: a\x1bb\ninputs: [1]\n",
                              "2: malformed YAML: control character U+001B is not allowed"),
    "escaped control character": ('type: forward\ntitle: "a\\x01b"\ninputs: [1]\n',
                                  "2: title: control character U+0001 is not allowed in text"),
    "escape in an option": (CHOICE.replace("[a, b]", '[a, "\\e[2J"]'),
                            "3: options[1]: control character U+001B is not allowed in text"),
    "newline in a key": ('type: forward\ninputs: [1]\n"a\\nb": 1\n',
                         "3: a\\nb: unknown key for type forward; expected one of answer, ask, "
                         "batch, bidirectional, feedback, inputs, layout, method, network, "
                         "notation, question, readout, readout_fit, round, source, targets, tie, "
                         "title, type"),
    "pytorch convention, deeplearning_ai GRU": (
        "type: gru\nnotation: deeplearning_ai\nconvention: pytorch\ninputs: [1]\n",
        "3: convention: the deeplearning_ai notation's GRU is the ng convention; "
        "leave convention out"),
}


@pytest.mark.parametrize("name", BAD)
def test_bad_input_is_one_line_naming_file_line_and_key(tmp_path, name):
    text, message = BAD[name]
    f = tmp_path / "bad.yaml"
    f.write_text(text, encoding="utf-8")
    r = CliRunner().invoke(cli, ["solve", str(f)], catch_exceptions=False)
    assert r.exit_code == 2
    assert r.stderr == f"error: {f}:{message}\n"
    assert r.stdout == ""


API_BAD = [
    {"type": "forward", "inputs": [1], "round": 400},
    {"type": "backprop", "inputs": [1], "targets": {"²": 1}},
    {"type": "backprop", "inputs": [1, 2], "targets": {1: 0.5, "1": 100}},
    {"type": "choice", "question": "Q", "options": ["a", "b"], "correct": [1],
     "answer": [[1, 2], [3, 4]]},
    {"type": "shapes", "input": 3, "hidden": 2, "ask": {"quantity": "shapes", "digits": 2}},
    {"type": "hmm_bits", "binary_units": 10 ** 400},
    {"type": "hmm_bits", "states": 10 ** 5000},
    {"type": "forward", "inputs": [1], "title": "\x1b[2J"},
    {"type": "gru", "notation": "deeplearning_ai", "convention": "pytorch", "inputs": [1]},
]


@pytest.mark.parametrize("doc", API_BAD, ids=range(len(API_BAD)))
def test_the_api_raises_problem_error_for_the_same(doc):
    with pytest.raises(rnnquiz.ProblemError):
        rnnquiz.solve(doc)


def test_a_title_equal_to_the_loaders_placeholder_stays_a_title(tmp_path):
    # long number lists are read by numpy and put back in place of a marker string
    numbers = ", ".join(["0.5"] * 6000)
    for title in ("__rnnquiz_numbers_0__", "__rnnquiz_numbers_1__", "__rnnquiz_numbers_x__"):
        f = tmp_path / "p.yaml"
        f.write_text(f"type: forward\ntitle: {title}\nnetwork: {{hidden: linear, W_xh: 2}}\n"
                     f"inputs: [{numbers}]\n")
        [p] = rnnquiz.load(str(f))
        assert p.title == title and p.T == 6000
        assert rnnquiz.solve(p, steps=False).answer[-1] == 0.0      # W_hy = 0: y = 0


# ---------------------------------------------------------------- wrong-but-clean verdicts

HUGE = ("type: forward\nnetwork: {hidden: linear, W_xh: 1.0e+306, W_hy: 1}\ninputs: [1]\n"
        "ask: {quantity: y, t: 0, digits: 4}\nanswer: 5.0e+305\n")


def test_a_huge_answer_does_not_agree_with_half_of_it_at_4_digits(tmp_path):
    # numpy.round(1e306, 4) scales by 10^4 first and overflows to inf; inf == inf "agreed"
    assert not answers.agree(1e306, 5e305, 4)
    assert answers.agree(1e306, 1.0e306, 4)
    assert answers.rounded(1e306, 4) == 1e306
    f = tmp_path / "huge.yaml"
    f.write_text(HUGE)
    r = CliRunner().invoke(cli, ["solve", str(f), "--json"], catch_exceptions=False)
    assert r.exit_code == 1 and '"agrees": false' in r.stdout
    for given, code in (("7e305", 1), ("5e305", 1), ("1e306", 0), ("1.0000e306", 0)):
        r = CliRunner().invoke(cli, ["check", str(f), "--answer", given])
        assert r.exit_code == code, (given, r.stdout)


def test_an_answer_in_e_notation_is_judged_at_its_true_decimals():
    # 1.5e-3 is 0.0015: four decimals, not one (at one, every small answer was "right")
    assert typed_answers.decimals_written("1.5e-3") == 4
    assert typed_answers.decimals_written("7e305") == 0
    assert typed_answers.decimals_written("-0.36") == 2
    assert typed_answers.decimals_written("2.5E+1") == 0
    r = CliRunner().invoke(cli, ["check", "hinton_p3", "--answer", "1.5e-3"])
    assert r.exit_code == 1 and r.stdout.startswith("wrong:")
    r = CliRunner().invoke(cli, ["check", "hinton_p3", "--answer", "-3.6e-1"])
    assert r.exit_code == 0 and r.stdout.startswith("right:")


def test_a_choice_answer_of_1_7_is_refused_not_taken_as_option_1():
    with pytest.raises(rnnquiz.ProblemError, match="answer: expected option numbers"):
        rnnquiz.solve({"type": "choice", "question": "Q", "options": ["a", "b"],
                       "correct": [1], "answer": 1.7})
    right = rnnquiz.solve({"type": "choice", "question": "Q", "options": ["a", "b"],
                           "correct": [1], "answer": 1})
    assert right.agrees is True and right.answer == [1]


def test_check_a_number_for_a_word_question_is_a_usage_error_not_a_crash():
    r = CliRunner().invoke(cli, ["check", "hinton_p5", "--answer", "1"], catch_exceptions=False)
    assert r.exit_code == 2 and r.stderr.count("\n") == 1 and "--answer" in r.stderr
    assert "Traceback" not in r.stderr
    r = CliRunner().invoke(cli, ["check", "hinton_p5", "--answer", "vanishing"])
    assert r.exit_code == 0


# ---------------------------------------------------------------- choice demos (SPEC 1.8)

def _choice(folder, name, demo):
    f = folder / name
    f.write_text(CHOICE + f"demo: {demo}\n")
    return f


def test_a_demo_outside_the_folder_is_refused_without_reading_it(tmp_path):
    secret = tmp_path / "secret.yaml"
    secret.write_text("nobody:x:0:0:PRIVATE_CONTENT\n")
    sub = tmp_path / "a" / "b"
    sub.mkdir(parents=True)
    for demo in ("../../secret.yaml", str(secret), "../../../../../../etc/passwd"):
        f = _choice(sub, "q.yaml", demo)
        r = CliRunner().invoke(cli, ["solve", str(f)], catch_exceptions=False)
        assert r.exit_code == 2 and "PRIVATE_CONTENT" not in r.stderr and "nobody" not in r.stderr
        assert r.stderr.startswith(f"error: {f}:5: demo: expected a file name in the same "
                                   "folder as this file (or a bundled problem), not a path")
        assert r.stderr.count("\n") == 1


def test_a_demo_naming_itself_or_another_choice_is_a_short_error(tmp_path):
    me = _choice(tmp_path, "me.yaml", "me.yaml")
    r = CliRunner().invoke(cli, ["solve", str(me)], catch_exceptions=False)
    assert r.stderr == f"error: {me}:5: demo: names this file itself; a demo is another problem\n"
    a = _choice(tmp_path, "a.yaml", "b.yaml")
    _choice(tmp_path, "b.yaml", "a.yaml")
    r = CliRunner().invoke(cli, ["solve", str(a)], catch_exceptions=False)
    assert r.exit_code == 2
    assert r.stderr == (f"error: {a}:5: demo: demo 'b.yaml' fails: is a choice question; "
                        "a demo is a problem with working to show\n")


def test_a_demo_beside_the_file_or_bundled_still_works(tmp_path):
    (tmp_path / "p3.yaml").write_text((rnnquiz.load("hinton_p3")[0].file and
                                       open(rnnquiz.load("hinton_p3")[0].file).read()))
    for demo in ("p3.yaml", "hinton_p5.yaml"):
        f = _choice(tmp_path, "q.yaml", demo)
        r = CliRunner().invoke(cli, ["solve", str(f), "--json"], catch_exceptions=False)
        assert r.exit_code == 0, r.stderr


@pytest.mark.parametrize("doc", [
    {"type": "choice", "question": "Q", "options": ["a", "b"], "correct": [10 ** 5000]},
    {"type": "forward", "inputs": [1], "ask": {"t": 10 ** 5000}},
    {"type": "forward", "inputs": [1], "round": 10 ** 5000},
    {"type": "shapes", "input": 1, "hidden": 1e300},
    {"type": "backprop", "inputs": [1], "targets": {10 ** 5000: 1}},
    {"type": ["forward"], "inputs": [1]},
    {"type": "backprop", "inputs": [1], "targets": [1], "loss": ["squared"]},
], ids=range(7))
def test_whole_numbers_beyond_10_to_15_and_odd_types_are_problem_errors(doc):
    # a Python int past 4,300 digits cannot even be printed; 1e300 hidden units cannot be counted
    with pytest.raises(rnnquiz.ProblemError) as err:
        rnnquiz.solve(doc)
    assert "\n" not in str(err.value) and len(str(err.value)) < 200


@pytest.mark.parametrize("title,bad", [("a\rb", "000D"), ("a\u202eb", "202E"),
                                       ("a\x85b", "0085"), ("\x07", "0007")])
def test_text_that_would_drive_the_terminal_is_refused(title, bad):
    with pytest.raises(rnnquiz.ProblemError, match=f"title: control character U\\+{bad} "):
        rnnquiz.solve({"type": "forward", "inputs": [1], "title": title})


@pytest.mark.parametrize("title", ["a\xa0b", "a\u200db", "line 1\n\tline 2", "é ü Γ_u", "a\u2028b"])
def test_text_a_course_writes_is_kept(title):
    assert rnnquiz.solve({"type": "forward", "inputs": [1], "title": title}).answer == [0.0]


def test_error_messages_escape_what_a_terminal_would_act_on():
    from rnnquiz.errors import printable
    # issue 30: invisible characters too (a no-break space reads as a space, W_hh\xa0 as W_hh)
    assert printable("x\xa0y\nz\x1b\u202e\u2028") == "x\\xa0y\\nz\\x1b\\u202e\\u2028"


def test_the_work_a_file_asks_for_is_bounded_by_name_before_solving():
    import time
    t = time.perf_counter()
    with pytest.raises(rnnquiz.ProblemError, match=r"network: asks for about 1\.2e\+11 multiply-adds "
                                                   r"\(3 steps of 100,000 units\)"):
        rnnquiz.solve({"type": "lstm", "inputs": [[0] * 3] * 3,
                       "network": {"h_init": [0] * 100_000}})
    assert time.perf_counter() - t < 5


def test_a_large_lstm_working_is_quick_and_its_json_names_big_operands_by_shape():
    import json
    import time
    import numpy as np
    rng = np.random.default_rng(0)
    H, T = 150, 100
    net = {f"W_{g}h": (rng.normal(size=(H, H)) * 0.1).tolist() for g in "fioc"}
    doc = {"type": "backprop", "cell": "lstm", "inputs": rng.normal(size=(T, 3)).tolist(),
           "targets": rng.normal(size=(T, H)).tolist(), "network": net}
    t = time.perf_counter()
    text = json.dumps(rnnquiz.solve(doc).to_json(), ensure_ascii=False)
    assert time.perf_counter() - t < 20          # was 7 s and 100 MB of JSON
    assert len(text) < 20_000_000 and "(150×150)" in text
