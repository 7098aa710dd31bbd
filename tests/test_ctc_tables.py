"""The CTC forward-backward core (rnnquiz/types/ctc/tables.py) against oracles outside it: every
alignment enumerated by brute force (p(z|x), α, γ), torch's ctc_loss with autograd (loss and
gradients, each reduction), and finite differences."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest

from rnnquiz.types.ctc import tables as tb

# SPEC 1.12's example: columns [blank, a, b]
Y = np.array([[0.5, 0.3, 0.2], [0.4, 0.4, 0.2], [0.3, 0.2, 0.5], [0.6, 0.1, 0.3]])


def positions(path, target, blank):
    """The z' position of each frame of a path, or None when B(path) is not a prefix of z."""
    out, j, prev = [], 0, blank
    for k in path:
        if k == blank:
            s = 2 * j
        elif k == prev:
            s = 2 * j - 1
        else:
            if j >= len(target) or target[j] != k:
                return None
            j += 1
            s = 2 * j - 1
        out.append(s)
        prev = k
    return out, j


def brute(y, target, blank):
    """p(z|x), α_t(s) and γ_t(s) by summing over every path (and path prefix)."""
    T, K = y.shape
    S = 2 * len(target) + 1
    alpha = np.zeros((T, S))
    gamma = np.zeros((T, S))
    p = 0.0
    for t in range(1, T + 1):
        for prefix in itertools.product(range(K), repeat=t):
            walk = positions(prefix, target, blank)
            if walk is None:
                continue
            prob = math.prod(y[i, k] for i, k in enumerate(prefix))
            alpha[t - 1, walk[0][-1]] += prob
            if t == T and walk[1] == len(target):
                p += prob
                for i, s in enumerate(walk[0]):
                    gamma[i, s] += prob
    return p, alpha, gamma / p


def test_the_extended_target_and_its_skip_connections():
    """l' = [-, a, -, b, -]; a skip into each symbol unlike the symbol two back."""
    assert tb.extend([1, 2], 0).tolist() == [0, 1, 0, 2, 0]
    assert tb.skip_connect(tb.extend([1, 2], 0), 0).tolist() == [0, 0, 0, 1, 0]
    assert tb.skip_connect(tb.extend([1, 1, 2], 3), 3).tolist() == [0, 0, 0, 0, 0, 1, 0]
    assert tb.min_frames([1, 1, 2, 2, 2]) == 8


@pytest.mark.parametrize("space", ["scaled", "log"])
@pytest.mark.parametrize("target", [[1, 2], [1, 1], [2], []])
def test_alpha_p_and_gamma_match_every_alignment(space, target):
    p, alpha, gamma = brute(Y, target, 0)
    c = tb.forward_backward(target, 0, probabilities=Y, space=space)
    assert c.space == space
    assert c.p == pytest.approx(p, rel=1e-12)
    np.testing.assert_allclose(c.alpha(), alpha, rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(c.gamma, gamma, rtol=1e-12, atol=1e-15)
    # β in both senses: γ = αβ/(y p) (Graves 2006) = αβ̂/p (CMU 11-785)
    ys = Y[:, c.extended]
    np.testing.assert_allclose(c.alpha() * c.beta() / (ys * p), gamma, atol=1e-14)
    np.testing.assert_allclose(c.alpha() * c.beta(includes_y=False) / p, gamma, atol=1e-14)


def test_the_spec_example_by_hand():
    """α_1 = [0.5, 0.3, 0, 0, 0]; α_2(-) = 0.5·0.4, α_2(a) = (0.3 + 0.5)·0.4,
    α_2(b) = 0.3·0.2 (the skip from a)."""
    c = tb.forward_backward([1, 2], 0, probabilities=Y)
    np.testing.assert_allclose(c.alpha()[0], [0.5, 0.3, 0, 0, 0])
    np.testing.assert_allclose(c.alpha()[1], [0.2, 0.32, 0.12, 0.06, 0])
    assert c.alpha()[1, 1] == (0.3 + 0.5) * 0.4       # the hand's own products, to the bit
    assert c.alpha()[2, 3] == (0.06 + 0.12 + 0.32) * 0.5
    np.testing.assert_allclose(c.beta()[-1], [0, 0, 0, 0.3, 0.6])
    np.testing.assert_allclose(c.beta(includes_y=False)[-1], [0, 0, 0, 1, 1])


def test_expected_divergence_is_gamma_weighted_log_y():
    p, _, gamma = brute(Y, [1, 2], 0)
    ext = [0, 1, 0, 2, 0]
    div = -sum(gamma[t, s] * math.log(Y[t, ext[s]]) for t in range(4) for s in range(5))
    c = tb.forward_backward([1, 2], 0, probabilities=Y)
    assert tb.loss(c, "expected_divergence") == pytest.approx(div, rel=1e-12)
    assert tb.loss(c, "nll") == pytest.approx(-math.log(p), rel=1e-12)
    assert tb.loss(c, "nll", "mean") == pytest.approx(-math.log(p) / 2, rel=1e-12)


def _torch_ctc(torch, y_or_u, target, blank, reduction, logits):
    x = torch.tensor(y_or_u, dtype=torch.float64, requires_grad=True)
    lp = torch.log_softmax(x, 1) if logits else torch.log(x)
    L = torch.nn.functional.ctc_loss(lp[:, None, :], torch.tensor([target or [0]]),
                                     [len(x)], [len(target)], blank=blank,
                                     reduction=reduction)
    L.sum().backward()
    return float(L.detach().sum()), x.grad.numpy()


def _torch_gamma(torch, y, target, blank, reduction):
    """torch's γ (times the mean's 1/|target|), whole down to its zeros: its gradient for
    log-probabilities lp is e^lp - γ (it assumes a softmax below). Every frame's lp lowered by
    1000 leaves γ alone and sends e^lp to 0, so the gradient is -γ itself, not y - γ, which
    keeps γ only to 1e-16 of y."""
    lp = (torch.log(torch.tensor(y, dtype=torch.float64)) - 1000).requires_grad_()
    L = torch.nn.functional.ctc_loss(lp[:, None, :], torch.tensor([target or [0]]),
                                     [len(y)], [len(target)], blank=blank,
                                     reduction=reduction)
    L.sum().backward()
    return -lp.grad.numpy()


@pytest.mark.parametrize("reduction", ["none", "sum", "mean"])
@pytest.mark.parametrize("blank_last", [False, True])
@pytest.mark.parametrize("target", [[1, 3, 3, 2], [2], []])
def test_loss_and_gradients_agree_with_torch(reduction, blank_last, target):
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(len(target) + 7 * blank_last)
    T, K = 9, 5
    u = rng.normal(0, 1.5, (T, K))
    blank = K - 1 if blank_last else 0
    if blank_last:
        target = [k - 1 for k in target]
    ours_red = "sum" if reduction == "none" else reduction
    c = tb.forward_backward(target, blank, logits=u)
    E, du = _torch_ctc(torch, u, target, blank, reduction, logits=True)
    assert tb.loss(c, "nll", ours_red) == pytest.approx(E, rel=1e-12)
    dy, ours_du = tb.gradients(c, ours_red)
    np.testing.assert_allclose(ours_du, du, atol=1e-13)
    E2, _ = _torch_ctc(torch, c.y, target, blank, reduction, logits=False)
    assert E2 == pytest.approx(E, rel=1e-12)
    # dE/dy = -γ/y, to its digits and 0 exactly off the target's paths: through log y torch's
    # gradient, 1 - γ/y, held those 0s only as 1 - 1 ± 1e-16, inside any atol
    gamma = _torch_gamma(torch, c.y, target, blank, reduction)
    np.testing.assert_allclose(dy, -gamma / c.y, rtol=1e-11, atol=0)


def test_gradients_by_finite_differences():
    rng = np.random.default_rng(3)
    u = rng.normal(0, 1, (6, 4))
    target = [1, 2, 2]
    c = tb.forward_backward(target, 0, logits=u)
    dy, du = tb.gradients(c, "mean")
    h = 1e-6
    for t, k in itertools.product(range(6), range(4)):
        e = np.zeros_like(u)
        e[t, k] = h
        fd = (tb.loss(tb.forward_backward(target, 0, logits=u + e), "nll", "mean")
              - tb.loss(tb.forward_backward(target, 0, logits=u - e), "nll", "mean")) / (2 * h)
        assert du[t, k] == pytest.approx(fd, abs=1e-8)
        y = c.y.copy()
        yp, ym = y.copy(), y.copy()
        yp[t, k] += h
        ym[t, k] -= h       # E as a function of y alone: rows need not sum to 1 here
        fd = (tb.loss(tb.forward_backward(target, 0, probabilities=yp), "nll", "mean")
              - tb.loss(tb.forward_backward(target, 0, probabilities=ym), "nll", "mean")) / (2 * h)
        assert dy[t, k] == pytest.approx(fd, rel=1e-6, abs=1e-8)


def test_a_zero_probability_gives_a_finite_gradient():
    """y^t_k = 0 on a path: dE/dy = -(1/p) Σ ᾱβ̂ is finite; dE/du there is 0."""
    y = np.array([[0.5, 0.5, 0.0], [0.4, 0.6, 0.0], [0.7, 0.3, 0.0]])
    c = tb.forward_backward([1], 0, probabilities=y)
    assert np.all(np.isfinite(c.dE_dy()))
    yp = y.copy()
    yp[1, 2] = 1e-7       # column b is on no path of "a": the gradient there is 0
    assert tb.forward_backward([1], 0, probabilities=yp).p == pytest.approx(c.p, rel=1e-15)
    assert c.dE_dy()[1, 2] == 0
    np.testing.assert_allclose(c.dE_du()[:, 2], 0)


def test_long_inputs_agree_in_both_spaces_and_with_torch():
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(5)
    T, K = 400, 8
    u = rng.normal(0, 2, (T, K))
    target = rng.integers(1, K, 60).tolist()
    a = tb.forward_backward(target, 0, logits=u)
    b = tb.forward_backward(target, 0, logits=u, space="log")
    assert a.space == "scaled" and a.p == 0.0        # p itself underflows; ln p does not
    assert a.log_p == pytest.approx(b.log_p, rel=1e-12)
    # atol=0: 23,720 of γ's 40,480 entries (down to 2e-282) are below 1e-12
    np.testing.assert_allclose(a.gamma, b.gamma, atol=0)
    fin = np.isfinite(b.log_alpha)
    np.testing.assert_allclose(a.log_alpha[fin], b.log_alpha[fin], rtol=1e-10)
    assert a.underflows(a.log_alpha)
    E, du = _torch_ctc(torch, u, target, 0, "sum", logits=True)
    assert a.nll() == pytest.approx(E, rel=1e-12)
    np.testing.assert_allclose(a.dE_du(), du, atol=1e-11)


def test_a_softmax_that_underflows_runs_in_log_space():
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(6)
    u = rng.normal(0, 1, (12, 4)) * 900        # y underflows to 0 in float64
    target = [1, 2, 3]
    c = tb.forward_backward(target, 0, logits=u)
    assert c.space == "log"
    E, du = _torch_ctc(torch, u, target, 0, "sum", logits=True)
    assert c.nll() == pytest.approx(E, rel=1e-12)
    # dE/du = y - γ runs from ±1 down to 8e-319, 0 where y underflows: a flat atol checked
    # nothing below it. y - γ where the two nearly cancel (y_0(blank) = 1.8e-283, the
    # difference 1.7e-344) is noise in both, a few 1e-13 of y: the atol is 1e-11 of each y
    y = torch.softmax(torch.tensor(u), 1).numpy()
    ours = c.dE_du()
    near = np.abs(ours - du) <= 1e-7 * np.abs(du) + 1e-11 * y
    assert near.all(), (ours[~near], du[~near])


def test_targets_no_alignment_fits_are_errors():
    with pytest.raises(tb.CTCError, match="length 3 needs at least 4 frames.*there are 3"):
        tb.forward_backward([1, 1, 2], 0, probabilities=Y[:3])
    with pytest.raises(tb.CTCError, match="one row of y per frame"):
        tb.forward_backward([], 0, probabilities=np.zeros((0, 3)))
    y = np.array([[1.0, 0.0], [1.0, 0.0]])
    with pytest.raises(tb.CTCError, match="p\\(z\\|x\\) = 0"):
        tb.forward_backward([1], 0, probabilities=y)
