"""What a notation's variant hook raises when the file asks for what the notation cannot
write: a key path and a reason, which problem/network.py turns into the file's error (the
notations import nothing that imports errors.py)."""

from __future__ import annotations


class Refused(ValueError):
    def __init__(self, keys: tuple, message: str):
        super().__init__(message)
        self.keys = keys
