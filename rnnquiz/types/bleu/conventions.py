"""The conventions of BLEU's smoothing (SPEC 1.16): none (Papineni et al., sacrebleu's
'none'), add-one for n ≥ 2 (Lin and Och; NLTK's method2), NIST's exponential ('exp')."""

from __future__ import annotations

WHO = {"none": ("Papineni et al. 2002", "CS224n", "sacrebleu (smooth_method='none')"),
       "add_one": ("Lin and Och 2004", "NLTK (method2)", "sacrebleu ('add-k')"),
       "exp": ("NIST", "sacrebleu (its default, 'exp')", "NLTK (method3)")}
WORDS = {"none": "without smoothing", "add_one": "with add-one smoothing of p_n for n ≥ 2",
         "exp": "with NIST's exponential smoothing of zero precisions"}


def _smoothed(p) -> bool:
    return p.ask.quantity in (None, "bleu", "p_smoothed")


def _to(how: str):
    def problem(p):
        from ...notations.convention import with_detail   # noqa: PLC0415 (conventions only)
        return with_detail(p, smoothing=how)
    return {"applies": lambda p: _smoothed(p) and p.detail.smoothing != how,
            "own": lambda p: _smoothed(p) and p.detail.smoothing == how, "problem": problem}


def CONVENTIONS():
    from ...notations.convention import Convention   # noqa: PLC0415 (conventions only)
    return tuple(Convention(f"bleu_{how}", f"BLEU {WORDS[how]}", topic="BLEU smoothing",
                            who=WHO[how], reason=WORDS[how], **_to(how))
                 for how in ("none", "add_one", "exp"))
