"""What BPTT through a stack reads otherwise than through one layer (SPEC 1.9): no `given`,
no upstream `c`, and with `readout: last` one target. Loaded only when a stack's gradients
are asked for (problem/network_keys.py's `gradients`)."""

from __future__ import annotations

from .values import error_at, is_number, shown_value


def gradient_keys(p, data: dict) -> None:
    """What BPTT through a stack refuses or reads otherwise: `given` (a one-layer exercise's),
    the LSTM's upstream `c` (whose layer?), and with `readout: last` the one target."""
    if data.get("given") is not None:
        one = len(p.stack.layers) == 1 and not p.stack.bidirectional
        raise error_at(("given",), "given values apply to an output at every step; leave out "
                               "readout: last" if one else
                   "given values apply to a one-layer network")
    up = data.get("upstream")
    if isinstance(up, dict) and "c" in up:
        raise error_at(("upstream", "c"), "a stack takes the gradient into its top states only "
                                      "(upstream h)")
    if p.stack.last and data.get("targets") is not None:
        targets = data["targets"]
        last, ny = p.T - 1 + p.first, p.network.sizes["y"]
        if data.get("batch"):
            if isinstance(targets, list):
                data["targets"] = [_last_target(tg, p.T, last, ("targets", n), ny)
                                   for n, tg in enumerate(targets)]
        else:
            data["targets"] = _last_target(targets, p.T, last, ("targets",), ny)
        if data.get("mask") is not None:
            raise error_at(("mask",), "readout: last has one output; leave mask out")


def _last_target(targets, T: int, last: int, keys: tuple, ny: int = 1):
    """readout: last: one target, written alone ([t], t, or a vector of the outputs) or at
    the last step ({T-1: t})."""
    if isinstance(targets, dict):
        if list(targets) not in ([last], [str(last)]):
            raise error_at(keys, f"readout: last has one output, at step {last}; expected "
                             f"{{{last}: target}} or a list of one target")
        return targets
    if isinstance(targets, list) and len(targets) == 1:
        return {last: targets[0]}
    # the one target written bare: a number (or a class index), or one vector of the outputs
    if is_number(targets) or (isinstance(targets, list) and len(targets) == ny > 1
                               and all(is_number(e) for e in targets)):
        return {last: targets}
    raise error_at(keys, f"readout: last has one output; expected one target (a list of one, or "
                     f"{{{last}: target}}), got {shown_value(targets)}")
