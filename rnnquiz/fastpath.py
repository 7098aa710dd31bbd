"""The entry point that installs made before the move of the fast path into cli/ still call
(their `rnnquiz` script names rnnquiz.fastpath:main until reinstalled): the same main."""

from .cli import main

__all__ = ["main"]
