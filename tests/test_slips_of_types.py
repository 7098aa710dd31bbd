"""Each type owns the slips only it makes (docs/extending.md, `OWN_SLIPS`): they are defined in
the type's module or package, the catalogue (teaching/slips.py) keeps the shared ones and
gathers the types' own, and `check` on one problem loads only its own type's slips."""

from __future__ import annotations

import importlib
import subprocess
import sys
from pathlib import Path

import pytest

from rnnquiz.teaching.slips import GENERAL, SLIPS, book, own
from rnnquiz.types import TYPES

ROOT = Path(__file__).resolve().parent.parent

# the slips one type alone makes, by the type that makes them (issue 24)
OWNED = {
    "forward": {"leak_swapped", "ridge_without_bias_row"},
    "vanishing": {"weight_only_verdict"},
    "hmm_bits": {"states_not_bits"},
    "clip": {"own_norm"},
    "perplexity": {"summed_loss", "pad_counted"},
    "decode": {"no_length_norm"},
    "shapes": {"embedding_without_vocabulary", "one_bias", "bidirectional_once"},
    "ctc": {"ctc_blank_between", "ctc_blanks_first"},
    "attention": {"softmax_axis"},
    "bleu": {"no_brevity_penalty", "longest_reference"},
}


def _defined_by(name: str) -> tuple:
    """The Slip entries the type's own code holds: its module's OWN_SLIPS, or its package's
    `slips` module's."""
    module = TYPES[name]
    found = getattr(module, "OWN_SLIPS", None)
    if found is None:
        found = importlib.import_module(f"{module.__name__}.slips").OWN_SLIPS
    return tuple(found() if callable(found) else found)


@pytest.mark.parametrize("name", sorted(OWNED))
def test_a_slip_only_one_type_makes_is_defined_by_that_type(name):
    ids = {s.id for s in _defined_by(name)}
    assert ids == OWNED[name]
    assert not ids & set(GENERAL), "a type's own slip is back among the shared ones"
    # the catalogue's entry is the type's own object, words and all
    for slip in _defined_by(name):
        assert SLIPS[slip.id].explanation == slip.explanation
        assert book(name)[slip.id].variants is not None


def test_the_types_without_slips_of_their_own_have_none():
    assert {name for name in TYPES if own(name)} == set(OWNED)


@pytest.mark.parametrize("name", sorted(TYPES))
def test_every_slip_a_type_names_is_shared_or_its_own(name):
    named = set(getattr(TYPES[name], "SLIPS", ()))
    mine = {s.id for s in own(name)}
    assert named <= set(GENERAL) | mine, "names a slip that is neither shared nor its own"
    assert mine <= named, "its own slip is never searched unless SLIPS names it"


def test_no_two_slips_share_an_id():
    ids = list(GENERAL) + [s.id for name in TYPES for s in own(name)]
    assert len(ids) == len(set(ids)) == len(SLIPS)


def test_a_type_searches_the_shared_slips_first_then_its_own():
    assert list(book("forward"))[-2:] == ["leak_swapped", "ridge_without_bias_row"]
    assert list(book("bleu"))[-2:] == ["no_brevity_penalty", "longest_reference"]
    assert list(book("backprop")) == list(GENERAL)


def _loaded_by_check(path: str, answer: str) -> set[str]:
    code = ("import sys\nseen = set(sys.modules)\n"
            "sys.argv = ['rnnquiz', *sys.argv[1:]]\n"
            "from rnnquiz.cli import main\n"
            "try:\n    main()\nexcept SystemExit:\n    pass\n"
            "sys.stderr.write(' '.join(sorted(set(sys.modules) - seen)))\n")
    out = subprocess.run([sys.executable, "-c", code, "check", path, "--answer", answer,
                          "--json"], capture_output=True, text=True, cwd=ROOT,
                         env={"COLUMNS": "100", "PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT)})
    assert '"diagnosis"' in out.stdout, out.stdout + out.stderr
    return {m for m in out.stderr.split() if m.startswith("rnnquiz.types.")}


def test_check_loads_only_its_own_types_slips():
    # a wrong answer: the diagnosis searches the shared slips and perplexity's own
    loaded = _loaded_by_check("problems/dlai_nlp_perplexity_padding.yaml", "1")
    assert "rnnquiz.types.perplexity.slips" in loaded
    others = {m.split(".")[2] for m in loaded} - {"perplexity", "slip", "hooks", "keys",
                                                  "pipeline", "registry"}
    assert others == set(), "check loaded other types"
    # a network type's check: no other type's slips
    loaded = _loaded_by_check("problems/hinton_p3.yaml", "-0.5")
    assert {m for m in loaded if m.endswith(".slips")} == set()
