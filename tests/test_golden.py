"""Golden files of the rendered working, one problem per type.

Regenerate after an intended change with `RNNQUIZ_REGOLD=1 pytest tests/test_golden.py`:
each file it rewrites fails; read the diff before committing it. Key numbers of some goldens
are checked against hand-worked arithmetic below.
"""

import io
import math
import os
import sys
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
         "perplexity_by_hand", "d2l_10_8_greedy", "beam_search_by_hand", "cs224n_a4_bleu"]

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
    if os.environ.get("RNNQUIZ_REGOLD") and (
            not path.exists() or path.read_text(encoding="utf-8") != text):
        # a rewritten golden file is no check of anything: fail, so that it is read first
        path.write_text(text, encoding="utf-8")
        pytest.fail(f"rewrote {path}: read its diff, then run again without RNNQUIZ_REGOLD")
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


# ---------------------------------------------------------------- the goldens' numbers by hand
# A golden file only says that the working did not change; these say that what it shows is
# right: key lines of a few goldens against numbers worked here in plain arithmetic.

def sig(z):
    return 1 / (1 + math.exp(-z))


def shown(x: float) -> str:
    """A value as the table writes it: 6 decimals, trailing zeros dropped."""
    return f"{x:.6f}".rstrip("0").rstrip(".")


def line_value(name: str, label: str) -> str:
    """The value column of the first line of a golden file whose step starts with `label`."""
    for line in (GOLDEN / name).read_text(encoding="utf-8").splitlines():
        if line[4:].startswith(label):
            return line.split()[-1]
    raise AssertionError(f"no line {label!r} in {name}")


def hinton_p3():
    # Hinton lecture 7, P3: h_t = σ(0.5 x_t - h_{t-1} - 1), y_t = -0.7 h_t, x = 9, 4, -2
    h0 = sig(0.5 * 9 - 1)
    h1 = sig(0.5 * 4 - h0 - 1)
    return {"h_0 = σ(z_0)": h0, "h_1 = σ(z_1)": h1, "y_1 = W_hy·h_1 + b_y": -0.7 * h1,
            "h_2 = σ(z_2)": sig(0.5 * -2 - h1 - 1)}


def hinton_p4():
    # Hinton lecture 7, P4, as the quiz's worked solution does it: the given rounded h and y,
    # σ' at z recomputed from them (z_2 = 0.8 + 0.5·0.4 + 0.4, z_1 = -0.9 + 0.5·0.2 + 0.4)
    dz2 = 0.25 * (0.2 + 0.2) * sig(1.4) * (1 - sig(1.4))
    dh1 = 0.25 * (0.1 + 0.1) + 0.5 * dz2
    dz1 = dh1 * sig(-0.4) * (1 - sig(-0.4))
    return {"dE/dz_2 = dE/dh_2·σ'(z_2)": dz2, "dE/dh_1 = W_hy·dE/dy_1": dh1,
            "dE/dz_1 = dE/dh_1·σ'(z_1)": dz1,
            "E = 1/2 Σ_t": 0.5 * (0.05 ** 2 + 0.2 ** 2 + 0.4 ** 2)}


def hinton_p5():
    # Hinton lecture 7, P5: h_t = σ(x_t + 2 h_{t-1}), x = 1, 0, 0, 0; the factors 2σ'(z_t)
    z, h = [], 0.0
    for x in (1, 0, 0, 0):
        z.append(x + 2 * h)
        h = sig(z[-1])
    product = math.prod(2 * sig(v) * (1 - sig(v)) for v in z[:3])
    return {"h_3 = σ(z_3)": sig(z[3]), "Π dz_3/dz_0": product,
            "dE/dz_3 = dE/dh_3·σ'(z_3)": (h - 0.5) * h * (1 - h),
            "g = (|dz_1/dz_0| ⋯ |dz_3/dz_2|)^(1/3)": product ** (1 / 3)}


def d2l_9_5_clip_norm():
    # ‖g‖ = sqrt(3² + 4² + 12²) = 13 > θ = 5: everything scaled by 5/13
    return {"‖g‖ = sqrt": 13, "θ/‖g‖": 5 / 13, "clipped db": 60 / 13}


def perplexity_by_hand():
    # -ln(1/2) - ln(1/4) - ln(1/8) = 6 ln 2; exp(6 ln 2 / 3) = 4
    return {"-ln p_3": 3 * math.log(2), "E = Σ_t -ln p_t": 6 * math.log(2),
            "cross_entropy = E/T": 2 * math.log(2), "perplexity = exp(E/T)": 4}


def mit_lstm_states_1():
    # MITx homework 4: f = σ(-100), i = σ(100 x + 100), o = σ(100 x), g = tanh(50 x - 100 h),
    # c and h rounded to the nearest integer after each step (ties to even), x = 0 0 1 1 1 0
    h = c = 0
    out = {}
    for t, x in enumerate([0, 0, 1, 1, 1, 0]):
        c = round(sig(-100) * c + sig(100 * x + 100) * math.tanh(50 * x - 100 * h))
        h = round(sig(100 * x) * math.tanh(c))
        out[f"c_{t} = f_{t}⊙c_"], out[f"h_{t} = o_{t}⊙tanh(c_{t})"] = c, h
    assert [out[f"h_{t} = o_{t}⊙tanh(c_{t})"] for t in range(6)] == [0, 0, 1, -1, 1, 0]
    return out


def mit_lstm_calculation():
    # MITx lecture 10: every weight, h and c 1, x = 5, σ rounded to 0/1 and tanh to ±1:
    # f = i = o = 1, g = 1, c = 1·1 + 1·1 = 2, h = 1·round(tanh 2) = 1
    f = i = o = round(sig(1 + 5))
    g = round(math.tanh(1 + 5))
    c = f * 1 + i * g
    return {"c_0 = f_0⊙c_": c, "h_0 = o_0⊙tanh(c_0)": o * round(math.tanh(c))}


@pytest.mark.parametrize("work", [hinton_p3, hinton_p4, hinton_p5, d2l_9_5_clip_norm,
                                  perplexity_by_hand, mit_lstm_states_1, mit_lstm_calculation],
                         ids=lambda f: f.__name__)
def test_goldens_show_hand_worked_numbers(work):
    for label, value in work().items():
        assert line_value(f"{work.__name__}.txt", label) == shown(value), label


def test_golden_lstm_bptt_gradient_against_differences_by_hand():
    """dE/dW_fh of LSTM_BPTT: an LSTM forward pass in plain arithmetic, differentiated by
    central differences."""
    net = LSTM_BPTT["network"]

    def E(w_fh):
        h, c, e = net["h_init"], net["c_init"], 0.0
        for x, target in zip(LSTM_BPTT["inputs"], LSTM_BPTT["targets"]):
            f = sig(w_fh * h + net["W_fx"] * x + net["b_f"])
            i = sig(net["W_ih"] * h + net["W_ix"] * x)
            o = sig(net["W_oh"] * h + net["W_ox"] * x)
            c = f * c + i * math.tanh(net["W_ch"] * h + net["W_cx"] * x)
            h = o * math.tanh(c)
            e += 0.5 * (h - target) ** 2
        return e

    grad = (E(net["W_fh"] + 1e-6) - E(net["W_fh"] - 1e-6)) / 2e-6
    assert line_value("lstm_bptt.txt", "E = 1/2 Σ_t") == shown(E(net["W_fh"]))
    assert line_value("lstm_bptt.txt", "dE/dW_fh = Σ_t") == shown(grad)
    answer = (GOLDEN / "lstm_bptt.txt").read_text(encoding="utf-8").split("answer: dE/dW_fh = ")[1]
    assert float(answer.split()[0]) == pytest.approx(grad, rel=1e-8)


def test_regold_rewrites_a_changed_file_and_fails(tmp_path, monkeypatch):
    monkeypatch.setattr(sys.modules[__name__], "GOLDEN", tmp_path)
    monkeypatch.setenv("RNNQUIZ_REGOLD", "1")
    (tmp_path / "x.txt").write_text("old", encoding="utf-8")
    with pytest.raises(pytest.fail.Exception, match="rewrote"):
        check("x.txt", "new")
    assert (tmp_path / "x.txt").read_text(encoding="utf-8") == "new"
    check("x.txt", "new")                                # unchanged: a real comparison
    monkeypatch.delenv("RNNQUIZ_REGOLD")
    with pytest.raises(AssertionError):
        check("x.txt", "other")
