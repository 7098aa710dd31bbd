"""The top layer of a Hagan stack of plain weights writes what reaches its states as Hagan does,
dF/da^(2)(t) = -2e(t) (F = Σ e², e = t - a), not 'from above'; the layers below it do get
their gradient from above."""

import math

import rnnquiz

NET = [{"transfer": "tansig", "iw": 0.5, "lw": 0.2, "b": 0.1},
       {"transfer": "purelin", "iw": 1.0, "lw": 0.3, "b": 0}]
PROBLEM = {"type": "backprop", "notation": "hagan", "network": NET,
           "inputs": [1, -1, 0.5], "targets": [0.5, -0.2, 0.1],
           "ask": {"quantity": "dF/diw", "layer": 1}}


def _by_hand():
    """a^(2)(t) of the two layers, written out: a1 = tansig(.5 p + .2 a1 + .1), a2 = a1 + .3 a2."""
    a1 = a2 = 0.0
    out = []
    for p in PROBLEM["inputs"]:
        a1 = math.tanh(0.5 * p + 0.2 * a1 + 0.1)
        a2 = 1.0 * a1 + 0.3 * a2
        out.append(a2)
    return out


def _rows(symbol_prefix):
    steps = rnnquiz.solve(PROBLEM).to_json()["steps"]
    return [s for s in steps if s.get("phase") == "backward"
            and s["symbol"].startswith(symbol_prefix)]


def test_top_layer_row_is_minus_two_e():
    a2 = _by_hand()
    rows = {s["t"]: s for s in _rows("dF/da^(2)(")}
    assert rows[3]["equation"] == "-2e(3)"
    assert math.isclose(rows[3]["value"], -2 * (0.1 - a2[2]), rel_tol=1e-12)   # 0.295924
    assert rows[2]["equation"].startswith("-2e(2) + ")
    assert "from above" not in " ".join(s["equation"] for s in rows.values())


def test_lower_layer_still_gets_its_gradient_from_above():
    assert any("from above" in s["equation"] for s in _rows("dF/da^(1)("))


def _F(inputs):
    """F = Σ_t e(t)ᵀe(t) of the stack written out, for finite differences in the inputs."""
    a1 = a2 = F = 0.0
    for p, target in zip(inputs, PROBLEM["targets"]):
        a1 = math.tanh(0.5 * p + 0.2 * a1 + 0.1)
        a2 = 1.0 * a1 + 0.3 * a2
        F += (target - a2) ** 2
    return F


def test_the_input_gradient_rows_are_named_df():
    # dE/dx asked of a Hagan stack: every row of the working is his dF/d…, and each value is
    # dF/dp(t) by central differences
    doc = {**PROBLEM, "ask": {"quantity": "dE/dx"}}
    r = rnnquiz.solve(doc)
    rows = [s for s in r.to_json()["steps"] if s.get("phase") == "backward"
            and s["symbol"].endswith(f"/dx({s['t']})")]
    assert [s["t"] for s in rows] == [1, 2, 3]
    for s, value in zip(rows, r.answer):
        assert s["symbol"] == f"dF/dx({s['t']})"
        assert math.isclose(s["value"], value, rel_tol=0, abs_tol=0)
        i, h = s["t"] - 1, 1e-6
        up = [p + h * (k == i) for k, p in enumerate(PROBLEM["inputs"])]
        down = [p - h * (k == i) for k, p in enumerate(PROBLEM["inputs"])]
        assert math.isclose(value, (_F(up) - _F(down)) / (2 * h), rel_tol=1e-7)
