"""Every activation's derivative, at z and from its own value, against central differences."""

import numpy as np
import pytest

from rnnquiz.cells.activations import (ACTIVATIONS, FROM_OUTPUT, back_through,
                                       derivative_from_output)

# points away from the kinks (relu at 0, step at 0, hard_sigmoid at ±2.5)
Z = np.array([-3.1, -2.2, -0.7, -0.05, 0.05, 0.3, 1.4, 2.2, 3.7])
EPS = 1e-6


def central(f, z):
    return (f(z + EPS) - f(z - EPS)) / (2 * EPS)


@pytest.mark.parametrize("name", [n for n, row in ACTIVATIONS.items() if row[1] is not None])
def test_the_derivative_at_z_is_the_slope(name):
    f, d = ACTIVATIONS[name][:2]
    assert np.allclose(d(Z), central(f, Z), atol=1e-7)


@pytest.mark.parametrize("name", sorted(FROM_OUTPUT))
def test_the_derivative_from_the_output_is_the_slope(name):
    f = ACTIVATIONS[name][0]
    assert np.allclose(derivative_from_output(name, f(Z)), central(f, Z), atol=1e-7)


def test_the_hand_worked_values():
    # σ(0) = 1/2: σ'(0) = 1/4; tanh(0.5) = 0.46211715726: 1 - 0.2135522670 = 0.7864477330
    assert derivative_from_output("logistic", 0.5) == 0.25
    assert derivative_from_output("tanh", np.tanh(0.5)) == pytest.approx(0.7864477330, abs=1e-9)


@pytest.mark.parametrize("name", ["linear", "logistic", "tanh", "softmax"])
def test_a_gradient_carried_back_through_an_output(name):
    f = ACTIVATIONS[name][0]
    u, g = np.array([0.3, -1.2, 0.8]), np.array([0.5, -0.25, 2.0])
    # (dy/du)ᵀ g column by column: the directional slope of g·f(u) along each e_k
    numeric = np.array([central(lambda s, k=k: g @ f(u + s * np.eye(3)[k]), 0.0)
                        for k in range(3)])
    assert np.allclose(back_through(name, f(u), g), numeric, atol=1e-7)


@pytest.mark.parametrize("name", ["logistic", "logsig"])
def test_a_logistic_output_carries_back_in_the_courses_order(name):
    # dE/dy·y·(1 - y) left to right, as the course writes it: 0.918·0.607·0.393 = 0.218989818
    # exactly, which is the double nearest it; y(1 - y) first ends ...03 in the last digit
    got = back_through(name, np.array([0.607]), np.array([0.918]))
    assert got.tolist() == [0.218989818]
