r"""The working's text as LaTeX: `tex_math` for formulas (ASCII only: dE/dz_1 becomes
\frac{\partial E}{\partial z_1}, Γ_u<1> becomes \Gamma_u^{\langle 1\rangle}, [[1, 2], [3, 4]] a
bmatrix) and `tex_text` for free text (specials escaped, the symbols in it set as math)."""

from __future__ import annotations

import re

# Unicode in the working -> LaTeX math (every command here is in amsmath/amssymb)
_MATH = {"·": r"\cdot ", "⊙": r"\odot ", "σ": r"\sigma ", "Γ": r"\Gamma ", "Σ": r"\sum ",
         "Π": r"\Pi ", "∂": r"\partial ", "²": "^2", "³": "^3", "ᵀ": "^T", "‖": r"\| ",
         "…": r"\ldots ", "≈": r"\approx ", "≤": r"\le ", "≥": r"\ge ", "≠": r"\ne ",
         "→": r"\to ", "←": r"\leftarrow ", "−": "-", "×": r"\times ", "✓": r"\checkmark ",
         "▶": r"\blacktriangleright ", "∞": r"\infty ", "√": r"\surd ", "∇": r"\nabla ",
         "α": r"\alpha ", "β": r"\beta ", "γ": r"\gamma ", "δ": r"\delta ", "Δ": r"\Delta ",
         "ε": r"\varepsilon ", "η": r"\eta ", "θ": r"\theta ", "λ": r"\lambda ", "μ": r"\mu ",
         "π": r"\pi ", "ρ": r"\rho ", "τ": r"\tau ", "φ": r"\phi ", "ω": r"\omega ",
         "Ω": r"\Omega ", "Θ": r"\Theta ", "Λ": r"\Lambda ", "Φ": r"\Phi ", "Ψ": r"\Psi ",
         "⁻": "^-", "¹": "^1", "′": "'", "∈": r"\in ", "⊗": r"\otimes ", "∘": r"\circ ",
         "±": r"\pm ", "ŷ": r"\hat{y}", "ĥ": r"\hat{h}", "H̃": r"\tilde{H}"}
_GREEK = "σΓΣΠαβγδΔεηθλμπρτφωΩΘΛΦΨ"
_FUNCS = {"tanh": r"\tanh", "exp": r"\exp", "log": r"\log", "ln": r"\ln", "max": r"\max",
          "min": r"\min", "log2": r"\log_2"}

# one symbol of the working: base (with ~), ^superscript, _subscript, <step>, primes
_SYM = (rf"(?P<base>[A-Za-z{_GREEK}]\u0303?)"
        rf"(?:\^(?P<sup>[A-Za-z{_GREEK}]\u0303?(?:_[A-Za-z0-9]+)?))?"
        r"(?:_(?P<sub>\{[^{}]*\}|[A-Za-z0-9]+(?:[,_][A-Za-z0-9]+)*))?"
        r"(?:<(?P<step>[-+\w]+)>)?")
_WORD = re.compile(r"(?P<w>[A-Za-z][A-Za-z0-9]+)"
                   r"(?:_(?P<sub>\{[^{}]*\}|[A-Za-z0-9]+(?:_[A-Za-z0-9]+)*))?"
                   r"(?=[^A-Za-z0-9^<]|$)")
# a stack's layer and direction: h^(2)_1, h^(→)_1, W_xh^(2←) (SPEC 1.9)
_LAYER = r"(?:\^\([-+\w→←]+\))?"
_ANY = (rf"[A-Za-z{_GREEK}]\u0303?[A-Za-z0-9]*(?:\^(?:[A-Za-z{_GREEK}]\u0303?(?:_[A-Za-z0-9]+)?|\d+))?"
        rf"{_LAYER}(?:_(?:\{{[^{{}}]*\}}|[A-Za-z0-9]+))?(?:<[-+\w]+>)?{_LAYER}")
_MATRIX = re.compile(r"\[\[[^\[\]]*\](?:,\s*\[[^\[\]]*\])*\]")
_PHRASE = re.compile(r"[A-Za-z]{2,}(?:'[a-z]+)?(?: [A-Za-z]{2,}(?:'[a-z]+)?)+(?![\w^<(_])")
_PAREN_SUP = re.compile(r"\^\(([-+\w→←]+)\)(?:<([-+\w]+)>)?")
_ANGLE_SUP = re.compile(r"\^<([-+\w]+)>((?:\([-+\w]+\))?)")
# a name from code that ends in an underscore (PyTorch's in-place clip_grad_norm_)
_CODE = re.compile(r"[A-Za-z][A-Za-z0-9]*(?:_[A-Za-z0-9]+)+_(?![A-Za-z0-9{])")
# a vocabulary's special token, standing alone: <eos>, <unk>, <pad>, </s>
_TOKEN = re.compile(r"</?[A-Za-z_][A-Za-z0-9_]*>")
_FRAC = re.compile(rf"d(?P<num>{_ANY})/d(?P<den>{_ANY})")
# Hagan's sensitivities, time in parentheses and a weight's layers in braces: dn(3)/dlw^{1,1}(1)
_HAGAN_T = r"\([-+\w]+\)"
_FRAC_T = re.compile(rf"d(?P<num>{_ANY}{_HAGAN_T})/d(?P<den>{_ANY}(?:\^\{{\d+,\d+\}})?"
                     rf"(?:{_HAGAN_T})?)")
# a mapping's value, by delay or key: {0: 0.85, 1: 0.125} (its braces printed, not a group)
_MAPPING = re.compile(r"\{([^{}]*?\w: [^{}]*)\}")


def tex_math(text: str) -> str:
    """The working's text as LaTeX math, ASCII only."""
    out, i = [], 0
    while i < len(text):
        tok = _TOKEN.match(text, i) if (i == 0 or not text[i - 1].isalnum()) else None
        if tok:                           # a token such as <eos> is text, not an inequality
            out.append(_texttt(tok[0]))
            i = tok.end()
            continue
        c = _CODE.match(text, i) if (i == 0 or not text[i - 1].isalnum()) else None
        if c:                             # a function's name in code: clip_grad_norm_
            out.append(r"\mathtt{" + c[0].replace("_", r"\_") + "}")
            i = c.end()
            continue
        mx = _MATRIX.match(text, i)
        if mx:                            # [[1, 2], [3, 4]] as the matrix it is
            rows = re.findall(r"\[([^\[\]]*)\]", mx[0][1:-1])
            body = r" \\ ".join(" & ".join(tex_math(c.strip()) for c in row.split(","))
                                 for row in rows)
            out.append(rf"\begin{{bmatrix}} {body} \end{{bmatrix}}")
            i = mx.end()
            continue
        a = _ANGLE_SUP.match(text, i)
        if a:                             # x^<j>(i): the step, then the example, both up
            out.append(rf"^{{\langle {a[1]}\rangle{a[2]}}}")
            i = a.end()
            continue
        p = _PAREN_SUP.match(text, i)
        if p:                             # x^(i)<j>: one superscript, not two
            step = rf"\langle {p[2]}\rangle" if p[2] else ""
            mark = p[1].replace("→", r"\rightarrow").replace("←", r"\leftarrow")
            sup = f"^{{({mark}){step}}}"
            if out and text[p.end():p.end() + 1] in ("²", "³", "ᵀ", "^", "⁻"):
                out[-1], sup = "(" + out[-1], sup + ")"   # s̃^(2)² is (s̃^(2))^2
            out.append(sup)
            i = p.end()
            continue
        mp = _MAPPING.match(text, i)
        if mp:
            out.append(r"\{" + tex_math(mp[1]) + r"\}")
            i = mp.end()
            continue
        m = _FRAC.match(text, i) or _FRAC_T.match(text, i)
        if m and (i == 0 or not text[i - 1].isalnum()):
            num, den = tex_math(m["num"]), tex_math(m["den"])
            out.append(rf"\frac{{\partial {num}}}{{\partial {den}}}")
            i = m.end()
            continue
        ph = _PHRASE.match(text, i) if (i == 0 or not text[i - 1].isalnum()) else None
        if ph:                            # words, not symbols: the state's derivative
            before = " " if i and text[i - 1] == " " else ""
            after = " " if text[ph.end():ph.end() + 1] == " " else ""
            out.append(rf"\text{{{before}{ph[0]}{after}}}")
            i = ph.end()
            continue
        w = _WORD.match(text, i) if (i == 0 or not text[i - 1].isalnum()) else None
        if w and not re.match(r"[A-Za-z]_", text[i:]):
            out.append(_FUNCS.get(w["w"], rf"\mathrm{{{w['w']}}}"))
            if w["sub"]:
                sub = w["sub"].strip("{}").replace("_", ",")
                out.append(f"_{{{sub}}}")
            i = w.end()
            continue
        s = _SYM_RE.match(text, i) if (i == 0 or not text[i - 1].isalnum()) else None
        if s and (s["sup"] or s["sub"] or s["step"] or len(s[0]) == len(s["base"])):
            sym = _symbol(s)
            if "^" in sym and text[s.end():s.end() + 1] in ("²", "³", "ᵀ", "^", "⁻"):
                sym = f"({sym})"          # c̃<2>² is (c̃^<2>)^2, not a double superscript
            elif re.search(r"\\[A-Za-z]+$", sym) and text[s.end():s.end() + 1].isalpha():
                sym += " "                # Γo is \Gamma o: a command ends before a letter
            out.append(sym)
            i = s.end()
            continue
        ch = _char(text[i])
        if out and out[-1].endswith(("^", "_")) and len(ch) > 1:
            ch = "{" + ch.strip() + "}"       # z^ĥ: a command after ^ needs its braces
        out.append(ch)
        i += 1
    tex = "".join(out)
    # ⁻¹ maps a character at a time: (X Xᵀ + β I)⁻¹ is one exponent, -1
    tex = re.sub(r"\^-\^(\d)", r"^{-\1}", tex)
    # 3.72e-44 as a TA writes it: 3.72 \times 10^{-44}
    tex = re.sub(r"(?<![\w.])(\d+(?:\.\d+)?)e([-+]?)(\d+)\b",
                 lambda m: rf"{m[1]}\times 10^{{{m[2].replace('+', '')}{m[3]}}}", tex)
    # an exponent of several digits is one group: 4^{0.75}, not 4^0 followed by .75
    tex = re.sub(r"\^(-?\d[\d.]*\d)", r"^{\1}", tex)
    # words inside math keep their spaces: \mathrm{to}\ t
    tex = re.sub(r"(?<=[A-Za-z0-9}]) (?=\\mathrm\{)", r"\\ ", tex)
    tex = re.sub(r"(\\mathrm\{[^}]*\}(?:_\{[^}]*\})?) (?=[A-Za-z0-9|(]|\\mathrm)",
                 r"\1\\ ", tex)
    return re.sub(r" +", " ", tex).strip()


_SYM_RE = re.compile(_SYM)


def _base(b: str) -> str:
    if b.endswith("\u0303"):
        return rf"\tilde{{{_char(b[0]).strip()}}}"
    return _char(b).strip()


def _symbol(m: re.Match) -> str:
    base = _base(m["base"])
    sup, sub = "", m["sub"] or ""
    if m["sup"]:
        head, _, low = m["sup"].partition("_")
        if low and not m["step"] and not sub:
            head, sub = head, low          # z^f_0 is z_0^f; only z^Γ_f<0> keeps Γ_f up
            low = ""
        sup = _base(head) + (f"_{{{low}}}" if low else "")
    if m["step"]:
        sup += rf"\langle {m['step']}\rangle"
    sub = sub[1:-1] if sub.startswith("{") else sub.replace("_", ",")
    text = base
    if sub:
        text += f"_{{{sub}}}" if len(sub) > 1 else f"_{sub}"
    if sup:
        text += f"^{{{sup}}}"
    return text


def _char(c: str) -> str:
    if c in _MATH:
        return _MATH[c]
    if c in "%#&$":
        return "\\" + c
    if c == "\\":
        return r"\backslash "
    if c == "~":
        return r"\sim "
    if ord(c) > 127:
        return "?"
    return c


_TEXT = {"\\": r"\textbackslash{}", "&": r"\&", "%": r"\%", "$": r"\$", "#": r"\#",
         "_": r"\_", "{": r"\{", "}": r"\}", "^": r"\textasciicircum{}",
         "~": r"\textasciitilde{}", "<": r"\textless{}", ">": r"\textgreater{}",
         "\u0303": ""}
_TEXT_SAFE = set("‘’“”–—") | {chr(c) for c in range(0xA0, 0x100)}


def _texttt(token: str) -> str:
    """A token in typewriter type, in math or text mode (cmtt has < and > in OT1 and T1)."""
    return r"\texttt{" + token.replace("_", r"\_") + "}"


def tex_text(text: str) -> str:
    """Free text (titles, notes, questions) for text mode: specials escaped, tokens such as
    <eos> in typewriter type, and the words that are the working's symbols (Γ_u, c<t>,
    x^(i)<j>, σ, ≈) set as math."""
    out = []
    # (a step written after a superscript, x^(i)<j>, x^<j>, is the symbol's, not a token)
    for token in re.split(r"(\s+|(?<![A-Za-z0-9\u0303)^])</?[A-Za-z_][A-Za-z0-9_]*>)", text):
        if _TOKEN.fullmatch(token):
            out.append(_texttt(token))
            continue
        core = _core(token)
        if core and is_symbol(core):
            a = token.index(core)
            out.append(plain_tex(token[:a]) + f"${tex_math(core)}$" + plain_tex(token[a + len(core):]))
        else:
            out.append(_powers(token))
    return "".join(out)


_CARET = re.compile(r"\^(?:\(([^()\s]+)\)|\{([^{}\s]+)\}|(\w+(?:\.\d+)?))")


def _powers(text: str) -> str:
    """Text with an exponent left in it, `(Π_t 1/p_t)^(1/T)`: the exponent as math, not a
    printed ^ (the parentheses of ^(1/T) after a group only group it; h^(1)'s are the
    symbol's)."""
    parts = _CARET.split(text)
    out = [plain_tex(parts[0])]
    for k in range(1, len(parts), 4):
        power = next(g for g in parts[k:k + 3] if g is not None)
        if parts[k] is not None and not parts[k - 1].endswith(")"):
            power = f"({power})"
        out.append(f"$^{{{tex_math(power)}}}$" + plain_tex(parts[k + 3]))
    return "".join(out)


def _core(token: str) -> str:
    """The word inside a token's punctuation, its own parentheses kept: `(h^(1)),` -> h^(1)."""
    core = token.lstrip(".,;:!?(\"'")
    while core and core[-1] in ".,;:!?()\"'":
        if core[-1] == ")" and core.count("(") >= core.count(")"):
            break                       # the ) closes one the word opens: h^(1), a(t)
        core = core[:-1]
    inner = core
    while inner.count("(") > inner.count(")"):
        inner = inner[inner.index("(") + 1:]
    if inner != core and not is_symbol(core) and is_symbol(inner):
        return inner                    # tanh(W^{s,s}: the symbol is W^{s,s}
    return core


# a word with a superscript, as the courses write them: h^(1), x^(i)<j>, W^{s,s}, a^2(t),
# dF/dlw^{1,2}, 2^16, 3^0.75 (math, where text mode would print the ^ itself)
_POWER = re.compile(r"(?:d[A-Za-z]+/d)?(?:[A-Za-z]+|\d+(?:\.\d+)?)(?:_[\w{}-]+)?"
                    r"(?:\^(?:\([-+\w,/]+\)|\{[-+\w,]+\}|<[-+\w]+>|\w+(?:\.\d+)?))+"
                    r"(?:_[\w{}-]+)?(?:<[-+\w]+>)?(?:\([-+\w]+\))?")


def is_symbol(word: str) -> bool:
    if any(c in _MATH for c in word) or "\u0303" in word:
        return True
    if "^" in word and _POWER.fullmatch(word) or _FRAC_T.fullmatch(word):
        return True
    if _FRAC.fullmatch(word) and re.match(rf"d[A-Za-z{_GREEK}]/d", word):
        return True               # dF/diw, dE/dW: a derivative with no step (a word is not d?/d…)
    return re.fullmatch(r"[A-Za-z]+(?:\^\([-+\w]+\)|\^\w+)?(?:_[\w{}-]+)?(?:<[-+\w]+>)?"
                        r"(?:/d[A-Za-z]+(?:_[\w{}-]+)?(?:<[-+\w]+>)?)?", word) is not None \
        and bool(re.search(r"[_<^]", word))


def plain_tex(text: str) -> str:
    out = []
    for c in text:
        if c in _MATH:
            out.append(f"${_MATH[c].strip()}$")
        elif ord(c) > 127:
            out.append(c if c in _TEXT_SAFE else "?")
        else:
            out.append(_TEXT.get(c, c))
    return "".join(out)
