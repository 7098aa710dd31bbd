"""The keys each problem type takes (SPEC 1), as data: the loader checks a file's keys against
them, the schema lists them, and the advice on an error says which type a misplaced key
belongs to. Nothing of the package is imported here, so the advice (which every error passes
through) reads the table itself instead of being handed it by the loader at import.
"""

from __future__ import annotations

_COMMON = {"type", "title", "source", "answer", "ask", "question"}   # question: shown by quiz
_NET = {"network", "inputs", "round", "notation", "batch", "bidirectional", "readout"}
_GRAD = {"cell", "targets", "loss", "given", "convention", "reduction", "mask", "upstream",
         "clip", "truncate", "feedback"}
KEYS: dict[str, set[str]] = {
    "forward": _COMMON | _NET | {"feedback"},
    "backprop": _COMMON | _NET | _GRAD,
    "vanishing": _COMMON | _NET | _GRAD | {"tolerance"},
    "lstm": _COMMON | _NET,
    "gru": _COMMON | _NET | {"convention"},
    "gated": _COMMON | _NET,
    "hmm_bits": _COMMON | {"states", "binary_units"},
    "shapes": _COMMON | {"cell", "input", "hidden", "output", "framework", "layers",
                         "bidirectional", "reset_after"},
    "choice": {"type", "title", "source", "answer", "question", "options", "correct",
               "explanation", "demo"},
    "clip": _COMMON | {"gradients", "value", "norm"},
    "perplexity": _COMMON | {"probabilities", "vocabulary"},
    "decode": _COMMON | {"vocabulary", "eos", "tables", "method", "beam", "alpha", "sequence",
                         "max_length"},
    "bleu": _COMMON | {"candidate", "candidates", "references", "weights", "smoothing",
                       "percent"},
}
