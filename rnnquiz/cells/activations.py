"""Activations and their derivatives, overflow-safe (weights of 1e308 give clean values).

Each function takes the pre-activation z; derivatives are taken at z, never
from a rounded or given output (SPEC 1.1).
"""

from __future__ import annotations

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

# How a TA writes the derivative in terms of the activation's own value.
DERIVATIVE_FORMULA = {
    "logistic": ("σ(z)(1 - σ(z))", "{}·(1 - {})"),
    "tanh": ("1 - tanh(z)²", "1 - {}²"),
    "relu": ("1 if z > 0 else 0", "[{} > 0]"),
    "linear": ("1", "1"),
    "step": ("0 (a threshold unit)", "0"),
    "hard_sigmoid": ("0.2 if -2.5 < z < 2.5 else 0", "0.2·[|{}| < 2.5]"),
    "purelin": ("1", "1"),
    "tansig": ("1 - tansig(z)²", "1 - {}²"),
    "logsig": ("logsig(z)(1 - logsig(z))", "{}·(1 - {})"),
}
