r"""The working's symbols as HTML a browser sets as math: h_{-1} as h<sub>-1</sub>, z^g_0 as
z<sub>0</sub><sup>g</sup>, Γ_u<1> as Γ<sub>u</sub><sup>⟨1⟩</sup>, h^(1)_t as h<sup>(1)</sup><sub>t</sub>.

Each formula is one <span class="math"> holding that markup, with the working's own text in
`title` (what a reader copies) and its LaTeX in `data-tex` (for a page that runs MathJax). With
`mode="parens"` the formula is `\( TeX \)` instead, for a learning management system whose
MathJax filter sets it (Moodle, Canvas)."""

from __future__ import annotations

import re
from html import escape

_GREEK = "Γ-ωΑ-Ω"
_LETTER = rf"[A-Za-z{_GREEK}]\u0303?"
_STEP = r"<[-+\w]+>"
# the parts after a symbol's base: ^(2), ^g or ^Γ_u<1>, _{-1} or _xh, <t>
_PART = re.compile(rf"\^\((?P<paren>[^()]*)\)"
                   rf"|\^(?P<sup>{_LETTER})(?:_(?P<supsub>[A-Za-z0-9]+))?(?P<supstep>{_STEP})?"
                   rf"|_\{{(?P<brace>[^{{}}]*)\}}"
                   rf"|_(?P<sub>[A-Za-z0-9]+(?:,[A-Za-z0-9]+)*)"
                   rf"|<(?P<step>[-+\w]+)>")
_SYMBOL = re.compile(rf"(?<![A-Za-z0-9{_GREEK}])(?P<base>[A-Za-z{_GREEK}]+\u0303?)"
                     rf"(?P<rest>(?:{_PART.pattern})+)")


def _parts(rest: str) -> str:
    subs, sups = [], []
    for m in _PART.finditer(rest):
        if m["paren"] is not None:
            sups.append(f"({escape(m['paren'])})")
        elif m["sup"]:
            if m["supstep"]:                       # z^Γ_u<1>: Γ_u⟨1⟩ is the superscript
                low = f"<sub>{escape(m['supsub'])}</sub>" if m["supsub"] else ""
                sups.append(f"{escape(m['sup'])}{low}⟨{escape(m['supstep'][1:-1])}⟩")
            else:                                  # z^g_0: g up, 0 down
                sups.append(escape(m["sup"]))
                if m["supsub"]:
                    subs.append(escape(m["supsub"]))
        elif m["brace"] is not None:
            subs.append(escape(m["brace"]))
        elif m["sub"]:
            subs.append(escape(m["sub"]))
        else:
            sups.append(f"⟨{escape(m['step'])}⟩")
    return (f"<sub>{','.join(subs)}</sub>" if subs else "") + \
        (f"<sup>{''.join(sups)}</sup>" if sups else "")


def is_symbol(m: re.Match) -> bool:
    """h_0, W_xh, target_t, argmax_y are symbols; gate_dim and hard_sigmoid are names."""
    first = _PART.match(m["rest"])
    if len(m["base"].rstrip("\u0303")) <= 2 or not first["sub"]:
        return True
    return len(first["sub"]) == 1 or first["sub"].isdigit()


def math_html(text: str) -> str:
    """The working's text with its symbols' subscripts and superscripts as HTML, escaped."""
    out, i = [], 0
    for m in _SYMBOL.finditer(text):
        if not is_symbol(m):
            continue
        out.append(escape(text[i:m.start()]))
        base = m["base"]
        shown = f"<i>{base}</i>" if len(base) == 1 and base.isascii() else escape(base)
        out.append(shown + _parts(m["rest"]))
        i = m.end()
    out.append(escape(text[i:]))
    return "".join(out)


def formula(text: str, mode: str = "html") -> str:
    """One formula of the working as HTML: sub/sup markup (TeX kept), or `\\( TeX \\)`."""
    if not text:
        return ""
    from .tex import tex_math   # noqa: PLC0415 (HTML's formulas only)
    tex = tex_math(text)
    if mode == "parens":
        return escape(rf"\({tex}\)")
    if mode == "dollars":
        return escape(f"${tex}$")
    return (f'<span class="math" title="{escape(text)}" data-tex="{escape(tex)}">'
            f"{math_html(text)}</span>")
