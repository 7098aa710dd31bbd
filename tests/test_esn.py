"""Echo state networks (`notation: esn`, Lukoševičius' practical guide): the leaky reservoir,
the spectral-radius rescale and the ridge read-out against oracles written apart from the
code: the guide's equations in numpy (numpy.linalg.eigvals for ρ, the ridge formula with an
inverse, numpy.linalg.lstsq), scikit-learn's Ridge, torch's RNNCell, the simple RNN of the
cell registry, and numbers by hand."""

from __future__ import annotations

import json
import math
import subprocess
import sys

import numpy as np
import pytest
import yaml

import rnnquiz
from conftest import PROBLEMS, ROOT, run

FILES = ["lukosevicius_esn_leaky.yaml", "lukosevicius_esn_ridge.yaml",
         "lukosevicius_esn_spectral_radius.yaml"]


# ---------------------------------------------------------------- the oracles

def states(W_in, W, U, alpha):
    """The guide's eqs. 2-3, x(0) = 0: the states x(1) ... x(T), one row each."""
    x, out = np.zeros(len(W)), []
    for u in U:
        x_tilde = np.tanh(W_in @ np.concatenate(([1.0], np.atleast_1d(u))) + W @ x)
        x = (1 - alpha) * x + alpha * x_tilde
        out.append(x)
    return np.array(out)


def columns(U, xs):
    return np.array([np.concatenate(([1.0], np.atleast_1d(u), x)) for u, x in zip(U, xs)]).T


def ridge_by_inverse(X, Y, beta):
    """Eq. 9 as printed: W_out = Y Xᵀ (X Xᵀ + β I)⁻¹."""
    return Y @ X.T @ np.linalg.inv(X @ X.T + beta * np.eye(len(X)))


def ridge_by_lstsq(X, Y, beta):
    """The same minimiser as a least-squares problem: [Xᵀ; √β I] W_outᵀ ≈ [Yᵀ; 0]."""
    A = np.vstack([X.T, math.sqrt(beta) * np.eye(len(X))])
    B = np.vstack([Y.T, np.zeros((len(X), len(Y)))])
    return np.linalg.lstsq(A, B, rcond=None)[0].T


def random_esn(seed, H=4, D=2, O=2, T=12):
    rng = np.random.default_rng(seed)
    return (rng.uniform(-1, 1, (H, 1 + D)), rng.uniform(-0.6, 0.6, (H, H)),
            rng.uniform(-1, 1, (T, D)), rng.uniform(-1, 1, (T, O)))


def doc(W_in, W, U, **extra):
    network = {"W_in": np.asarray(W_in).tolist(), "W": np.asarray(W).tolist()}
    network.update(extra.pop("network", {}))
    return {"type": "forward", "notation": "esn", "network": network,
            "inputs": np.asarray(U).tolist(), **extra}


# ---------------------------------------------------------------- the bundled problems

@pytest.mark.parametrize("name", FILES)
def test_the_bundled_problems_agree_with_the_guides_equations_in_numpy(name):
    for d in yaml.safe_load_all((PROBLEMS / name).read_text(encoding="utf-8")):
        r = rnnquiz.solve(d)
        assert r.agrees, r.title
        net = d["network"]
        W = np.atleast_2d(np.asarray(net["W"], dtype=float))
        if "spectral_radius" in net:
            rho_W = np.max(np.abs(np.linalg.eigvals(W)))
            W = net["spectral_radius"] / rho_W * W
            assert np.allclose(r.values["W_scaled"], W, rtol=1e-13, atol=0)
        U = np.asarray(d["inputs"], dtype=float).reshape(len(d["inputs"]), -1)
        xs = states(np.atleast_2d(net["W_in"]), W, U, net.get("leaking_rate", 1.0))
        assert np.allclose(np.reshape(r.values["x"], xs.shape), xs, rtol=1e-13, atol=1e-15)
        if "readout_fit" in d:
            k, beta = d["readout_fit"]["washout"], d["readout_fit"]["beta"]
            X = columns(U, xs)
            W_out = ridge_by_inverse(X[:, k:], np.reshape(d["targets"], (1, -1))[:, k:], beta)
        elif "W_out" in net:
            W_out = np.atleast_2d(net["W_out"])
        else:
            continue
        assert np.allclose(r.values["W_out"], W_out, rtol=1e-11, atol=1e-13)
        ys = (W_out @ columns(U, xs)).T
        assert np.allclose(np.reshape(r.values["y"], ys.shape), ys, rtol=1e-11, atol=1e-13)


def test_one_unit_by_hand():
    r = rnnquiz.solve(next(yaml.safe_load_all(
        (PROBLEMS / "lukosevicius_esn_leaky.yaml").read_text(encoding="utf-8"))))
    x1 = 0.5 * math.tanh(1.0)                              # tanh(0.2 + 0.8·1 + 0.5·0), α = 0.5
    x2 = 0.5 * x1 + 0.5 * math.tanh(0.2 + 0.8 * 0.5 + 0.5 * x1)
    assert r.values["x"] == pytest.approx([x1, x2], rel=1e-15)
    assert r.answer == pytest.approx(0.1 + 0.3 * 0.5 + 1.2 * x2, rel=1e-15)
    assert isinstance(r.answer, float)                     # a scalar network: numbers
    assert r.values["W_out"] == [[0.1, 0.3, 1.2]]          # rows, also for one output


def test_leaking_rate_1_is_the_simple_rnn_of_the_cell_registry():
    W_in, W, U, _ = random_esn(3, H=3, D=2, T=5)
    W_out = np.random.default_rng(4).uniform(-1, 1, (1, 1 + 2 + 3))
    # y = W_out[:, 0] + W_out[:, 1:3] u + W_out[:, 3:] x: with no input term, Hinton's read-out
    W_out[:, 1:3] = 0
    esn = rnnquiz.solve(doc(W_in, W, U, network={"W_out": W_out.tolist()}))
    rnn = rnnquiz.solve({"type": "forward", "notation": "hinton", "inputs": U.tolist(),
                         "network": {"hidden": "tanh", "W_xh": W_in[:, 1:].tolist(),
                                     "W_hh": W.tolist(), "b_h": W_in[:, 0].tolist(),
                                     "W_hy": W_out[:, 3:].tolist(), "b_y": W_out[:, 0].tolist()}})
    assert np.allclose(esn.values["x"], rnn.values["h"], rtol=1e-14, atol=0)
    assert np.allclose(np.reshape(esn.answer, -1), np.reshape(rnn.answer, -1), rtol=1e-14,
                       atol=0)
    assert not any(s.symbol.startswith("x̃") for s in esn.steps)    # α = 1: one line a step


# ---------------------------------------------------------------- the spectral radius

@pytest.mark.parametrize("seed", range(6))
def test_W_scaled_has_the_spectral_radius_asked(seed):
    W_in, W, U, _ = random_esn(seed, H=5, T=3)
    rho = [0.5, 0.9, 0.95, 1.0, 1.25, 0.1][seed]
    r = rnnquiz.solve(doc(W_in, W, U, network={"spectral_radius": rho},
                          ask={"quantity": "W_scaled"}))
    scaled = np.array(r.answer)
    assert np.max(np.abs(np.linalg.eigvals(scaled))) == pytest.approx(rho, rel=1e-12)
    assert np.allclose(scaled, W * rho / np.max(np.abs(np.linalg.eigvals(W))), rtol=1e-13,
                       atol=0)
    steps = {s.symbol: s for s in r.steps}
    assert steps["ρ(W)"].value == pytest.approx(np.max(np.abs(np.linalg.eigvals(W))), rel=1e-13)
    assert steps["ρ/ρ(W)"].operands[0] == rho
    # the states run on W_scaled
    assert np.allclose(r.values["x"], states(W_in, scaled, U, 1.0), rtol=1e-13, atol=1e-15)


def test_the_eigenvalues_complex_ones_too_are_in_the_working():
    r = rnnquiz.solve(next(yaml.safe_load_all(
        (PROBLEMS / "lukosevicius_esn_spectral_radius.yaml").read_text(encoding="utf-8"))))
    moduli = next(s for s in r.steps if s.symbol == "|λ_i(W)|")
    assert "0.343938 + 0.254715i" in moduli.note and "0.343938 - 0.254715i" in moduli.note
    assert moduli.value[0] == pytest.approx(0.6878754867, rel=1e-9)


# ---------------------------------------------------------------- the ridge read-out

@pytest.mark.parametrize("seed,beta,washout", [(0, 0.1, 0), (1, 1e-3, 3), (2, 2.0, 5),
                                               (5, 0.0, 2)])
def test_the_ridge_read_out_is_the_least_squares_minimiser(seed, beta, washout):
    W_in, W, U, Y = random_esn(seed, T=14)
    r = rnnquiz.solve(doc(W_in, W, U, network={"leaking_rate": 0.7}, targets=Y.tolist(),
                          readout_fit={"method": "ridge", "beta": beta, "washout": washout},
                          ask={"quantity": "W_out"}))
    X = columns(U, states(W_in, W, U, 0.7))[:, washout:]
    expect = ridge_by_lstsq(X, Y[washout:].T, beta)
    assert np.allclose(r.answer, expect, rtol=1e-9, atol=1e-11)
    assert np.allclose(r.answer, ridge_by_inverse(X, Y[washout:].T, beta), rtol=1e-9,
                       atol=1e-11)
    # y at every step, the washout's too, from the fitted W_out
    ys = (np.array(r.answer) @ columns(U, states(W_in, W, U, 0.7))).T
    assert np.allclose(r.values["y"], ys, rtol=1e-9, atol=1e-11)


def test_scikit_learns_ridge_without_intercept_on_the_bias_column():
    sklearn_linear = pytest.importorskip("sklearn.linear_model")
    W_in, W, U, Y = random_esn(11, H=5, D=1, O=3, T=20)
    U = U[:, :1]
    W_in = W_in[:, :2]
    r = rnnquiz.solve(doc(W_in, W, U, network={"leaking_rate": 0.3, "spectral_radius": 0.9},
                          targets=Y.tolist(), readout_fit={"beta": 0.05, "washout": 4},
                          ask={"quantity": "W_out"}))
    scaled = np.array(r.values["W_scaled"])
    X = columns(U, states(W_in, scaled, U, 0.3))[:, 4:]
    model = sklearn_linear.Ridge(alpha=0.05, fit_intercept=False).fit(X.T, Y[4:])
    assert np.allclose(r.answer, model.coef_, rtol=1e-8, atol=1e-10)


def test_the_working_solves_rather_than_inverts_and_shows_X_and_Y():
    d = yaml.safe_load((PROBLEMS / "lukosevicius_esn_ridge.yaml").read_text(
        encoding="utf-8").split("---")[0])
    r = rnnquiz.solve(d)
    steps = {s.symbol: s for s in r.steps if s.phase == "read-out fit"}
    assert list(steps) == ["X", "Y", "X·Xᵀ + β·I", "Y·Xᵀ", "W_out"]
    assert np.shape(steps["X"].value) == (4, 6)            # [1; u; x] for n = 3 ... 8
    assert steps["Y"].value.tolist() == [[0.5, 1.0, 0.5, 0.0, -0.5, -1.0]]
    assert steps["W_out"].formula.startswith("solve(")
    assert "not by inverting" in steps["W_out"].note
    A = steps["X·Xᵀ + β·I"].value
    assert np.allclose(A, steps["X"].value @ steps["X"].value.T + 0.1 * np.eye(4), rtol=1e-15,
                       atol=0)


def test_a_long_fit_is_not_written_out_column_by_column():
    W_in, W, U, Y = random_esn(8, H=3, D=1, O=1, T=300)
    r = rnnquiz.solve(doc(W_in[:, :2], W, U[:, :1], targets=Y.tolist(),
                          readout_fit={"beta": 0.01, "washout": 50}, ask={"quantity": "W_out"}))
    symbols = [s.symbol for s in r.steps]
    assert "X" not in symbols and "X·Xᵀ + β·I" in symbols
    X = columns(U[:, :1], states(W_in[:, :2], W, U[:, :1], 1.0))[:, 50:]
    assert np.allclose(r.answer, ridge_by_lstsq(X, Y[50:].T, 0.01), rtol=1e-9, atol=1e-11)
    assert len([s for s in r.steps if s.symbol.startswith("x(")]) < 20     # head and tail


# ---------------------------------------------------------------- torch's tanh cell

def test_the_leaky_recurrence_against_torchs_rnn_cell():
    torch = pytest.importorskip("torch")
    W_in, W, U, _ = random_esn(21, H=4, D=3, T=9)
    alpha = 0.35
    cell = torch.nn.RNNCell(3, 4, nonlinearity="tanh").double()
    with torch.no_grad():
        cell.weight_ih.copy_(torch.tensor(W_in[:, 1:]))
        cell.bias_ih.copy_(torch.tensor(W_in[:, 0]))
        cell.weight_hh.copy_(torch.tensor(W))
        cell.bias_hh.zero_()
        x, expect = torch.zeros(1, 4, dtype=torch.float64), []
        for u in torch.tensor(U):
            x = (1 - alpha) * x + alpha * cell(u[None], x)
            expect.append(x[0].numpy().copy())
    r = rnnquiz.solve(doc(W_in, W, U, network={"leaking_rate": alpha}))
    assert r.values["x"] and np.allclose(r.values["x"], expect, rtol=1e-13, atol=1e-15)
    assert r.extra["quantity"] == "x"                      # no read-out: the states


# ---------------------------------------------------------------- slips, errors, registry

def test_check_names_the_leaking_rate_on_the_wrong_term_and_the_missing_bias_row():
    leaky = PROBLEMS / "lukosevicius_esn_leaky.yaml"
    d = list(yaml.safe_load_all(leaky.read_text(encoding="utf-8")))[1]
    net = d["network"]
    U = np.reshape(d["inputs"], (-1, 1))
    xs = states(np.array(net["W_in"]), np.array(net["W"]), U, 1 - net["leaking_rate"])
    wrong = float((np.array(net["W_out"]) @ columns(U, xs))[0, 2])
    out = run("check", "-", "--answer", f"{wrong:.4f}", "--json", input=json.dumps(d))
    assert out.exit_code == 1
    assert json.loads(out.stdout)["diagnosis"][0]["slip"] == "leak_swapped"
    ridge = yaml.safe_load((PROBLEMS / "lukosevicius_esn_ridge.yaml").read_text(
        encoding="utf-8").split("---")[0])
    U = np.reshape(ridge["inputs"], (-1, 1))
    X = columns(U, states(np.array(ridge["network"]["W_in"]), np.array(ridge["network"]["W"]),
                          U, 0.4))[1:, 2:]                 # no row of 1s
    W_out = ridge_by_inverse(X, np.reshape(ridge["targets"], (1, -1))[:, 2:], 0.1)
    text = ",".join(f"{v:.4f}" for v in np.concatenate(([0.0], W_out[0])))
    out = run("check", "-", "--answer", text, "--json", input=json.dumps(ridge))
    assert json.loads(out.stdout)["diagnosis"][0]["slip"] == "ridge_without_bias_row"


BASE = {"type": "forward", "notation": "esn", "inputs": [0.5, -1, 1],
        "network": {"W_in": [[0.1, 0.5]], "W": 0.5}}


@pytest.mark.parametrize("change,where", [
    ({"readout_fit": {"washout": 1}, "targets": [1, 2, 3]}, "readout_fit.beta"),
    ({"readout_fit": {"beta": 0.1, "washout": 3}, "targets": [1, 2, 3]}, "readout_fit.washout"),
    ({"readout_fit": {"beta": 0.1}, "targets": [1, 2]}, "targets"),
    ({"readout_fit": {"beta": 0.1}}, "targets"),
    ({"targets": [1, 2, 3]}, "targets"),
    ({"readout_fit": {"beta": -1}, "targets": [1, 2, 3]}, "readout_fit.beta"),
    ({"readout_fit": {"beta": 0, "washout": 1}, "targets": [1, 2, 3]}, "readout_fit.beta"),
    ({"readout_fit": {"beta": 1, "method": "lasso"}, "targets": [1, 2, 3]},
     "readout_fit.method"),
    ({"readout_fit": {"beta": 1, "lambda": 2}, "targets": [1, 2, 3]}, "readout_fit.lambda"),
    ({"network": {"W_in": [[0.1, 0.5]], "W": 0, "spectral_radius": 0.9}},
     "network.spectral_radius"),
    ({"network": {"W_in": [[0.1, 0.5], [0, 1]], "W": [[0, 1], [0, 0]],
                  "spectral_radius": 0.9}}, "network.spectral_radius"),
    ({"network": {"W_in": [[0.1, 0.5], [0, 1]], "W": [[1e308, 1e308], [1e308, 1e308]],
                  "spectral_radius": 0.9}}, "network.W"),
    ({"network": {"W_in": [[0.5]]}}, "network.W_in"),
    ({"network": {"W_in": [[0.1, 0.5]], "W_out": [[1, 2]]}}, "network.W_out"),
    ({"network": {"W_in": [[0.1, 0.5]], "W_out": [1, 2, 3]}, "readout_fit": {"beta": 1},
      "targets": [1, 2, 3]}, "readout_fit"),
    ({"network": {"W_in": [[0.1, 0.5]], "leaking_rate": 0}}, "network.leaking_rate"),
    ({"network": {"W_in": [[0.1, 0.5]], "W_hh": 1}}, "network.W_hh"),
    ({"ask": {"quantity": "y"}}, "ask.quantity"),
    ({"ask": {"quantity": "W_scaled"}}, "ask.quantity"),
    ({"batch": True}, "batch"),
    ({"method": "rtrl"}, "method"),
    ({"layout": {"steps_from": 0}}, "layout"),
])
def test_bad_files_are_named_by_key(tmp_path, change, where):
    path = tmp_path / "bad.yaml"
    path.write_text(json.dumps({**BASE, **change}), encoding="utf-8")
    out = run("solve", str(path))
    assert out.exit_code == 2, out.stdout
    assert f": {where}: " in out.stderr and "Traceback" not in out.stderr
    assert len(out.stderr.strip().splitlines()) == 1


def test_other_types_refuse_the_esn_notation_and_forward_its_keys_elsewhere():
    with pytest.raises(rnnquiz.ProblemError) as err:
        rnnquiz.solve({"type": "backprop", "notation": "esn", "inputs": [1], "targets": [1]})
    assert err.value.keys == ("notation",) and "type forward" in err.value.reason
    with pytest.raises(rnnquiz.ProblemError) as err:
        rnnquiz.solve({"type": "forward", "inputs": [1], "readout_fit": {"beta": 1}})
    assert err.value.keys == ("readout_fit",)


def test_the_schema_and_the_notation_table_know_the_model():
    from rnnquiz.cli.schema import schema
    text = json.dumps(schema())
    for key in ("readout_fit", "W_in", "W_out", "leaking_rate", "spectral_radius", '"esn"'):
        assert key in text
    from rnnquiz.notations import MODELS, model
    assert MODELS == {"esn": "esn"} and model("esn").NOTATION.first == 1


def test_the_esn_notation_is_looked_up_as_a_simple_rnns_model():
    """The guide's keys W_in (N_x, 1+N_u), W and W_out (N_y, 1+N_u+N_x), for the simple RNN only."""
    from rnnquiz.notations import notation_for
    n = notation_for("rnn", "esn")
    assert (n.cell, n.name) == ("rnn", "esn")
    assert n.weights == {"W_in": ("h", "1+x"), "W": ("h", "h"), "W_out": ("y", "1+x+h")}
    assert notation_for("lstm", "esn") is None


def test_a_plain_solve_imports_none_of_the_esn_modules():
    code = ("import json, sys, rnnquiz\n"
            "rnnquiz.solve(rnnquiz.load('problems/hinton_p3.yaml')[0])\n"
            "print(json.dumps(sorted(m for m in sys.modules if 'esn' in m or 'reservoir' in m)))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT,
                         env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT)})
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout) == []
