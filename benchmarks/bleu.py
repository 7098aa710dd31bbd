"""Benchmark: corpus BLEU over 10,000 sentence pairs against sacrebleu's corpus_bleu on the
same tokens (tokenize="none"), measured in the same run. Run: python benchmarks/bleu.py [--quick]

    rnnquiz.types.bleu corpus_bleu / sacrebleu BLEU(tokenize="none").corpus_score   goal <= 0.5
"""

from __future__ import annotations

import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GOAL = 0.5


def corpus(n: int, refs: int = 2, seed: int = 0):
    """n candidates of 10-40 words from a Zipf-like vocabulary, each with `refs` references
    that share about half of its words."""
    rng = random.Random(seed)
    vocab = [f"w{i}" for i in range(5000)]
    weights = [1 / (i + 1) for i in range(len(vocab))]

    def sentence():
        return rng.choices(vocab, weights, k=rng.randint(10, 40))

    cands, references = [], []
    for _ in range(n):
        cand = sentence()
        rs = []
        for _ in range(refs):
            r = [w if rng.random() < 0.5 else rng.choices(vocab, weights)[0] for w in cand]
            rs.append(" ".join(r[:max(1, len(r) + rng.randint(-5, 5))]))
        cands.append(" ".join(cand))
        references.append(rs)
    return cands, references


def _time(fn) -> float:
    t = time.perf_counter()
    fn()
    return time.perf_counter() - t


def main(quick: bool = False) -> dict | None:
    try:
        import sacrebleu
    except ImportError:
        print("BLEU vs sacrebleu: skipped (pip install sacrebleu to measure)")
        return None
    sys.path.insert(0, str(ROOT))
    from rnnquiz.types.bleu.score import corpus_bleu

    n = 10_000
    cands, refs = corpus(n)
    streams = [list(s) for s in zip(*refs)]          # sacrebleu: one stream per reference
    metric = sacrebleu.BLEU(tokenize="none")

    def ours():
        return corpus_bleu(cands, refs).percent

    def theirs():
        return metric.corpus_score(cands, streams).score

    runs = 3 if quick else 7
    ours(), theirs()                                 # warm: imports, caches
    t_ours, t_theirs = [], []
    for _ in range(runs):                            # alternately: a noisy neighbour slows both
        t_theirs.append(_time(theirs))
        t_ours.append(_time(ours))
    a, b = statistics.median(t_ours), statistics.median(t_theirs)
    s_ours, s_theirs = ours(), theirs()
    agree = abs(s_ours - s_theirs) <= 1e-9 * max(1.0, abs(s_theirs))
    ratio = a / b
    print(f"{'corpus BLEU, ' + f'{n:,} pairs / sacrebleu corpus_score':<58} {a * 1000:9.1f} ms / "
          f"{b * 1000:8.1f} ms = {ratio:5.2f}  (goal <= {GOAL}) "
          f"{'ok' if ratio <= GOAL else 'MISSED'}")
    print(f"{'scores':<58} {s_ours:.12f} / {s_theirs:.12f}  "
          f"{'agree' if agree else 'DISAGREE'}")
    return {"what": "corpus BLEU / sacrebleu", "ms": a * 1000, "reference_ms": b * 1000,
            "ratio": ratio, "goal": GOAL, "agree": agree}


if __name__ == "__main__":
    main(quick="--quick" in sys.argv)
