"""The documents match the program: every key the schema accepts is documented, the generated
pages (docs/notations.md, docs/types/) are what the program gives today, the README's examples
print what the README says they print, and nothing cites a document the repository lacks."""

from __future__ import annotations

import importlib.util
import os
import re
import shutil
import subprocess
import sys

import pytest

from conftest import ROOT

DOCS = ROOT / "docs"
README = (ROOT / "README.md").read_text(encoding="utf-8")


def _schema_keys() -> set[str]:
    from rnnquiz.cli.schema import schema
    keys: set[str] = set()

    def walk(node):
        if isinstance(node, dict):
            for k, v in node.get("properties", {}).items():
                keys.add(k)
                walk(v)
            for k, v in node.items():
                if k != "properties":
                    walk(v)
        elif isinstance(node, list):
            for v in node:
                walk(v)
    walk(schema())
    return keys


def _docs_text() -> str:
    return "\n".join(p.read_text(encoding="utf-8") for p in sorted(DOCS.rglob("*.md")))


def test_every_key_the_schema_accepts_is_documented():
    docs = _docs_text()
    keys = _schema_keys()
    assert {"type", "network", "reduction", "mask", "upstream", "clip", "truncate"} <= keys
    missing = sorted(k for k in keys if f"`{k}`" not in docs)
    assert not missing, f"keys the schema accepts but docs/ never names: {missing}"


def test_the_keys_newcomers_asked_about_are_explained_not_only_listed():
    fmt = (DOCS / "format.md").read_text(encoding="utf-8")
    for key in ("reduction", "mask", "upstream", "truncate", "clip"):
        assert re.search(rf"^- `{key}[`:]", fmt, re.M), f"{key} has no entry of its own"
    assert "`sigmoid`" in fmt                        # accepted, so said
    assert "leave `convention` out" in fmt           # which word wins


def _build():
    spec = importlib.util.spec_from_file_location("docs_build", DOCS / "build.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def test_the_generated_pages_are_current():
    build = _build()
    stale = [str(p.relative_to(ROOT)) for p, text in build.pages().items()
             if not p.exists() or p.read_text(encoding="utf-8") != text]
    assert not stale, f"run python docs/build.py: {stale}"


def test_a_page_per_type_with_a_worked_example():
    from rnnquiz.types import TYPES
    fmt = (DOCS / "format.md").read_text(encoding="utf-8")
    for t in TYPES:
        page = DOCS / "types" / f"{t}.md"
        assert page.exists(), t
        text = page.read_text(encoding="utf-8")
        assert "## Worked example" in text and "```yaml" in text and "(exit code 0)" in text
        assert f"(types/{t}.md)" in fmt                 # linked from the format page


def test_no_document_cites_one_outside_the_repository():
    for path in [ROOT / "README.md", *DOCS.rglob("*.md")]:
        text = path.read_text(encoding="utf-8")
        assert not re.search(r"\bSPEC\b", text), path
        for link in re.findall(r"\]\(([^)#]+)[^)]*\)", text):
            if not link.startswith(("http://", "https://")):
                assert (path.parent / link).exists(), f"{path.name} links to {link}"


def test_the_readme_says_how_long_the_tests_take_and_that_torch_is_optional():
    quick = README.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    block = quick.split("```sh\n", 1)[1].split("```", 1)[0]
    assert block == 'pip install . && rnnquiz solve problems/\npip install ".[test]" && pytest\n'
    assert re.search(r"about \d+ to \d+ minutes", quick)
    assert "PyTorch is optional" in quick


# ---------------------------------------------------------------- the README, run

def _examples() -> list[tuple[str, list[str]]]:
    """Each `$ rnnquiz ...` of a console block that shows output, with that output."""
    out = []
    for block in re.findall(r"```console\n(.*?)```", README, re.S):
        cmd, lines = None, []
        for line in block.splitlines():
            if line.startswith("$ "):
                if cmd and lines:
                    out.append((cmd, lines))
                cmd, lines = re.sub(r"\s+#\s.*$", "", line[2:]).strip(), []
            elif cmd:
                lines.append(line)
        if cmd and lines:
            out.append((cmd, lines))
    return out


def _fixtures() -> dict[str, str]:
    """The files the README writes out: a yaml block whose first line is `# NAME.yaml`."""
    files = {}
    for block in re.findall(r"```yaml\n(.*?)```", README, re.S):
        name = re.match(r"# (\S+\.yaml)\n", block)
        if name:
            files[name[1]] = block
    return files


EXAMPLES = _examples()


def test_the_readme_has_examples_to_run():
    assert len(EXAMPLES) >= 6
    assert any(c.startswith("rnnquiz solve problems/hinton_p3.yaml") for c, _ in EXAMPLES)


@pytest.mark.parametrize("command, expected", EXAMPLES, ids=[c for c, _ in EXAMPLES])
def test_a_readme_example_prints_what_the_readme_shows(tmp_path, command, expected):
    for tool in re.findall(r"\|\s*(\w+)", command):
        if shutil.which(tool) is None:
            pytest.skip(f"{tool} is not installed")
    (tmp_path / "problems").symlink_to(ROOT / "problems")
    for name, text in _fixtures().items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    shell = re.sub(r"(^|\|\s*)rnnquiz\b", rf"\1{sys.executable} -m rnnquiz", command)
    env = {**os.environ, "NO_COLOR": "1", "COLUMNS": "80",
           "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")])}
    p = subprocess.run(["bash", "-c", shell + " 2>&1"], cwd=tmp_path, capture_output=True,
                       text=True, env=env, timeout=120)
    got = [line.rstrip() for line in p.stdout.splitlines()]
    while got and not got[-1]:
        got.pop()
    want = [line.rstrip() for line in expected]
    if want and want[-1] == "...":                  # the first lines, then more
        want = want[:-1]
        got = got[:len(want)]
    assert got == want


def test_the_readme_python_example_gives_the_values_its_comments_show(monkeypatch):
    import ast
    monkeypatch.chdir(ROOT)
    (block,) = re.findall(r"```python\n(.*?)```", README, re.S)
    scope: dict = {}
    checked = 0
    for line in block.splitlines():
        code, _, comment = line.partition("  #")
        exec(code, scope)                              # noqa: S102 (the README's own lines)
        try:
            shown = ast.literal_eval(comment.strip())
        except (ValueError, SyntaxError):
            continue
        assert eval(code.strip(), scope) == shown      # noqa: S307
        checked += 1
    assert checked >= 1
