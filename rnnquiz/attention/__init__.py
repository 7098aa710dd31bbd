"""Attention (SPEC 1.14): the scores as pure functions (score.py), the checks of the inputs
(check.py) and the working (working.py); the type module plugs these in."""
