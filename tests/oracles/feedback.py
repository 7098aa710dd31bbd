"""A simple RNN whose output is fed back (SPEC 1.1; Goodfellow fig. 10.4), with Jordan's
decaying state units (network.state_decay μ), in torch ops, the example axis first where
there is one (X: (T, D) or (N, T, D)):

    s_0 = y_init        s_t = μ s_{t-1} + f_{t-1}    (μ = 0: s_t = f_{t-1})
    f_{t-1}: the own output y_{t-1} (feedback: output), the target (target), or the one-hot
             of y_{t-1}'s largest element (argmax)
    z_t = W_xh x_t + W_hh h_{t-1} + W_yh s_t + b_h       h_{-1} = h_init (0 without it)
    h_t = hidden(z_t)      u_t = W_hy h_t + b_y      y_t = output(u_t)
    E = ½ Σ_t (y_t - target_t)²   over the steps `loss_at` (default every step)
"""

from __future__ import annotations


def activations(torch) -> dict:
    return {"linear": lambda u: u, "logistic": torch.sigmoid, "tanh": torch.tanh,
            "softmax": lambda u: torch.softmax(u, dim=-1)}


def fed_back(torch, P: dict, X, TG, hidden: str, output: str, mode: str = "output",
             mu: float = 0.0, loss_at=None):
    """(E, steps): steps[t] holds the step's s, z, h, u and y, each keeping its gradient
    (retain_grad) where it has one. P: the network's tensors (W_xh, W_hh, W_yh, W_hy, b_h,
    b_y, y_init, h_init if given); TG: the targets, shaped as the outputs."""
    act = activations(torch)
    lead = tuple(X.shape[:-2])
    T = X.shape[-2]
    h = P["h_init"].expand(*lead, -1) if "h_init" in P else \
        torch.zeros(*lead, P["W_hh"].shape[0], dtype=torch.float64)
    s = P["y_init"].reshape(-1).expand(*lead, -1)
    E, steps = 0, []
    for t in range(T):
        if t:
            y = steps[-1]["y"]
            f = {"output": y, "target": TG[..., t - 1, :],
                 "argmax": torch.nn.functional.one_hot(y.argmax(-1), y.shape[-1]).to(
                     torch.float64)}[mode]
            s = mu * s + f if mu else f
        z = X[..., t, :] @ P["W_xh"].T + h @ P["W_hh"].T + s @ P["W_yh"].T + P["b_h"]
        h = act[hidden](z)
        u = h @ P["W_hy"].T + P["b_y"]
        y = act[output](u)
        step = {"s": s, "z": z, "h": h, "u": u, "y": y}
        for v in step.values():
            if v.requires_grad:
                v.retain_grad()
        steps.append(step)
        if loss_at is None or t in loss_at:
            E = E + 0.5 * ((y - TG[..., t, :]) ** 2).sum()
    return E, steps
