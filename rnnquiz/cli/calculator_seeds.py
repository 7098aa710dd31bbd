"""The seed exercises the calculators start from (`rnnquiz rnn` alone solves Hinton's P3).

Kept as data here, not read from problems/, so the calculators work wherever the
package is installed.
"""

from __future__ import annotations

HINTON_P3 = {
    "type": "forward",
    "title": "Hinton lecture 7, problem 3: y at T=1",
    "source": "Hinton, Neural Networks for Machine Learning (Coursera), lecture 7 quiz",
    "network": {"hidden": "logistic", "output": "linear", "W_xh": 0.5, "W_hh": -1.0,
                "W_hy": -0.7, "b_h": -1.0, "b_y": 0.0, "h_init": 0},
    "inputs": [9, 4, -2],
    "ask": {"quantity": "y", "t": 1, "digits": 2},
    "answer": -0.36,
}

HINTON_P4 = {
    "type": "backprop",
    "title": "Hinton lecture 7, problem 4: dE/dz_1",
    "source": "Hinton, Neural Networks for Machine Learning (Coursera), lecture 7 quiz",
    "network": {"hidden": "logistic", "output": "linear", "W_xh": -0.1, "W_hh": 0.5,
                "W_hy": 0.25, "b_h": 0.4, "b_y": 0.0, "h_init": 0},
    "inputs": [18, 9, -8],
    "targets": [0.1, -0.1, -0.2],
    "given": {"h": [0.2, 0.4, 0.8], "y": [0.05, 0.1, 0.2]},
    "ask": {"quantity": "dE/dz", "t": 1, "digits": 4},
    "answer": 0.0139,
}

HINTON_P5 = {
    "type": "vanishing",
    "title": "Hinton lecture 7, problem 5: vanishing or exploding?",
    "source": "Hinton, Neural Networks for Machine Learning (Coursera), lecture 7 quiz",
    "network": {"hidden": "logistic", "output": "linear", "W_xh": 1, "W_hh": 2, "W_hy": 1,
                "b_h": 0, "b_y": 0, "h_init": 0},
    "inputs": [1, 0, 0, 0],
    "targets": {3: 0.5},
    "answer": "vanishing",
}

HINTON_P1 = {
    "type": "hmm_bits",
    "title": "Hinton lecture 7, problem 1: bits in an HMM's hidden state",
    "source": "Hinton, Neural Networks for Machine Learning (Coursera), lecture 7 quiz",
    "states": 16,
    "answer": 4,
}

MIT_LSTM_STATES_1 = {
    "type": "lstm",
    "title": "MITx 6.86x homework 4: LSTM states 1",
    "source": "MITx 6.86x, homework 4, 2. LSTM",
    "network": {"W_fh": 0, "W_fx": 0, "b_f": -100, "W_ih": 0, "W_ix": 100, "b_i": 100,
                "W_oh": 0, "W_ox": 100, "b_o": 0, "W_ch": -100, "W_cx": 50, "b_c": 0,
                "h_init": 0, "c_init": 0},
    "inputs": [0, 0, 1, 1, 1, 0],
    "round": "state",
    "ask": {"quantity": "h"},
    "answer": [0, 0, 1, -1, 1, 0],
}

MIT_GATED = {
    "type": "gated",
    "title": "MITx gated RNN: a gate of 1 overwrites the state",
    "source": "MITx 6.86x, lecture 10, 5. Gating and LSTM",
    "network": {"W_gs": 0, "W_gx": 0, "b_g": 100, "W_ss": 1, "W_sx": 1, "s_init": 0.5},
    "inputs": [1, -1],
    "round": "none",
}

DLAI_GRU = {
    "type": "gru",
    "title": "A deeplearning.ai GRU with Γ_r = 1 and Γ_u ≈ 0 (week 1, Q8)",
    "source": "deeplearning.ai, Sequence Models, week 1 quiz, question 8",
    "notation": "deeplearning_ai",
    "network": {"W_u": [[0, 0]], "b_u": -100, "W_r": [[0, 0]], "b_r": 100, "W_c": [[0.5, 1.0]],
                "b_c": 0, "c_init": 0.5},
    "inputs": [1, -1, 0.5, 2],
    "round": "none",
}

DLAI_Q7 = {
    "type": "shapes",
    "title": "deeplearning.ai week 1, Q7: the dimension of Γ_u",
    "source": "deeplearning.ai, Sequence Models, week 1 quiz, question 7",
    "cell": "lstm", "input": 10000, "hidden": 100, "output": 10000,
    "ask": {"quantity": "gate_dim"},
    "answer": 100,
}

CS224N_BLEU = {
    "type": "bleu",
    "title": "CS224n a4: BLEU of c1 against r1 and r2",
    "source": "CS224n assignment 4 (NMT), written question on BLEU, part (i)",
    "candidate": "the love can always do",
    "references": ["love can always find a way", "love makes anything possible"],
    "weights": [0.5, 0.5, 0, 0],
    "ask": {"quantity": "bleu", "digits": 4},
    "answer": 0.5477,
}

# calculator command -> the seed it starts from
CALCULATORS = {"rnn": HINTON_P3, "bptt": HINTON_P4, "vanishing": HINTON_P5, "hmm": HINTON_P1,
               "lstm": MIT_LSTM_STATES_1, "gru": DLAI_GRU, "gated": MIT_GATED,
               "shapes": DLAI_Q7}
