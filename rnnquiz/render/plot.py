"""`solve --plot FILE.png|.svg`: the working as a picture (matplotlib, the `plot` extra).

One panel per problem: the asked quantity over the steps (with the state beside it), the
gradients for backprop, and for vanishing the per-step factors and their running product
on a log scale, the product being what decides the verdict. Steps are discrete, so the
values are markers at integer steps. The file is drawn into a temporary file and renamed
into place: a failure never leaves a half-written picture over a good one.
"""

from __future__ import annotations

import os
import textwrap

from ..errors import ProblemError

MAX_PANELS = 12      # a batch of 300 files draws its first 12, and says so


def check_path(path: str) -> str:
    """The format of a --plot path ('png' or 'svg'), or an error saying what is wrong."""
    if not path or not path.strip():
        raise ProblemError("--plot needs a file name, e.g. --plot working.png")
    base = os.path.basename(path)
    if base.lower() in (".png", ".svg"):
        raise ProblemError(f"--plot {path!r}: give the file a name before {base}, "
                           f"e.g. plot{base}")
    ext = os.path.splitext(base)[1]
    if ext.lower() not in (".png", ".svg"):
        raise ProblemError(f"--plot writes .png or .svg files, got {path!r}")
    if os.path.isdir(path):
        raise ProblemError(f"--plot {path!r} is a folder; give a file name")
    return ext.lower()[1:]


def _series(values, key):
    import numpy as np   # noqa: PLC0415 (--plot only: check_path runs without it)
    v = values.get(key)
    if v is None or isinstance(v, (str, float, int)):
        return None
    try:
        arr = np.asarray([np.asarray(x, dtype=float).reshape(-1) for x in v])
    except (TypeError, ValueError):
        return None
    return arr if arr.ndim == 2 and arr.size else None


def _keys(r) -> list[str]:
    """What to draw: the asked quantity first, then the state it comes from."""
    p = r.problem
    net = p.network
    asked = r.extra.get("quantity")
    state = net.notation.key("h")
    keys = [asked] if asked in r.values and _series(r.values, asked) is not None else []
    if "dE/dh" in r.values:            # a backward pass: the gradient it carried back
        keys += ["dE/dz" if p.cell == "rnn" else "dE/dh"]
    else:
        keys += [state] + ([net.notation.key("c")] if p.cell == "lstm" else [])
    out = []
    for k in keys:
        if k and k not in out and _series(r.values, k) is not None:
            out.append(k)
    return out


def _title(ax, r, extra: str = "") -> None:
    p = r.problem
    text = (p.title or os.path.basename(p.file or p.type)) + extra
    ax.set_title("\n".join(textwrap.wrap(text, 70)[:2]), fontsize=9, loc="left")


def _vanishing(ax, r) -> None:
    import numpy as np   # noqa: PLC0415 (--plot only: check_path runs without it)
    f = np.abs(np.asarray(r.extra.get("factors", []), dtype=float))
    prod = np.abs(np.asarray(r.values.get("product", []), dtype=float))
    steps = np.arange(len(f))
    tiny = np.finfo(float).tiny
    ax.semilogy(steps, np.maximum(f, tiny), "o", label="|factor| dz_{t+1}/dz_t")
    if len(prod) == len(f):
        ax.semilogy(steps, np.maximum(prod, tiny), "s--", lw=0.8,
                    label="running product back from the last step")
    ax.axhline(1.0, color="grey", lw=0.8, ls=":")
    ax.set_xlabel("step t")
    _title(ax, r, f": {r.answer} (g = {r.extra.get('geometric_mean', float('nan')):.4g})")


def _steps(ax, r) -> None:
    keys = _keys(r)
    asked = r.extra.get("quantity")
    for key in keys:
        arr = _series(r.values, key)
        for j in range(arr.shape[1]):
            suffix = f"[{j + 1}]" if arr.shape[1] > 1 else ""
            bold = key == asked
            ax.plot(range(len(arr)), arr[:, j], "o" if bold else "s", ms=6 if bold else 4,
                    ls=":", lw=0.8, alpha=1.0 if bold else 0.6,
                    label=f"{key}{suffix}" + (" (asked)" if bold else ""))
            t = r.problem.ask.t
            if bold and t is not None and 0 <= t < len(arr):
                ax.plot([t], [arr[t, j]], "o", ms=14, mfc="none", mec="crimson", mew=1.5)
    ax.set_xlabel("step t")
    _title(ax, r)


def plot(results: list, path: str) -> str | None:
    """Draw the problems into `path`; returns a note for the user when some were left out."""
    fmt = check_path(path)
    try:
        import matplotlib   # noqa: PLC0415 (optional: rnnquiz[plot])
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt   # noqa: PLC0415 (optional: rnnquiz[plot])
        from matplotlib.ticker import MaxNLocator   # noqa: PLC0415 (optional: rnnquiz[plot])
    except ImportError:
        raise ProblemError("--plot needs matplotlib: pip install 'rnnquiz[plot]'") from None
    drawable = [r for r in results if r.problem.network is not None]
    if not drawable:
        raise ProblemError("--plot: none of these problems has a network to plot")
    note = None
    if len(drawable) > MAX_PANELS:
        note = (f"--plot drew the first {MAX_PANELS} of {len(drawable)} problems; "
                "plot fewer files at a time to see the others")
        drawable = drawable[:MAX_PANELS]
    fig, axes = plt.subplots(len(drawable), 1, figsize=(8, 3.2 * len(drawable)), squeeze=False)
    try:
        for ax, r in zip(axes[:, 0], drawable):
            if "verdict" in r.values:   # a vanishing verdict: its factors, not steps
                _vanishing(ax, r)
            else:
                _steps(ax, r)
            ax.xaxis.set_major_locator(MaxNLocator(integer=True))
            if ax.get_legend_handles_labels()[0]:
                ax.legend(fontsize=8, loc="best")
            ax.grid(alpha=0.3)
        fig.tight_layout()
        _save(fig, path, fmt)
    finally:
        plt.close(fig)
    return note


def _save(fig, path: str, fmt: str) -> None:
    import tempfile   # noqa: PLC0415 (saving only)
    folder = os.path.dirname(os.path.abspath(path))
    try:
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=".rnnquiz-plot-", suffix="." + fmt)
    except OSError as err:
        raise ProblemError(f"--plot: cannot write {path}: {err.strerror or err}") from None
    try:
        with os.fdopen(fd, "wb") as fh:
            fig.savefig(fh, format=fmt)
        os.chmod(tmp, 0o666 & ~_umask())
        os.replace(tmp, path)
    except OSError as err:
        os.unlink(tmp)
        raise ProblemError(f"--plot: cannot write {path}: {err.strerror or err}") from None
    except BaseException:
        os.unlink(tmp)
        raise


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
