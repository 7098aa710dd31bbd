"""Golden files of the rendered working, one problem per type.

Regenerate after an intended change with `RNNQUIZ_REGOLD=1 pytest tests/test_golden.py`
and read the diff before committing it.
"""

import io
import os
from pathlib import Path

import pytest
from rich.console import Console

import rnnquiz
from rnnquiz.render import build_table, render_markdown

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = Path(__file__).resolve().parent / "golden"
CASES = ["hinton_p1", "hinton_p3", "hinton_p4", "hinton_p5", "mit_lstm_states_1",
         "mit_lstm_calculation", "mit_gated_rnn", "dlai_q7_gate_dim", "dlai_q9_lstm_as_gru",
         "dlai_q8_gru_simplification", "mit_gating_choice", "d2l_9_5_clip_norm",
         "perplexity_by_hand", "d2l_10_8_greedy", "beam_search_by_hand"]

# backprop through a cell: the working shows every gate's delta per step
LSTM_BPTT = {"type": "backprop", "cell": "lstm", "round": "none", "inputs": [1, -1],
             "targets": [0.5, -0.5],
             "network": {"W_fh": 0.5, "W_fx": 1, "b_f": 0.1, "W_ih": -0.5, "W_ix": 1,
                         "W_oh": 1, "W_ox": 0.5, "W_ch": 0.2, "W_cx": 1, "h_init": 0.1,
                         "c_init": -0.2},
             "ask": {"quantity": "dE/dW_fh", "digits": 6}}


def table_text(result, width=100):
    out = io.StringIO()
    Console(file=out, width=width, color_system=None, highlight=False).print(build_table(result))
    return out.getvalue()


def check(name: str, text: str) -> None:
    path = GOLDEN / name
    if os.environ.get("RNNQUIZ_REGOLD"):
        path.write_text(text, encoding="utf-8")
    assert path.exists(), f"missing golden file {path}; run with RNNQUIZ_REGOLD=1"
    assert text == path.read_text(encoding="utf-8")


@pytest.mark.parametrize("name", CASES)
def test_table(name):
    text = ""
    for p in rnnquiz.load(ROOT / "problems" / f"{name}.yaml"):
        p.file = f"problems/{name}.yaml"
        text += table_text(rnnquiz.solve(p))
    check(f"{name}.txt", text)


def test_table_of_backprop_through_an_lstm():
    check("lstm_bptt.txt", table_text(rnnquiz.solve(LSTM_BPTT)))


@pytest.mark.parametrize("name", ["hinton_p3", "mit_lstm_states_1"])
def test_markdown(name):
    (p,) = rnnquiz.load(ROOT / "problems" / f"{name}.yaml")
    p.file = f"problems/{name}.yaml"
    out = io.StringIO()
    render_markdown(rnnquiz.solve(p), out)
    check(f"{name}.md", out.getvalue())


def test_narrow_table_never_cuts_numbers():
    (p,) = rnnquiz.load(ROOT / "problems" / "hinton_p4.yaml")
    r = rnnquiz.solve(p)
    text = table_text(r, width=60)
    assert "…" not in text
    for value in ("0.013919", "0.197816", "-0.000879"):
        assert value in text
