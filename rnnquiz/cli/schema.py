"""`rnnquiz schema`: a JSON Schema (draft 7) of the problem format, for editors.

Only put together: for each type of the registry, each of its keys (its module's `KEYS`) takes
the schema the type's `schema()` hook gives it, else the shared one (problem/schema.py, from the
tables the loader reads the shared keys with), so neither can drift from what the loader takes.
"""

from __future__ import annotations

from ..problem.schema import DEFINITIONS, shared
from ..types import TYPES


def key_schema(name: str, key: str, own: dict) -> dict:
    """The schema of `key` as type `name` takes it: `own` (the hook's properties), else the
    shared one; a key with neither is the type's to describe."""
    if key in own:
        return own[key]
    found = shared(key, name, getattr(TYPES[name], "CELL", None))
    if found is None:
        raise LookupError(f"type {name} takes the key {key!r} but describes it nowhere: give "
                          f"its schema in the `properties` of rnnquiz.types.{name}'s schema()")
    return found


def type_schema(name: str) -> dict:
    """The part of the schema that holds for a file of type `name`."""
    module = TYPES[name]
    keys = sorted(module.KEYS)
    own = getattr(module, "schema", dict)()     # the type's part: required, its keys' schemas
    inputs = "inputs" in keys and "inputs" not in own.get("optional", ())
    required = ["type"] + (["inputs"] if inputs else []) + own.get("required", [])
    fields = own.get("properties", {})
    return {"type": "object", "required": required,
            "properties": {k: key_schema(name, k, fields) for k in keys},
            "additionalProperties": False}


def schema() -> dict:
    return {
        "$schema": "http://json-schema.org/draft-07/schema#",
        "$id": "https://rnnquiz.invalid/schema/problem.json",
        "title": "rnnquiz problem",
        "type": "object",
        "required": ["type"],
        "properties": {"type": {"enum": list(TYPES)}},
        "allOf": [{"if": {"properties": {"type": {"const": name}}}, "then": type_schema(name)}
                  for name in TYPES],
        "definitions": DEFINITIONS,
    }
