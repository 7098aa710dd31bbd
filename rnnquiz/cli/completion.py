"""Shell completion of the commands' arguments (runs on every TAB: nothing heavy here)."""

from __future__ import annotations


def complete_paths(ctx, param, incomplete: str):
    """TAB after solve, check, quiz: the shell's own file completion where files match, else
    the bundled problems' names (hinton_p<TAB> -> hinton_p1 hinton_p2_choice ...)."""
    import glob   # noqa: PLC0415 (completion only)
    import os   # noqa: PLC0415 (completion only)

    from click.shell_completion import CompletionItem   # noqa: PLC0415 (completion only)
    if incomplete and glob.glob(glob.escape(os.path.expanduser(incomplete)) + "*"):
        return [CompletionItem(incomplete, type="file")]
    from ..problem.files import bundled_dir   # noqa: PLC0415 (completion only)
    folder = bundled_dir()
    names = sorted(f.stem for f in folder.glob("*.yaml")) if folder is not None else []
    found = [CompletionItem(n) for n in names if n.startswith(incomplete)]
    return found or [CompletionItem(incomplete, type="file")]
