"""Issue 30: `solve --out-dir` writes one file per problem, whatever the files are called
(a/p.yaml, b/p.yaml and p_2.yaml once wrote p_2.json twice), and a reader that leaves
(`| head -1`) stops the list of paths, never the files."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from hypothesis import given, settings, strategies as st

from conftest import PROBLEMS, ROOT, run

P3 = (PROBLEMS / "hinton_p3.yaml").read_text()
TWO = P3 + "---\n" + P3.replace("t: 1", "t: 2").replace("answer: -0.36", "answer: -0.05")


def written(folder) -> list[str]:
    return sorted(f for f in os.listdir(folder) if not f.startswith(".rnnquiz-"))


def test_the_campaign_names_give_three_files(tmp_path):
    src = tmp_path / "src"
    for rel in ("a/p.yaml", "b/p.yaml", "p_2.yaml"):
        (src / rel).parent.mkdir(parents=True, exist_ok=True)
        (src / rel).write_text(P3)
    out = tmp_path / "out"
    r = run("solve", str(src), "--json", "--out-dir", str(out))
    assert r.exit_code == 0
    assert written(out) == ["p.json", "p_2.json", "p_2_2.json"]
    assert r.stdout.splitlines() == [str(out / n) for n in ("p.json", "p_2.json", "p_2_2.json")]
    assert all(json.loads((out / n).read_text())["answer"] == -0.35512927312785325
               for n in written(out))


def test_a_second_document_and_a_file_named_like_it(tmp_path):
    (tmp_path / "p.yaml").write_text(TWO)            # p.json, p_2.json
    (tmp_path / "p_2.yaml").write_text(P3)           # not p_2.json again
    out = tmp_path / "out"
    r = run("solve", str(tmp_path / "p.yaml"), str(tmp_path / "p_2.yaml"), "--json",
            "--out-dir", str(out))
    assert r.exit_code == 0
    # y_1 = -0.3551, y_2 = -0.0527 (Hinton's problem 3, by hand)
    answers = {n: round(json.loads((out / n).read_text())["answer"], 4) for n in written(out)}
    assert answers == {"p.json": -0.3551, "p_2.json": -0.0527, "p_2_2.json": -0.3551}


def test_names_equal_but_for_case_do_not_share_a_file(tmp_path):
    """A case-insensitive disk (macOS, Windows) would hold P.json and p.json as one."""
    for name in ("P.yaml", "p.yaml"):
        (tmp_path / name).write_text(P3)
    out = tmp_path / "out"
    run("solve", str(tmp_path / "P.yaml"), str(tmp_path / "p.yaml"), "--out-dir", str(out))
    assert written(out) == ["P.txt", "p_2.txt"]


def test_a_name_too_long_for_the_disk_is_cut_to_fit(tmp_path):
    stem = "é" * 125                   # 250 bytes: with .json 255, with _2.json 257
    (tmp_path / f"{stem}.yaml").write_text(TWO)
    out = tmp_path / "out"
    r = run("solve", str(tmp_path / f"{stem}.yaml"), "--json", "--out-dir", str(out))
    assert r.exit_code == 0
    names = written(out)
    assert len(names) == 2 and all(len(os.fsencode(n)) <= 255 for n in names)
    assert names == sorted(["é" * 125 + ".json", "é" * 124 + "_2.json"])


def test_a_closed_stdout_does_not_stop_the_files(tmp_path):
    """`solve ×60 --out-dir d | head -1`: every file is written, the exit code is the batch's."""
    src = tmp_path / "src"
    src.mkdir()
    for i in range(60):
        (src / f"p{i:02}.yaml").write_text(P3)
    out = tmp_path / "out"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen([sys.executable, "-m", "rnnquiz", "solve", str(src), "--json",
                             "--out-dir", str(out)], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, env=env)
    first = proc.stdout.readline()
    proc.stdout.close()                      # what `head -1` does
    err = proc.stderr.read().decode()
    assert proc.wait(timeout=60) == 0, err
    assert first.decode().strip() == str(out / "p00.json")
    assert len(written(out)) == 60
    assert "Traceback" not in err


# ---------------------------------------------------------------- the property

NAME = st.one_of(st.sampled_from(["p", "p_2", "P", "p_3", "p_2_2", "p.json"]),
                 st.text(alphabet=st.sampled_from("pP_2aé. -"), min_size=1, max_size=6).filter(
                     lambda s: s not in (".", "..")))


@settings(max_examples=25)
@given(st.lists(st.tuples(st.sampled_from(["", "a", "b", "a/b"]), NAME,
                          st.sampled_from([1, 2])), min_size=1, max_size=6))
def test_every_batch_writes_one_file_per_problem(tmp_path_factory, files):
    """Whatever the folders, names (suffixes that look like ours, case, dots) and number of
    documents: as many files as problems, each a problem's JSON."""
    base = tmp_path_factory.mktemp("names")
    paths = {}
    for folder, name, docs in files:
        path = base / "src" / folder / f"{name}.yaml"
        paths[str(path)] = docs
    for path, docs in paths.items():
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w", encoding="utf-8") as fh:
            fh.write(TWO if docs == 2 else P3)
    out = base / "out"
    r = run("solve", *paths, "--json", "--out-dir", str(out))
    assert r.exit_code == 0, r.stderr
    names = written(out)
    assert len(names) == sum(paths.values())
    assert len({n.casefold() for n in names}) == len(names)
    assert sorted(r.stdout.splitlines()) == sorted(str(out / n) for n in names)
