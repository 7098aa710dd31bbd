"""The calculators' --help: an example for each, and the network keys grouped by cell and
notation after the common options (46 keys in one flat list hid W_xh in 36th place)."""

from __future__ import annotations

import click

from ..notations import NOTATIONS

EXAMPLES = {
    "rnn": "A V is a number, 1,2 or '1,2;3,4'. Keys not given keep the seed's values.\n\n"
           "\b\nrnnquiz rnn                               Hinton's problem 3\n"
           "rnnquiz rnn --W_hh -0.5 --digits 3       the same network with W_hh = -0.5\n"
           "rnnquiz rnn --fresh --W_xh 1 --W_hy 1 --inputs 1,2,3",
    "bptt": "A V is a number, 1,2 or '1,2;3,4'. Keys not given keep the seed's values.\n\n"
            "\b\nrnnquiz bptt                               Hinton's problem 4\n"
            "rnnquiz bptt --inputs 1,2 --targets 0.5,0  every dE/dz_t\n"
            "rnnquiz bptt --cell lstm --fresh --W_fx 1 --inputs 1,-1 --targets 0.5,-0.5",
    "vanishing": "A V is a number, 1,2 or '1,2;3,4'. Keys not given keep the seed's values.\n\n"
                 "\b\nrnnquiz vanishing                     Hinton's problem 5\n"
                 "rnnquiz vanishing --W_hh 4            the same network with W_hh = 4\n"
                 "rnnquiz vanishing --W_hh 1,0;0,1 --fresh --inputs '1,0;0,0;0,0'",
    "lstm": "A V is a number, 1,2 or '1,2;3,4'. Keys not given keep the seed's values.\n\n"
            "\b\nrnnquiz lstm --inputs 0,0,1,1,1,0      the MITx homework's h_t\n"
            "rnnquiz lstm --inputs 1,1,0,1,1 --json",
    "gru": "A V is a number, 1,2 or '1,2;3,4'. Keys not given keep the seed's values.\n\n"
           "\b\nrnnquiz gru                              deeplearning.ai Q8's GRU\n"
           "rnnquiz gru --fresh --W_uh 1 --W_ux 0.5 --W_ch 1 --W_cx 1 --inputs 1,2",
    "gated": "A V is a number, 1,2 or '1,2;3,4'. Keys not given keep the seed's values.\n\n"
             "\b\nrnnquiz gated                            the MITx gated RNN\n"
             "rnnquiz gated --b_g -100                 a gate of 0 keeps the state",
}


CELL_NAMES = {"rnn": "simple RNN", "lstm": "LSTM", "gru": "GRU", "gated": "gated RNN"}
WORD_HELP = {"hidden": "hidden activation: logistic, tanh, relu, linear, step or hard_sigmoid",
             "output": "output activation: linear, logistic, tanh or softmax"}


def key_groups(cell: str | None) -> list[tuple[str, list[str]]]:
    """The network keys a calculator takes, grouped by cell and notation (the seed's first);
    a key shared by several notations is listed in the first group that has it."""
    from ..cells import CELLS   # noqa: PLC0415
    from ..notations import DEFAULT_NOTATION   # noqa: PLC0415
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
