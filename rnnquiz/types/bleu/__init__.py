"""BLEU (SPEC 1.13): the score as pure functions (score.py) and its working (working.py)."""
