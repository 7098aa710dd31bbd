"""The question of a problem in words (quiz, new, export): what is given, what is asked, to
how many decimals; the hint of how to answer, and which step a wrong answer left first."""

from __future__ import annotations

import inspect

from ..cells import cell_name
from ..trace.numbers import fixed, fmt
from ..types import TYPES

_ROUND = {"state": "rounding every state to the nearest integer after each step",
          "activations": "rounding every σ to 0 or 1 and every tanh to -1, 0 or 1"}


def _module(p):
    """The type's module: its hooks question, WHO, ASK, HINT (see docs/extending.md)."""
    return TYPES[p.type]


def question_text(p, r=None) -> str:
    """The question in words: the file's own `question`, else one made from the problem."""
    if p.options:
        return p.question
    if p.question:
        return p.question
    data = p.data
    module = _module(p)
    hook = getattr(module, "question", None)
    if hook:                            # the type words its own question: question(p[, ask])
        takes_ask = len(inspect.signature(hook).parameters) > 1   # through any wrapper
        return hook(p, _ask_words(p, r)) if takes_ask else hook(p)
    if p.network is not None and p.network.notation.name in _models():
        return f"{_reservoir_words(p)} {_ask_words(p, r)}"
    if p.network is None and getattr(p, "regularization", None):    # given states' penalty
        from .training import given_question   # noqa: PLC0415 (ties, decay and penalties only)
        return given_question(p, _ask_words(p, r))
    who = getattr(module, "WHO", "A network")
    if who is None:                     # the type runs any cell: name the cell
        who = cell_name(p.cell)
    net = data.get("network")
    parts = [who]
    if isinstance(net, dict) and isinstance(net.get("forward"), dict):
        net = [net]                     # one bidirectional layer written as a mapping
    if isinstance(net, dict):
        words = [f"{net[k]} {'hidden units' if k == 'hidden' else 'output'}"
                 for k in ("hidden", "output") if isinstance(net.get(k), str)]
        if words:
            parts.append(f"({', '.join(words)})")
        # the cell's words (relevance_gate: true too) are no weights: the equations say them
        params = [f"{k} = {_value(v)}" for k, v in net.items()
                  if not isinstance(v, (str, bool))]
        if params:
            parts.append("with " + ", ".join(params))
    elif isinstance(net, list) and all(isinstance(layer, dict) for layer in net):
        both = bool(data.get("bidirectional"))
        who = parts[0].removeprefix("An ").removeprefix("A ")
        deep = f"{len(net)}-layer " if len(net) > 1 else ""
        parts[0] = f"A {deep}{'bidirectional ' if both else ''}{who}"
        parts.append("with " + ("; ".join(f"layer {k}: {_layer_words(layer)}"
                                          for k, layer in enumerate(net, start=1))
                                if deep else _layer_words(net[0])))
    elif net is not None:
        parts.append(f"with the layers {_value(net)}")
    text = " ".join(parts)
    if isinstance(data.get("round"), (str, int)) and data.get("round") != "none":
        rnd = data["round"]
        text += ", " + _ROUND.get(rnd, f"rounding every quantity to {rnd} decimals")
    if "inputs" in data:        # the input as the notation names it (Hagan's p)
        x = p.network.notation.x if p.network is not None else "x"
        text += f", receives {x} = {_sequence(data['inputs'])}."
    if data.get("targets") is not None:
        text += f" The targets are {_sequence(data['targets'])}"
        text += f" and the loss is {data.get('loss', 'squared')}." if data.get("loss") else "."
    if getattr(p, "feedback", None):
        text += " " + _FEEDBACK[p.feedback]
    if data.get("given"):
        given = "; ".join(f"{k} = {_sequence(v)}" for k, v in data["given"].items())
        text += f" The exercise gives {given}."
    ask = _ask_words(p, r)
    if getattr(p, "stack", None) is not None and (p.ask.layer or p.ask.direction) \
            and ask.endswith("?"):
        where = ", ".join(w for w in (f"layer {p.ask.layer}" if p.ask.layer else "",
                                      f"{p.ask.direction} direction" if p.ask.direction else "")
                          if w)
        cut = ask.find(", to ") if ", to " in ask else len(ask) - 1   # words may hold commas
        ask = f"{ask[:cut]} ({where}){ask[cut:]}"
    return f"{text} {ask}"


def _models():
    from ..notations import MODELS   # noqa: PLC0415 (model questions only)
    return MODELS


def _reservoir_words(p) -> str:
    """An echo state network's question: its weights, inputs, and how W_out is had."""
    data, d = p.data, p.detail
    net = data.get("network") or {}
    letter = {"leaking_rate": " α", "spectral_radius": " ρ"}
    text = ("An echo state network with "
            + ", ".join(f"{k}{letter.get(k, '')} = {_value(v)}" for k, v in net.items())
            + (" (W rescaled to that spectral radius)" if d.spectral_radius is not None else "")
            + f", receives u = {_sequence(data['inputs'])}.")
    if d.fit is not None:
        k = d.fit.washout
        washout = f" after the first {k} (the washout)" if k else ""
        text += (f" Its read-out y(n) = W_out·[1; u(n); x(n)] is fitted to the targets "
                 f"{_sequence(data['targets'])} by ridge regression, W_out = Y·Xᵀ·(X·Xᵀ + "
                 f"β·I)⁻¹ with β = {fmt(d.fit.beta)}, X and Y holding as columns [1; u(n); "
                 f"x(n)] and the targets of the steps{washout}.")
    return text


def full_question(p, r=None) -> str:
    """The question in words and what it leaves to guess said too: the equations, how the
    steps count, the rounding, the decimals (a file's own `question` stands as written)."""
    from ..teaching.statement import decimals, statement   # noqa: PLC0415 (the full question only)
    text = question_text(p, r)
    if p.question or p.options:
        return text
    cut = text.rfind(". ") + 2 if ". " in text else 0      # the rules go before the ask
    rules = statement(p, r)
    text = f"{text[:cut]}{rules} {text[cut:]}" if rules and cut else text
    return f"{text} {decimals(p.ask.digits)}".strip()


def _layer_words(layer: dict) -> str:
    """One layer of a stack in words: its keys, and each direction's (SPEC 1.9)."""
    out = []
    for k, v in layer.items():
        if isinstance(v, dict):
            out.append(f"{k} ({_layer_words(v)})")
        else:
            out.append(f"{k} = {_value(v)}" if not isinstance(v, (str, bool))
                       else f"{k} {_value(v)}")       # a word, as a stack states its words
    return ", ".join(out)


# what the previous output y_{t-1} is, fed back through W_yh (SPEC 1.1)
_FEEDBACK = {"output": "Its previous output y_{t-1} is fed back through W_yh (y_{-1} = y_init, "
                       "default 0).",
             "target": "It is trained with teacher forcing: the previous target is fed back "
                       "through W_yh (y_init at the first step, default 0).",
             "argmax": "It runs free: the one-hot of its previous output's largest element is "
                       "fed back through W_yh (y_init at the first step, default 0)."}


def _ask_words(p, r) -> str:
    if p.ask.parts is not None:
        return _parts_words(p)
    module = _module(p)
    if getattr(module, "ASK", None):
        return module.ASK
    default = getattr(module, "default_quantity", None)
    q = r.question if r is not None else (p.ask.quantity or (default(p) if default else None))
    digits = f", to {p.ask.digits} decimals" if p.ask.digits is not None else ""
    if q is None:                       # solve's default, which only the working names
        return asking("the answer", digits)
    from ..teaching.statement import asked_words   # noqa: PLC0415 (the full question only)
    words = asked_words(p, q)
    if words == q and p.network is not None:    # a key the notation writes otherwise: h̃
        head, _, rest = q.partition(" ")
        symbol = next((sym for key, sym in p.network.notation.names.values() if key == head),
                      head)
        words = f"{symbol} {rest}".strip()
    names = asked_symbols(r) if r is not None else []
    if names == [q] and words != q:     # the step is named by the file's key: say it in words
        names = []
    if len(names) == 1:
        return f"What is {names[0]}{digits}?"
    if len(names) > 1:
        return f"What are {names[0]}, …, {names[-1]}{digits} (comma-separated)?"
    return asking(words, digits)


def asking(words: str, digits: str = "") -> str:
    """The sentence that asks for `words`: `What is the perplexity?`; words that are a question
    of their own (`which is at fault, …`, `what are the shapes of …`) are asked as written."""
    if words.split(" ", 1)[0] in _INTERROGATIVES:
        return f"{words[0].upper()}{words[1:]}{digits}?"
    return f"What is {words}{digits}?"


_INTERROGATIVES = ("which", "what", "how")


def _parts_words(p) -> str:
    """A question in several parts: `What are the attention weights and the combined
    output, to 2 decimals?`, each part named as a question of its own would name it."""
    from ..teaching.statement import asked_words   # noqa: PLC0415 (the full question only)
    asks = p.ask.parts
    same = len({a.digits for a in asks}) == 1
    words = []
    for a in asks:
        w = asked_words(p, a.quantity).removeprefix("what are ").removeprefix("what is ")
        w += f" at t={a.t}" if a.t is not None else ""
        if not same and a.digits is not None:
            w += f" (to {a.digits} decimals)"
        words.append(w)
    text = words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]
    digits = f", to {asks[0].digits} decimals" if same and asks[0].digits is not None else ""
    # how to type the parts (`a | b`) is the quiz's hint: an export gives a box a part
    return f"What are {text}{digits}?"


def asked_symbols(r) -> list[str]:
    """The symbols of the steps the question asks for, as the working writes them (y_1, Γ_f<0>)."""
    from ..render.working import asked   # noqa: PLC0415 (the asked symbols only)
    return [s.symbol for s in r.steps if asked(r, s)]


def _value(v) -> str:
    if isinstance(v, list):
        return "[" + ", ".join(_value(e) for e in v) + "]"
    if isinstance(v, dict):
        return "{" + ", ".join(f"{k}: {_value(e)}" for k, e in v.items()) + "}"
    return fmt(v) if isinstance(v, (int, float)) else str(v)


def _sequence(v) -> str:
    if isinstance(v, dict):
        return ", ".join(f"at step {k}: {_value(e)}" for k, e in v.items())
    if isinstance(v, list):
        return ", ".join(_value(e) for e in v)
    return _value(v)


def hint(p, r) -> str:
    if p.options:
        return "option numbers, e.g. 2 or 2,4"
    if p.ask.parts is not None:
        return f"the {len(p.ask.parts)} parts separated by |, each numbers separated by commas"
    if isinstance(r.answer, str):
        return getattr(_module(p), "HINT", "a word")
    if isinstance(r.answer, list) and any(isinstance(e, str) for e in r.answer):
        return "the tokens, separated by spaces"        # decode's sequence
    if isinstance(r.answer, list):
        return "numbers separated by commas" + (f", {p.ask.digits} decimals"
                                                if p.ask.digits is not None else "")
    return "a number" + (f" to {p.ask.digits} decimals" if p.ask.digits is not None else "")


def first_wrong(p, r, given, digits) -> str | None:
    """'h_3: you said 1, it is -1' for the first element of a list answer that is wrong."""
    import numpy as np   # noqa: PLC0415 (list answers only)
    if not isinstance(r.answer, list) or not isinstance(given, list):
        return None
    right = np.asarray(r.answer, dtype=float).reshape(len(r.answer), -1)
    said = np.asarray(given, dtype=float)
    if said.size != right.size:
        return f"you gave {said.size} values; the answer has {right.size}"
    said = said.reshape(right.shape)
    for i, (a, b) in enumerate(zip(right, said)):
        ra = np.round(a, digits) if digits is not None else a
        rb = np.round(b, digits) if digits is not None else b
        if not np.allclose(ra, rb, rtol=0, atol=1e-9):
            names = asked_symbols(r)
            name = names[i] if len(names) == len(right) else f"element {i + 1}"
            shown = answers_text(ra.tolist(), digits) if digits is not None else fmt(a.tolist())
            return f"{name}: you said {fmt(b.tolist())}, it is {shown}"
    return None


def answers_text(v, digits: int | None = None) -> str:
    """An answer as a student types it; at `digits` with all its decimals (0.880)."""
    show = (lambda e: fmt(e, 10)) if digits is None else (lambda e: fixed(e, digits))
    if isinstance(v, list) and v and all(isinstance(e, (int, float)) for e in v):
        return ", ".join(show(e) for e in v)
    return v if isinstance(v, str) else show(v)
