"""Hagan's layered digital dynamic networks (Neural Network Design, ch. 14), as a file writes
them in `notation: hagan`: read when a weight is written with its delays."""


def claim(p, data: dict, err) -> bool:
    """Whether the network needs the LDDN (a tapped delay line): not yet read here."""
    return False
