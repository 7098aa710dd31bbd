"""An `ask` key that picks something a type does not have (a network's layer or direction, a
span, an n-gram order, trainable parameters) is refused at its key path, naming the type, for
a type that declares none of them (decode)."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from rnnquiz.errors import ProblemError
from rnnquiz.types import from_dict

ROOT = Path(__file__).resolve().parent.parent
GREEDY = list(yaml.safe_load_all((ROOT / "problems" / "d2l_10_8_greedy.yaml").read_text()))[0]


@pytest.mark.parametrize("extra, key, reason", [
    ({"layer": 1}, "layer", "picks a layer of a network, and type decode has none; leave it out"),
    ({"direction": "backward"}, "direction",
     "picks a layer of a network, and type decode has none; leave it out"),
    ({"from": 1, "to": 2}, "from", "picks the span of a jacobian (quantity: jacobian) or of a "
                                   "vanishing verdict; leave it out"),
    ({"n": 2}, "n", "picks an n-gram order, and type decode has none; leave it out"),
    ({"trainable": True}, "trainable",
     "counts a model's trainable parameters, and type decode counts none; leave it out"),
])
def test_an_ask_key_the_type_lacks_is_refused(extra, key, reason):
    with pytest.raises(ProblemError) as err:
        from_dict({**GREEDY, "ask": {**GREEDY["ask"], **extra}})
    assert err.value.keys == ("ask", key) and err.value.reason == reason
