"""`rnnquiz vary` for `shapes`: new widths, vocabularies and units, drawn about the file's."""

from __future__ import annotations

from ...problem.redraw import size

SIZES = ("input", "hidden", "output", "embedding", "model")
# a whole model is scaled by one of these: the widths a layer derives from others (a dense
# layer reading [s; a] of 64 + 64 = 128) stay consistent
FACTORS = (0.5, 0.75, 1.25, 1.5, 2.0)


def vary(data: dict, rng) -> dict:
    """Every width of the file (input, hidden, output, an embedding's vocabulary and dimension)
    drawn from half to twice it, as round as the file wrote it (10000 in thousands); a model
    (`model:`, whose layers' widths depend on each other) scaled as a whole by one factor from
    1/2 to 2. A width of 1 stays 1; the cell, framework and number of layers are kept."""
    factor = float(rng.choice(FACTORS)) if "model" in data else None

    def draw(v: int) -> int:
        if factor is None or v <= 1:
            return size(v, rng)
        return max(1, int(round(v * factor)))
    for key in SIZES:
        if key in data:
            data[key] = _sizes(data[key], draw)
    return data


def _sizes(v, draw):
    if isinstance(v, bool) or isinstance(v, str) or v is None:
        return v
    if isinstance(v, int):
        return draw(v)
    if isinstance(v, list):
        return [_sizes(e, draw) for e in v]
    if isinstance(v, dict):
        return {k: (e if k == "layers" else _sizes(e, draw)) for k, e in v.items()}
    return v
