"""The question of a Hagan network reads as Neural Network Design writes it (ch. 14): the input
is p, time is in parentheses and every equation is written for any step t (eq. 14.1:
n^m(t) = Σ_d iw^{m,l}(d) p(t-d) + Σ_l Σ_d lw^{m,l}(d) a^l(t-d) + b^m), and the performance index
is F = Σ_t e(t)ᵀe(t), e(t) = t(t) - a(t), the last layer's a^M(t)."""

import html
import re

from conftest import PROBLEMS, run


def _questions(tmp_path, path) -> list[str]:
    out = tmp_path / "q.xml"
    r = run("export", str(path), "--to", "moodle", "--out", str(out))
    assert r.exit_code == 0, r.stderr
    text = html.unescape(out.read_text())
    return [html.unescape(q) for q in
            re.findall(r"<questiontext format=\"html\">\s*<text>(.*?)</text>", text, re.S)]


def test_two_layers_write_every_equation_for_step_t(tmp_path):
    q = _questions(tmp_path, PROBLEMS / "hagan_two_layer_lddn.yaml")[0]
    assert ", receives p = 1, -1, 0.5, 2." in q and "receives x" not in q
    assert ("At each step t it computes n^1(t) = iw^{1,1}(0)·p(t) + iw^{1,1}(1)·p(t-1) + "
            "lw^{1,2}(1)·a^2(t-1) + b^1; a^1(t) = tansig(n^1(t)); n^2(t) = iw^{2,1}(0)·a^1(t) + "
            "lw^{2,2}(1)·a^2(t-1) + b^2; a^2(t) = purelin(n^2(t)).") in q
    assert "p(1) is the first input and a^m(0) = layer m's a_init" in q
    assert "F = Σ_t e(t)ᵀe(t), e(t) = t(t) - a^2(t), without the 1/2" in q
    assert "e_t" not in q and "y_t" not in q and "E = " not in q


def test_one_layer_names_its_input_p_and_its_loss_f(tmp_path):
    for q in _questions(tmp_path, PROBLEMS / "hagan_tapped_delay_line.yaml"):
        assert ", receives p = 1, 0, 2." in q
        assert "n(t) = iw^{1,1}(0)·p(t) + iw^{1,1}(1)·p(t-1) + lw^{1,1}(1)·a(t-1)" in q
        if "The targets" in q:
            assert "F = Σ_t e(t)ᵀe(t), e(t) = t(t) - a(t)," in q


def test_a_course_that_writes_x_capital_says_it_in_the_question_too(tmp_path):
    """d2l writes the input X_t (its statement says so): the question's `receives` does too."""
    f = tmp_path / "d2l.yaml"
    f.write_text("type: forward\nnotation: d2l\nnetwork: {W_xh: [[1, -1]], W_hh: [[0.5, 0], "
                 "[0, 0.5]], b_h: [0, 0.1]}\ninputs: [1, 2]\nask: {quantity: h, t: 2}\n")
    q = _questions(tmp_path, f)[0]
    assert ", receives X = 1, 2." in q and "X_1 is the first input" in q
