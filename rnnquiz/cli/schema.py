"""`rnnquiz schema`: a JSON Schema (draft 7) of the problem format, for editors.

Built from the same tables the loader validates with (problem.KEYS, the notation
registry, the activation and rounding words), so the two cannot drift apart.
"""

from __future__ import annotations

from ..problem.backprop_keys import FEEDBACK, LOSSES, REDUCTIONS
from ..problem.network import ALIASES
from ..types.decode.keys import METHODS
from ..notations import MODELS, NOTATIONS, model
from ..notations.framework_keys import ANY_NAME
from ..problem import ASK_KEYS
from ..problem.network_keys import CELLS, CONVENTIONS, ROUND_WORDS
from ..types import TYPES
from ..types.keys import KEYS

NUMBER = {"type": "number"}
VECTOR = {"type": "array", "items": NUMBER, "minItems": 1}
READOUT_NAME = r"^[A-Za-z_][A-Za-z0-9_]*\.(weight|bias)$"     # nn.Linear's state_dict names
MATRIX = {"type": "array", "items": {"$ref": "#/definitions/vector"}, "minItems": 1}


def _network(types_cells: list[str]) -> dict:
    props: dict = {}
    words: dict[str, list] = {}
    every = [n for n in NOTATIONS.values()] + [n.feedback for n in NOTATIONS.values()
                                               if n.feedback is not None]
    for n in every:
        if n.cell not in types_cells:
            continue
        for key in n.weights:
            props[key] = {"$ref": "#/definitions/weight"}
            if n.own_network is not None:   # Hagan's {delay: weight}, {from_layer: {...}}
                props[key] = {"anyOf": [props[key], {"$ref": "#/definitions/delays"}]}
        for key in [*n.biases, n.embedding]:   # (n, 1) columns
            props[key] = {"$ref": "#/definitions/weight"}
        for key in n.states:   # rows per example; PyTorch's h_0 of a batch (layers, N, H)
            props[key] = {"$ref": "#/definitions/state"}
        for key, options in n.words.items():
            seen = words.setdefault(key, [])
            seen.extend(o for o in (*options, *_aliases(options)) if o not in seen)
    for key, options in words.items():     # the union over the notations that take the key
        props[key] = {"enum": options}
    if "lstm" in types_cells:   # the cell state's read-out (SPEC 1.15), in every notation
        props.update(W_cy={"$ref": "#/definitions/weight"}, b_cy={"$ref": "#/definitions/weight"})
    if "rnn" in types_cells:               # Jordan's state units' decay μ (SPEC 1.17)
        props["state_decay"] = NUMBER
    if "rnn" in types_cells:                # the model notations (esn) run in forward
        for name in MODELS:
            spec = model(name)
            props.update({key: {"$ref": "#/definitions/weight"} for key in spec.NOTATION.weights})
            props.update({key: schema for key, (*_, schema) in spec.NUMBERS.items()})
    layer = {"type": "object", "properties": dict(sorted(props.items())),
             "additionalProperties": False,
             # a tied parameter's own name (tie: {h_h.weight: [...]}), as PyTorch prints it
             "patternProperties": {TIED_NAME: {"$ref": "#/definitions/weight"}}}
    if any(n.name in ANY_NAME for n in every):      # nn.Linear's read-out by any name: fc.weight
        layer["patternProperties"][READOUT_NAME] = {"$ref": "#/definitions/weight"}
    # both directions of a layer (SPEC 1.9), the read-out keys beside them in the top one
    both = {"type": "object", "additionalProperties": False,
            "properties": {"forward": layer, "backward": layer, **layer["properties"]},
            **{k: v for k, v in layer.items() if k == "patternProperties"}}
    # PyTorch's state_dict of a stack: weight_ih_l1, bias_hh_l0_reverse
    flat = {**layer, "patternProperties": {**layer.get("patternProperties", {}),
                                           r"^[A-Za-z_]+_l[0-9]+(_reverse)?$":
                                           {"$ref": "#/definitions/weight"}}}
    return {"anyOf": [flat, both, {"type": "array", "minItems": 1,
                                   "items": {"anyOf": [layer, both]}}]}


def _layout() -> dict:
    """`layout:` (SPEC 1.15): where a course departs from its notation's conventions."""
    from ..notations.overrides import LETTERS   # noqa: PLC0415 (schema only)
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


def _field(key: str, ptype: str) -> dict:
    seq = {"type": "array", "minItems": 1,
           "items": {"anyOf": [NUMBER, {"$ref": "#/definitions/vector"}]}}
    table = {
        "type": {"const": ptype},
        "title": {"type": "string"}, "source": {"type": "string"},
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
        "readout": {"enum": ["every", "last"]},
        "layout": _layout(),
        "inputs": {"type": "array", "minItems": 1,     # a batch: one sequence per example
                   "items": {"anyOf": [NUMBER, {"$ref": "#/definitions/vector"},
                                       {"type": "array", "items": {"anyOf": [
                                           NUMBER, {"$ref": "#/definitions/vector"}]}}]}},
        "round": {"anyOf": [{"enum": list(ROUND_WORDS)}, {"type": "integer", "minimum": 0}]},
        "notation": {"enum": sorted({n for (_, n) in NOTATIONS} | set(MODELS)),
                     "description": "Whose keys, matrix layout and step numbering the file uses "
                                    "(and, but for mit, that course's GRU update rule)."},
        "convention": {"enum": list(CONVENTIONS),
                       "description": "A GRU's update rule where the notation leaves it open "
                                      "(mit only); leave it out with any other notation."},
        "cell": {"enum": list(CELLS)},
        "targets": {"anyOf": [NUMBER,       # readout: last's one target, written bare
                              {"type": "array", "items": {"anyOf": [NUMBER, VECTOR,
                                                                    {"type": "null"}]}},
                              {"type": "object", "additionalProperties": {"anyOf": [NUMBER,
                                                                                     VECTOR]}}]},
        "loss": {"enum": list(LOSSES)},
        "given": {"type": "object", "additionalProperties": False,
                  "properties": {"h": seq, "y": seq}},
        "tolerance": {"type": "number", "minimum": 0},
        "batch": {"type": "boolean"},
        "clip": {"type": "object", "minProperties": 1, "maxProperties": 1,
                 "additionalProperties": False,
                 "properties": {"norm": {"type": "number", "exclusiveMinimum": 0},
                                "value": {"type": "number", "exclusiveMinimum": 0}}},
        "truncate": {"type": "integer", "minimum": 0},
        "feedback": {"enum": list(FEEDBACK)},
        "readout_fit": {"type": "object", "additionalProperties": False, "required": ["beta"],
                        "properties": {"method": {"enum": ["ridge"]},
                                       "beta": {"type": "number", "minimum": 0},
                                       "washout": {"type": "integer", "minimum": 0}}},
        "reduction": {"enum": list(REDUCTIONS)},
        "mask": {"type": "array", "items": {"anyOf": [{"enum": [0, 1]},
                                                      {"type": "array", "items": {"enum": [0, 1]}}]}},
        "upstream": {"type": "object", "additionalProperties": False,
                     "properties": {"h": {"type": "array"}, "c": {"type": "array"}}},
        "states": {"type": "integer", "minimum": 1},
        "binary_units": {"type": "integer", "minimum": 1},
        "input": {"type": "integer", "minimum": 1},
        "hidden": {"type": "integer", "minimum": 1},
        "output": {"type": "integer", "minimum": 1},
        "framework": {"enum": ["course", "pytorch", "keras"]},
        "layers": {"type": "integer", "minimum": 1, "maximum": 1000},
        "bidirectional": {"type": "boolean"},
        "reset_after": {"type": "boolean"},
        "question": {"type": "string"},
        "options": {"type": "array", "items": {"type": ["string", "number"]}, "minItems": 2},
        "correct": {"anyOf": [{"type": "integer", "minimum": 1},
                              {"type": "array", "items": {"type": "integer", "minimum": 1},
                               "minItems": 1}]},
        "explanation": {"type": "string"},
        "demo": {"type": "string"},
        **_sequence_fields(),
        **_training_fields(),
    }
    if key == "network":
        cell = getattr(TYPES[ptype], "CELL", None)
        return _network([cell] if cell else list(CELLS))
    return table[key]


def _sequence_fields() -> dict:
    """clip, perplexity, decode (SPEC 1.11)."""
    positive = {"type": "number", "exclusiveMinimum": 0}
    token = {"anyOf": [{"type": "string"}, {"type": "integer"}]}
    prob = {"type": "number", "minimum": 0, "maximum": 1}
    return {
        "gradients": {"type": "object", "minProperties": 1,
                      "additionalProperties": {"$ref": "#/definitions/weight"}},
        "value": positive, "norm": positive,
        "probabilities": {"anyOf": [{**prob, "exclusiveMinimum": 0}, {
            "type": "array", "minItems": 1, "items": {**prob, "exclusiveMinimum": 0}}]},
        "vocabulary": {"type": "integer", "minimum": 1},
        "log_probabilities": {"type": "array", "minItems": 1, "items": {
            "type": "array", "minItems": 1, "items": {"type": "number", "maximum": 0}}},
        "pad": {"type": "integer", "minimum": 0},
        "eos": token,
        "tables": {"type": "object", "minProperties": 1,
                   "additionalProperties": {"type": "array", "minItems": 1, "items": prob}},
        "method": {"enum": list(METHODS)},
        "beam": {"type": "integer", "minimum": 1},
        "alpha": {"type": "number", "minimum": 0},
        "sequence": {"anyOf": [{"type": "string"},
                               {"type": "array", "minItems": 1, "items": token}]},
        "max_length": {"type": "integer", "minimum": 1},
    }


TIED_NAME = r"^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z0-9_]+)*\.(weight|bias)$"


def _training_fields() -> dict:
    """tie and regularization (SPEC 1.15, 1.17)."""
    weight = {"type": "number", "minimum": 0}
    return {
        "tie": {"type": "object", "minProperties": 1,
                "description": "One parameter used in several places: its name in network -> "
                               "the keys it is used as (fastbook's LMModel4).",
                "additionalProperties": {"anyOf": [
                    {"type": "string"},
                    {"type": "array", "minItems": 1, "items": {"type": "string"}}]}},
        "regularization": {"type": "object", "minProperties": 1, "additionalProperties": False,
                           "properties": {"ar": weight, "tar": weight,
                                          "information_flow": weight}},
    }


def schema() -> dict:
    variants = []
    for ptype in TYPES:
        keys = sorted(KEYS[ptype])
        own = getattr(TYPES[ptype], "schema", dict)()     # the type's part: required, fields
        inputs = "inputs" in keys and "inputs" not in own.get("optional", ())
        required = ["type"] + (["inputs"] if inputs else []) + own.get("required", [])
        fields = own.get("properties", {})
        variants.append({"if": {"properties": {"type": {"const": ptype}}},
                         "then": {"type": "object", "required": required,
                                  "properties": {k: fields.get(k) or _field(k, ptype)
                                                 for k in keys},
                                  "additionalProperties": False}})
    return {
        "$schema": "http://json-schema.org/draft-07/schema#",
        "$id": "https://rnnquiz.invalid/schema/problem.json",
        "title": "rnnquiz problem",
        "type": "object",
        "required": ["type"],
        "properties": {"type": {"enum": list(TYPES)}},
        "allOf": variants,
        "definitions": {"vector": VECTOR, "numbers": {"anyOf": [NUMBER, VECTOR]},
                        "weight": {"anyOf": [NUMBER, VECTOR, MATRIX]},
                        "delays": {"type": "object", "minProperties": 1,
                                   "propertyNames": {"pattern": "^[0-9]+$"},
                                   "additionalProperties": {"anyOf": [
                                       {"$ref": "#/definitions/weight"},
                                       {"type": "object", "minProperties": 1,
                                        "propertyNames": {"pattern": "^[0-9]+$"},
                                        "additionalProperties": {
                                            "$ref": "#/definitions/weight"}}]}},
                        "state": {"anyOf": [NUMBER, VECTOR, MATRIX, {
                            "type": "array", "items": MATRIX, "minItems": 1}]}},
    }
