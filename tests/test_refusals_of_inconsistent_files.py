"""Files that parse but contradict themselves are refused with one line naming the file, line
and key, exit 2 (SPEC 4), never an internal error deep in a solver."""

import yaml

from conftest import run

RNN_CELL = {"weight_ih": [[0.2, -0.1, 0.4], [0.5, 0.3, -0.2]],
            "weight_hh": [[0.1, -0.3], [0.2, 0.4]],
            "bias_ih": [0.1, -0.1], "bias_hh": [0.0, 0.05]}


def refused(tmp_path, doc: dict):
    """The one stderr line of `solve` on DOC, checked to be a refusal at a line of the file."""
    f = tmp_path / "p.yaml"
    f.write_text(yaml.safe_dump(doc, sort_keys=False), encoding="utf-8")
    r = run("solve", str(f))
    assert r.exit_code == 2, (r.exit_code, r.stdout, r.stderr)
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"error: {f}:"), r.stderr
    assert "internal error" not in r.stderr and "Traceback" not in r.stderr
    return lines[0]


def test_empty_upstream_is_refused_saying_it_takes_h(tmp_path):
    doc = {"type": "backprop", "notation": "pytorch", "network": RNN_CELL,
           "inputs": [[1.0, -0.5, 0.3], [0.2, 0.8, -1.0]], "upstream": {},
           "ask": {"quantity": "dE/dweight_ih"}}
    line = refused(tmp_path, doc)
    assert "upstream: expected h" in line and "2 steps" in line and "empty mapping" in line


def _bundled(name: str) -> dict:
    from pathlib import Path
    path = Path(__file__).resolve().parent.parent / "problems" / name
    return next(yaml.safe_load_all(path.read_text(encoding="utf-8")))


def test_an_embedding_written_as_a_number_is_refused_naming_its_shape(tmp_path):
    doc = _bundled("fastbook_lmmodel4_tied.yaml")      # tied keys: read through problem/tie.py
    doc["network"]["embedding"] = 2.5
    line = refused(tmp_path, doc)
    assert "network.embedding: has shape a number, expected Vx2 (vocabulary size by" in line



def test_ctc_tables_past_the_work_limit_name_the_work_limit(tmp_path, monkeypatch):
    from rnnquiz.problem import limits
    monkeypatch.setattr(limits, "MAX_WORK", limits.MAX_WORK)      # restored after --max-work
    monkeypatch.setattr(limits, "MAX_MEMORY", limits.MAX_MEMORY)
    doc = _bundled("cmu11785_hw3_ctc.yaml")     # 6 frames, 9 positions, 4 columns: 78 entries
    f = tmp_path / "p.yaml"
    f.write_text(yaml.safe_dump(doc, sort_keys=False), encoding="utf-8")
    r = run("solve", str(f), "--max-work", "1000")
    assert r.exit_code == 2, r.stdout
    line = r.stderr.strip()
    assert line.startswith(f"error: {f}:") and "target: the tables of 6 frames by 9" in line
    # 78 entries x 60 units each: 4,680 units, past 1,000; a few KiB is within the memory limit
    assert "about 4.7e+03 units of work, more than the limit of 1e+03 (--max-work raises it)" \
        in line and "MiB" not in line
