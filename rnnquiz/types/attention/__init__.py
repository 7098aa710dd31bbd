"""Attention (SPEC 1.14), ready for a thin type module: the scores as pure functions
(score.py), the course's symbols (symbols.py), the checks of keys and shapes (check.py), a
problem's keys as an AttentionDetail (keys.py) and the working (working.py)."""
