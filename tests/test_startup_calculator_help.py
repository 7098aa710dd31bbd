"""A calculator's --help (its options and examples come from its type's module) imports no
numpy where the type's module reads its problem only when it solves one: forward (rnn),
backprop (bptt), the cells' types (lstm, gru, gated, their hooks in types/hooks.py) and hmm.
One fresh interpreter shows their helps, then lists what they loaded."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NUMPY_FREE = ("rnn", "bptt", "lstm", "gru", "gated", "hmm")


def test_the_calculators_help_imports_no_numpy():
    code = ("import sys\nfrom rnnquiz.cli import main\n"
            f"for name in {NUMPY_FREE!r}:\n"
            "    sys.argv = ['rnnquiz', name, '--help']\n"
            "    try:\n        main()\n    except SystemExit:\n        pass\n"
            "sys.stderr.write(' '.join(sorted(sys.modules)))\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         cwd=ROOT, env={"COLUMNS": "100", "PATH": "/usr/bin:/bin",
                                        "PYTHONPATH": str(ROOT)}, timeout=60)
    for name in NUMPY_FREE:
        assert f"Usage: rnnquiz {name} [OPTIONS]" in out.stdout, out.stderr[-500:]
    loaded = set(out.stderr.split())
    assert {"rnnquiz.types.forward", "rnnquiz.types.backprop", "rnnquiz.types.lstm",
            "rnnquiz.types.hmm_bits"} <= loaded
    assert "numpy" not in loaded
    assert not any(m.startswith("rnnquiz.problem") for m in loaded)
