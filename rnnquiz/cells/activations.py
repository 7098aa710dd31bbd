"""Activations and their derivatives, overflow-safe (weights of 1e308 give clean values).

The one table of the activations (ACTIVATIONS) and of their derivatives, two ways:
at the pre-activation z (d_sigmoid, d_tanh, ...: a simple RNN's hidden'(z_t) is taken at
z_t, never from a rounded or given output, SPEC 1.1), and from the activation's own
value a = f(z), as a TA writes a gate's slope (FROM_OUTPUT, derivative_from_output):

    σ'(z) = σ(z)(1 - σ(z)) = a(1 - a)        tanh'(z) = 1 - tanh²(z) = 1 - a²
    relu'(z) = [z > 0] = [a > 0]             hard_σ'(z) = 0.2·[-2.5 < z < 2.5] = 0.2·[0 < a < 1]
    linear'(z) = 1                           step'(z) = 0
"""

from __future__ import annotations

from typing import Callable, NamedTuple

import numpy as np


def sigmoid(z):
    """σ(z) = 1 / (1 + e^-z), written so that e^x never overflows."""
    z = np.asarray(z, dtype=np.float64)
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


def d_sigmoid(z):
    s = sigmoid(z)
    return s * (1.0 - s)


def tanh(z):
    return np.tanh(z)


def d_tanh(z):
    return 1.0 - np.tanh(z) ** 2


def relu(z):
    return np.maximum(z, 0.0)


def d_relu(z):
    return (np.asarray(z) > 0).astype(np.float64)


def linear(z):
    return np.asarray(z, dtype=np.float64)


def d_linear(z):
    return np.ones_like(np.asarray(z, dtype=np.float64))


def step(z):
    """Hinton's binary threshold unit: 1 when z >= 0, else 0."""
    return (np.asarray(z, dtype=np.float64) >= 0).astype(np.float64)


def d_step(z):
    """Taken as 0 everywhere (it is 0 but at z = 0, where it does not exist)."""
    return np.zeros_like(np.asarray(z, dtype=np.float64))


def hard_sigmoid(z):
    """Keras 2's clip(0.2 z + 0.5, 0, 1)."""
    return np.clip(0.2 * np.asarray(z, dtype=np.float64) + 0.5, 0.0, 1.0)


def d_hard_sigmoid(z):
    z = np.asarray(z, dtype=np.float64)
    return np.where((z > -2.5) & (z < 2.5), 0.2, 0.0)


def softmax(z):
    z = np.asarray(z, dtype=np.float64)
    e = np.exp(z - np.max(z, axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


# name -> (function, derivative, symbol in the working, rounding tag)
ACTIVATIONS = {
    "logistic": (sigmoid, d_sigmoid, "σ", "sigmoid"),
    "tanh": (tanh, d_tanh, "tanh", "tanh"),
    "relu": (relu, d_relu, "relu", ""),
    "linear": (linear, d_linear, "", ""),
    "softmax": (softmax, None, "softmax", ""),
    "step": (step, d_step, "step", ""),
    "hard_sigmoid": (hard_sigmoid, d_hard_sigmoid, "hard_σ", "sigmoid"),
    # Hagan's (and MATLAB's) transfer functions, written by their own names in the working
    "purelin": (linear, d_linear, "purelin", ""),
    "tansig": (tanh, d_tanh, "tansig", "tanh"),
    "logsig": (sigmoid, d_sigmoid, "logsig", "sigmoid"),
}



class FromOutput(NamedTuple):
    """f'(z) written from a = f(z): its value, its formula in z (eq) and with the numbers
    substituted (sub), and, where a gate's slope is named by the gate's own symbol g, that
    formula in g ({0} is the symbol) and its substitution (named, named_sub)."""
    of: Callable
    eq: str
    sub: str
    named: str = ""
    named_sub: str = ""


def _of_logistic(a):
    return a * (1 - a)


def _of_tanh(a):
    return 1 - a ** 2


def _of_relu(a):
    return (np.asarray(a) > 0).astype(np.float64)


def _of_one(a):
    return np.ones_like(np.asarray(a, dtype=np.float64))


def _of_zero(a):
    return np.zeros_like(np.asarray(a, dtype=np.float64))


def _of_hard_sigmoid(a):
    a = np.asarray(a, dtype=np.float64)
    return np.where((a > 0.0) & (a < 1.0), 0.2, 0.0)


_LOGISTIC = ("{0}(1 - {0})", "{}·(1 - {})")
_TANH = ("(1 - {0}²)", "(1 - {}²)")
# How a TA writes each derivative in terms of the activation's own value.
FROM_OUTPUT = {
    "logistic": FromOutput(_of_logistic, "σ(z)(1 - σ(z))", "{}·(1 - {})", *_LOGISTIC),
    "tanh": FromOutput(_of_tanh, "1 - tanh(z)²", "1 - {}²", *_TANH),
    "relu": FromOutput(_of_relu, "1 if z > 0 else 0", "[{} > 0]"),
    "linear": FromOutput(_of_one, "1", "1"),
    "step": FromOutput(_of_zero, "0 (a threshold unit)", "0"),
    "hard_sigmoid": FromOutput(_of_hard_sigmoid, "0.2 if -2.5 < z < 2.5 else 0", "0.2·[|{}| < 2.5]"),
    "purelin": FromOutput(_of_one, "1", "1"),
    "tansig": FromOutput(_of_tanh, "1 - tansig(z)²", "1 - {}²", *_TANH),
    "logsig": FromOutput(_of_logistic, "logsig(z)(1 - logsig(z))", "{}·(1 - {})", *_LOGISTIC),
}
DERIVATIVE_FORMULA = {name: (d.eq, d.sub) for name, d in FROM_OUTPUT.items()}


def derivative_from_output(name: str, a):
    """f'(z) from the activation's own value a = f(z): σ' = a(1 - a), tanh' = 1 - a², ...
    (exactly the products a course writes, so a gate's slope is the TA's number)."""
    return FROM_OUTPUT[name].of(a)


def back_through(name: str, a, g):
    """f'(u)ᵀ g from the output a = f(u): a gradient g on a carried to u.

        logistic  g ⊙ a ⊙ (1 - a)      tanh  g ⊙ (1 - a²)      linear  g
        softmax   (diag(a) - a aᵀ) g = a ⊙ (g - Σ_k g_k a_k)

    The logistic's product is taken left to right, as the course writes dE/dy·y·(1 - y)."""
    if name in ("logistic", "logsig"):
        return g * a * (1 - a)
    if name == "softmax":
        return a * (g - np.sum(g * a, axis=-1, keepdims=True))
    if name in ("linear", "purelin"):
        return g
    return g * derivative_from_output(name, a)
