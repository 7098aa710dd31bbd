"""A question lists the network's weights; the cell's words are no weights. `relevance_gate:
true` is said by the equations the statement writes (the CS230 cheatsheet's candidate
c̃<t> = tanh(W_c[Γ_r*a<t-1>; x<t>] + b_c)), as `state_activation: linear` is; a stack, whose
statement writes no equations, states it as it states its other words."""

import html
import re

from conftest import PROBLEMS, run


def _exported_question(tmp_path, path) -> str:
    out = tmp_path / "q.xml"
    r = run("export", str(path), "--to", "moodle", "--out", str(out))
    assert r.exit_code == 0, r.stderr
    text = html.unescape(out.read_text())
    return html.unescape(re.search(r"<questiontext format=\"html\">\s*<text>(.*?)</text>",
                                   text, re.S)[1])


def test_the_relevance_gate_is_said_by_the_equations_not_listed(tmp_path):
    q = _exported_question(tmp_path, PROBLEMS / "cs230_lstm_relevance_gate.yaml")
    assert "relevance_gate" not in q and "state_activation" not in q
    assert q.startswith("<p>An LSTM with W_f = [[0.5, -0.2, 1], [0.1, 0.4, -0.5]], ")
    assert "W_r = [[0.4, 0.1, -0.6], [-0.2, 0.5, 0.7]]" in q
    assert "c̃<t> = tanh(W_c·[Γ_r<t>*a<t-1>; x<t>] + b_c)" in q    # the cheatsheet's candidate


def test_a_stack_states_the_word_as_its_other_words(tmp_path):
    layer = ("{W_fh: 0.1, W_fx: -0.4, W_ih: 0.6, W_ix: 0.1, W_oh: 0.1, W_ox: -0.3, W_ch: -0.4, "
             "W_cx: 0.5, W_rh: 0.2, W_rx: 0.1, relevance_gate: true, state_activation: linear}")
    f = tmp_path / "stack.yaml"
    f.write_text(f"type: lstm\nnetwork:\n- {layer}\n- {layer}\ninputs: [1, -1]\n"
                 "ask: {quantity: h, t: 1, digits: 4}\n")
    q = _exported_question(tmp_path, f)
    assert "relevance_gate = " not in q
    assert q.count("W_rx = 0.1, relevance_gate true, state_activation linear") == 2
