"""Golden files of the rendered working, one problem per type.

Regenerate after an intended change with `RNNQUIZ_REGOLD=1 pytest tests/test_golden.py`
and read the diff before committing it.
"""

import io
import os
from pathlib import Path

import pytest
from rich.console import Console

import rnnquiz
from rnnquiz.render import build_table, render_markdown

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = Path(__file__).resolve().parent / "golden"
CASES = ["hinton_p1", "hinton_p3", "hinton_p4", "hinton_p5", "mit_lstm_states_1",
         "mit_lstm_calculation"]


def table_text(result, width=100):
    out = io.StringIO()
    Console(file=out, width=width, color_system=None, highlight=False).print(build_table(result))
    return out.getvalue()


def check(name: str, text: str) -> None:
    path = GOLDEN / name
    if os.environ.get("RNNQUIZ_REGOLD"):
        path.write_text(text, encoding="utf-8")
    assert path.exists(), f"missing golden file {path}; run with RNNQUIZ_REGOLD=1"
    assert text == path.read_text(encoding="utf-8")


@pytest.mark.parametrize("name", CASES)
def test_table(name):
    (p,) = rnnquiz.load(ROOT / "problems" / f"{name}.yaml")
    p.file = f"problems/{name}.yaml"
    check(f"{name}.txt", table_text(rnnquiz.solve(p)))


@pytest.mark.parametrize("name", ["hinton_p3", "mit_lstm_states_1"])
def test_markdown(name):
    (p,) = rnnquiz.load(ROOT / "problems" / f"{name}.yaml")
    p.file = f"problems/{name}.yaml"
    out = io.StringIO()
    render_markdown(rnnquiz.solve(p), out)
    check(f"{name}.md", out.getvalue())


def test_narrow_table_never_cuts_numbers():
    (p,) = rnnquiz.load(ROOT / "problems" / "hinton_p4.yaml")
    r = rnnquiz.solve(p)
    text = table_text(r, width=60)
    assert "…" not in text
    for value in ("0.013919", "0.197816", "-0.000879"):
        assert value in text
