"""What a problem may ask of the machine, checked after reading and before solving, so that
a file within the limits finishes in seconds and a file past them is refused by name, before
anything large is allocated (SPEC 4, extended in docs/limits.md).

    numbers  2,000,000 numbers, 64 MiB and 20,000 documents a file (yamlio)    --max-numbers
    work     10^10 units: a multiply-add is one unit, and every step of a sequence costs its
             type's overhead (the numpy calls of a step), every gradient entry its output
                                                                              --max-work
    memory   512 MiB: the arrays the solving builds and its working's output  --max-memory

The costs are measured (benchmarks/limits.py prints them against these estimates): one unit
is about 0.5 ns here, so 10^10 units is about 5 s.
"""

from __future__ import annotations

import math

from ..errors import ProblemError

MAX_WORK = 10 ** 10
MAX_MEMORY = 512 * 2 ** 20           # bytes

# Units a time step costs beyond its multiply-adds: the Python and numpy overhead of one step
# of the type's working or scan (measured at 1 unit, T = 200,000: a forward step ~3 µs). Each
# type module says its own (STEP_COST); this is the default.
STEP_COST = 60_000
CELL_BACKPROP_STEP = 130_000         # backprop through an lstm, gru or gated cell
GRADIENT_COST = 4_000                # units an entry of a parameter gradient costs to output
ZERO_WEIGHT = 3                      # a weight the file leaves out is multiplied without BLAS

# Bytes per number kept: a state as float64 in the values, its JSON list and text (16 x 8);
# a parameter gradient with its step-by-step terms and its JSON (24 x 8).
STATE_BYTES, GRADIENT_BYTES, JACOBIAN_BYTES = 16 * 8, 24 * 8, 8 * 8


# The work and memory of the documents of one file so far (load_text): the limits hold for a
# file as a whole, since a batch keeps a file's results until the last is solved.
_file: list[float] | None = None


class one_file:
    """`with limits.one_file():` the documents loaded inside share one budget."""

    def __enter__(self):
        global _file
        self.outer, _file = _file, [0.0, 0.0]

    def __exit__(self, *exc):
        global _file
        _file = self.outer


def check(p) -> None:
    """Refuse a network problem whose work or memory would exceed the limits (ProblemError)."""
    networks = _networks(p)
    if not networks:
        return
    T, N = p.T, (p.batch or 1)
    gates = {"rnn": 1, "lstm": 4, "gru": 3, "gated": 2}.get(p.cell or "rnn", 4)
    units = sum(n.sizes["h"] for n in networks)
    params = sum(_size(a.shape) for n in networks for a in n.params.values())
    multiply = sum(_multiply_adds(n) for n in networks)
    module = p.costs            # the type's module, set by the registry as it reads p
    step, more_work, more_memory, note = getattr(module, "STEP_COST", STEP_COST), 0, 0, ""
    if hasattr(module, "cost"):         # what the type keeps beyond the states
        step, more_work, more_memory, note = module.cost(p, networks, params, step)
    work = T * (step + N * multiply) + more_work
    memory = T * N * units * (gates + 1) * STATE_BYTES + more_memory
    what = f"{T:,} steps of {units:,} units" + (f" for {N:,} examples" if p.batch else "")
    if _file is not None:
        _file[0] += work
        _file[1] += memory
        if _file[0] > work or _file[1] > memory:
            what += ", with the documents before it in the file"
        work, memory = _file
    if work > MAX_WORK:
        raise ProblemError(f"asks for about {work:.1e} units of work ({what}; a multiply-add is "
                           f"one, a step of {p.type} about {step:,}), more than the limit of "
                           f"{MAX_WORK:.0e}: split the sequence or shrink the network "
                           "(--max-work raises the limit)", keys=("network",))
    if memory > MAX_MEMORY:
        raise ProblemError(f"would need about {byte_size(memory)} of memory ({what}"
                           + note
                           + f"), more than the limit of {byte_size(MAX_MEMORY)}: split the "
                             "sequence or shrink the network (--max-memory raises the limit)",
                           keys=("network",))


# A number the exercise gives that the answer and its working hold (clip's gradients): kept
# three times (given, clipped, answer), each as JSON; a row of a matrix is a Python list more.
NUMBER_COST, ROW_COST = 6_000, 20_000
NUMBER_BYTES, ROW_BYTES = 400, 470


def check_arrays(arrays, key: tuple) -> None:
    """Refuse numbers that the working would repeat past the work or memory limit."""
    numbers = sum(a.size for a in arrays)
    rows = sum(a.size // a.shape[-1] for a in arrays if a.ndim > 1 and a.shape[-1])
    work = numbers * NUMBER_COST + rows * ROW_COST
    memory = numbers * NUMBER_BYTES + rows * ROW_BYTES
    if _file is not None:
        _file[0] += work
        _file[1] += memory
        work, memory = _file
    what = f"{numbers:,} numbers" + (f" in {rows:,} rows" if rows else "")
    if work > MAX_WORK:
        raise ProblemError(f"asks for about {work:.1e} units of work ({what}, each written three "
                           f"times in the working), more than the limit of {MAX_WORK:.0e} "
                           "(--max-work raises the limit)", keys=key)
    if memory > MAX_MEMORY:
        raise ProblemError(f"would need about {byte_size(memory)} of memory ({what}, each written "
                           f"three times in the working), more than the limit of "
                           f"{byte_size(MAX_MEMORY)} (--max-memory raises the limit)", keys=key)


def _networks(p) -> list:
    if p.stack is not None:
        return [n for layer in p.stack.layers for n in layer.values()]
    return [p.network] if p.network is not None else []


def _size(shape: tuple) -> int:
    return math.prod(shape) if shape else 1


def _multiply_adds(net) -> int:
    """Multiply-adds of one step of one example: every weight matrix once (a missing one,
    read in place from a view of one 0, counts ZERO_WEIGHT times)."""
    total = 0
    for a in net.params.values():
        if a.ndim == 2:
            total += a.size * (ZERO_WEIGHT if a.size > 1 and not any(a.strides) else 1)
    return total


def byte_size(n: float) -> str:
    """n bytes as a message says it: 534 MiB, 12 GiB, and one decimal below 10 of a unit,
    KiB below 1 MiB (1.3 MiB, 2 KiB): a small --max-memory is never 'about 0 MiB'."""
    if n >= 10 * 2 ** 30:
        return f"{n / 2 ** 30:,.0f} GiB"
    if n < 2 ** 10:
        return f"{n:,.0f} bytes"
    unit, scale = ("MiB", 2 ** 20) if n >= 2 ** 20 else ("KiB", 2 ** 10)
    v = n / scale
    return (f"{v:.1f}".removesuffix(".0") if v < 10 else f"{v:,.0f}") + f" {unit}"
