"""The solve pipeline's own lines of the working (rnnquiz/types/__init__.py) and what
`backprop` adds after BPTT (rnnquiz/types/gradient_norms.py): clipping's working, the
summary lines of long sequences, perplexity over a batch. Every value is worked by hand or
by numpy written here; the texts are what a student reads.

A squared loss has no perplexity (rnnquiz/types/gradient_norms.py): only
`loss: cross_entropy` adds one. E by numpy."""

from __future__ import annotations

import math

import numpy as np
import pytest

import rnnquiz
from conftest import random_network
from rnnquiz.errors import ProblemError


# ---------------------------------------------------------------- clip: the working

def linear_chain(clip: dict) -> dict:
    """h_t = 0.5 x_t + h_{t-1}, y_t = 2 h_t, x = [1, 2], targets [0.5, -0.5], by hand:
    h = [0.5, 1.5], y = [1, 3], dE/dy = [0.5, 3.5], dE/dz = [1 + 7, 7] = [8, 7];
    dE/dW_xh = 8·1 + 7·2 = 22, dE/dW_hh = 7·0.5 = 3.5, dE/dW_hy = 0.5·0.5 + 3.5·1.5 = 5.5,
    dE/db_h = 15, dE/db_y = 4; ‖g‖ = sqrt(484 + 12.25 + 30.25 + 225 + 16) = sqrt(767.5)."""
    return {"type": "backprop", "inputs": [1.0, 2.0], "targets": [0.5, -0.5],
            "network": {"W_xh": 0.5, "W_hh": 1.0, "W_hy": 2.0, "hidden": "linear"},
            "clip": clip}


GRADS = {"W_xh": 22.0, "W_hh": 3.5, "W_hy": 5.5, "b_h": 15.0, "b_y": 4.0}
NORM = math.sqrt(767.5)


def clip_steps(r):
    return [s for s in r.steps if s.phase == "clip"]


def test_clip_by_norm_writes_the_scale_and_each_clipped_gradient():
    r = rnnquiz.solve(linear_chain({"norm": 1.0}))
    norm, scale, *clipped = clip_steps(r)
    assert norm.symbol == "‖g‖" and norm.value == pytest.approx(NORM, rel=1e-12)
    assert scale.symbol == "scale" and scale.value == pytest.approx(1 / NORM, rel=1e-12)
    assert scale.equation == "θ/‖g‖ if ‖g‖ > θ else 1"
    assert scale.formula == "{}/{}"
    assert scale.operands[0] == 1.0 and scale.operands[1] == pytest.approx(NORM, rel=1e-12)
    assert scale.note == "the norm exceeds θ = 1"
    assert [s.symbol for s in clipped] == [f"dE/d{k} (clipped)" for k in GRADS]
    for s, (k, g) in zip(clipped, GRADS.items()):
        assert s.equation == f"dE/d{k}·θ/‖g‖"
        assert s.value == pytest.approx(g / NORM, rel=1e-12), k
    assert r.notes == ["the parameter gradients asked for are clipped (norm 1); grad_norm is "
                       "the norm before clipping"]
    assert r.to_json()["steps"][-5]["phase"] == "clip"


def test_clip_by_norm_within_the_threshold_says_so_and_scales_by_one():
    r = rnnquiz.solve(linear_chain({"norm": 100.0}))
    _, scale, *clipped = clip_steps(r)
    assert scale.symbol == "scale" and scale.value == 1.0
    assert scale.formula == "" and scale.operands == ()
    assert scale.note == "the norm is within θ = 100"
    assert [s.value for s in clipped] == list(GRADS.values())


def test_clip_by_value_clips_each_element_and_says_how():
    r = rnnquiz.solve(linear_chain({"value": 5.0}))
    steps = clip_steps(r)
    assert [s.symbol for s in steps] == ["‖g‖"] + [f"dE/d{k} (clipped)" for k in GRADS]
    assert [s.equation for s in steps[1:]] == [f"clip(dE/d{k}, -θ, θ)" for k in GRADS]
    assert [s.value for s in steps[1:]] == [5.0, 3.5, 5.0, 5.0, 4.0]
    assert r.notes == ["the parameter gradients asked for are clipped (value 5); grad_norm is "
                       "the norm before clipping"]
    assert all(s["phase"] == "clip" for s in r.to_json()["steps"][-6:])


# ---------------------------------------------------------------- perplexity of a batch

@pytest.mark.parametrize("reduction", ["sum", "mean", "batch_mean"])
def test_perplexity_of_a_batch_is_the_same_whatever_the_reduction(reduction):
    """perplexity = exp(-Σ log p[target] / number of terms), from torch's log-softmax; E is
    divided by 1, the number of terms or N, and the perplexity undoes exactly that."""
    torch = pytest.importorskip("torch", reason="PyTorch is the oracle of this test")
    rng = np.random.default_rng(31)
    N, T, D, H, V = 3, 4, 2, 3, 4
    x = rng.normal(size=(N, T, D))
    y = rng.integers(0, V, size=(N, T))
    net = {"Wx": rng.normal(size=(D, H)).tolist(), "Wh": rng.normal(size=(H, H)).tolist(),
           "b": rng.normal(size=H).tolist(), "W_vocab": rng.normal(size=(H, V)).tolist(),
           "b_vocab": rng.normal(size=V).tolist(), "output": "softmax"}
    doc = {"type": "backprop", "cell": "rnn", "notation": "cs231n", "batch": True,
           "inputs": x.tolist(), "targets": y.tolist(), "loss": "cross_entropy",
           "reduction": reduction, "network": net, "ask": {"quantity": "perplexity"}}
    W = {k: torch.tensor(np.asarray(v, dtype=float)) for k, v in net.items() if k != "output"}
    h, scores = torch.zeros(N, H, dtype=torch.float64), []
    for t in range(T):
        h = torch.tanh(torch.tensor(x[:, t]) @ W["Wx"] + h @ W["Wh"] + W["b"])
        scores.append(h @ W["W_vocab"] + W["b_vocab"])
    logp = torch.log_softmax(torch.stack(scores, 1), -1)
    total = -float(logp.gather(-1, torch.tensor(y)[..., None]).sum())
    for steps in (True, False):
        r = rnnquiz.solve(doc, steps=steps)
        assert r.answer == pytest.approx(math.exp(total / (N * T)), rel=1e-12)
        assert r.values["E"] == pytest.approx(
            total / {"sum": 1, "mean": N * T, "batch_mean": N}[reduction], rel=1e-12)


# ---------------------------------------------------------------- long sequences

def tanh_chain(T: int, **extra) -> dict:
    """z_t = 0.5 x_t + 0.5 h_{t-1}, h_t = tanh(z_t), x_t = 1."""
    return {"type": "forward", "inputs": [1.0] * T,
            "network": {"W_xh": 0.5, "W_hh": 0.5, "hidden": "tanh"}, **extra}


def by_hand(T: int) -> list[float]:
    h, out = 0.0, []
    for _ in range(T):
        h = math.tanh(0.5 + 0.5 * h)
        out.append(h)
    return out


def test_a_long_sequence_shows_its_first_three_steps_a_gap_line_and_its_last_two():
    r = rnnquiz.solve(tanh_chain(1205, ask={"quantity": "h", "t": 150}))
    hs = by_hand(1205)
    assert r.answer == pytest.approx(hs[150], rel=1e-12)
    shown = [(s.t, s.symbol) for s in r.steps]
    assert shown == [(t, f"{q}_{t}") for t in range(3) for q in "zhy"] + [(None, "…")] + \
        [(t, f"{q}_{t}") for t in (1203, 1204) for q in "zhy"]
    assert [s.value for s in r.steps if s.symbol.startswith("h_")] == \
        pytest.approx(hs[:3] + hs[-2:], rel=1e-12)
    gap = r.steps[9]
    assert gap.value == "1,200 steps" and gap.phase == ""
    assert gap.note == ("steps 3 … 1202 are not shown (T = 1,205); every value is in the "
                        "answer (--json), or ask one step with ask.t")
    assert r.to_json()["steps"][9] == {"t": None, "symbol": "…", "equation": "",
                                       "working": "", "value": "1,200 steps",
                                       "note": gap.note}


@pytest.mark.parametrize("cell, state", [("lstm", "h"), ("gru", "h"), ("gated", "s")])
def test_a_long_gated_sequence_shows_its_first_three_steps(cell, state):
    """The cells' own types: the first three steps' states, from numpy written here."""
    rng = np.random.default_rng(32)
    net = random_network(rng, cell, "mit", 1, 1, False)
    x = rng.normal(size=205)
    doc = {"type": cell, "notation": "mit", "network": net, "inputs": x[:, None].tolist(),
           "ask": {"quantity": state, "t": 150}}
    r = rnnquiz.solve(doc)
    assert {s.t for s in r.steps} == {0, 1, 2, None, 203, 204}
    gap = next(s for s in r.steps if s.t is None)
    assert gap.symbol == "…" and gap.value == "200 steps"
    v = {k: float(np.asarray(w).reshape(-1)[0]) for k, w in net.items()}
    sig = lambda z: 1 / (1 + math.exp(-z))   # noqa: E731
    if cell == "lstm":
        h, c = v["h_init"], v["c_init"]
    elif cell == "gru":
        h = v["h_init"]
    else:
        h = v["s_init"]
    states = []
    for t in range(3):
        if cell == "lstm":
            f = sig(v["W_fh"] * h + v["W_fx"] * x[t] + v["b_f"])
            i = sig(v["W_ih"] * h + v["W_ix"] * x[t] + v["b_i"])
            o = sig(v["W_oh"] * h + v["W_ox"] * x[t] + v["b_o"])
            c = f * c + i * math.tanh(v["W_ch"] * h + v["W_cx"] * x[t] + v["b_c"])
            h = o * math.tanh(c)
        elif cell == "gru":
            u = sig(v["W_uh"] * h + v["W_ux"] * x[t] + v["b_u"])
            rr = sig(v["W_rh"] * h + v["W_rx"] * x[t] + v["b_r"])
            cand = math.tanh(v["W_ch"] * (rr * h) + v["W_cx"] * x[t] + v["b_c"])
            h = u * cand + (1 - u) * h
        else:
            g = sig(v["W_gs"] * h + v["W_gx"] * x[t] + v["b_g"])
            h = (1 - g) * h + g * math.tanh(v["W_ss"] * h + v["W_sx"] * x[t] + v["b_s"])
        states.append(h)
    got = [s.value for s in r.steps if s.symbol == f"{state}_{s.t}" and s.t < 3]
    assert np.asarray(got, dtype=float).reshape(-1) == pytest.approx(states, rel=1e-9)


@pytest.mark.parametrize("notation, first", [("hinton", 0), ("deeplearning_ai", 1)])
def test_a_long_rounded_sequence_marks_the_steps_it_leaves_out(notation, first):
    """round: 3 takes the working path: the first three and last two steps, and between them
    one line naming the steps left out in the notation's own numbering."""
    net = {"W_xh": 0.5, "W_hh": 0.5, "hidden": "tanh"} if notation == "hinton" else \
        {"Wax": 0.5, "Waa": 0.5, "hidden": "tanh"}
    T = 1210
    r = rnnquiz.solve({"type": "forward", "notation": notation, "inputs": [1.0] * T,
                       "round": 3, "network": net})
    ts = [s.t for s in r.steps]
    gap = ts.index(None)
    assert sorted(set(ts[:gap])) == [first, first + 1, first + 2]
    assert sorted(set(ts[gap + 1:])) == [T - 2 + first, T - 1 + first]
    s = r.steps[gap]
    assert s.symbol == "…" and s.value == "1,205 steps"
    assert s.note == f"steps {3 + first} … {T - 3 + first} are not shown (T = 1,210)"
    # the steps shown: 3 places, h from the rounded z (round(0.5 + 0.5·0.462, 3) = 0.731)
    h = [s.value for s in r.steps if s.t == first and s.symbol.startswith(("h", "a"))]
    assert h == [0.462]


def test_a_long_jacobian_answer_keeps_its_working_to_the_first_steps():
    """dh_{T-1}/dh_{-1} = Π_t 0.5·(1 - h_t²) over all T steps; the working shows the first
    three and last two steps' values only, not a Jacobian of those steps."""
    T = 205
    r = rnnquiz.solve(tanh_chain(T, ask={"quantity": "jacobian"}))
    # 3.1e-119: abs=0, or approx's default abs=1e-12 takes any tiny number, 0 too
    assert r.answer == pytest.approx(math.prod(0.5 * (1 - h * h) for h in by_hand(T)),
                                     rel=1e-9, abs=0)
    assert [s.symbol for s in r.steps] == [f"{q}_{t}" for t in range(3) for q in "zhy"] + \
        ["…"] + [f"{q}_{t}" for t in (203, 204) for q in "zhy"]


# ---------------------------------------------------------------- grad_norm and perplexity lines

def test_grad_norm_is_written_when_asked_or_clipping_and_only_then():
    doc = linear_chain({"norm": 1.0})
    del doc["clip"]
    asked = rnnquiz.solve({**doc, "ask": {"quantity": "grad_norm"}})
    assert asked.answer == pytest.approx(NORM, rel=1e-12)
    (line,) = [s for s in asked.steps if s.symbol == "‖g‖"]
    assert (line.equation, line.phase, line.note, line.t) == (
        "sqrt(Σ over every weight and bias of Σ g²)", "clip",
        "the global norm, before any clipping", None)
    quiet = rnnquiz.solve({**doc, "ask": {"quantity": "E"}})
    assert not [s for s in quiet.steps if s.symbol == "‖g‖"]
    assert quiet.values["grad_norm"] == pytest.approx(NORM, rel=1e-12)
    clipped = rnnquiz.solve(linear_chain({"value": 5.0}))
    assert [s.note for s in clipped.steps if s.symbol == "‖g‖"] == [
        "the global norm, before any clipping"]


def _softmax_outputs(x, W_xh, W_hy) -> list:
    """y_t of the tests' simple RNN (tanh, W_hh = 0.5·I, no biases, softmax read-out), in numpy."""
    h, ys = np.zeros(W_xh.shape[0]), []
    for x_t in x:
        h = np.tanh(W_xh @ x_t + 0.5 * h)
        u = W_hy @ h
        ys.append(np.exp(u) / np.exp(u).sum())
    return ys


def test_perplexity_is_written_with_its_terms_when_asked():
    """-ln y_0[2] - ln y_2[0] over 2 terms, y from numpy; E is their mean (reduction mean)."""
    rng = np.random.default_rng(14)
    x = rng.normal(size=(3, 2))
    W_xh, W_hy = rng.normal(size=(2, 2)), rng.normal(size=(3, 2))
    doc = {"type": "backprop", "inputs": x.tolist(), "targets": {0: 2, 2: 0},
           "loss": "cross_entropy", "reduction": "mean",
           "network": {"W_xh": W_xh.tolist(), "W_hh": [[0.5, 0], [0, 0.5]],
                       "W_hy": W_hy.tolist(), "output": "softmax", "hidden": "tanh"},
           "ask": {"quantity": "perplexity"}}
    ys = _softmax_outputs(x, W_xh, W_hy)
    total = -np.log(ys[0][2]) - np.log(ys[2][0])
    r = rnnquiz.solve(doc)
    assert r.answer == pytest.approx(np.exp(total / 2), rel=1e-12)
    (line,) = [s for s in r.steps if s.symbol == "perplexity"]
    assert (line.equation, line.formula, line.phase) == (
        "exp(Σ loss terms / number of loss terms)", "exp({} / {})", "loss")
    assert line.operands[0] == pytest.approx(total, rel=1e-12) and line.operands[1] == 2
    quiet = rnnquiz.solve({**doc, "ask": {"quantity": "E"}})
    assert quiet.answer == pytest.approx(total / 2, rel=1e-12)
    assert not [s for s in quiet.steps if s.symbol == "perplexity"]
    assert quiet.values["perplexity"] == pytest.approx(np.exp(total / 2), rel=1e-12)


def test_a_masked_step_is_no_loss_term_of_the_perplexity():
    """mask [1, 0, 1] with targets at every step: the perplexity of steps 0 and 2 only."""
    rng = np.random.default_rng(15)
    x = rng.normal(size=(3, 2))
    W_xh, W_hy = rng.normal(size=(2, 2)), rng.normal(size=(3, 2))
    doc = {"type": "backprop", "inputs": x.tolist(), "targets": [1, 2, 0], "mask": [1, 0, 1],
           "loss": "cross_entropy", "reduction": "sum",
           "network": {"W_xh": W_xh.tolist(), "W_hh": [[0.5, 0], [0, 0.5]],
                       "W_hy": W_hy.tolist(), "output": "softmax", "hidden": "tanh"},
           "ask": {"quantity": "perplexity"}}
    ys = _softmax_outputs(x, W_xh, W_hy)
    total = -np.log(ys[0][1]) - np.log(ys[2][0])
    assert rnnquiz.solve(doc).answer == pytest.approx(np.exp(total / 2), rel=1e-12)


def test_a_stacks_grad_norm_runs_over_every_layer():
    """A 2-layer nn.RNN in PyTorch's keys: clip_grad_norm_'s total over both layers."""
    torch = pytest.importorskip("torch", reason="PyTorch is the oracle of this test")
    rng = np.random.default_rng(16)
    x, tg = rng.normal(size=(4, 2)), rng.normal(size=(4, 3))
    rnn = torch.nn.RNN(2, 3, num_layers=2).double()
    out, _ = rnn(torch.tensor(x)[:, None, :])
    (0.5 * ((out[:, 0] - torch.tensor(tg)) ** 2).sum()).backward()
    norm = float(torch.nn.utils.clip_grad_norm_(list(rnn.parameters()), 1e9))
    doc = {"type": "backprop", "cell": "rnn", "notation": "pytorch", "inputs": x.tolist(),
           "targets": tg.tolist(), "clip": {"norm": 1e9},
           "network": {**{k: v.detach().numpy().tolist() for k, v in rnn.state_dict().items()},
                       "hidden": "tanh"}, "ask": {"quantity": "grad_norm"}}
    for steps in (True, False):
        assert rnnquiz.solve(doc, steps=steps).answer == pytest.approx(norm, rel=1e-12)


def _beside(values, places):
    """The rounded working of `values` (one step each) marked with the exact values."""
    from rnnquiz.trace.rounding import Rounding
    from rnnquiz.types.pipeline import _beside_exact
    from rnnquiz.trace import Work

    def fn(p, work):
        for i, v in enumerate(values):
            work.q(f"v_{i}", v, t=i)
    work = Work(Rounding(places))
    fn(None, work)
    _beside_exact(None, fn, work)
    return work.steps


def test_the_exact_value_is_kept_beside_every_rounded_one_that_moved():
    # a large value moves by 1.1e-5 at 4 places (relative 9e-10), a small one by 1.2e-11 at
    # 9 places: both are shown beside their rounding; a NaN in both workings, or a value the
    # rounding left alone, is no difference
    big, nan, half = _beside([1234.567891, float("nan"), 0.5], 4)
    [small] = _beside([0.00123456789012], 9)
    assert big.value == 1234.5679 and big.exact == 1234.567891
    assert small.value == 0.001234568 and small.exact == 0.00123456789012
    assert np.isnan(nan.value) and nan.exact is None
    assert half.value == 0.5 and half.exact is None


def test_the_notes_of_a_rounded_working_in_order():
    # z_0 = 0.5 and z_1 = 0.5 + 0 = 0.5 at 0 places: both exact ties, rounded to even (0)
    from rnnquiz.types import solve
    doc = {"type": "forward", "network": {"hidden": "linear", "W_xh": 0.5, "W_hh": 1.0},
           "inputs": [1.0, 1.0], "round": 0}
    r = solve(doc)
    assert r.answer == [0.0, 0.0]
    assert r.notes == ["rounding: every named quantity rounded to 0 decimals",
                       "exact ties (.5) rounded to even at: z_0, z_1",
                       "rounding changed 4 step(s) compared with exact arithmetic, first at z_0"]
    assert solve(doc, steps=False).steps == []              # nothing recorded when not asked
    from rnnquiz.types import from_dict
    assert solve(from_dict(doc)).answer == [0.0, 0.0]        # a validated problem as it is


def test_an_overflow_names_its_file_and_the_cure_without_numpy_warnings(tmp_path):
    import warnings
    from rnnquiz.types import load_path
    f = tmp_path / "big.yaml"
    f.write_text("type: forward\nnetwork: {hidden: linear, W_xh: 1.0e+300, W_hh: 1.0e+300}\n"
                 "inputs: [1.0e+10, 1.0]\n")
    [p] = load_path(str(f))
    with warnings.catch_warnings():
        warnings.simplefilter("error")                     # a numpy RuntimeWarning would raise
        with pytest.raises(rnnquiz.ProblemError) as e:
            rnnquiz.solve(p)
    assert e.value.file == str(f)
    assert str(e.value).endswith("overflows float64 (the result cannot be represented); "
                                 "scale the weights or inputs down")


@pytest.mark.parametrize("T, gap", [(200, False), (201, True)])
def test_the_working_is_cut_only_beyond_200_steps(T, gap):
    r = rnnquiz.solve({"type": "forward", "network": {"W_xh": 0.5, "W_hh": 0.5, "hidden": "tanh"},
                       "inputs": [1.0] * T, "round": 3})
    assert any(s.symbol == "…" for s in r.steps) == gap
    assert len({s.t for s in r.steps if s.t is not None}) == (5 if gap else T)


def test_the_rounding_note_comes_before_the_solvers_own():
    r = rnnquiz.solve({"type": "backprop", "network": {"hidden": "tanh", "W_xh": 0.5, "W_hh": 1.5,
                                                       "W_hy": 1.0},
                       "inputs": [1.0, 0.3], "targets": [1, 0], "round": 2, "clip": {"norm": 0.1}})
    assert r.notes[:2] == ["rounding: every named quantity rounded to 2 decimals",
                           "the parameter gradients asked for are clipped (norm 0.1); grad_norm "
                           "is the norm before clipping"]


def test_a_squared_loss_has_no_perplexity():
    doc = {"type": "backprop", "inputs": [[1.0], [2.0]], "targets": {0: 0.1, 1: 0.2},
           "network": {"W_xh": [[0.5]], "W_hh": [[0.5]], "W_hy": [[2.0]], "hidden": "tanh"}}
    h0 = np.tanh(0.5)
    h1 = np.tanh(1.0 + 0.5 * h0)
    r = rnnquiz.solve(doc)
    assert r.values["E"] == pytest.approx(0.5 * ((2 * h0 - 0.1) ** 2 + (2 * h1 - 0.2) ** 2),
                                          rel=1e-12)
    assert "perplexity" not in r.values
    assert not [s for s in r.steps if s.symbol == "perplexity"]
    with pytest.raises(ProblemError) as e:
        rnnquiz.solve({**doc, "ask": {"quantity": "perplexity"}})
    assert e.value.keys == ("ask", "quantity") and "perplexity" not in str(e.value).split(";")[1]
