"""`solve --plot FILE.png|.svg`: the working as a picture (matplotlib, the `plot` extra).

States and gates over time for forward and cell problems, dE/dz_t (or dE/dh_t) for
backprop, and the per-step factors on a log scale for vanishing.
"""

from __future__ import annotations

import numpy as np

from .errors import ProblemError


def _series(values, key):
    v = values.get(key)
    if v is None or isinstance(v, (str, float, int)):
        return None
    arr = np.asarray([np.asarray(x, dtype=float).reshape(-1) for x in v])
    return arr if arr.ndim == 2 and arr.size else None


def plot(results: list, path: str) -> None:
    try:
        import matplotlib   # noqa: PLC0415
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt   # noqa: PLC0415
    except ImportError:
        raise ProblemError("--plot needs matplotlib: pip install 'rnnquiz[plot]'") from None
    if not path.lower().endswith((".png", ".svg")):
        raise ProblemError(f"--plot writes .png or .svg files, got {path!r}")
    drawable = [r for r in results if r.problem.network is not None]
    if not drawable:
        raise ProblemError("--plot: none of these problems has a network to plot")
    fig, axes = plt.subplots(len(drawable), 1, figsize=(8, 3.2 * len(drawable)), squeeze=False)
    for ax, r in zip(axes[:, 0], drawable):
        p = r.problem
        net = p.network
        if p.type == "vanishing":
            f = r.extra.get("factors", [])
            ax.semilogy(range(len(f)), np.abs(f) + 1e-300, "o-", label="|factor| per step back")
            ax.axhline(1.0, color="grey", lw=0.8, ls="--")
            ax.set_xlabel("step back")
            ax.set_title(f"{p.title or p.file}: {r.answer} (g = {r.extra['geometric_mean']:.4g})")
        else:
            keys = (["dE/dz"] if p.cell == "rnn" else ["dE/dh"]) if p.type == "backprop" else \
                [net.notation.key(q) for q in ("h", "c", "f", "i", "o", "u", "r", "g")
                 if net.notation.key(q) in r.values]
            for key in keys:
                arr = _series(r.values, key)
                if arr is None:
                    continue
                for j in range(arr.shape[1]):
                    suffix = f"[{j}]" if arr.shape[1] > 1 else ""
                    ax.plot(range(len(arr)), arr[:, j], "o-", ms=3, label=f"{key}{suffix}")
            ax.set_xlabel("t")
            ax.set_title(p.title or p.file or p.type)
        ax.legend(fontsize=8, loc="best")
        ax.grid(alpha=0.3)
    fig.tight_layout()
    try:
        fig.savefig(path)
    except OSError as err:
        raise ProblemError(f"--plot: cannot write {path}: {err.strerror or err}") from None
    finally:
        plt.close(fig)
