"""Write the generated pages of docs/ from the program itself: docs/notations.md (every
notation's keys, from the notation registry) and docs/types/<type>.md (each question type's
keys, its quantities and a worked example solved by rnnquiz).

    python docs/build.py            rewrite the pages
    python docs/build.py --check    exit 1 if a page differs from what the program gives

tests/test_docs_match_program.py runs the check, so the pages cannot drift from the program.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

DOCS = Path(__file__).resolve().parent
ROOT = DOCS.parent

# each type: what it asks, and its worked example (a bundled problem, or a file written here)
TYPES = {
    "forward": ("The forward pass of a simple RNN (Hinton's notation by default): the states "
                "and outputs at each step.", "hinton_p3"),
    "backprop": ("Backpropagation through time: the loss, and the gradient of any state, "
                 "output, input, weight or bias, for the simple RNN or (`cell:`) an LSTM, GRU "
                 "or gated RNN.", "hinton_p4"),
    "vanishing": ("Does the gradient vanish, explode, or neither? The product of the state "
                  "Jacobians between two steps decides.", "hinton_p5"),
    "hmm_bits": ("How many bits an HMM's hidden state carries (log2 of the states), against "
                 "an RNN state of binary units.", "hinton_p1"),
    "lstm": ("An LSTM's gates, cell and hidden states, step by step (MITx 6.86x notation by "
             "default).", "mit_lstm_calculation"),
    "gru": ("A GRU's gates and states; `convention:` picks the update rule where the notation "
            "leaves it open.", None),
    "gated": ("The gated RNN of MITx 6.86x: a gate g_t mixes the old state with a tanh "
              "candidate.", None),
    "shapes": ("Gate sizes, parameter counts and the shape of every weight of an RNN, LSTM or "
               "GRU layer, as a course, PyTorch or Keras counts them.", "dlai_q7_gate_dim"),
    "choice": ("A multiple-choice question, with the explanation and (`demo:`) a problem whose "
               "working shows why.", "hinton_p2_choice"),
    "clip": ("Gradient clipping, by value or by the global norm, of gradients the exercise "
             "gives.", "d2l_9_5_clip_norm"),
    "perplexity": ("Cross-entropy and perplexity from the probabilities a model gives the "
                   "actual next tokens, or from a table of log-probabilities with padding "
                   "(`log_probabilities`, `targets`, `pad`).", "perplexity_by_hand"),
    "decode": ("Greedy search, beam search, or the score of one sequence, from tables of "
               "next-token probabilities.", "d2l_10_8_greedy"),
    "ctc": ("Connectionist temporal classification: the forward-backward tables α, β, γ, "
            "p(z|x), the loss and its gradients, best-path and prefix beam decoding, and "
            "collapsing a path.", None),
    "attention": ("One decoder step attending over encoder states (given, or computed by an "
                  "encoder network): the energies, the weights α, the context and the "
                  "combined output, in each course's names.", "dlai_attention_context"),
    "bleu": ("The BLEU score of a translation against its references: clipped n-gram "
             "precisions, the brevity penalty, their weighted geometric mean.", "cs224n_a4_bleu"),
}
OWN_EXAMPLES = {
    "ctc": """type: ctc
title: CTC forward-backward, the target ab over four frames
symbols: [a, b]
probabilities:
  - [0.5, 0.3, 0.2]
  - [0.4, 0.4, 0.2]
  - [0.3, 0.2, 0.5]
  - [0.6, 0.1, 0.3]
target: [a, b]
ask: {quantity: loss, digits: 4}
""",
    "gru": """type: gru
title: A GRU, three steps
network: {W_uh: 0.4, W_ux: -0.8, b_u: 0.4, W_rh: -0.4, W_rx: -0.8, W_ch: -0.4, W_cx: 0.5}
inputs: [1, 2, -3]
ask: {quantity: h, t: 2, digits: 3}
answer: -0.861
""",
    "gated": """type: gated
title: A gated RNN, three steps
network: {W_gs: 0.5, W_gx: 1, b_g: 0, W_ss: 1, W_sx: -1, b_s: 0.5, s_init: 0}
inputs: [1, 0, 2]
ask: {quantity: s, digits: 3}
""",
}


def _solve(text: str) -> tuple[str, int]:
    """`rnnquiz solve` of a problem text, as piped output reads (80 columns, no colour)."""
    from click.testing import CliRunner   # noqa: PLC0415

    from rnnquiz.cli.commands import cli   # noqa: PLC0415
    r = CliRunner(env={"NO_COLOR": "1", "COLUMNS": "80"}).invoke(
        cli, ["solve", "-"], input=text, catch_exceptions=False)
    return "\n".join(line.rstrip() for line in r.stdout.splitlines()), r.exit_code


def _quantities(text: str) -> list[str]:
    """The quantities the example's file may ask, as the program lists them."""
    import yaml   # noqa: PLC0415

    import rnnquiz   # noqa: PLC0415
    doc = yaml.safe_load(text.split("\n---")[0])
    if doc["type"] == "choice":
        return []
    ask = doc.get("ask") if isinstance(doc.get("ask"), dict) else {}
    doc["ask"] = {"quantity": "?", **{k: v for k, v in ask.items() if k in ("layer",)}}
    doc.pop("answer", None)
    try:
        rnnquiz.solve(doc, steps=False)
    except rnnquiz.ProblemError as err:
        m = re.search(r"expected one of ([^;]+)", err.reason)
        return [q.strip() for q in m.group(1).split(",")] if m else []
    return []


def type_page(ptype: str) -> str:
    from rnnquiz.types.keys import KEYS   # noqa: PLC0415
    what, name = TYPES[ptype]
    text = OWN_EXAMPLES[ptype] if name is None else \
        (ROOT / "problems" / f"{name}.yaml").read_text(encoding="utf-8")
    shown = f"problems/{name}.yaml" if name else "example.yaml"
    out, code = _solve(text)
    quantities = _quantities(text)
    keys = ", ".join(f"`{k}`" for k in sorted(KEYS[ptype]))
    lines = [f"# `type: {ptype}`", "", what, "",
             f"Keys: {keys}. Each is described in [the format](../format.md); the network keys of "
             f"every notation are in [notations](../notations.md).", ""]
    if quantities:
        lines += ["`ask.quantity` (in this example's notation): "
                  + ", ".join(f"`{q}`" for q in quantities) + ".", ""]
    lines += ["## Worked example", "", f"`{shown}`:", "", "```yaml", text.rstrip(), "```", "",
              f"`rnnquiz solve {shown}` prints (exit code {code}):", "", "```text", out.rstrip(), "```",
              "", "*This page is generated by `python docs/build.py` from the program; "
              "tests/test_docs_match_program.py fails when it is out of date.*", ""]
    return "\n".join(lines)


def notations_page() -> str:
    from rnnquiz.notations import NOTATIONS   # noqa: PLC0415
    lines = ["# Notations: each course's keys", "",
             "`notation:` says whose keys, matrix layout and step numbering a file uses; "
             "`convention:` (GRU only) picks the update rule where the notation leaves it open "
             "(only `mit` does; every other notation fixes its own rule, and a file naming "
             "another is refused with `leave convention out`).", "",
             "Shapes use `h` (state size), `x` (input size), `y` (output size): `4h` is four "
             "gates stacked, `h+x` a weight on the concatenation `[state; input]`. Column "
             "layout: a weight of shape (to, from) acts on a column, `W x`; row layout: (from, "
             "to), `x W`. Steps count from the number in *first step*; the initial state is "
             "the step before it. Missing weights and biases are 0; missing states are 0.", "",
             "| cell | notation | layout | first step | weights | biases | initial states | "
             "words | GRU rule |", "|---|---|---|---|---|---|---|---|---|"]
    for (cell, name), n in sorted(NOTATIONS.items()):
        weights = ", ".join(f"`{k}` ({a}, {b})" for k, (a, b) in n.weights.items())
        biases = ", ".join(f"`{k}` ({d})" for k, d in n.biases.items())
        states = ", ".join(f"`{k}`" for k in n.states)
        words = ", ".join(f"`{k}`" for k in n.words)
        extra = [f"`{n.embedding}` (token indices as inputs)"] + \
            [f"`{k}` (output feedback)" for k in n.feedback_keys]
        rule = (n.convention or ("`ng`, `pytorch` or `fully_gated` (`convention:`)"
                                 if cell == "gru" else "")
                ) if cell == "gru" else ""
        lines.append(f"| {cell} | `{name}` | {n.layout} | {n.first} | {weights} | {biases} | "
                     f"{states}; {', '.join(extra)} | {words} | {rule} |")
    from rnnquiz.notations import MODELS, model   # noqa: PLC0415
    for name in sorted(MODELS):         # a model of its own (type forward only)
        spec = model(name)
        n = spec.NOTATION
        weights = ", ".join(f"`{k}` ({a}, {b})" for k, (a, b) in n.weights.items())
        numbers = ", ".join(f"`{k}` (a number)" for k in spec.NUMBERS)
        lines.append(f"| {n.cell} (`forward` only) | `{name}` | {n.layout} | {n.first} | "
                     f"{weights} | in column 0 of the weights (`1+x`: the constant 1 first) | "
                     f"none: x(0) = 0 | {numbers} | |")
    lines += ["", "The words: `hidden` (`logistic`, also written `sigmoid`; `tanh`, `relu`, "
              "`linear`, `step`, `hard_sigmoid`), `output` (`linear`, `logistic`, `tanh`, "
              "`softmax`), `gate_activation` (`logistic`, `hard_sigmoid`) and "
              "`candidate_activation` (`tanh`, `logistic`); Keras writes these two "
              "`recurrent_activation` and `activation`, and a Keras GRU takes `reset_after`.",
              "", "The LSTM of the `mit` notation also takes the peepholes `w_cf`, `w_ci`, "
              "`w_co` (numbers or vectors, acting element-wise: f_t and i_t add w_cf ⊙ c_{t-1} "
              "and w_ci ⊙ c_{t-1}, o_t adds w_co ⊙ c_t). In the `pytorch` notation a stack "
              "writes PyTorch's state_dict keys (`weight_ih_l0`, `weight_hh_l1_reverse`, ...) "
              "and `h0`/`c0` for the initial states.", "",
              "The `esn` notation is an echo state network (Lukoševičius' practical guide): a "
              "leaky reservoir `x(n) = (1 - α) x(n-1) + α tanh(W_in [1; u(n)] + W x(n-1))` read "
              "out by `y(n) = W_out [1; u(n); x(n)]`, `W_out` given or fitted by ridge "
              "regression (`readout_fit`); see [the format](format.md).", "",
              "*Generated by `python docs/build.py` from the notation registry.*", ""]
    return "\n".join(lines)


def conventions_page() -> str:
    """docs/conventions.md: `rnnquiz conventions --format markdown`, with how to use it."""
    from rnnquiz.render.reference import reference_markdown   # noqa: PLC0415
    from rnnquiz.teaching.conventions import reference   # noqa: PLC0415
    intro = ["# Conventions: the same exercise in each framework and course", "",
             "Most wrong answers students bring are right under another convention: PyTorch's "
             "GRU where the course writes deeplearning.ai's, a loss averaged where the course "
             "sums it, steps counted from 1 where the course counts from 0. "
             "`rnnquiz solve FILE --conventions` gives the asked quantity under every convention "
             "below that changes it (the file's own marked ▶; JSON `conventions`: `id`, `label`, "
             "`answer`, `own`; a question in several parts has one table a part, JSON `conventions` "
             "in each entry of `parts`), and `rnnquiz check FILE --answer X` names the convention under "
             "which a wrong answer is right before any slip (`wrong for this course "
             "(deeplearning.ai); right under PyTorch's GRU, whose z multiplies the old state`), "
             "two combined where an answer needs both. The ids are stable; "
             "`rnnquiz conventions` prints this reference.", "",
             "In Python: `rnnquiz.solve(problem, conventions=True).extra[\"conventions\"]`; "
             "`rnnquiz.check(problem, \"0.52\")[\"diagnosis\"]`, each entry with `kind` "
             "(`convention` or `slip`), `id`, `label` and `answer`.", ""]
    return "\n".join(intro) + "\n" + reference_markdown(reference()) + (
        "\n*This page is generated by `python docs/build.py` from the program; "
        "tests/test_docs_match_program.py fails when it is out of date.*\n")


def pages() -> dict[Path, str]:
    out = {DOCS / "notations.md": notations_page(), DOCS / "conventions.md": conventions_page()}
    for ptype in TYPES:
        out[DOCS / "types" / f"{ptype}.md"] = type_page(ptype)
    return out


def main(argv: list[str]) -> int:
    sys.path.insert(0, str(ROOT))
    stale = []
    for path, text in pages().items():
        if "--check" in argv:
            if not path.exists() or path.read_text(encoding="utf-8") != text:
                stale.append(path)
        else:
            path.parent.mkdir(exist_ok=True)
            path.write_text(text, encoding="utf-8")
    for path in stale:
        print(f"out of date: {path.relative_to(ROOT)} (run python docs/build.py)")
    return 1 if stale else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
