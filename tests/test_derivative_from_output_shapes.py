"""f'(z) from the output a = f(z) is one slope per element, float, with the shape of a (a
layer's vector, a batch's matrix): σ'(z) = a(1 - a), tanh'(z) = 1 - a², and the slopes that do
not need a: 1 for a linear unit, 0 for a threshold unit, [a > 0] for a ReLU, 0.2 inside Keras'
hard sigmoid's ramp. The values are written here by hand."""

from __future__ import annotations

import numpy as np
import pytest

from rnnquiz.cells.activations import ACTIVATIONS, FROM_OUTPUT, derivative_from_output

Z = np.array([[-3.0, -1.0, 0.5], [1.0, 2.0, 3.0]])      # a batch of two examples, three units
BY_HAND = {
    "linear": np.ones((2, 3)), "purelin": np.ones((2, 3)),
    "step": np.zeros((2, 3)),
    "relu": np.array([[0.0, 0.0, 1.0], [1.0, 1.0, 1.0]]),
    # hard_sigmoid(z) = clip(0.2 z + 0.5, 0, 1): the ramp is -2.5 < z < 2.5
    "hard_sigmoid": np.array([[0.0, 0.2, 0.2], [0.2, 0.2, 0.0]]),
}


@pytest.mark.parametrize("name", sorted(FROM_OUTPUT))
def test_one_float_slope_per_element(name):
    a = ACTIVATIONS[name][0](Z)
    d = derivative_from_output(name, a)
    assert isinstance(d, np.ndarray) and d.shape == Z.shape and d.dtype == np.float64


@pytest.mark.parametrize("name", sorted(BY_HAND))
def test_the_slopes_that_do_not_need_the_output(name):
    d = derivative_from_output(name, ACTIVATIONS[name][0](Z))
    assert d.shape == Z.shape
    assert np.array_equal(d, BY_HAND[name])
