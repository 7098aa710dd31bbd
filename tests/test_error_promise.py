"""The error promise of SPEC 4, property-tested over every command and format (issue 16).

Hostile problem files (bundled exercises with a value swapped for junk, keys dropped, added or
written twice, explicit tags, control characters, cut text) and hostile option values go
through `solve` in each --format, `check`, the calculators, `new`, `schema` and `list`.
Whatever comes in: no traceback, no "internal error", exit 0, 1 or 2, exactly one line on
stderr for 2, and with --json nothing but valid JSON Lines on stdout.
"""

import copy
import json
import tempfile
from pathlib import Path

import yaml
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rnnquiz.cli.commands import cli

ROOT = Path(__file__).resolve().parent.parent
DOCS = [d for f in sorted((ROOT / "problems").glob("*.yaml"))
        for d in yaml.safe_load_all(f.read_text(encoding="utf-8")) if isinstance(d, dict)]
FORMATS = ["table", "json", "markdown", "latex", "dot"]
CALCULATORS = {
    "rnn": ["--inputs", "--W_hh", "--W_xh", "--hidden", "--round", "--quantity", "--t",
            "--digits", "--answer", "--param"],
    "bptt": ["--inputs", "--targets", "--loss", "--cell", "--given-h", "--given-y", "--W_hh",
             "--round", "--quantity", "--answer", "--notation", "--convention"],
    "vanishing": ["--inputs", "--W_hh", "--tolerance", "--from", "--to", "--cell", "--answer"],
    "lstm": ["--inputs", "--W_fx", "--b_f", "--round", "--notation", "--quantity", "--answer"],
    "gru": ["--inputs", "--W_uh", "--convention", "--notation", "--round", "--answer"],
    "gated": ["--inputs", "--W_gs", "--s_init", "--round", "--answer"],
    "hmm": ["--states", "--binary-units", "--answer"],
    "shapes": ["--cell", "--input", "--hidden", "--output", "--quantity", "--answer"],
}

JUNK = [None, True, False, "", "abc", "²", "\x1b[2J", "a\nb", "\u2028", "1e999", "-0", 0, -1, 1,
        2, 0.5, -3.5, 10 ** 400, 2 ** 63, 1e308, -1e308, 5e-324, float("inf"), float("nan"),
        [], {}, [[1, 2], [3]], [[[1]]], [1, "x"], {"1": 1, "2": [1]}, {"h": [1]},
        "__rnnquiz_numbers_0__", "none", "state", "activations", "pytorch", "ng", "lstm",
        "softmax", "cross_entropy", "exploding", "../../../../etc/passwd", "hinton_p5.yaml"]
junk = st.one_of(
    st.sampled_from(JUNK),
    st.integers(-10 ** 6, 10 ** 6),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=12),
    st.lists(st.one_of(st.integers(-5, 5), st.floats(-5, 5)), max_size=4),
    st.lists(st.lists(st.floats(-3, 3), min_size=1, max_size=3), max_size=3),
)
OPTION_JUNK = st.one_of(
    st.sampled_from(["", " ", "1,,2", ";;", "[[", "[" * 3000, "²", "1e999", "nan", "-1", "0",
                     "400", "1,2;3", "1;2,3", "W_hh=1", "=", "x", "1:1,1:2", "\x1b", "1" * 5000,
                     "[[1,2],[3]]", "[1, [2]]", "{}", "[]", "none", "state", "pytorch", "2.9"]),
    st.text(max_size=15),
    st.lists(st.floats(-1e3, 1e3, allow_nan=False), min_size=1, max_size=4).map(
        lambda v: ",".join(map(str, v))),
)


def _paths(doc, prefix=()):
    """Every key path of a document, into mappings and lists."""
    for k, v in doc.items() if isinstance(doc, dict) else enumerate(doc):
        yield prefix + (k,)
        if isinstance(v, (dict, list)) and len(prefix) < 3:
            yield from _paths(v, prefix + (k,))


def _nudge(v, draw):
    if isinstance(v, bool) or not isinstance(v, (int, float, list)):
        return v
    if isinstance(v, list):
        return [_nudge(e, draw) for e in v]
    return draw(st.one_of(st.integers(-3, 3), st.floats(-50, 50), st.sampled_from(
        [0, 1e-300, 1e300, -1e300, 1e154, 709.0, -745.0, 0.5, -0.5])))


@st.composite
def hostile_file(draw) -> str:
    doc = json.loads(json.dumps(draw(st.sampled_from(DOCS))))
    for _ in range(draw(st.integers(1, 3))):
        paths = list(_paths(doc))
        action = draw(st.sampled_from(["nudge", "nudge", "swap", "swap", "drop", "add"]))
        if not paths or action == "add":
            doc[draw(st.sampled_from(["answr", "ask", "round", "targets", "cell", "notation",
                                      "convention", "demo", "digits", "network"]))] = \
                copy.deepcopy(draw(junk))       # a copy: a later step must not mutate JUNK
            continue
        path = draw(st.sampled_from(paths))
        parent = doc
        for k in path[:-1]:
            parent = parent[k]
        if action == "drop":
            del parent[path[-1]]
        elif action == "nudge":                      # a number for a number: still solvable
            parent[path[-1]] = _nudge(parent[path[-1]], draw)
        else:
            parent[path[-1]] = copy.deepcopy(draw(junk))
    text = yaml.safe_dump(doc, allow_unicode=True, sort_keys=False)
    cut = draw(st.sampled_from(["", "", "", "dup", "tag", "ctrl", "cut", "docs"]))
    lines = text.splitlines(keepends=True)
    i = draw(st.integers(0, max(len(lines) - 1, 0)))
    if cut == "dup" and lines:
        lines.insert(i, lines[i])                          # a key written twice
    elif cut == "tag":
        lines.append(draw(st.sampled_from(['answer: !!int "1.5"\n', 'answer: !!float "x"\n',
                                           "answer: !!binary aGk=\n", "answer: !custom 1\n",
                                           "answer: !!python/name:os.system\n",
                                           "answer: 1" + "0" * 5000 + "\n"])))
    elif cut == "ctrl" and lines:
        lines[i] = lines[i][:-1] + draw(st.sampled_from(["\x00", "\x07", "\x1b", "\x85"])) + "\n"
    elif cut == "cut":
        return text[:draw(st.integers(0, len(text)))]
    elif cut == "docs":
        lines += ["---\n", "type: hmm_bits\n", "states: 4\n", "---\n", "~\n"]
    return "".join(lines)


@st.composite
def command(draw, folder: Path):
    kind = draw(st.sampled_from(["solve", "solve", "solve", "check", "calc", "calc", "new",
                                 "schema", "list"]))
    f = folder / "p.yaml"
    if kind in ("solve", "check"):
        f.write_text(draw(hostile_file()), encoding="utf-8")
    if kind == "solve":
        fmt = draw(st.sampled_from(FORMATS + ["--json"]))
        return ["solve", str(f), "--json"] if fmt == "--json" else ["solve", str(f), "--format", fmt]
    if kind == "check":
        args = ["check", str(f), "--answer", draw(OPTION_JUNK)]
        return args + (["--json"] if draw(st.booleans()) else [])
    if kind == "calc":
        name = draw(st.sampled_from(sorted(CALCULATORS)))
        args = [name]
        for opt in draw(st.lists(st.sampled_from(CALCULATORS[name]), max_size=3, unique=True)):
            args += [opt, draw(OPTION_JUNK)]
        fmt = draw(st.sampled_from(FORMATS + ["--json"]))
        return args + (["--json"] if fmt == "--json" else ["--format", fmt])
    if kind == "new":
        args = ["new", draw(st.sampled_from(["forward", "backprop", "vanishing", "hmm_bits",
                                             "lstm", "gru", "gated", "shapes", "nope"])),
                "--seed", draw(st.sampled_from(["1", "-5", "x", "99999999999999999999", ""]))]
        if draw(st.booleans()):
            args += ["--count", draw(st.sampled_from(["0", "2", "1001", "-1", "x"]))]
        if draw(st.booleans()):
            args += ["--out", draw(st.sampled_from(["", str(folder / "out"), "/proc/nope",
                                                    str(f) + "/x"]))]
        return args
    return [kind]


def check_promise(r, args):
    assert r.exception is None or isinstance(r.exception, SystemExit), \
        (args, repr(r.exception), r.stderr)
    assert r.exit_code in (0, 1, 2), (args, r.exit_code, r.stderr)
    assert "Traceback" not in r.stderr and "internal error" not in r.stderr, (args, r.stderr)
    if r.exit_code == 2:
        assert r.stderr.startswith("error: ") and r.stderr.count("\n") == 1, (args, r.stderr)
    if "--json" in args or args[:1] == ["schema"]:
        text = r.stdout
        docs = [json.loads(text)] if args[:1] == ["schema"] else \
            [json.loads(line) for line in text.splitlines()]
        if r.exit_code != 2 and args[0] != "new":
            assert docs, args


@settings(max_examples=1200, deadline=None, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(st.data())
def test_every_command_keeps_the_error_promise(data):
    with tempfile.TemporaryDirectory() as tmp:
        args = data.draw(command(Path(tmp)))
        r = CliRunner().invoke(cli, args)
        check_promise(r, args)


class _Run:
    """What CliRunner's result offers, from a run of the console script's own main."""

    def __init__(self, code, out, err):
        self.exit_code, self.stdout, self.stderr, self.exception = code, out, err, None


@settings(max_examples=250, deadline=None, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                 HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_the_click_free_path_keeps_the_same_promise(capsys, monkeypatch, data):
    """`rnnquiz solve FILE [--json | --format table|markdown]` runs without click (cli/__init__.py)."""
    import sys

    from rnnquiz import cli as entry
    with tempfile.TemporaryDirectory() as tmp:
        f = Path(tmp) / "p.yaml"
        f.write_text(data.draw(hostile_file()), encoding="utf-8")
        fmt = data.draw(st.sampled_from([["--json"], ["--format", "table"],
                                         ["--format=markdown"], []]))
        args = ["solve", str(f), *fmt]
        monkeypatch.setattr(sys, "argv", ["rnnquiz", *args])
        monkeypatch.setattr(entry, "_plain_solve", _only_plain(entry._plain_solve))
        capsys.readouterr()
        try:
            entry.main()
            code = 0
        except SystemExit as stop:
            code = stop.code
        out, err = capsys.readouterr()
        check_promise(_Run(code, out, err), args)


def _only_plain(plain):
    def check(argv):
        found = plain(argv)
        assert found is not None, argv          # this test is about the click-free path
        return found
    return check


@settings(max_examples=400, deadline=None, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(st.data())
def test_the_api_raises_only_problem_error(data):
    """SPEC 5: rnnquiz.solve on a hostile dict raises ProblemError, never TypeError & co."""
    import io

    import rnnquiz
    from rnnquiz.render import RENDERERS
    doc = json.loads(json.dumps(data.draw(st.sampled_from(DOCS))))
    for _ in range(data.draw(st.integers(1, 3))):
        paths = list(_paths(doc))
        if not paths:
            break
        path = data.draw(st.sampled_from(paths))
        parent = doc
        for k in path[:-1]:
            parent = parent[k]
        parent[path[-1]] = json.loads(json.dumps(data.draw(junk))) \
            if data.draw(st.booleans()) else data.draw(st.sampled_from(
                [10 ** 5000, -(10 ** 5000), (1, 2), b"x", 1j, float("nan")]))
    try:
        r = rnnquiz.solve(doc)
    except rnnquiz.ProblemError as err:
        assert "\n" not in str(err)
        return
    for render in RENDERERS.values():
        render(r, io.StringIO())
