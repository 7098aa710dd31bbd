"""Echo state networks as Lukoševičius writes them ("A practical guide to applying echo state
networks", 2012, eqs. 2-4 and 9):

    x̃(n) = tanh(W_in [1; u(n)] + W x(n-1))       x(n) = (1 - α) x(n-1) + α x̃(n)
    y(n) = W_out [1; u(n); x(n)]                   x(0) = 0, steps n = 1 ... T

The bias is column 0 of W_in (the constant input 1) and of W_out; α is the `leaking_rate`
(default 1: x(n) = x̃(n)). `spectral_radius: ρ` rescales W to W_scaled = (ρ/ρ(W)) W, ρ(W) the
largest modulus of W's eigenvalues. W_in and W are the reservoir, random and never trained;
W_out is given, or fitted by ridge regression over the steps after the washout k:

    W_out = Y Xᵀ (X Xᵀ + β I)⁻¹      X: the columns [1; u(n); x(n)], Y: the targets, n > k

This is a model of its own, not a course's keys for a cell: the reservoir has no gradients to
check and its read-out sees the input too, so `notations.MODELS` names it and `forward` solves
it (cells/reservoir.py) rather than the cell registry.
"""

from . import Notation


def paren(name: str, t: int) -> str:
    """x(1), u(1): the guide's time argument."""
    return f"{name}({t})"


# the shapes in the sizes h (reservoir units N_x), x (inputs N_u), y (outputs N_y)
NOTATION = Notation(
    cell="rnn", name="esn",
    weights={"W_in": ("h", "1+x"), "W": ("h", "h"), "W_out": ("y", "1+x+h")},
    biases={}, states={}, words={}, first=1, sub=paren, readout=("W_out", ""),
    names={"h": ("x", "x")}, x="u",
)
# the network's numbers: key -> (default, what the key takes, its test, its JSON Schema)
NUMBERS = {
    "leaking_rate": (1.0, "a leaking rate α in (0, 1]", lambda v: 0 < v <= 1,
                     {"type": "number", "exclusiveMinimum": 0, "maximum": 1}),
    "spectral_radius": (None, "a spectral radius ρ > 0", lambda v: v > 0,
                        {"type": "number", "exclusiveMinimum": 0}),
}
METHODS = ("ridge",)        # readout_fit.method
FIT_KEYS = ("method", "beta", "washout")
QUANTITIES = ("x", "y", "W_out", "W_scaled")
