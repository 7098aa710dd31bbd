"""`export --variants N --seed S` exports exactly the variants `vary --count N --seed S` writes:
the answers read back from the Moodle XML, the Canvas QTI zip and the PrairieLearn folders (by
the independent readers of the export tests) equal vary's JSON, with SPEC 2's tolerances."""

from __future__ import annotations

import json

import pytest

from conftest import run
from export_expect import flat, spec_tolerance
from test_export_canvas import read_canvas
from test_export_moodle import read_moodle

FILES = ["hinton_p3", "mit_lstm_states_1", "cmu11785_rnncell_backward_parts", "hinton_p2_choice"]


def _vary(files, count=3, seed=2) -> list[dict]:
    out = run("vary", *files, "--count", str(count), "--seed", str(seed), "--json")
    assert out.exit_code == 0, out.stderr
    return [json.loads(line) for line in out.stdout.splitlines()]


def _export(files, fmt, out, count=3, seed=2):
    done = run("export", *files, "--to", fmt, "--out", str(out), "--variants", str(count),
               "--seed", str(seed))
    assert done.exit_code == 0, done.stderr
    return done


def test_moodle_holds_varys_variants_one_category_an_exercise(tmp_path, at_root):
    records = _vary(FILES)
    _export(FILES, "moodle", tmp_path / "q.xml")
    items = read_moodle(tmp_path / "q.xml")
    assert len(items) == len(records) == 12
    for item, rec in zip(items, records):
        assert f"(variant {rec['variant']}, seed 2)" in item["name"]
        if rec["type"] == "choice":
            ((right, texts),) = item["answers"]
            assert right == rec["answer"] and texts == rec["problem"]["options"]
            continue
        digits = rec["problem"]["ask"].get("digits")
        want = [(v, spec_tolerance(v, digits, False)) for v in flat(rec["answer"])]
        assert [v for v, _ in item["answers"]] == [v for v, _ in want]
        assert [t for _, t in item["answers"]] == pytest.approx([t for _, t in want], rel=1e-9)
    categories = [item["category"] for item in items]
    assert len(set(categories)) == 4
    assert all(len(set(categories[i:i + 3])) == 1 for i in range(0, 12, 3))


def test_canvas_holds_varys_variants(tmp_path, at_root):
    files = ["hinton_p3", "mit_lstm_states_1"]
    records = _vary(files)
    done = _export(files, "canvas", tmp_path / "q.zip")
    assert "cannot draw one variant of several parts" in done.stderr
    groups = read_canvas(tmp_path / "q.zip")
    # hinton_p3: one part, its three variants one "pick 1" group; the LSTM: a group a variant
    assert [(g["pick"], len(g["items"])) for g in groups] == [(1, 3), (6, 6), (6, 6), (6, 6)]
    assert [i["answer"] for i in groups[0]["items"]] == [r["answer"] for r in records[:3]]
    for g, rec in zip(groups[1:], records[3:]):
        assert [i["answer"] for i in g["items"]] == flat(rec["answer"])
    for i, rec in zip(groups[0]["items"], records[:3]):
        assert i["margin"] == pytest.approx(spec_tolerance(rec["answer"], 2, False), rel=1e-9)


def test_prairielearn_stores_varys_variants_and_picks_each(tmp_path, at_root):
    from test_export_prairielearn import generated
    files = ["hinton_p3", "mit_lstm_states_1"]
    records = _vary(files, count=4, seed=8)
    _export(files, "prairielearn", tmp_path / "pl", count=4, seed=8)
    for name, recs in (("hinton_p3", records[:4]), ("mit_lstm_states_1", records[4:])):
        folder = tmp_path / "pl" / name
        seen = set()
        for s in range(60):
            answers = generated(folder, s)["correct_answers"]
            seen.add(json.dumps(flat(list(answers.values()))))
        assert seen == {json.dumps(flat(r["answer"])) for r in recs}, name


def test_without_a_seed_the_variants_are_seed_0s_and_a_seed_needs_variants(tmp_path, at_root):
    records = _vary(["hinton_p3"], count=2, seed=0)
    run("export", "hinton_p3", "--to", "moodle", "--out", str(tmp_path / "q.xml"),
        "--variants", "2")
    assert [i["answers"][0][0] for i in read_moodle(tmp_path / "q.xml")] == \
        [r["answer"] for r in records]
    out = run("export", "hinton_p3", "--to", "moodle", "--out", str(tmp_path / "r.xml"),
              "--seed", "3")
    assert out.exit_code == 2 and not (tmp_path / "r.xml").exists()


def test_prairielearn_variant_folders_validate_against_its_schemas(tmp_path, at_root):
    from test_export_prairielearn import REFERENCE, elements, jsonschema
    if not (REFERENCE / "infoQuestion.json").is_file():
        pytest.skip("PrairieLearn's schemas are not beside the clone (shared/reference/prairielearn)")
    files = ["hinton_p3", "cmu11785_rnncell_backward_parts", "hinton_p1"]
    _export(files, "prairielearn", tmp_path / "pl", count=3, seed=4)
    info_schema = json.loads((REFERENCE / "infoQuestion.json").read_text(encoding="utf-8"))
    uuids = set()
    for name in files:
        folder = tmp_path / "pl" / name
        info = json.loads((folder / "info.json").read_text(encoding="utf-8"))
        jsonschema.Draft7Validator(info_schema).validate(info)
        assert info["singleVariant"] is False
        uuids.add(info["uuid"])
        for tag, attrs, parent, _ in elements(folder):
            schema_file = REFERENCE / "elements" / (parent or tag) / f"{tag}.json"
            if schema_file.is_file():
                jsonschema.validate(attrs, json.loads(schema_file.read_text(encoding="utf-8")))
    assert len(uuids) == 3
