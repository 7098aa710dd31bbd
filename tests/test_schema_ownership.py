"""Who describes a key in `rnnquiz schema`: a type's own keys (those beyond types/keys.py's
COMMON, NET and GRAD) are described by the type's `schema()` hook, the shared ones by
problem/schema.py; a key described by neither makes the schema fail, and the schema refuses
the values of a type's own keys that the loader refuses."""

from __future__ import annotations

import json

import jsonschema
import pytest

from rnnquiz.cli.schema import schema
from rnnquiz.problem.schema import SHARED, shared
from rnnquiz.types import TYPES
from rnnquiz.types.keys import COMMON, GRAD, NET
from conftest import run

SHARED_KEYS = COMMON | NET | GRAD


def _hook(name: str) -> dict:
    return getattr(TYPES[name], "schema", dict)().get("properties", {})


def test_every_key_every_type_takes_has_a_schema():
    s = schema()
    for variant in s["allOf"]:
        name = variant["if"]["properties"]["type"]["const"]
        props = variant["then"]["properties"]
        assert set(props) == set(TYPES[name].KEYS), name
        assert all(isinstance(v, dict) and v for v in props.values()), name


@pytest.mark.parametrize("name", list(TYPES))
def test_a_types_own_keys_are_described_by_its_hook_and_nowhere_else(name):
    own = set(TYPES[name].KEYS) - SHARED_KEYS
    hook = _hook(name)
    assert own <= set(hook), f"{name}: own keys without a schema in its hook: {own - set(hook)}"
    assert set(hook) <= set(TYPES[name].KEYS), f"{name}'s hook describes keys it does not take"
    assert not [k for k in own if shared(k, name, None) is not None], name


def test_the_shared_table_holds_the_shared_keys_only():
    every = {k for name in TYPES for k in TYPES[name].KEYS}
    assert set(SHARED) | {"type", "network", "layout"} == SHARED_KEYS
    assert SHARED_KEYS <= every      # none of them is dead


def test_the_choice_types_correct_comes_from_the_choice_module():
    from rnnquiz.types import choice
    (variant,) = [v for v in schema()["allOf"]
                  if v["if"]["properties"]["type"]["const"] == "choice"]
    assert "correct" in choice.schema()["properties"] and shared("correct", "choice", None) is None
    assert variant["then"]["properties"]["correct"] == choice.schema()["properties"]["correct"]


def test_a_key_described_nowhere_is_named_as_the_types_to_describe(monkeypatch):
    module = TYPES["hmm_bits"]
    monkeypatch.setattr(module, "KEYS", module.KEYS | {"parity"})
    with pytest.raises(LookupError, match=r"type hmm_bits takes the key 'parity'.*schema\(\)"):
        schema()


# each a file whose own key the loader refuses (exit 2, naming the key); the schema refuses it too
REFUSED = [
    ({"type": "choice", "question": "Q?", "options": ["a", "b"], "correct": [0]}, "correct"),
    ({"type": "hmm_bits", "states": 0}, "states"),
    ({"type": "clip", "gradients": {"dW": [1.0, 2.0]}, "norm": -1}, "norm"),
    ({"type": "perplexity", "probabilities": [0.5, 1.5]}, "probabilities"),
    ({"type": "shapes", "input": 3, "hidden": 2, "layers": 1001}, "layers"),
    ({"type": "vanishing", "network": {"W_xh": 1, "W_hh": 0.5}, "inputs": [1, 1],
      "tolerance": -0.1}, "tolerance"),
    ({"type": "decode", "vocabulary": ["a", "<eos>"], "tables": {"": [0.4, 0.6]},
      "beam": 0}, "beam"),
    ({"type": "backprop", "network": {"W_xh": 1, "W_hh": 0.5, "W_hy": 1}, "inputs": [1, 1],
      "targets": [1, 0], "regularization": {"ar": -1}}, "regularization"),
    ({"type": "forward", "notation": "esn", "network": {"W_in": [[0.5, 1]], "W": [[0.5]]},
      "inputs": [1, 0], "targets": [0, 1], "readout_fit": {"beta": -1}}, "readout_fit"),
]


@pytest.mark.parametrize("doc, key", REFUSED, ids=[k for _, k in REFUSED])
def test_the_schema_refuses_what_the_loader_refuses(tmp_path, doc, key):
    errors = list(jsonschema.Draft7Validator(schema()).iter_errors(doc))
    assert errors, f"the schema takes {key}: {doc[key]!r}"
    assert [e.absolute_path[0] for e in errors] == [key] * len(errors)   # the file is else fine
    f = tmp_path / "p.yaml"
    f.write_text(json.dumps(doc))
    r = run("solve", str(f))
    assert r.exit_code == 2 and f":1: {key}" in r.stderr, r.stderr
