"""The LSTM and its variants (SPEC 1.3, 1.15), in torch ops from the MITx equations' names
(W_fh, W_fx, b_f, ..., W_rh, W_rx, b_r):

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
