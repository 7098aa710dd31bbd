"""The LSTM in torch ops from the MITx equations' names (W_fh, W_fx, b_f, ...): Gers and
Graves' diagonal peepholes (peephole_step, below), and the variants of SPEC 1.15 that the
network's words name (lstm_variant, with W_rh, W_rx, b_r for the relevance gate):

    s_{t-1} = c_{t-1} with recurrence: cell (the peephole LSTM through full matrices), else h_{t-1}
    f_t, i_t, o_t = σ(W_·h s_{t-1} + W_·x x_t + b_·)
    r_t = σ(W_rh h_{t-1} + W_rx x_t + b_r)                       relevance_gate (CS230)
    g_t = cand(W_ch (r_t ⊙ h_{t-1}) + W_cx x_t + b_c)            no W_ch with recurrence: cell
    c_t = f_t ⊙ c_{t-1} + i_t ⊙ g_t
    h_t = o_t ⊙ c_t (state_activation: linear) or o_t ⊙ tanh(c_t)
"""

from __future__ import annotations


def lstm_variant(torch, P: dict, X, h, c, words: dict, candidate=None):
    """(every h_t, every r_t) of the variant `words` names (relevance_gate, state_activation,
    recurrence: the network's keys), from the initial states h and c; r_t is None without the
    relevance gate. `candidate` is g's activation (tanh; Goodfellow eq. 10.41's σ)."""
    relevance = words.get("relevance_gate", False)
    linear = words.get("state_activation") == "linear"
    from_cell = words.get("recurrence") == "cell"
    cand = candidate or torch.tanh
    hs, rs = [], []
    for x in X:
        s = c if from_cell else h
        f = torch.sigmoid(P["W_fh"] @ s + P["W_fx"] @ x + P["b_f"])
        i = torch.sigmoid(P["W_ih"] @ s + P["W_ix"] @ x + P["b_i"])
        o = torch.sigmoid(P["W_oh"] @ s + P["W_ox"] @ x + P["b_o"])
        if relevance:
            r = torch.sigmoid(P["W_rh"] @ h + P["W_rx"] @ x + P["b_r"])
            rs.append(r)
            g = cand(P["W_ch"] @ (r * h) + P["W_cx"] @ x + P["b_c"])
        elif from_cell:
            g = cand(P["W_cx"] @ x + P["b_c"])
        else:
            g = cand(P["W_ch"] @ h + P["W_cx"] @ x + P["b_c"])
        c = f * c + i * g
        h = o * (c if linear else torch.tanh(c))
        hs.append(h)
    return torch.stack(hs), (torch.stack(rs) if rs else None)


GATE_KEYS = {"f": ("W_fh", "W_fx", "b_f"), "i": ("W_ih", "W_ix", "b_i"),
             "o": ("W_oh", "W_ox", "b_o"), "g": ("W_ch", "W_cx", "b_c")}


def peephole_step(torch, P: dict, x, h, c, gate: str = "logistic", candidate: str = "tanh"):
    """One step of Gers and Graves' LSTM, its peepholes w_cf, w_ci, w_co diagonal (the plain
    LSTM where P has none): (the pre-activations z by gate f, i, o, g; h_t; c_t).

        z^f = W_fh h_{t-1} + W_fx x_t + b_f + w_cf ⊙ c_{t-1}      (z^i likewise with w_ci)
        c_t = gate(z^f) ⊙ c_{t-1} + gate(z^i) ⊙ candidate(z^g)
        z^o = W_oh h_{t-1} + W_ox x_t + b_o + w_co ⊙ c_t           h_t = gate(z^o) ⊙ tanh(c_t)

    gate: logistic or hard_sigmoid (Keras 2's clip(0.2 z + 0.5, 0, 1), not torch's)."""
    act = torch.sigmoid if gate == "logistic" else (lambda z: torch.clamp(0.2 * z + 0.5, 0, 1))
    cand = torch.tanh if candidate == "tanh" else torch.sigmoid
    z = {k: P[Wh] @ h + P[Wx] @ x + P[b] for k, (Wh, Wx, b) in GATE_KEYS.items()}
    if "w_cf" in P:
        z["f"], z["i"] = z["f"] + P["w_cf"] * c, z["i"] + P["w_ci"] * c
    c = act(z["f"]) * c + act(z["i"]) * cand(z["g"])
    if "w_co" in P:
        z["o"] = z["o"] + P["w_co"] * c
    return z, act(z["o"]) * torch.tanh(c), c


def stack_with_cell_readout(torch):
    """torch's two-layer nn.LSTM(2, 3) (seed 6), a W_cy (2×3) reading its top cell state out,
    and 4 steps of one sequence X (4, 1, 2): (nn.LSTM, W_cy, X, rnnquiz's network keys)."""
    torch.manual_seed(6)
    enc = torch.nn.LSTM(2, 3, num_layers=2).double()
    W = torch.randn(2, 3, dtype=torch.float64)
    X = torch.randn(4, 1, 2, dtype=torch.float64)
    net = {**{k: v.tolist() for k, v in enc.state_dict().items()}, "W_cy": W.tolist()}
    return enc, W, X, net
