"""The pieces of the working every format shows: the header, each step's equation, numbers,
value and note, the answer and the verdict. Each renderer lays them out its own way, so the
table, the Markdown, the LaTeX and the HTML say the same thing."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from ..trace.numbers import (PLACES, finite, fixed, fmt, saturated, summarised, summary_text,
                             working_text)

if TYPE_CHECKING:                       # render never imports trace at run time: no circle
    from ..trace import Result, Step

PHASES = {"forward": "forward pass", "given": "values the exercise gives",
          "recomputed": "recomputed", "backward": "backward pass", "loss": "loss",
          "gradient": "parameter gradients", "factor": "factors, one per step back",
          "product": "running product", "verdict": "verdict"}

OVERFLOW = "overflowed float64 (|value| > 1.8e308)"

# the names of the asked quantity as the working writes them (deeplearning.ai's Greek)
_SHOWN = {"gamma_f": "Γ_f", "gamma_u": "Γ_u", "gamma_o": "Γ_o", "gamma_r": "Γ_r",
          "c_tilde": "c̃"}


def title(r: Result) -> str:
    p = r.problem
    return p.title or p.file or p.type


def header_lines(r: Result) -> list[str]:
    p = r.problem
    lines = used_lines(r)
    if p.source:
        lines.append(f"source: {p.source}")
    lines.append(f"question: {r.question}" + (f" (to {p.ask.digits} decimals)"
                                              if p.ask.digits is not None else ""))
    return lines


def used_lines(r: Result) -> list[str]:
    """A calculator's network and inputs, so nothing is silently zero (SPEC 2)."""
    used = r.extra.get("used")
    if not used:
        return []
    net = used.get("network") or {}
    mine = set(used.get("given") or ())
    items = ", ".join(f"{k} = {v if isinstance(v, str) else fmt(v)}" + (" *" if k in mine else "")
                      for k, v in net.items())
    lines = [f"network: {items or '(empty: every weight and bias 0)'}"]
    origin = used.get("from")
    if mine and origin and not origin.startswith("an empty"):
        lines.append(f"  * your values; the rest from {origin}")
    elif origin:
        lines.append(f"  from {origin}" if not mine else f"  * your values, on {origin}")
    if used.get("inputs") is not None:
        lines.append(f"inputs: {fmt(used['inputs'])}")
    targets = used.get("targets")
    if targets is not None:
        lines.append("targets: " + (", ".join(f"step {k}: {fmt(v)}" for k, v in targets.items())
                                    if isinstance(targets, dict) else fmt(targets)))
    lines += [f"not used: {x}" for x in used.get("not_used", ())]
    return lines


def step_equation(s: Step) -> str:
    return f"{s.symbol} = {s.equation}" if s.equation and s.equation != s.symbol else s.symbol


def step_working(s: Step) -> str:
    return working_text(s.formula, s.operands)


def step_value(s: Step) -> str:
    if isinstance(s.value, str):
        return s.value
    if not finite(s.value):
        return fmt(s.value) if isinstance(s.value, list) else "overflow"
    return (s.raw is None and saturated(s.formula, s.value)) or fmt(s.value, PLACES)


def step_note(s: Step) -> str:
    parts = [s.note] if s.note else []
    if not isinstance(s.value, str) and not finite(s.value):
        parts.append(OVERFLOW)
    elif s.raw is None and saturated(s.formula, s.value):
        parts.append(f"saturated: {fmt(s.value)}" if s.value not in (0.0, 1.0, -1.0)
                     else "saturated")
    if s.raw is not None:
        parts.append(f"rounded from {fmt(s.raw)}")
    if s.tie:
        parts.append("tie: .5 rounded to even")
    if s.exact is not None and (s.raw is None or fmt(s.exact) != fmt(s.raw)):
        parts.append(f"exact arithmetic: {fmt(s.exact)}")
    if s.given is not None:
        parts.append(f"given: {fmt(s.given)}")
    return "; ".join(parts)


def phase_heading(r: Result, i: int) -> str | None:
    """The heading that opens step i (forward pass, values the exercise gives, ...), if any."""
    s = r.steps[i]
    if not s.phase or (i and r.steps[i - 1].phase == s.phase):
        return None
    if len({x.phase for x in r.steps}) < 2:
        return None
    return PHASES.get(s.phase, s.phase)


def asked(r: Result, s: Step) -> bool:
    """Is this the step (or one of the steps) the question asks for? (any part's)"""
    parts = r.extra.get("parts")
    if isinstance(parts, list):
        return any(_asked(r, s, e.get("quantity"), e.get("t")) for e in parts)
    return _asked(r, s, r.extra.get("quantity"), r.problem.ask.t)


def _asked(r: Result, s: Step, q, t) -> bool:
    if not q or s.phase == "given" or r.problem.options:
        return False
    shown = _shown(r, q)
    name = re.escape(shown)
    step = re.escape(str(t)) if t is not None else r"-?\d+"
    if t is None and s.t is None:
        return s.symbol == shown
    if s.phase == "sensitivities":      # RTRL's dh/dW_hh is written dh_2/dW_hh at step 2
        top, _, below = q.partition("/")
        return re.fullmatch(rf"{re.escape(top)}(?:_{step}|<{step}>)/{re.escape(below)}",
                            s.symbol) is not None
    # h_1, a<1>, and x(1) or h^(1) (the echo state network's, Goodfellow's)
    return re.fullmatch(rf"{name}(?:_{step}|<{step}>|\^?\({step}\))", s.symbol) is not None


def _shown(r: Result, q: str) -> str:
    """The asked quantity's name as the working writes it: the notation's symbol for its
    answer key (Goodfellow's h̃ for h_tilde, d2l's H for h), else the key."""
    net = getattr(r.problem, "network", None)
    names = getattr(getattr(net, "notation", None), "names", None) or {}
    return next((sym for key, sym in names.values() if key == q), _SHOWN.get(q, q))


def answer_text(r: Result) -> str:
    return _answer_text(r.answer, r.answer_rounded, r.problem.ask.digits)


def _answer_text(ans, rounded, digits) -> str:
    text = ans if isinstance(ans, str) else full(ans)
    if rounded is not None:
        text += f"  ≈ {fixed(rounded, digits)}"
    return text


def verdict_line(r: Result) -> str:
    return _verdict(r.expected, r.agrees)


def _verdict(expected, agrees) -> str:
    if expected is None:
        return ""
    mark = "agrees" if agrees else "DISAGREES"
    exp = expected if isinstance(expected, str) else fmt(expected, 10)
    return f"published answer {exp}: {mark}"


def answer_lines(r: Result) -> list[tuple[str, str, str, bool | None]]:
    """(question, answer text, verdict line, agrees) of each part of the answer: one for a
    question in one part (its answer and verdict as they always were), else one a part,
    each question labelled (a), (b), ..."""
    parts = r.extra.get("parts")
    if not isinstance(parts, list):
        return [(r.question, answer_text(r), verdict_line(r), r.agrees)]
    return [(f"({chr(ord('a') + i % 26)}) {e['question']}",
             _answer_text(e["answer"], e.get("answer_rounded"), e.get("digits")),
             # a result shown without its verdict (check's working, an export's feedback)
             _verdict(e.get("expected"), e.get("agrees")) if r.expected is not None else "",
             e.get("agrees"))
            for i, e in enumerate(parts)]


def full(v: Any) -> str:
    """The answer at full precision (what the JSON holds), as text; past 100 numbers, as
    numpy prints an array (the JSON holds them all)."""
    if isinstance(v, list) and summarised(v):
        return summary_text(v, one=full)
    if isinstance(v, list):
        return "[" + ", ".join(full(e) for e in v) + "]"
    if isinstance(v, dict):           # a gradient by delay (Hagan's tapped delay lines)
        return "{" + ", ".join(f"{k}: {full(e)}" for k, e in v.items()) + "}"
    if isinstance(v, bool):
        return str(v).lower()
    if isinstance(v, float):
        return repr(v) if not v.is_integer() or abs(v) >= 1e16 else str(int(v))
    if isinstance(v, int):
        # every digit, as the JSON: a count of 8000000004000000000 is not 8e+18
        return str(v) if abs(v) < 10 ** 4000 else fmt(v)
    return str(v)


def choice_lines(r: Result) -> list[tuple[str, str]]:
    """(style, text) lines of a choice question: the options, the correct ones marked."""
    p = r.problem
    lines = [("dim", f"source: {p.source}")] if p.source else []
    lines.append(("", p.question))
    for i, option in enumerate(p.options, start=1):
        ok = i in p.correct
        lines.append(("green" if ok else "", f"  [{'x' if ok else ' '}] {i}. {option}"))
    if p.explanation:
        lines.append(("italic", f"why: {p.explanation}"))
    return lines
