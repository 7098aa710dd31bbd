"""A refusal for memory says its sizes in a unit that reads (KiB below 1 MiB, one decimal
below 10 of a unit): a small limit is never 'about 0 MiB, more than the limit of 0 MiB'."""

import pytest

from conftest import PROBLEMS, run
from rnnquiz.problem import limits


@pytest.mark.parametrize("n, said", [
    (100, "100 bytes"), (1024, "1 KiB"), (1500, "1.5 KiB"), (9984, "9.8 KiB"),
    (2 ** 20, "1 MiB"), (1_126_400, "1.1 MiB"), (534 * 2 ** 20, "534 MiB"),
    (5 * 2 ** 30, "5,120 MiB"), (12 * 2 ** 30, "12 GiB"),
])
def test_byte_size(n, said):
    assert limits.byte_size(n) == said


def _ctc(T: int, target_len: int) -> str:
    rows = "\n".join(f"  - [{0.1 * (t % 3)}, 0.2, 0.3, 0.4]" for t in range(T))
    target = ", ".join("ab"[i % 2] for i in range(target_len))
    return (f"type: ctc\nsymbols: [a, b, c]\nlogits:\n{rows}\ntarget: [{target}]\n"
            "loss: nll\nask: {quantity: loss}\n")


def test_ctc_tables_past_a_one_mib_limit(tmp_path, monkeypatch):
    # 200 frames by 2·20 + 1 = 41 positions, plus 4 columns: 200·45 entries of 128 bytes
    # = 1,152,000 bytes = 1.1 MiB
    f = tmp_path / "ctc.yaml"
    f.write_text(_ctc(200, 20))
    monkeypatch.setattr(limits, "MAX_MEMORY", limits.MAX_MEMORY)    # the CLI sets it
    r = run("solve", str(f), "--max-memory", "1")
    assert r.exit_code == 2
    assert "tables of 200 frames by 41 positions of the extended target would need about " \
           "1.1 MiB, more than the limit of 1 MiB (--max-memory raises it)" in r.stderr


def test_ctc_tables_under_a_limit_below_one_mib(monkeypatch):
    # the bundled CMU file: 6 frames by 9 positions plus 4 columns, 6·13·128 = 9,984 bytes
    monkeypatch.setattr(limits, "MAX_MEMORY", 3000)
    import rnnquiz
    with pytest.raises(rnnquiz.ProblemError, match=r"would need about 9\.8 KiB, more than the "
                                                   r"limit of 2\.9 KiB \(--max-memory"):
        rnnquiz.solve(rnnquiz.load(str(PROBLEMS / "cmu11785_hw3_ctc.yaml"))[0])
