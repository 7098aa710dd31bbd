"""The JSON Schema (draft 7) of the keys many types share (types/keys.py's COMMON, NET and GRAD),
from the tables the loader reads them with: the notation registry, the ask keys, the losses,
the round words. A type's own keys are its `schema()` hook's; cli/schema.py puts the two together.

Also the pieces every part writes with (NUMBER, COUNT, `array`, ...) and the `definitions` the
parts refer to (`#/definitions/weight`). Imported by `rnnquiz schema` only.
"""

from __future__ import annotations

from ..notations import MODELS, NOTATIONS, model
from ..notations.framework_keys import ANY_NAME
from ..notations.overrides import LETTERS
from . import ASK_KEYS
from .backprop_keys import FEEDBACK, LOSSES, REDUCTIONS
from .network import ALIASES
from .network_keys import CELLS, CONVENTIONS, ROUND_WORDS

NUMBER = {"type": "number"}
COUNT = {"type": "integer", "minimum": 1}          # a size, a number of states
INDEX = {"type": "integer", "minimum": 0}          # a token id, a step
PROBABILITY = {"type": "number", "minimum": 0, "maximum": 1}
LIKELIHOOD = {**PROBABILITY, "exclusiveMinimum": 0}     # in (0, 1]: what happened had a chance
LOG_PROBABILITY = {"type": "number", "maximum": 0}     # ln P
POSITIVE = {"type": "number", "exclusiveMinimum": 0}
WEIGHT = {"$ref": "#/definitions/weight"}


def array(items: dict, **more) -> dict:
    """A list of at least one `items` (`more`: minItems, maxItems, ...)."""
    return {"type": "array", "minItems": 1, "items": items, **more}


VECTOR = {"type": "array", "items": NUMBER, "minItems": 1}
MATRIX = {"type": "array", "items": {"$ref": "#/definitions/vector"}, "minItems": 1}
READOUT_NAME = r"^[A-Za-z_][A-Za-z0-9_]*\.(weight|bias)$"     # nn.Linear's state_dict names
TIED_NAME = r"^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z0-9_]+)*\.(weight|bias)$"
DEFINITIONS = {
    "vector": VECTOR, "numbers": {"anyOf": [NUMBER, VECTOR]},
    "weight": {"anyOf": [NUMBER, VECTOR, MATRIX]},
    "delays": {"type": "object", "minProperties": 1,        # Hagan's {delay: weight}
               "propertyNames": {"pattern": "^[0-9]+$"},
               "additionalProperties": {"anyOf": [
                   WEIGHT, {"type": "object", "minProperties": 1,
                            "propertyNames": {"pattern": "^[0-9]+$"},
                            "additionalProperties": WEIGHT}]}},
    "state": {"anyOf": [NUMBER, VECTOR, MATRIX, {"type": "array", "items": MATRIX,
                                                 "minItems": 1}]}}


def shared(key: str, name: str, cell: str | None) -> dict | None:
    """The schema of a shared key as type `name` takes it (`cell`: the one it runs, None: any);
    None for a key that is no shared one."""
    if key == "type":
        return {"const": name}
    if key == "network":
        return network([cell] if cell else list(CELLS))
    if key == "layout":
        return layout()
    return SHARED.get(key)


def network(types_cells: list[str]) -> dict:
    """`network:` for the given cells: every notation's keys, one layer, both directions of a
    layer, a stack."""
    props: dict = {}
    words: dict[str, list] = {}
    every = [n for n in NOTATIONS.values()] + [n.feedback for n in NOTATIONS.values()
                                               if n.feedback is not None]
    for n in every:
        if n.cell not in types_cells:
            continue
        for key in n.weights:
            props[key] = WEIGHT
            if n.own_network is not None:   # Hagan's {delay: weight}, {from_layer: {...}}
                props[key] = {"anyOf": [props[key], {"$ref": "#/definitions/delays"}]}
        for key in [*n.biases, n.embedding]:   # (n, 1) columns
            props[key] = WEIGHT
        for key in n.states:   # rows per example; PyTorch's h_0 of a batch (layers, N, H)
            props[key] = {"$ref": "#/definitions/state"}
        for key, options in n.words.items():
            seen = words.setdefault(key, [])
            seen.extend(o for o in (*options, *_aliases(options)) if o not in seen)
    for key, options in words.items():     # the union over the notations that take the key
        props[key] = {"enum": options}
    if "lstm" in types_cells:   # the cell state's read-out (SPEC 1.15), in every notation
        props.update(W_cy=WEIGHT, b_cy=WEIGHT)
    if "rnn" in types_cells:               # Jordan's state units' decay μ (SPEC 1.17)
        props["state_decay"] = NUMBER
    if "rnn" in types_cells:                # the model notations (esn) run in forward
        for name in MODELS:
            spec = model(name)
            props.update({key: WEIGHT for key in spec.NOTATION.weights})
            props.update({key: schema for key, (*_, schema) in spec.NUMBERS.items()})
    layer = {"type": "object", "properties": dict(sorted(props.items())),
             "additionalProperties": False,
             # a tied parameter's own name (tie: {h_h.weight: [...]}), as PyTorch prints it
             "patternProperties": {TIED_NAME: WEIGHT}}
    if any(n.name in ANY_NAME for n in every):      # nn.Linear's read-out by any name: fc.weight
        layer["patternProperties"][READOUT_NAME] = WEIGHT
    # both directions of a layer (SPEC 1.9), the read-out keys beside them in the top one
    both = {"type": "object", "additionalProperties": False,
            "properties": {"forward": layer, "backward": layer, **layer["properties"]},
            **{k: v for k, v in layer.items() if k == "patternProperties"}}
    # PyTorch's state_dict of a stack: weight_ih_l1, bias_hh_l0_reverse
    flat = {**layer, "patternProperties": {**layer.get("patternProperties", {}),
                                           r"^[A-Za-z_]+_l[0-9]+(_reverse)?$": WEIGHT}}
    return {"anyOf": [flat, both, {"type": "array", "minItems": 1,
                                   "items": {"anyOf": [layer, both]}}]}


def layout() -> dict:
    """`layout:` (SPEC 1.15): where a course departs from its notation's conventions."""
    letters = sorted({g for table in LETTERS.values() for g in table})
    return {"type": "object", "additionalProperties": False, "minProperties": 1,
            "description": "Where the course departs from its notation's conventions.",
            "properties": {
                "gate_order": {"type": "array", "items": {"enum": letters}, "minItems": 2,
                               "uniqueItems": True,
                               "description": "The gates' order in stacked matrices "
                                              "([i, f, o, g]: fastbook's LSTMCell)."},
                "concat": {"enum": [["x", "h"], ["h", "x"]],
                           "description": "One matrix per gate on the concatenation "
                                          "(TF1's [x, h], deeplearning.ai's [h, x])."},
                "orientation": {"enum": ["row", "column"]},
                "steps_from": {"enum": [0, 1]}}}


def _aliases(options) -> list:
    return [alias for alias, name in ALIASES.items() if name in options]


_SEQUENCE = {"type": "array", "minItems": 1,
             "items": {"anyOf": [NUMBER, {"$ref": "#/definitions/vector"}]}}
_NUMBERS = {"anyOf": [NUMBER, {"$ref": "#/definitions/vector"}]}

# the keys of every type (COMMON), of a network (NET) and of its gradient (GRAD), but type,
# network and layout (`shared`)
SHARED = {
    "title": {"type": "string"}, "source": {"type": "string"}, "question": {"type": "string"},
    "answer": {"anyOf": [NUMBER, {"type": "string"}, {"type": "array"},
                         {"type": "object"}]},    # a gradient by delay (SPEC 1.17)
    "ask": {"type": "object", "additionalProperties": False,
            # a list: a question in several parts, each a name or {quantity, t, digits}
            "properties": {"quantity": {"anyOf": [
                {"type": "string"},
                {"type": "array", "minItems": 1, "items": {"anyOf": [
                    {"type": "string"}, {"type": "object", "required": ["quantity"]}]}}]},
                           **{k: {"type": "integer", "minimum": 0}
                              for k in ASK_KEYS if k not in ("quantity", "direction")},
                           "direction": {"enum": ["forward", "backward"]}}},
    # NET
    "inputs": {"type": "array", "minItems": 1,     # a batch: one sequence per example
               "items": {"anyOf": [NUMBER, {"$ref": "#/definitions/vector"},
                                   {"type": "array", "items": _NUMBERS}]}},
    "round": {"anyOf": [{"enum": list(ROUND_WORDS)}, {"type": "integer", "minimum": 0}]},
    "notation": {"enum": sorted({n for (_, n) in NOTATIONS} | set(MODELS)),
                 "description": "Whose keys, matrix layout and step numbering the file uses "
                                "(and, but for mit, that course's GRU update rule)."},
    "batch": {"type": "boolean"}, "bidirectional": {"type": "boolean"},
    "readout": {"enum": ["every", "last"]},
    "tie": {"type": "object", "minProperties": 1,
            "description": "One parameter used in several places: its name in network -> "
                           "the keys it is used as (fastbook's LMModel4).",
            "additionalProperties": {"anyOf": [
                {"type": "string"}, {"type": "array", "minItems": 1, "items": {"type": "string"}}]}},
    # GRAD
    "cell": {"enum": list(CELLS)},
    "targets": {"anyOf": [NUMBER,       # readout: last's one target, written bare
                          {"type": "array", "items": {"anyOf": [NUMBER, VECTOR, {"type": "null"}]}},
                          {"type": "object", "additionalProperties": {"anyOf": [NUMBER, VECTOR]}}]},
    "loss": {"enum": list(LOSSES)},
    "given": {"type": "object", "additionalProperties": False,
              "properties": {"h": _SEQUENCE, "y": _SEQUENCE}},
    "convention": {"enum": list(CONVENTIONS),
                   "description": "A GRU's update rule where the notation leaves it open "
                                  "(mit only); leave it out with any other notation."},
    "reduction": {"enum": list(REDUCTIONS)},
    "mask": {"type": "array", "items": {"anyOf": [{"enum": [0, 1]},
                                                  {"type": "array", "items": {"enum": [0, 1]}}]}},
    "upstream": {"type": "object", "additionalProperties": False,
                 "properties": {"h": {"type": "array"}, "c": {"type": "array"}}},
    "clip": {"type": "object", "minProperties": 1, "maxProperties": 1,
             "additionalProperties": False, "properties": {"norm": POSITIVE, "value": POSITIVE}},
    "truncate": {"type": "integer", "minimum": 0},
    "feedback": {"enum": list(FEEDBACK)},
}
