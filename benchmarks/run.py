"""Benchmarks: each target of the performance issue as a ratio against a reference
measured in the same run, on this machine. Run: python benchmarks/run.py [--quick]

    rnnquiz --help                         / python -c pass              goal <= 2
    solve hinton_p3 --json                 / python -c "import numpy"    goal <= 1.5
    solve hinton_p3 (table, piped)         / python -c "import numpy"    goal <= 1.9
    solve DIR --json over 1,000 files      / one single-file solve       goal <= 12
      (the seed quizzes' files, cycled; the one file is Hinton's problem 3)
    LSTM BPTT h=128, T=1,000, steps=False  / torch nn.LSTM fwd+bwd       goal <= 0.5
    the same, 2 layers, bidirectional      / torch nn.LSTM(num_layers=2,
                                             bidirectional=True)          goal <= 0.5
    peak memory, scalar RNN BPTT, T=10^6   (absolute)                    goal <= 1 GiB
    CTC loss + dE/du, T=1,000 K=50 U=200   / torch ctc_loss + backward   goal <= 0.5
                                             (benchmarks/ctc.py)
    corpus BLEU, 10,000 pairs              / sacrebleu corpus_score       goal <= 0.5
    check with conventions and slips       / check with the slips alone   goal <= 1.5
                                             (benchmarks/check_conventions.py)
"""

from __future__ import annotations

import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable


def _once(cmd: list[str], **kw) -> float:
    t = time.perf_counter()
    subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False, **kw)
    return time.perf_counter() - t


def wall(cmd: list[str], runs: int, **kw) -> float:
    """Median wall time of a whole process, in seconds."""
    return statistics.median(_once(cmd, **kw) for _ in range(runs))


def rnnquiz(*args: str) -> list[str]:
    """The console script beside this Python (a venv's), else `python -m rnnquiz`.

    Not whatever `rnnquiz` is first on PATH: a pyenv shim there adds 40 ms of bash.
    """
    exe = Path(PY).with_name("rnnquiz")
    return [str(exe), *args] if exe.is_file() else [PY, "-m", "rnnquiz", *args]


def row(what: str, value: float, ref: float, goal: float) -> dict:
    ratio = value / ref
    ok = "ok" if ratio <= goal else "MISSED"
    print(f"{what:<58} {value * 1000:9.1f} ms / {ref * 1000:8.1f} ms = {ratio:5.2f}"
          f"  (goal <= {goal}) {ok}")
    return {"what": what, "ms": value * 1000, "reference_ms": ref * 1000, "ratio": ratio,
            "goal": goal}


def startup(runs: int) -> list[dict]:
    """The start-up rows, as benchmarks/startup.py measures them (which also prints the
    import profile of a plain solve)."""
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from startup import MODES, ratios   # noqa: PLC0415
    print(f"({MODES['bytecode']}; benchmarks/startup.py also measures it compiled from source)")
    return ratios(runs)


# The batch's workload is fixed, so that its ratio follows the code, not the problem set: the
# seed quizzes' files (Hinton's, MITx's, deeplearning.ai's), cycled to 1,000; the single-file
# reference is Hinton's problem 3. (Cycling every bundled file made the workload grow with each
# heavier exercise added: ESN fits, RTRL, penalties.)
SEED_QUIZZES = ("hinton_*.yaml", "mit_*.yaml", "dlai_*.yaml")


def batch(runs: int, n: int = 1000) -> dict:
    src = sorted(f for pattern in SEED_QUIZZES for f in (ROOT / "problems").glob(pattern))
    with tempfile.TemporaryDirectory() as d:
        for i in range(n):
            shutil.copy(src[i % len(src)], Path(d) / f"p{i:04d}.yaml")
        one = wall(rnnquiz("solve", str(ROOT / "problems" / "hinton_p3.yaml"), "--json"), runs)
        many = wall(rnnquiz("solve", d, "--json"), max(1, runs // 3))
    return row(f"solve DIR --json over {n} files / one file", many, one, 12)


def lstm_vs_torch(runs: int, layers: int = 1, bidirectional: bool = False) -> dict | None:
    """Our vectorised BPTT against torch.nn.LSTM(num_layers, bidirectional), forward and
    backward, on the same weights: the ratio of the times, and the answers compared."""
    try:
        import torch
    except ImportError:
        print("LSTM BPTT vs torch: skipped (pip install torch==2.13.0 to measure)")
        return None
    import numpy as np

    sys.path.insert(0, str(ROOT))
    import rnnquiz
    from rnnquiz.types import from_dict

    rng = np.random.default_rng(0)
    n_x, n_h, T = 128, 128, 1000
    dirs = 2 if bidirectional else 1
    lstm = torch.nn.LSTM(n_x, n_h, num_layers=layers, bidirectional=bidirectional).double()
    net = {}
    with torch.no_grad():
        for k, v in lstm.named_parameters():
            v.copy_(torch.tensor(rng.normal(0, 0.1, tuple(v.shape))))
            net[k] = v.detach().numpy().tolist()
    if layers == 1 and not bidirectional:       # the one-layer keys, as nn.LSTMCell's
        net = {k.removesuffix("_l0"): v for k, v in net.items()}
    X = rng.normal(0, 1, (T, n_x))
    targets = rng.normal(0, 1, (T, n_h * dirs))
    doc = {"type": "backprop", "cell": "lstm", "notation": "pytorch", "round": "none",
           "inputs": X.tolist(), "targets": targets.tolist(), "network": net,
           "ask": {"quantity": "E"}}
    from rnnquiz.problem import limits
    limits.MAX_WORK = 10 ** 12      # as `solve --max-work`: a 2-layer BRNN over 1,000 steps is past
    p = from_dict(doc)              # the default limit meant for files (a few seconds)
    xt = torch.tensor(X)[:, None, :]
    tt = torch.tensor(targets)[:, None, :]

    def torch_once():
        lstm.zero_grad()
        out, _ = lstm(xt)
        E = 0.5 * ((out - tt) ** 2).sum()
        E.backward()
        return float(E.detach())

    def ours_once():
        return rnnquiz.solve(p, steps=False)

    torch_once(), ours_once()
    t_torch = statistics.median(_time(torch_once) for _ in range(runs))
    t_ours = statistics.median(_time(ours_once) for _ in range(runs))
    E_torch = torch_once()
    key = f"weight_hh_l{layers - 1}" + ("_reverse" if bidirectional else "")
    g_torch = getattr(lstm, key).grad.numpy()
    ask = {"quantity": f"dE/d{key}"} if (layers > 1 or bidirectional) else \
        {"quantity": "dE/dweight_hh"}
    r = rnnquiz.solve({**doc, "ask": ask}, steps=False)
    g_ours = np.asarray(r.answer)
    rel = max(abs(r.values["E"] - E_torch) / abs(E_torch),
              float(np.max(np.abs(g_ours - g_torch)) / np.max(np.abs(g_torch))))
    print(f"  (answers agree to {rel:.1e} relative)")
    shape = f"{layers}-layer {'bidirectional ' if bidirectional else ''}" if layers > 1 or \
        bidirectional else ""
    return row(f"{shape}LSTM BPTT h=128 T=1000 steps=False / torch", t_ours, t_torch, 0.5)


def _time(fn) -> float:
    t = time.perf_counter()
    fn()
    return time.perf_counter() - t


def memory() -> dict:
    code = ("import resource, numpy as np, rnnquiz, rnnquiz.problem.limits\n"
            "rnnquiz.problem.limits.MAX_WORK = 10 ** 11   # 10^6 steps: past the default limit\n"
            "X = np.random.default_rng(0).uniform(-1, 1, 1_000_000).tolist()\n"
            "doc = {'type': 'backprop', 'inputs': X, 'targets': {999_999: 1.0},\n"
            "       'network': {'W_xh': 0.5, 'W_hh': -1.0, 'W_hy': -0.7, 'b_h': -1.0},\n"
            "       'ask': {'quantity': 'dE/dW_hh'}}\n"
            "rnnquiz.solve(doc, steps=False)\n"
            "print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)\n")
    out = subprocess.run([PY, "-c", code], capture_output=True, text=True, cwd=ROOT)
    kib = int(out.stdout.strip() or 0)
    gib = kib / 1024 / 1024
    print(f"{'peak memory, scalar RNN BPTT, T = 1,000,000':<58} {kib / 1024:9.1f} MiB"
          f"{'':>25}(goal <= 1 GiB) {'ok' if gib <= 1 else 'MISSED'}")
    return {"what": "peak memory scalar RNN BPTT T=1e6", "MiB": kib / 1024, "goal_GiB": 1}


def main() -> None:
    quick = "--quick" in sys.argv
    runs = 5 if quick else 15
    rows = startup(runs) + [batch(3 if quick else 6)]
    for shape in ({}, {"layers": 2, "bidirectional": True}):
        t = lstm_vs_torch(3 if quick else 9, **shape)
        if t:
            rows.append(t)
    rows.append(memory())
    from ctc import ctc_vs_torch   # noqa: PLC0415 (benchmarks/ctc.py, beside this script)
    t = ctc_vs_torch(9 if quick else 41)
    if t:
        rows.append(t)
    from bleu import main as bleu_vs_sacrebleu   # noqa: PLC0415 (benchmarks/bleu.py)
    b = bleu_vs_sacrebleu(quick)
    if b:
        rows.append(b)
    from check_conventions import check_conventions   # noqa: PLC0415 (beside this script)
    rows += check_conventions(3 if quick else 9)
    if "--json" in sys.argv:
        print(json.dumps(rows, indent=2))


if __name__ == "__main__":
    os.environ.setdefault("NO_COLOR", "1")
    main()
