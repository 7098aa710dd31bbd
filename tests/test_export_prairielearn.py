"""`export --to prairielearn`: each question folder checked against PrairieLearn's own JSON
Schemas (info.json against infoQuestion.json, each element's attributes against
elements/<element>/*.json), and its server.py run as PrairieLearn runs it: the answers it sets
equal the solver's, graded as SPEC 2 says (decdig with the digits, else sigfig 3)."""

from __future__ import annotations

import importlib.util
import json
import os
import random
from html.parser import HTMLParser
from pathlib import Path

import pytest

from conftest import run
from export_expect import BUNDLED, ROOT, all_problems, expected, flat, hinton_p3_by_hand
from rnnquiz.teaching.export import export

jsonschema = pytest.importorskip("jsonschema")

GOLDEN = ROOT / "tests" / "golden" / "export"
# CI has shared/ beside the clone; RNNQUIZ_REFERENCE names another copy of the same folder
REFERENCE = ((Path(os.environ["RNNQUIZ_REFERENCE"]) if os.environ.get("RNNQUIZ_REFERENCE")
              else ROOT.parent / "shared" / "reference") / "prairielearn")
needs_reference = pytest.mark.skipif(
    not (REFERENCE / "infoQuestion.json").is_file(),
    reason="PrairieLearn's schemas are not beside the clone (shared/reference/prairielearn)")


class Elements(HTMLParser):
    """The pl-* elements of question.html: (tag, attributes, parent tag, text)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found, self.stack = [], []

    def handle_starttag(self, tag, attrs):
        if tag.startswith("pl-"):
            parent = self.stack[-1][0] if self.stack else None
            self.stack.append((tag, dict(attrs), parent, []))

    def handle_data(self, data):
        if self.stack:
            self.stack[-1][3].append(data)

    def handle_endtag(self, tag):
        if self.stack and self.stack[-1][0] == tag:
            t, attrs, parent, text = self.stack.pop()
            self.found.append((t, attrs, parent, "".join(text)))


def elements(folder) -> list[tuple]:
    """The answer elements (the question and answer panels left out)."""
    parser = Elements()
    parser.feed((folder / "question.html").read_text(encoding="utf-8"))
    return [e for e in parser.found if not e[0].endswith("-panel")]


def generated(folder, seed: int) -> dict:
    """server.py's generate as PrairieLearn calls it: `random` seeded with the variant's seed."""
    spec = importlib.util.spec_from_file_location(f"server_{folder.name}", folder / "server.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    random.seed(seed)
    data = {"params": {}, "correct_answers": {}}
    module.generate(data)
    return data


def _check_format(value: str, fmt: str | None) -> None:
    if fmt == "number":
        float(value)
    elif fmt == "integer":
        int(value)
    elif fmt == "boolean":
        assert value in ("true", "false")



@pytest.fixture(scope="module")
def exported(tmp_path_factory):
    out = tmp_path_factory.mktemp("pl")
    cwd = os.getcwd()
    os.chdir(ROOT)
    try:
        export(BUNDLED, "prairielearn", out)
    finally:
        os.chdir(cwd)
    return out


def _folders(out):
    return sorted((d for d in out.iterdir() if d.is_dir()), key=lambda d: d.name)


@needs_reference
def test_info_json_and_every_element_validate_against_prairielearns_schemas(exported):
    info_schema = json.loads((REFERENCE / "infoQuestion.json").read_text(encoding="utf-8"))
    checked = set()
    for folder in _folders(exported):
        info = json.loads((folder / "info.json").read_text(encoding="utf-8"))
        jsonschema.Draft7Validator(info_schema).validate(info)
        assert info["type"] == "v3" and info["topic"] and "rnnquiz" in info["tags"]
        for tag, attrs, parent, _ in elements(folder):
            home = REFERENCE / "elements" / (parent or tag)
            schema_file = home / f"{tag}.json"
            if not schema_file.is_file():
                assert tag == "pl-matrix-component-input", tag   # not among the references
                continue
            schema = json.loads(schema_file.read_text(encoding="utf-8"))
            jsonschema.validate(attrs, schema)
            for key, value in attrs.items():
                _check_format(value, schema["properties"][key].get("format"))
            checked.add(tag)
    assert {"pl-number-input", "pl-integer-input", "pl-string-input", "pl-multiple-choice",
            "pl-checkbox", "pl-answer"} <= checked


def test_every_bundled_problem_reads_back_with_the_solvers_answers(exported, at_root):
    problems = all_problems()
    folders = {json.loads((d / "info.json").read_text())["uuid"]: d for d in _folders(exported)}
    assert len(folders) == len(problems)
    from rnnquiz.teaching.export.items import stable_id   # only to find each problem's folder
    for p in problems:
        folder = folders[stable_id(p.file, p.doc_index, None)]
        want = expected(p)
        els = [e for e in elements(folder) if e[0] != "pl-answer"]
        if p.type == "choice":
            (el,) = els
            answers = [e for e in elements(folder) if e[0] == "pl-answer"]
            assert [k for k, e in enumerate(answers, 1) if e[1]["correct"] == "true"] \
                == want[0][0]
            assert [e[3] for e in answers] == list(p.options)
            assert el[0] == ("pl-checkbox" if len(want[0][0]) > 1 else "pl-multiple-choice")
            continue
        answers = generated(folder, 1)["correct_answers"]
        got = [v for tag, attrs, _, _ in els for v in flat(answers[attrs["answers-name"]])]
        assert got == [v for v, _ in want], p.file
        for tag, attrs, _, _ in els:
            if tag in ("pl-number-input", "pl-matrix-component-input"):
                if p.ask.digits is not None:
                    assert (attrs["comparison"], attrs["digits"]) == ("decdig", str(p.ask.digits))
                else:
                    assert (attrs["comparison"], attrs["digits"]) == ("sigfig", "3")
            if tag == "pl-integer-input":
                assert p.type in ("shapes", "hmm_bits")


def test_a_scalar_forward_pass(tmp_path, at_root):
    export(["problems/hinton_p3.yaml"], "prairielearn", tmp_path)
    folder = tmp_path / "hinton_p3"
    (el,) = elements(folder)
    assert el[0] == "pl-number-input"
    assert (el[1]["comparison"], el[1]["digits"]) == ("decdig", "2")
    data = generated(folder, 7)
    assert data["correct_answers"] == {"p1": hinton_p3_by_hand()}
    assert "What is y_1, to 2 decimals?" in data["params"]["question"]
    assert r"\(z_0 = W_{xh}\cdot x_0" in data["params"]["feedback"]


def test_an_lstm_sequence_is_one_matrix_input(tmp_path, at_root):
    export(["problems/mit_lstm_states_1.yaml"], "prairielearn", tmp_path)
    folder = tmp_path / "mit_lstm_states_1"
    (el,) = elements(folder)
    assert el[0] == "pl-matrix-component-input"
    assert (el[1]["comparison"], el[1]["digits"]) == ("sigfig", "3")
    assert generated(folder, 3)["correct_answers"] == {"p1": [[0, 0, 1, -1, 1, 0]]}


def test_the_uuid_is_kept_by_a_re_export_and_the_folder_replaced(tmp_path, at_root):
    for _ in range(2):
        r = run("export", "problems/jordan_network.yaml", "--to", "prairielearn",
                "--out", str(tmp_path))
        assert r.exit_code == 0, r.stderr
    names = sorted(os.listdir(tmp_path))
    assert names == ["jordan_network", "jordan_network_2", "jordan_network_3"]
    uuids = [json.loads((tmp_path / n / "info.json").read_text())["uuid"] for n in names]
    assert len(set(uuids)) == 3


@pytest.mark.parametrize("name", ["hinton_p3", "mit_lstm_states_1"])
def test_golden(name, tmp_path, at_root):
    export([f"problems/{name}.yaml"], "prairielearn", tmp_path)
    for part in ("info.json", "question.html", "server.py"):
        got = (tmp_path / name / part).read_text(encoding="utf-8")
        golden = GOLDEN / f"{name}.prairielearn" / part
        if os.environ.get("RNNQUIZ_REGOLD"):
            golden.parent.mkdir(parents=True, exist_ok=True)
            golden.write_text(got, encoding="utf-8")
            continue
        assert got == golden.read_text(encoding="utf-8")
    assert not os.environ.get("RNNQUIZ_REGOLD"), "rewrote the goldens: read the diff"


def test_server_py_picks_each_stored_variant(tmp_path, at_root):
    from export_expect import hinton_p3_variant_by_hand, two_variants
    from rnnquiz.teaching.export import exercises, write
    exes = exercises(["problems/hinton_p3.yaml"], variants=two_variants(tmp_path), seed=5)
    write("prairielearn", exes, tmp_path / "out")
    folder = tmp_path / "out" / "hinton_p3"
    info = json.loads((folder / "info.json").read_text(encoding="utf-8"))
    assert info["singleVariant"] is False and info["uuid"] == exes[0].id
    seen = {generated(folder, seed)["correct_answers"]["p1"] for seed in range(20)}
    assert seen == {hinton_p3_by_hand(), hinton_p3_variant_by_hand()}
