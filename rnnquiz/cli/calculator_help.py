"""The calculators' --help: the network keys grouped by cell and notation after the common
options (46 keys in one flat list hid W_xh in 36th place)."""

from __future__ import annotations

import click

from ..notations import NOTATIONS

CELL_NAMES = {"rnn": "simple RNN", "lstm": "LSTM", "gru": "GRU", "gated": "gated RNN"}
WORD_HELP = {"hidden": "hidden activation: logistic, tanh, relu, linear, step or hard_sigmoid",
             "output": "output activation: linear, logistic, tanh or softmax"}


def key_groups(cell: str | None) -> list[tuple[str, list[str]]]:
    """The network keys a calculator takes, grouped by cell and notation (the seed's first);
    a key shared by several notations is listed in the first group that has it."""
    from ..cells import CELLS   # noqa: PLC0415 (calculators only)
    from ..notations import DEFAULT_NOTATION   # noqa: PLC0415 (calculators only)
    cells = [cell] if cell else list(CELLS)
    groups, seen = [], set()
    for c in cells:
        # the cell's default notation first (the seed's), then the others by name
        names = sorted((name for c2, name in NOTATIONS if c2 == c),
                       key=lambda name: (name != DEFAULT_NOTATION.get(c), name))
        for name in names:
            n = NOTATIONS[(c, name)]
            keys = [k for k in n.keys if k not in seen]
            seen.update(keys)
            if keys:
                groups.append((f"{CELL_NAMES.get(c, c)} network, {name} notation", keys))
    return groups


class GroupedCommand(click.Command):
    """--help lists the common options first, then the network keys one group per cell."""

    def format_options(self, ctx, formatter):
        groups: dict[str, list] = {}
        for param in self.get_params(ctx):
            record = param.get_help_record(ctx)
            if record:
                groups.setdefault(getattr(param, "group", "Options"), []).append(record)
        for name in ["Options"] + [g for g in groups if g != "Options"]:
            if name in groups:
                with formatter.section(name[0].upper() + name[1:]):
                    formatter.write_dl(groups[name])
