"""The GRU in torch ops from the MITx equations' names (W_uh, W_ux, b_u, W_rh, ..., and
PyTorch's b_hn), one step, under each convention (SPEC 1.4):

    u = gate(W_uh h_{t-1} + W_ux x_t + b_u)        r = gate(W_rh h_{t-1} + W_rx x_t + b_r)
    ng, fully_gated: c = cand(W_ch (r ⊙ h_{t-1}) + W_cx x_t + b_c)
    pytorch:         c = cand(W_cx x_t + b_c + r ⊙ (W_ch h_{t-1} + b_hn))
    ng:              h_t = u ⊙ c + (1 - u) ⊙ h_{t-1}
    pytorch, fully_gated (d2l, Goodfellow): h_t = (1 - u) ⊙ c + u ⊙ h_{t-1}
"""

from __future__ import annotations


def gru_step(torch, P: dict, x, h, convention: str, gate: str = "logistic",
             candidate: str = "tanh"):
    """(the pre-activations z by gate u, r, c; h_t). gate: logistic or hard_sigmoid (Keras 2's
    clip(0.2 z + 0.5, 0, 1)); candidate: tanh or logistic."""
    act = torch.sigmoid if gate == "logistic" else (lambda z: torch.clamp(0.2 * z + 0.5, 0, 1))
    cand = torch.tanh if candidate == "tanh" else torch.sigmoid
    zu = P["W_uh"] @ h + P["W_ux"] @ x + P["b_u"]
    zr = P["W_rh"] @ h + P["W_rx"] @ x + P["b_r"]
    u, r = act(zu), act(zr)
    if convention == "pytorch":
        zc = P["W_cx"] @ x + P["b_c"] + r * (P["W_ch"] @ h + P["b_hn"])
    else:
        zc = P["W_ch"] @ (r * h) + P["W_cx"] @ x + P["b_c"]
    c = cand(zc)
    h = u * c + (1 - u) * h if convention == "ng" else (1 - u) * c + u * h
    return {"u": zu, "r": zr, "c": zc}, h
