"""--plot: pictures checked for size and content, and writes that never leave half a file."""

from pathlib import Path

import pytest

import rnnquiz
from rnnquiz.render import plot as plotting
from rnnquiz.errors import ProblemError
from conftest import run

mpl = pytest.importorskip("matplotlib")
PROBLEMS = Path(__file__).resolve().parent.parent / "problems"


def solved(*names):
    return [rnnquiz.solve(p) for n in names for p in rnnquiz.load(PROBLEMS / f"{n}.yaml")]


def image(path):
    import matplotlib.image as mpimg
    return mpimg.imread(str(path))


def test_one_panel_per_problem_with_drawn_content(tmp_path):
    out = tmp_path / "p.png"
    assert plotting.plot(solved("hinton_p3", "hinton_p5", "mit_lstm_states_1"), str(out)) is None
    img = image(out)
    h, w = img.shape[:2]
    assert w == 800 and h == 3 * 320                  # 8 x 3.2 inches a panel at 100 dpi
    # not blank: many distinct colours (markers, lines, text), and ink in every panel
    for k in range(3):
        panel = img[k * 320:(k + 1) * 320, :, :3]
        assert (panel < 0.5).any(axis=2).mean() > 0.01
    assert len({tuple(px) for px in (img[:, :, :3].reshape(-1, 3) * 255).astype(int)[::7]}) > 50


def test_what_is_drawn():
    import matplotlib.pyplot as plt
    fig, (a1, a2, a3) = plt.subplots(3, 1)
    p3, p5, lstm = solved("hinton_p3", "hinton_p5", "mit_lstm_states_1")
    plotting._steps(a1, p3)
    labels = [ln.get_label() for ln in a1.get_lines()]
    assert labels[0] == "y (asked)" and "h" in labels          # P3 asks for y: y is drawn
    y = a1.get_lines()[0].get_ydata()
    assert list(y) == pytest.approx([-0.679481, -0.355129, -0.052742], abs=1e-6)
    assert a1.get_lines()[0].get_linestyle() == ":"          # markers at the steps, not a curve
    plotting._vanishing(a2, p5)
    factor, product = a2.get_lines()[:2]
    assert list(factor.get_ydata()) == pytest.approx([0.393224, 0.305491, 0.275139], abs=1e-6)
    # the running product from the first step on: the decay that decides "vanishing"
    assert list(product.get_ydata()) == pytest.approx([0.393224, 0.120126, 0.0330515], abs=1e-6)
    assert a2.get_yscale() == "log"
    plotting._steps(a3, lstm)
    assert [ln.get_label() for ln in a3.get_lines()][0] == "h (asked)"   # the LSTM shows h
    assert list(a3.get_lines()[0].get_ydata()) == [0, 0, 1, -1, 1, 0]
    plt.close(fig)


def test_integer_ticks_and_titles_that_fit(tmp_path, monkeypatch):
    out = tmp_path / "p.png"
    r = run("solve", "hinton_p3", "--plot", str(out))
    assert r.exit_code == 0 and out.stat().st_size > 0
    # the figure rnnquiz itself saves: steps are whole numbers on every x axis (matplotlib's
    # own ticks for 0..2 are 0, 0.25, ...), and a title longer than the panel stays inside it
    drawn = {}

    def keep(fig, path, fmt):
        fig.canvas.draw()
        drawn["ticks"] = [list(ax.get_xticks()) for ax in fig.axes]
        titles = [ax.get_title(loc="left") for ax in fig.axes]      # rnnquiz titles left
        drawn["titles"] = [(t.get_text(), t.get_window_extent())
                           for t in fig.findobj(mpl.text.Text) if t.get_text() in titles]
        drawn["width"] = fig.bbox.x1

    monkeypatch.setattr(plotting, "_save", keep)
    (p3,) = rnnquiz.load(PROBLEMS / "hinton_p3.yaml")
    p3.title = "A title much longer than one panel of the picture is wide, " * 3
    plotting.plot([rnnquiz.solve(p3)] + solved("hinton_p5"), str(out))
    assert len(drawn["ticks"]) == 2
    for ticks in drawn["ticks"]:
        assert len(ticks) >= 2 and all(float(t).is_integer() for t in ticks), ticks
    for text, box in drawn["titles"]:
        assert 0 <= box.x0 and box.x1 <= drawn["width"], text
    assert len(drawn["titles"]) == 2 and "\n" in drawn["titles"][0][0]


def test_a_batch_is_bounded_and_says_so(tmp_path):
    out = tmp_path / "many.png"
    results = solved("hinton_p3") * 300
    note = plotting.plot(results, str(out))
    assert "first 12 of 300" in note
    h, w = image(out).shape[:2]
    assert w == 800 and h == 12 * 320


def test_a_failed_plot_keeps_the_good_png(tmp_path, monkeypatch):
    out = tmp_path / "p.png"
    plotting.plot(solved("hinton_p3"), str(out))
    good = out.read_bytes()

    def broken(self, fh, **kw):
        fh.write(b"\x89PNG\r\n\x1a\n half a picture")
        raise OSError(28, "No space left on device")
    monkeypatch.setattr(mpl.figure.Figure, "savefig", broken)
    with pytest.raises(ProblemError, match="No space left"):
        plotting.plot(solved("hinton_p5"), str(out))
    assert out.read_bytes() == good
    assert sorted(f.name for f in tmp_path.iterdir()) == ["p.png"]     # no temporary left


@pytest.mark.parametrize("arg, message", [("", "needs a file name"),
                                          (".png", "give the file a name before .png"),
                                          ("x.gif", ".png or .svg")])
def test_bad_plot_paths_are_usage_errors(arg, message, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    r = run("solve", "hinton_p3", "--plot", arg)
    assert r.exit_code == 2 and message in r.stderr
    assert list(tmp_path.iterdir()) == []               # neither .png nor .png.png


def test_svg(tmp_path):
    out = tmp_path / "p.svg"
    assert run("solve", "hinton_p5", "--plot", str(out)).exit_code == 0
    assert out.read_text().lstrip().startswith("<?xml") and "<svg" in out.read_text()
    assert oct(out.stat().st_mode & 0o777) != "0o600"
