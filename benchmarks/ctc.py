"""Benchmark: the CTC loss and its gradient against torch, measured in the same run.
Run: python benchmarks/ctc.py [--quick]

    loss and dE/du, T = 1,000 frames, K = 50 symbols, a target of 200, float64, one thread:
    rnnquiz.types.ctc.tables.forward_backward(logits) + dE/du
      / torch log_softmax + ctc_loss + backward                   goal <= 0.5
      (the median of the ratios of runs made in pairs; the times are the medians)
    the largest difference of the loss and of dE/du               goal <= 1e-9
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _time(fn) -> float:
    t = time.perf_counter()
    fn()
    return time.perf_counter() - t


def ctc_vs_torch(runs: int, T: int = 1000, K: int = 50, U: int = 200) -> dict | None:
    try:
        import torch
    except ImportError:
        print("CTC vs torch: skipped (pip install torch==2.13.0 to measure)")
        return None
    import numpy as np

    sys.path.insert(0, str(ROOT))
    from rnnquiz.types.ctc import tables

    torch.set_num_threads(1)
    rng = np.random.default_rng(0)
    u = rng.normal(0, 1, (T, K))
    target = rng.integers(1, K, U).tolist()
    ut = torch.tensor(u, requires_grad=True)
    tt = torch.tensor([target])

    def torch_once():
        ut.grad = None
        lp = torch.log_softmax(ut, 1)[:, None, :]
        E = torch.nn.functional.ctc_loss(lp, tt, [T], [U], blank=0, reduction="sum")
        E.backward()
        return float(E.detach()), ut.grad.numpy()

    def ours_once():
        c = tables.forward_backward(target, 0, logits=u)
        return c.nll(), c.dE_du()

    torch_once(), ours_once()
    theirs, ours = [], []
    for _ in range(runs):            # in pairs, so a noisy neighbour slows both alike
        theirs.append(_time(torch_once))
        ours.append(_time(ours_once))
    t_torch, t_ours = statistics.median(theirs), statistics.median(ours)
    ratio = statistics.median(o / t for o, t in zip(ours, theirs))   # the pairs' ratios
    (E_t, g_t), (E_o, g_o) = torch_once(), ours_once()
    diff = max(abs(E_o - E_t), float(np.max(np.abs(g_o - g_t))))
    print(f"{'CTC loss + dE/du, T=1000 K=50 U=200 / torch':<58} {t_ours * 1000:9.1f} ms / "
          f"{t_torch * 1000:8.1f} ms = {ratio:5.2f}  (goal <= 0.5) "
          f"{'ok' if ratio <= 0.5 else 'MISSED'}")
    print(f"{'  largest difference (loss, dE/du)':<58} {diff:9.1e}{'':>25}(goal <= 1e-9) "
          f"{'ok' if diff <= 1e-9 else 'MISSED'}   (loss {E_t:.6f})")
    return {"what": "ctc loss+grad T=1000 K=50 U=200", "ms": t_ours * 1000,
            "reference_ms": t_torch * 1000, "ratio": ratio, "goal": 0.5, "max_diff": diff}


if __name__ == "__main__":
    ctc_vs_torch(9 if "--quick" in sys.argv else 41)
