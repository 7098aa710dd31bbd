"""Safe YAML reading with YAML 1.2 numbers, no aliases and bounded sizes.

PyYAML follows YAML 1.1, where `1e-3` is a string, `010` is octal and `yes` is
a boolean; editors follow 1.2. The loader here resolves plain scalars by the
YAML 1.2 core schema so that the file means what the editor shows. Anchors and
aliases are refused while parsing (they are the door to alias bombs), and the
count of scalars is bounded while composing, before any object is built.
"""

from __future__ import annotations

import re

import yaml

from ..errors import ProblemError

MAX_BYTES = 64 * 1024 * 1024
MAX_NUMBERS = 2_000_000
# A document costs its validation and its working whatever it holds (300,000 tiny ones took
# 26 s and 1.6 GiB; the table of Hinton's problem 3 about 6 ms): a file holds at most
# MAX_NUMBERS / NUMBERS_PER_DOCUMENT documents (500).
NUMBERS_PER_DOCUMENT = 4000

_Base = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

_INT = re.compile(r"^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$")
_FLOAT = re.compile(
    r"^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?"
    r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$"
)
_BOOL = re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$")
_NULL = re.compile(r"^(?:~|null|Null|NULL|)$")


class _Loader(_Base):
    """CSafeLoader with the YAML 1.2 core schema and a budget of scalars."""

    max_nodes = MAX_NUMBERS

    def __init__(self, stream):
        super().__init__(stream)
        self.nodes = 0

    def resolve(self, kind, value, implicit):
        self.nodes += 1
        if self.nodes > self.max_nodes:
            raise _TooMany()
        if kind is yaml.ScalarNode and implicit[0]:
            if _INT.match(value):
                return "tag:yaml.org,2002:int"
            if _FLOAT.match(value):
                return "tag:yaml.org,2002:float"
            if _BOOL.match(value):
                return "tag:yaml.org,2002:bool"
            if _NULL.match(value):
                return "tag:yaml.org,2002:null"
            return "tag:yaml.org,2002:str"
        return super().resolve(kind, value, implicit)

    def construct_yaml_int(self, node):
        text = str(node.value).strip()
        if not _INT.match(text):             # an explicit tag: !!int "1.5"
            raise _bad(node, f"!!int needs a whole number, got {_clip(text)!r}")
        if len(text) > 4300:                 # Python's own limit for decimal strings
            raise _bad(node, f"a whole number of {len(text):,} digits is too long")
        if text.startswith("0o"):
            return int(text[2:], 8)
        if text.startswith("0x"):
            return int(text[2:], 16)
        return int(text, 10)

    def construct_yaml_float(self, node):
        text = str(node.value).strip().lower()
        if text.endswith(".inf"):
            return float("-inf") if text.startswith("-") else float("inf")
        if text.endswith(".nan"):
            return float("nan")
        if not _FLOAT.match(text) and not _INT.match(text):   # an explicit tag: !!float "abc"
            raise _bad(node, f"!!float needs a number, got {_clip(str(node.value))!r}")
        return float(text) if not text.startswith(("0o", "0x")) else \
            float(self.construct_yaml_int(node))

    def construct_yaml_bool(self, node):
        if not _BOOL.match(str(node.value)):
            raise _bad(node, f"!!bool needs true or false, got {_clip(str(node.value))!r}")
        return node.value.lower() == "true"

    def construct_mapping(self, node, deep=False):
        """A key written twice is an error: the later value must not silently win."""
        seen: dict = {}
        for key_node, _ in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                continue
            key = self.construct_object(key_node)
            line = key_node.start_mark.line + 1
            try:
                if key in seen:
                    raise _Duplicate(key, seen[key], line)
                seen[key] = line
            except TypeError:                # an unhashable key: PyYAML reports it itself
                continue
        return super().construct_mapping(node, deep)


def _clip(text: str) -> str:
    return text if len(text) <= 40 else text[:37] + "..."


def _bad(node, message: str) -> yaml.constructor.ConstructorError:
    return yaml.constructor.ConstructorError(None, None, message, node.start_mark)


class _Duplicate(Exception):
    def __init__(self, key, first: int, line: int):
        super().__init__(key)
        self.key, self.first, self.line = key, first, line


_Loader.add_constructor("tag:yaml.org,2002:int", _Loader.construct_yaml_int)
_Loader.add_constructor("tag:yaml.org,2002:float", _Loader.construct_yaml_float)
_Loader.add_constructor("tag:yaml.org,2002:bool", _Loader.construct_yaml_bool)


class _TooMany(Exception):
    pass


def _refuse_aliases(text: str, file: str | None) -> None:
    """Walk the event stream (only when the text could hold `&` or `*`)."""
    for event in yaml.parse(text, Loader=_Base):
        if isinstance(event, yaml.AliasEvent):
            raise ProblemError("aliases (*name) are not allowed in problem files",
                               file=file, line=event.start_mark.line + 1)
        anchor = getattr(event, "anchor", None)
        if anchor is not None:
            raise ProblemError(f"anchors (&{anchor}) are not allowed in problem files",
                               file=file, line=event.start_mark.line + 1)


def parse_documents(text: str, file: str | None = None, *,
                    max_numbers: int = MAX_NUMBERS) -> list:
    """The documents of a YAML text as plain Python data, safely.

    Long flow sequences of numbers come back as float64 arrays (the validator takes both).
    """
    if len(text) > MAX_BYTES:
        raise ProblemError(f"file is larger than {MAX_BYTES // (1024 * 1024)} MiB", file=file)
    if "\x00" in text:
        raise ProblemError("not a text file (it holds NUL bytes)", file=file)
    if len(text) > 20000:
        from .yamllift import lift_big_sequences, put_back   # noqa: PLC0415 (start-up: large files only)
        lifted, arrays, nonce = lift_big_sequences(text)
        if arrays:
            total = sum(a.size for a in arrays)
            if total > max_numbers:
                raise ProblemError(f"more than {max_numbers:,} numbers in one file "
                                   "(raise the limit with --max-numbers)", file=file)
            docs = _parse(lifted, file, max_numbers - total, max_numbers)
            used: set = set()
            docs = [put_back(d, arrays, used, nonce) for d in docs]
            if len(used) == len(arrays) and nonce not in repr_strings(docs):
                return docs
    return _parse(text, file, max_numbers)


def repr_strings(docs) -> str:
    """Every string of the documents, joined (to check no marker hid inside a string)."""
    out = []

    def walk(d):
        if isinstance(d, dict):
            for k, v in d.items():
                walk(k), walk(v)
        elif isinstance(d, list):
            for v in d:
                if isinstance(v, (dict, list, str)):      # not a call per number
                    walk(v)
        elif isinstance(d, str):
            out.append(d)
    for d in docs:
        walk(d)
    return "\n".join(out)


def _parse(text: str, file: str | None, max_numbers: int, limit: int | None = None) -> list:
    try:
        if "&" in text or "*" in text:
            _refuse_aliases(text, file)
        loader = _Loader(text)
        loader.max_nodes = max_numbers
        try:
            docs = []
            most = max(1, (limit or max_numbers) // NUMBERS_PER_DOCUMENT)
            while loader.check_data():
                if len(docs) == most:
                    raise ProblemError(
                        f"more than {most:,} documents in one file (each costs as much as "
                        f"{NUMBERS_PER_DOCUMENT} numbers: raise the limit with --max-numbers, "
                        "or split the file)", file=file)
                docs.append(loader.get_data())
            return docs
        finally:
            loader.dispose()
    except _Duplicate as dup:
        raise ProblemError(f"{_clip(repr(dup.key))} is written twice in one mapping (first on "
                           f"line {dup.first}); the later value would silently win",
                           file=file, line=dup.line) from None
    except _TooMany:
        raise ProblemError(f"more than {limit or max_numbers:,} numbers in one file "
                           "(raise the limit with --max-numbers)", file=file) from None
    except yaml.MarkedYAMLError as err:
        mark = err.problem_mark or err.context_mark
        line = mark.line + 1 if mark is not None else None
        what = err.problem or err.context or "malformed YAML"
        if "could not determine a constructor" in what:
            what = "tags that build objects are not allowed" + what[what.index(" for the tag"):]
        tab = _tab_at(text, mark)
        if tab is not None:
            what = (f"YAML does not allow tabs for indentation: line {line}, column {tab}; "
                    "indent with spaces")
        raise ProblemError(f"malformed YAML: {one_line(what)}", file=file, line=line) from None
    except yaml.reader.ReaderError as err:
        # libyaml counts the position in UTF-8 bytes, PyYAML's own reader in characters
        before = text.encode("utf-8", "surrogatepass")[:err.position] \
            if _Base is not yaml.SafeLoader else text[:err.position]
        line = before.count(b"\n" if isinstance(before, bytes) else "\n") + 1 \
            if isinstance(err.position, int) else None
        what = (f"control character U+{err.character:04X} is not allowed"
                if isinstance(err.character, int) else one_line(err.reason))
        raise ProblemError(f"malformed YAML: {what}", file=file, line=line) from None
    except yaml.YAMLError as err:
        raise ProblemError(f"malformed YAML: {one_line(str(err))}", file=file) from None
    except RecursionError:
        raise ProblemError("malformed YAML: nested too deeply", file=file) from None


def _tab_at(text: str, mark) -> int | None:
    """The column (from 1) of a tab in the indentation of the line an error points at."""
    if mark is None or "\t" not in text:
        return None
    lines = text.split("\n")
    row = lines[mark.line] if mark.line < len(lines) else ""
    indent = row[:len(row) - len(row.lstrip(" \t"))]
    if "\t" in indent or row[mark.column:mark.column + 1] == "\t":
        return (indent.index("\t") if "\t" in indent else mark.column) + 1
    return None


def one_line(text: str) -> str:
    return " ".join(str(text).split())


def line_of(text: str, doc_index: int, path: tuple) -> int | None:
    """The line (from 1) of the node at `path` in document `doc_index`, or its nearest parent.

    Called only when there is an error, so composing again costs nothing on the happy path.
    Long sequences of numbers are lifted out first, as for parsing (lines kept): composing a
    million nodes again would take seconds and a gigabyte for one line number.
    """
    if len(text) > 20000:
        from .yamllift import lift_big_sequences   # noqa: PLC0415 (large files only)
        text = lift_big_sequences(text)[0]
    try:
        nodes = yaml.compose_all(text, Loader=_Base)
        node = None
        for i, doc in enumerate(nodes):
            if i == doc_index:
                node = doc
                break
    except yaml.YAMLError:
        return None
    if node is None:
        return None
    line = node.start_mark.line + 1
    for key in path:
        if isinstance(node, yaml.MappingNode):
            for k, v in node.value:
                if k.value == str(key):
                    node, line = v, k.start_mark.line + 1
                    break
            else:
                return line
        elif isinstance(node, yaml.SequenceNode) and isinstance(key, int) and key < len(node.value):
            node = node.value[key]
            line = node.start_mark.line + 1
        else:
            return line
    return line
