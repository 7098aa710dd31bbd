"""Run mutmut's mutants in one process, the tests collected once (benchmarks/MUTATION.md).

mutmut 3 forks a test process for every mutant and lets pytest collect the mutant's tests
anew each time: about two seconds a mutant on this project before a single test runs. This
runner, started in mutmut's work directory after `mutmut run` has written the mutants and
mutants/mutmut-stats.json, collects the suite once and then, for each mutant:

- sets mutmut's switch (MUTANT_UNDER_TEST) and runs the tests that reach the mutated function
  (from the statistics), those that killed the function's earlier mutants first, then the
  quickest, stopping at the first failure: killed, or survived when all pass;
- runs the killing test again with no mutant: if it fails then, something the mutant computed
  has outlived it (a table, a registry): the kill is written with `state_changed` and the
  process ends with exit 3, so that the loop around it goes on in a fresh one;
- clears rnnquiz's caches (functools caches, the conventions table) before and after each
  mutant, so that a mutant of a function whose result is cached is run like any other.

With `--budget S`, a mutant none of whose tests has failed after S seconds is written as
survived with `run` (the quickest tests that ran) of `tests`: a central function is reached by
a thousand tests, and running them all costs a minute a survivor, while a kill takes
milliseconds once the tests that killed its neighbours go first. Such a survivor is settled
by reading it, as any other: a test that kills it, or the reason it is equivalent.

Every rnnquiz module is imported before the first mutant, so what a module builds when it is
imported is built unmutated: mutants of such code "survive" here and are run in a fresh process
by benchmarks/mutation_fresh.py. A mutant still running after --timeout seconds is written as a
timeout and the process ends with exit 4 (a loop in compiled code does not see a signal).

    cd mutants && export PYTHONPATH=$PWD OMP_NUM_THREADS=1 MKL_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1
    python ../benchmarks/mutation_inprocess.py --list 'rnnquiz.cells.run.*' > names
    until python ../benchmarks/mutation_inprocess.py --names names --out run.jsonl --budget 4; do :; done
    python ../benchmarks/mutation_inprocess.py --summary run.jsonl
"""

from __future__ import annotations

import argparse
import fnmatch
import functools
import importlib
import json
import os
import pkgutil
import sys
import threading
import time
from collections import Counter, defaultdict
from pathlib import Path

import pytest
from _pytest.runner import runtestprotocol

KILLED, SURVIVED, NO_TESTS, TIMEOUT = "killed", "survived", "no tests", "timeout"


def mutant_names(pattern: str) -> list[str]:
    """Every mutant mutmut wrote whose name matches the pattern (from its .meta files)."""
    names = []
    for meta in sorted(Path(".").glob("rnnquiz/**/*.py.meta")):
        names += json.loads(meta.read_text())["exit_code_by_key"]
    return [n for n in names if fnmatch.fnmatch(n, pattern)]


def function_of(mutant: str) -> str:
    """rnnquiz.cells.run.x_solve__mutmut_3 -> rnnquiz.cells.run.x_solve (the stats' key)."""
    return mutant.rsplit("__mutmut_", 1)[0]


class _Parents:
    """What teardown keeps: the item's module, class and session, not the item itself."""

    def __init__(self, item):
        self._chain = item.listchain()[:-1]

    def listchain(self):
        return self._chain


def passes(item) -> bool:
    """Run one collected test (its fixtures set up and torn down) and say if it passed."""
    try:
        item.session._setupstate.teardown_exact(_Parents(item))
    except Exception:   # noqa: BLE001 (a fixture of an earlier module failing to close)
        pass
    reports = runtestprotocol(item, log=False, nextitem=_Parents(item))
    return all(r.passed or r.skipped for r in reports)


def _caches() -> list:
    """rnnquiz's functools caches, found once every module is imported."""
    found = []
    for name, module in list(sys.modules.items()):
        if name.startswith("rnnquiz"):
            for value in vars(module).values():
                if hasattr(value, "cache_clear") and callable(value):
                    found.append(value)
    return found


def _import_everything() -> None:
    import rnnquiz
    for info in pkgutil.walk_packages(rnnquiz.__path__, "rnnquiz."):
        if not info.name.endswith("__main__"):           # it runs the command line
            importlib.import_module(info.name)


class Runner:
    def __init__(self, names, out: Path, timeout: float, budget: float, with_tests=()):
        stats = json.loads(Path("mutmut-stats.json").read_text())
        self.tests_of = stats["tests_by_mangled_function_name"]
        self.duration = stats["duration_by_test"]
        self.killers = defaultdict(list)      # function -> tests that killed its mutants
        self.module_killers = defaultdict(Counter)
        done = set()
        for line in out.read_text().splitlines() if out.exists() else ():
            verdict = json.loads(line)
            done.add(verdict["mutant"])
            if verdict["status"] == KILLED:       # a restart keeps what the killers were
                function = function_of(verdict["mutant"])
                self.killers[function].append(verdict["test"])
                self.module_killers[function.rsplit(".", 1)[0]][verdict["test"]] += 1
        self.todo = [n for n in names if n not in done]
        self.out, self.timeout = out, timeout
        self.budget = budget
        self.with_tests = tuple(with_tests)
        self.current = None
        self.started = 0.0

    # pytest calls this instead of its own loop
    def pytest_runtestloop(self, session):
        items = {item.nodeid: item for item in session.items}
        os.environ["MUTANT_UNDER_TEST"] = ""
        _import_everything()
        caches = _caches()
        from rnnquiz.teaching import conventions
        # each test is run once unmutated (across restarts): one that fails then kills nothing
        clean = Path("clean-tests.json")
        known = json.loads(clean.read_text()) if clean.exists() else {}
        self.extra = [t for t in items if t.split("::")[0] in self.with_tests]
        needed = {t for f in map(function_of, self.todo) for t in self.tests_of.get(f, ())}
        needed |= set(self.extra)
        for t in sorted(needed - known.keys()):
            if t in items:
                known[t] = passes(items[t])
        clean.write_text(json.dumps(known))
        broken = {t for t, passed in known.items() if not passed}
        threading.Thread(target=self._watch, daemon=True).start()
        with self.out.open("a") as out:
            for mutant in self.todo:
                # cleared before each mutant too: the previous kill's check, run unmutated,
                # filled the caches again, and a cached table would hide this mutant
                for cache in caches:
                    cache.cache_clear()
                conventions._loaded.clear()
                verdict = self._one(mutant, items, broken)
                os.environ["MUTANT_UNDER_TEST"] = ""
                for cache in caches:
                    cache.cache_clear()
                conventions._loaded.clear()
                polluted = verdict.get("status") == KILLED and not passes(items[verdict["test"]])
                if polluted:
                    # the mutant changed what outlives a test (a table, a registry): its kill
                    # stands, the state does not; a fresh process goes on from the next one
                    verdict["state_changed"] = True
                out.write(json.dumps(verdict) + "\n")
                out.flush()
                if polluted:
                    print(f"{mutant}: its killing test fails unmutated afterwards; restarting",
                          file=sys.stderr)
                    os._exit(3)
        return True

    def _one(self, mutant: str, items, broken) -> dict:
        function = function_of(mutant)
        tests = [t for t in dict.fromkeys([*self.tests_of.get(function, ()), *self.extra])
                 if t in items and t not in broken]
        if not tests:
            return {"mutant": mutant, "status": NO_TESTS}
        module = function.rsplit(".", 1)[0]
        reach = set(tests)
        first = [t for t in reversed(self.killers[function]) if t in reach]
        first += [t for t, _ in self.module_killers[module].most_common() if t in reach]
        rest = sorted(reach - set(first), key=lambda t: self.duration.get(t, 0.0))
        self.current, self.started = mutant, time.monotonic()
        os.environ["MUTANT_UNDER_TEST"] = mutant
        order = list(dict.fromkeys(first + rest))
        verdict = {"mutant": mutant, "status": SURVIVED, "tests": len(order)}
        for n, test in enumerate(order):
            if not passes(items[test]):
                verdict = {"mutant": mutant, "status": KILLED, "test": test, "run": n + 1}
                if test not in self.killers[function]:
                    self.killers[function].append(test)
                self.module_killers[module][test] += 1
                break
            if time.monotonic() - self.started > self.budget:
                verdict["run"] = n + 1        # survived the quickest n + 1 of its tests
                break
        verdict["seconds"] = round(time.monotonic() - self.started, 3)
        self.current = None
        return verdict

    def _watch(self):
        while True:
            time.sleep(1)
            mutant = self.current
            if mutant and time.monotonic() - self.started > self.timeout:
                with self.out.open("a") as out:
                    out.write(json.dumps({"mutant": mutant, "status": TIMEOUT}) + "\n")
                print(f"{mutant}: still running after {self.timeout:g} s; restarting",
                      file=sys.stderr)
                os._exit(4)


def summary(path: Path) -> None:
    """Verdicts by module, and the survivors' names."""
    by_module = defaultdict(Counter)
    survivors = []
    for line in path.read_text().splitlines():
        v = json.loads(line)
        module = function_of(v["mutant"]).rsplit(".", 1)[0]
        by_module[module][v["status"]] += 1
        if v["status"] != KILLED:
            ran = f' ({v["run"]} of {v["tests"]} tests)' if "run" in v else ""
            survivors.append(f'{v["status"]}: {v["mutant"]}{ran}')
    for module, counts in sorted(by_module.items()):
        print(f"{module}: {sum(counts.values())} run, " +
              ", ".join(f"{counts[s]} {s}" for s in (KILLED, SURVIVED, NO_TESTS, TIMEOUT)))
    print("\n".join(survivors))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--list", metavar="PATTERN", help="print the mutants matching PATTERN")
    ap.add_argument("--names", type=Path, help="a file of mutant names, one a line")
    ap.add_argument("--out", type=Path, help="verdicts, one JSON line a mutant (appended)")
    ap.add_argument("--timeout", type=float, default=120.0)
    ap.add_argument("--budget", type=float, default=float("inf"), help="seconds a mutant's "
                    "tests may take once none has failed: past it, the quickest that ran are "
                    "its verdict (`run` of `tests`)")
    ap.add_argument("--with-tests", action="append", default=[], metavar="FILE",
                    help="run this test file's tests for every mutant too (for a table built "
                         "once and cached, whose statistics name only the first test to build it)")
    ap.add_argument("--summary", type=Path, help="print the verdicts of an --out file")
    ap.add_argument("pytest_args", nargs="*", default=["tests"])
    a = ap.parse_args()
    if a.list:
        print("\n".join(mutant_names(a.list)))
        return 0
    if a.summary:
        summary(a.summary)
        return 0
    names = [n for n in a.names.read_text().split() if n]
    runner = Runner(names, a.out, a.timeout, a.budget, a.with_tests)
    if not runner.todo:
        return 0
    # native tracebacks: pytest's own parse the (large) mutated module for every failure
    args = ["-q", "-n", "0", "-p", "no:cacheprovider", "-p", "no:randomly", "--rootdir=.", "--tb=native",
            *_configured_args(), *a.pytest_args]
    code = int(pytest.main(args, plugins=[runner]))
    return 0 if code in (0, 5) else code


def _configured_args() -> list[str]:
    """pyproject's [tool.mutmut] pytest_add_cli_args: the same tests as mutmut runs."""
    import tomllib
    for place in (Path("pyproject.toml"), Path("../pyproject.toml")):
        if place.exists():
            config = tomllib.loads(place.read_text()).get("tool", {}).get("mutmut", {})
            return [a for a in config.get("pytest_add_cli_args", []) if a not in ("-n", "0")]
    return []


if __name__ == "__main__":
    sys.exit(main())
