"""The searches of `decode`, with their working: greedy, scoring a given sequence, and beam
search (each step's candidates, the kept and the finished hypotheses)."""

from __future__ import annotations

from ...errors import ProblemError

from .scoring import WRITTEN, Hyp, closeness, factors, given_prefix, log_p, score_step, seq_text

SHOWN = 12         # candidates of a beam step shown one by one; beyond, the kept ones only


def greedy(d, work) -> Hyp:
    seq, P, logP = (), 1.0, 0.0
    for t in range(1, d.max_length + 1):
        probs = d.table(seq)
        i = int(probs.argmax())            # the first of equal maxima: vocabulary order
        tok, pt = d.vocabulary[i], float(probs[i])
        ties = [d.vocabulary[j] for j in range(len(probs)) if j != i and probs[j] == pt]
        if len(probs) <= WRITTEN:
            sub = "argmax(" + ", ".join(f"{v} {{}}" for v in d.vocabulary) + ")"
            args = tuple(float(x) for x in probs)
        else:
            sub, args = f"the largest of {len(probs)}", ()
        note = f"P({tok}{given_prefix(seq)}) = {pt:g}"
        if ties:
            note += f"; ties with {', '.join(ties)}: the first in the vocabulary is taken"
        work.note(f"y_{t}", tok, t=t, eq=f"argmax_y P(y{given_prefix(seq)})", sub=sub, args=args,
                  phase="greedy search", note=note)
        seq, P, logP = seq + (tok,), P * pt, logP + log_p(pt)
        if tok == d.eos:
            break
    return Hyp(seq, P, logP)


def scored(d, work) -> Hyp:
    seq, P, logP = (), 1.0, 0.0
    for t, tok in enumerate(d.sequence, start=1):
        pt = float(d.table(seq)[d.vocabulary.index(tok)])
        work.note(f"P({tok}{given_prefix(seq)})", pt, t=t, phase="the sequence, token by token")
        seq, P, logP = seq + (tok,), P * pt, logP + log_p(pt)
    return Hyp(seq, P, logP)


def totals(d, h: Hyp, work) -> None:
    """P, log P and the score of the sequence found (greedy) or given (score)."""
    fs = factors(d, h.tokens)
    text = seq_text(h.tokens)
    eq = "·".join(f"P({tok}{given_prefix(h.tokens[:t])})" for t, tok in enumerate(h.tokens))
    work.note(f"P({text})", h.P, eq=eq if len(fs) <= WRITTEN else "Π_t P(y_t | y_<t)",
              sub="·".join(["{}"] * len(fs)) if len(fs) <= WRITTEN else "",
              args=tuple(fs) if len(fs) <= WRITTEN else (), phase="the sequence")
    logs = [log_p(f) for f in fs]
    work.note("log P", h.logP, eq="Σ_t log P(y_t | y_<t)",
              sub=" + ".join(["{}"] * len(logs)) if len(logs) <= WRITTEN else "",
              args=tuple(logs) if len(logs) <= WRITTEN else (), phase="the sequence")
    score_step(d, h, work, "score", phase="the sequence")


def beam(d, work) -> Hyp:
    active, finished = [Hyp((), 1.0, 0.0)], []
    for t in range(1, d.max_length + 1):
        cands = []          # (hypothesis, P of its prefix, P of its last token)
        for h in active:
            probs = d.table(h.tokens)
            for tok, pt in zip(d.vocabulary, probs):
                pt = float(pt)
                cands.append((Hyp(h.tokens + (tok,), h.P * pt, h.logP + log_p(pt)), h.P, pt))
        order = sorted(range(len(cands)), key=lambda j: -cands[j][0].logP)   # stable: ties keep
        kept = [j for j in order if cands[j][0].P > 0][:d.beam]             # the earlier
        last = cands[kept[-1]][0].logP if kept else None
        shown = range(len(cands)) if len(cands) <= SHOWN else kept
        for j in shown:
            h, before, pt = cands[j]
            done = h.tokens[-1] == d.eos or t == d.max_length
            if j in kept:
                note = ("kept; ends with " + d.eos + ": finished, set aside"
                        if h.tokens[-1] == d.eos else
                        "kept; max_length reached: finished" if done else "kept")
            else:
                note = "dropped" + (" (probability 0)" if h.P == 0 else
                                    "; ties with the last kept, which came first"
                                    if h.logP == last else "")
            note += f"; log P = {h.logP:.6g}"
            tok, prefix = h.tokens[-1], h.tokens[:-1]
            if prefix:
                work.note(seq_text(h.tokens), h.P, t=t,
                          eq=f"P({seq_text(prefix)})·P({tok}{given_prefix(prefix)})",
                          sub="{}·{}", args=(before, pt), phase="beam search", note=note)
            else:
                work.note(seq_text(h.tokens), h.P, t=t, eq=f"P({tok})", phase="beam search",
                          note=note)
        if len(cands) > SHOWN:
            dropped = [j for j in order if j not in kept]
            if dropped:
                b = cands[dropped[0]][0]
                work.note("…", f"{len(dropped)} dropped", t=t, phase="beam search",
                          note=f"{len(cands)} candidates; the best dropped: {seq_text(b.tokens)} "
                               f"with P = {b.P:.6g}")
        active = []
        for j in kept:
            h = cands[j][0]
            (finished if h.tokens[-1] == d.eos or t == d.max_length else active).append(h)
        if not active:
            break
    if not finished:
        raise ProblemError("every continuation has probability 0: no hypothesis finishes",
                           keys=("tables",))
    scores = [score_step(d, h, work, f"score({seq_text(h.tokens)})", phase="final scores")
              for h in finished]
    # the first of equal scores; scores that underflowed to 0 ordered by their logarithms
    best = max(range(len(finished)), key=lambda i: (
        scores[i], closeness(d, finished[i]) if scores[i] == 0 else 0.0))
    h = finished[best]
    work.note("best", seq_text(h.tokens), eq="argmax score", phase="final scores",
              note=f"the highest score of the {len(finished)} finished hypotheses; "
                   f"P = {h.P:.6g}")
    return h
