"""Each notation as its course publishes it: the keys and their shapes (SPEC 1.5's table,
PyTorch's state_dict, Keras' get_weights), and each gate's pre-activation written with the
course's own keys, blocks, layout and step numbers.

These tables are built when a notation registers itself, at import; a mistake there shows in
every problem of that notation, so each case below is one small problem in it."""

from __future__ import annotations

import numpy as np
import pytest

import rnnquiz
from rnnquiz.notations import NOTATIONS

# (cell, notation) -> (weights: key -> (rows, columns), biases: key -> length, initial states)
# in the sizes h (state), x (input), y (output); "4h": four gates stacked; "h+x": on [h; x].
PUBLISHED = {
    ("gated", "mit"): ({"W_gs": ("h", "h"), "W_gx": ("h", "x"), "W_ss": ("h", "h"),
                        "W_sx": ("h", "x"), "W_hy": ("y", "h")},
                       {"b_g": "h", "b_s": "h", "b_y": "y"}, {"s_init": "h"}),
    ("gru", "d2l"): ({"W_xz": ("x", "h"), "W_hz": ("h", "h"), "W_xr": ("x", "h"),
                      "W_hr": ("h", "h"), "W_xh": ("x", "h"), "W_hh": ("h", "h"),
                      "W_hq": ("h", "y")},
                     {"b_z": "h", "b_r": "h", "b_h": "h", "b_q": "y"}, {"h_init": "h"}),
    ("gru", "deeplearning_ai"): ({"W_u": ("h", "h+x"), "W_r": ("h", "h+x"), "W_c": ("h", "h+x"),
                                  "W_hy": ("y", "h")},
                                 {"b_u": "h", "b_r": "h", "b_c": "h", "b_y": "y"},
                                 {"c_init": "h"}),
    # Keras' GRU(reset_after=True), TF2's default: bias (2, 3H), input row then recurrent row
    ("gru", "keras"): ({"kernel": ("x", "3h"), "recurrent_kernel": ("h", "3h"),
                        "bias": ("2", "3h"), "dense_kernel": ("h", "y")},
                       {"dense_bias": "y"}, {"h_init": "h"}),
    ("gru", "mit"): ({"W_uh": ("h", "h"), "W_ux": ("h", "x"), "W_rh": ("h", "h"),
                      "W_rx": ("h", "x"), "W_ch": ("h", "h"), "W_cx": ("h", "x"),
                      "W_hy": ("y", "h")},
                     {"b_u": "h", "b_r": "h", "b_c": "h", "b_y": "y"}, {"h_init": "h"}),
    ("gru", "pytorch"): ({"weight_ih": ("3h", "x"), "weight_hh": ("3h", "h"), "W_hy": ("y", "h")},
                         {"bias_ih": "3h", "bias_hh": "3h", "b_y": "y"}, {"h_init": "h"}),
    ("lstm", "cs231n"): ({"Wx": ("x", "4h"), "Wh": ("h", "4h"), "W_vocab": ("h", "y")},
                         {"b": "4h", "b_vocab": "y"}, {"h0": "h", "c0": "c"}),
    ("lstm", "d2l"): ({"W_xi": ("x", "h"), "W_hi": ("h", "h"), "W_xf": ("x", "h"),
                       "W_hf": ("h", "h"), "W_xo": ("x", "h"), "W_ho": ("h", "h"),
                       "W_xc": ("x", "h"), "W_hc": ("h", "h"), "W_hq": ("h", "y"),
                       "W_xr": ("x", "h"), "W_hr": ("h", "h")},      # SPEC 1.15's relevance gate
                      {"b_i": "h", "b_f": "h", "b_o": "h", "b_c": "h", "b_q": "y", "b_r": "h"},
                      {"h_init": "h", "c_init": "c"}),
    ("lstm", "deeplearning_ai"): ({"W_f": ("h", "h+x"), "W_u": ("h", "h+x"), "W_o": ("h", "h+x"),
                                   "W_c": ("h", "h+x"), "W_hy": ("y", "h"),
                                   "W_r": ("h", "h+x")},        # CS230's relevance gate Γ_r
                                  {"b_f": "h", "b_u": "h", "b_o": "h", "b_c": "h", "b_y": "y",
                                   "b_r": "h"},
                                  {"a_init": "h", "c_init": "c"}),
    ("lstm", "goodfellow"): ({"U_f": ("h", "x"), "W_f": ("h", "h"), "U_g": ("h", "x"),
                              "W_g": ("h", "h"), "U_o": ("h", "x"), "W_o": ("h", "h"),
                              "U": ("h", "x"), "W": ("h", "h"), "V": ("y", "h"),
                              "U_r": ("h", "x"), "W_r": ("h", "h")},    # SPEC 1.15's relevance
                             {"b_f": "h", "b_g": "h", "b_o": "h", "b": "h", "c": "y", "b_r": "h"},
                             {"h_init": "h", "s_init": "c"}),
    # Keras' LSTM: kernel (D, 4H), recurrent_kernel (H, 4H), bias (4H,), stacked i, f, c, o
    ("lstm", "keras"): ({"kernel": ("x", "4h"), "recurrent_kernel": ("h", "4h"),
                         "dense_kernel": ("h", "y")},
                        {"bias": "4h", "dense_bias": "y"}, {"h_init": "h", "c_init": "c"}),
    ("lstm", "mit"): ({"W_fh": ("h", "h"), "W_fx": ("h", "x"), "W_ih": ("h", "h"),
                       "W_ix": ("h", "x"), "W_oh": ("h", "h"), "W_ox": ("h", "x"),
                       "W_ch": ("h", "h"), "W_cx": ("h", "x"), "W_hy": ("y", "h"),
                       "W_rh": ("h", "h"), "W_rx": ("h", "x")},     # SPEC 1.15's relevance gate
                      {"b_f": "h", "b_i": "h", "b_o": "h", "b_c": "h", "b_y": "y",
                       "w_cf": "h", "w_ci": "h", "w_co": "h", "b_r": "h"},
                      {"h_init": "h", "c_init": "c"}),
    # nn.LSTMCell's state_dict: weight_ih (4H, D), weight_hh (4H, H), bias_ih, bias_hh (4H,)
    ("lstm", "pytorch"): ({"weight_ih": ("4h", "x"), "weight_hh": ("4h", "h"), "W_hy": ("y", "h")},
                          {"bias_ih": "4h", "bias_hh": "4h", "b_y": "y"},
                          {"h_init": "h", "c_init": "c"}),
    ("rnn", "cs231n"): ({"Wx": ("x", "h"), "Wh": ("h", "h"), "W_vocab": ("h", "y")},
                        {"b": "h", "b_vocab": "y"}, {"h0": "h"}),
    ("rnn", "d2l"): ({"W_xh": ("x", "h"), "W_hh": ("h", "h"), "W_hq": ("h", "y")},
                     {"b_h": "h", "b_q": "y"}, {"h_init": "h"}),
    ("rnn", "deeplearning_ai"): ({"Wax": ("h", "x"), "Waa": ("h", "h"), "Wya": ("y", "h")},
                                 {"ba": "h", "by": "y"}, {"a_init": "h"}),
    ("rnn", "goodfellow"): ({"U": ("h", "x"), "W": ("h", "h"), "V": ("y", "h")},
                            {"b": "h", "c": "y"}, {"h_init": "h"}),
    # SLP3 8.1-8.2: h_t = g(U h_{t-1} + W x_t + b), y_t = f(V h_t + c); U recurrent, W input
    ("rnn", "slp"): ({"W": ("h", "x"), "U": ("h", "h"), "V": ("y", "h")},
                     {"b": "h", "c": "y"}, {"h_init": "h"}),
    # Hagan ch. 14: n(t) = iw p(t) + lw a(t-1) + b, no read-out (the layer's a is the output)
    ("rnn", "hagan"): ({"iw": ("h", "x"), "lw": ("h", "h")}, {"b": "h"}, {"a_init": "h"}),
    # SLP3 8.5: U_· on h_{t-1}, W_· on x_t, biases b_f, b_i, b_o, b_g
    ("lstm", "slp"): ({"W_f": ("h", "x"), "U_f": ("h", "h"), "W_i": ("h", "x"), "U_i": ("h", "h"),
                       "W_o": ("h", "x"), "U_o": ("h", "h"), "W_g": ("h", "x"), "U_g": ("h", "h"),
                       "V": ("y", "h"), "W_r": ("h", "x"), "U_r": ("h", "h")},   # SPEC 1.15
                      {"b_f": "h", "b_i": "h", "b_o": "h", "b_g": "h", "b_y": "y", "b_r": "h"},
                      {"h_init": "h", "c_init": "c"}),
    # Goodfellow 10.45-10.47: U^u, U^r, U on x^(t); W^u, W^r, W on h^(t-1)
    ("gru", "goodfellow"): ({"U_u": ("h", "x"), "W_u": ("h", "h"), "U_r": ("h", "x"),
                             "W_r": ("h", "h"), "U": ("h", "x"), "W": ("h", "h"),
                             "V": ("y", "h")},
                            {"b_u": "h", "b_r": "h", "b": "h", "c": "y"}, {"h_init": "h"}),
    ("rnn", "hinton"): ({"W_xh": ("h", "x"), "W_hh": ("h", "h"), "W_hy": ("y", "h")},
                        {"b_h": "h", "b_y": "y"}, {"h_init": "h"}),
    ("rnn", "karpathy"): ({"Wxh": ("h", "x"), "Whh": ("h", "h"), "Why": ("y", "h")},
                          {"bh": "h", "by": "y"}, {"hprev": "h"}),
    ("rnn", "keras"): ({"kernel": ("x", "h"), "recurrent_kernel": ("h", "h"),
                        "dense_kernel": ("h", "y")},
                       {"bias": "h", "dense_bias": "y"}, {"h_init": "h"}),
    ("rnn", "mit"): ({"W_sx": ("h", "x"), "W_ss": ("h", "h")}, {"b_s": "h"}, {"s_init": "h"}),
    # nn.RNN: weight_ih_l0 (H, D), weight_hh_l0 (H, H), bias_ih_l0, bias_hh_l0 (H,)
    ("rnn", "pytorch"): ({"weight_ih": ("h", "x"), "weight_hh": ("h", "h"), "W_hy": ("y", "h")},
                         {"bias_ih": "h", "bias_hh": "h", "b_y": "y"}, {"h_init": "h"}),
    # CMU 11-785 HW3P1: mytorch's RNNCell and GRUCell attributes, CharacterPredictor's projection
    ("rnn", "cmu11785"): ({"W_ih": ("h", "x"), "W_hh": ("h", "h"),
                           "projection.weight": ("y", "h")},
                          {"b_ih": "h", "b_hh": "h", "projection.bias": "y"}, {"h_init": "h"}),
    ("gru", "cmu11785"): ({"Wrx": ("h", "x"), "Wrh": ("h", "h"), "Wzx": ("h", "x"),
                           "Wzh": ("h", "h"), "Wnx": ("h", "x"), "Wnh": ("h", "h"),
                           "projection.weight": ("y", "h")},
                          {"brx": "h", "brh": "h", "bzx": "h", "bzh": "h", "bnx": "h", "bnh": "h",
                           "projection.bias": "y"}, {"h_init": "h"}),
}
# Keras 2's GRU(reset_after=False): one bias (3H,), the reset before recurrent_kernel
KERAS_GRU_RESET_BEFORE = ({"kernel": ("x", "3h"), "recurrent_kernel": ("h", "3h"),
                           "dense_kernel": ("h", "y")}, {"bias": "3h", "dense_bias": "y"},
                          {"h_init": "h"})


def published(case):
    return KERAS_GRU_RESET_BEFORE if case == ("gru", "keras", "reset_before") \
        else PUBLISHED[case[:2]]


def test_every_notation_is_registered_with_its_published_keys_and_shapes():
    assert sorted(NOTATIONS) == sorted(PUBLISHED)
    for key, (weights, biases, states) in PUBLISHED.items():
        n = NOTATIONS[key]
        assert (n.weights, n.biases, n.states) == (weights, biases, states), key


def test_keras_gru_without_reset_after_has_keras_2_single_bias():
    n = NOTATIONS[("gru", "keras")]
    before, after = n.variant({"reset_after": False}), n.variant({})
    assert (before.weights, before.biases, before.states) == KERAS_GRU_RESET_BEFORE
    assert (after.weights, after.biases) == PUBLISHED[("gru", "keras")][:2]
    assert (before.convention, after.convention) == ("fully_gated", "pytorch")


def network(case, n_h=1):
    """Each key numbered apart: weights 1, 2, ...; the next key 10 further; biases in
    hundredths (0.31, ...); initial states 0.5; so each number in the working names its key
    and, in a stacked key, its block."""
    weights, biases, states = published(case)
    size = {"h": n_h, "x": 1, "y": 1, "2": 2, "3h": 3 * n_h, "4h": 4 * n_h, "h+x": n_h + 1}
    net, base = {}, 1
    # the LSTM's relevance gate (SPEC 1.15) takes relevance_gate: true: the plain LSTM here
    relevance = {"W_rh", "W_rx", "W_r", "U_r", "W_xr", "W_hr", "b_r"} if case[0] == "lstm" \
        else set()
    for key, (rows, cols) in weights.items():
        if key in relevance:
            continue
        net[key] = (np.arange(size[rows] * size[cols]).reshape(size[rows], size[cols])
                    + base).tolist()
        base += 10
    for key, length in biases.items():
        if key in ("w_cf", "w_ci", "w_co") or key in relevance:   # the plain LSTM here
            continue
        net[key] = ((np.arange(size[length]) + base) / 100).tolist()
        base += 10
    for key in states:
        net[key] = [0.5] * n_h
    return net


# (cell, notation[, variant]) -> the working's lines with a product "·" at the first step
# (symbol, equation, working), then the equations of the second step
WRITTEN = {
    ('gated', 'mit'): (
        ('z^g_0', 'W_gs·s_{-1} + W_gx·x_0 + b_g', '[1]·0.5 + [11]·1 + 0.51'),
        ('z^s̃_0', 'W_ss·s_{-1} + W_sx·x_0 + b_s', '[21]·0.5 + [31]·1 + 0.61'),
        ('y_0', 'W_hy·s_0 + b_y', '[41]·0.999997 + 0.71'),
        ['W_gs·s_0 + W_gx·x_1 + b_g', 'W_ss·s_0 + W_sx·x_1 + b_s', 'W_hy·s_1 + b_y']),
    ('gru', 'd2l'): (
        ('z^Z_1', 'X_1·W_xz + H_0·W_hz + b_z', '1·[1] + 0.5·[11] + 0.71'),
        ('z^R_1', 'X_1·W_xr + H_0·W_hr + b_r', '1·[21] + 0.5·[31] + 0.81'),
        ('z^H̃_1', 'X_1·W_xh + (R_1⊙H_0)·W_hh + b_h', '1·[41] + 0.5·[51] + 0.91'),
        ('y_1', 'H_1·W_hq + b_q', '0.500369·[61] + 1.01'),
        ['X_2·W_xz + H_1·W_hz + b_z', 'X_2·W_xr + H_1·W_hr + b_r', 'X_2·W_xh + (R_2⊙H_1)·W_hh + b_h', 'H_2·W_hq + b_q']),
    ('gru', 'deeplearning_ai'): (
        ('z^Γ_u<1>', 'W_u·[c<0>; x<1>] + b_u', '[[1, 2]]·[0.5, 1] + 0.41'),
        ('z^Γ_r<1>', 'W_r·[c<0>; x<1>] + b_r', '[[11, 12]]·[0.5, 1] + 0.51'),
        ('z^c̃<1>', 'W_c·[Γ_r<1>*c<0>; x<1>] + b_c', '[[21, 22]]·[0.5, 1] + 0.61'),
        ('y_1', 'W_hy·c<1> + b_y', '[31]·0.974169 + 0.71'),
        ['W_u·[c<1>; x<2>] + b_u', 'W_r·[c<1>; x<2>] + b_r', 'W_c·[Γ_r<2>*c<1>; x<2>] + b_c', 'W_hy·c<2> + b_y']),
    ('gru', 'keras'): (
        ('a^z_0', 'x_0·kernel_z + h_{-1}·recurrent_kernel_z + bias[0]_z + bias[1]_z', '1·[1] + 0.5·[11] + 21 + 24'),
        ('a^r_0', 'x_0·kernel_r + h_{-1}·recurrent_kernel_r + bias[0]_r + bias[1]_r', '1·[2] + 0.5·[12] + 22 + 25'),
        ('a^ĥ_0', 'x_0·kernel_h + bias[0]_h + r_0⊙(h_{-1}·recurrent_kernel_h + bias[1]_h)', '1·[3] + 23 + 1⊙(0.5·[13] + 26)'),
        ('y_0', 'h_0·dense_kernel + dense_bias', '0.5·[31] + 0.41'),
        ['x_1·kernel_z + h_0·recurrent_kernel_z + bias[0]_z + bias[1]_z', 'x_1·kernel_r + h_0·recurrent_kernel_r + bias[0]_r + bias[1]_r', 'x_1·kernel_h + bias[0]_h + r_1⊙(h_0·recurrent_kernel_h + bias[1]_h)', 'h_1·dense_kernel + dense_bias']),
    ('gru', 'keras', 'reset_before'): (
        ('a^z_0', 'x_0·kernel_z + h_{-1}·recurrent_kernel_z + bias_z', '1·[1] + 0.5·[11] + 0.31'),
        ('a^r_0', 'x_0·kernel_r + h_{-1}·recurrent_kernel_r + bias_r', '1·[2] + 0.5·[12] + 0.32'),
        ('a^ĥ_0', 'x_0·kernel_h + (r_0⊙h_{-1})·recurrent_kernel_h + bias_h', '1·[3] + 0.499878·[13] + 0.33'),
        ('y_0', 'h_0·dense_kernel + dense_bias', '0.500551·[21] + 0.41'),
        ['x_1·kernel_z + h_0·recurrent_kernel_z + bias_z', 'x_1·kernel_r + h_0·recurrent_kernel_r + bias_r', 'x_1·kernel_h + (r_1⊙h_0)·recurrent_kernel_h + bias_h', 'h_1·dense_kernel + dense_bias']),
    ('gru', 'mit'): (
        ('z^u_0', 'W_uh·h_{-1} + W_ux·x_0 + b_u', '[1]·0.5 + [11]·1 + 0.71'),
        ('z^r_0', 'W_rh·h_{-1} + W_rx·x_0 + b_r', '[21]·0.5 + [31]·1 + 0.81'),
        ('z^c_0', 'W_ch·(r_0⊙h_{-1}) + W_cx·x_0 + b_c', '[41]·0.5 + [51]·1 + 0.91'),
        ('y_0', 'W_hy·h_0 + b_y', '[61]·0.999998 + 1.01'),
        ['W_uh·h_0 + W_ux·x_1 + b_u', 'W_rh·h_0 + W_rx·x_1 + b_r', 'W_ch·(r_1⊙h_0) + W_cx·x_1 + b_c', 'W_hy·h_1 + b_y']),
    ('gru', 'pytorch'): (
        ('a^z_0', 'W_iz·x_0 + b_iz + W_hz·h_{-1} + b_hz', '[2]·1 + 0.32 + [12]·0.5 + 0.42'),
        ('a^r_0', 'W_ir·x_0 + b_ir + W_hr·h_{-1} + b_hr', '[1]·1 + 0.31 + [11]·0.5 + 0.41'),
        ('a^n_0', 'W_in·x_0 + b_in + r_0⊙(W_hn·h_{-1} + b_hn)', '[3]·1 + 0.33 + 0.999269⊙([13]·0.5 + 0.43)'),
        ('y_0', 'W_hy·h_0 + b_y', '[21]·0.50008 + 0.51'),
        ['W_iz·x_1 + b_iz + W_hz·h_0 + b_hz', 'W_ir·x_1 + b_ir + W_hr·h_0 + b_hr', 'W_in·x_1 + b_in + r_1⊙(W_hn·h_0 + b_hn)', 'W_hy·h_1 + b_y']),
    ('lstm', 'cs231n'): (
        ('z^f_0', 'x_0·Wx_f + h_{-1}·Wh_f + b_f', '1·[2] + 0.5·[12] + 0.32'),
        ('z^i_0', 'x_0·Wx_i + h_{-1}·Wh_i + b_i', '1·[1] + 0.5·[11] + 0.31'),
        ('z^o_0', 'x_0·Wx_o + h_{-1}·Wh_o + b_o', '1·[3] + 0.5·[13] + 0.33'),
        ('z^g_0', 'x_0·Wx_g + h_{-1}·Wh_g + b_g', '1·[4] + 0.5·[14] + 0.34'),
        ('y_0', 'h_0·W_vocab + b_vocab', '0.904878·[21] + 0.41'),
        ['x_1·Wx_f + h_0·Wh_f + b_f', 'x_1·Wx_i + h_0·Wh_i + b_i', 'x_1·Wx_o + h_0·Wh_o + b_o', 'x_1·Wx_g + h_0·Wh_g + b_g', 'h_1·W_vocab + b_vocab']),
    ('lstm', 'd2l'): (
        ('z^F_1', 'X_1·W_xf + H_0·W_hf + b_f', '1·[21] + 0.5·[31] + 1.01'),
        ('z^I_1', 'X_1·W_xi + H_0·W_hi + b_i', '1·[1] + 0.5·[11] + 0.91'),
        ('z^O_1', 'X_1·W_xo + H_0·W_ho + b_o', '1·[41] + 0.5·[51] + 1.11'),
        ('z^C̃_1', 'X_1·W_xc + H_0·W_hc + b_c', '1·[61] + 0.5·[71] + 1.21'),
        ('y_1', 'H_1·W_hq + b_q', '0.905039·[81] + 1.31'),
        ['X_2·W_xf + H_1·W_hf + b_f', 'X_2·W_xi + H_1·W_hi + b_i', 'X_2·W_xo + H_1·W_ho + b_o', 'X_2·W_xc + H_1·W_hc + b_c', 'H_2·W_hq + b_q']),
    ('lstm', 'deeplearning_ai'): (
        ('z^Γ_f<1>', 'W_f·[a<0>; x<1>] + b_f', '[[1, 2]]·[0.5, 1] + 0.51'),
        ('z^Γ_u<1>', 'W_u·[a<0>; x<1>] + b_u', '[[11, 12]]·[0.5, 1] + 0.61'),
        ('z^Γ_o<1>', 'W_o·[a<0>; x<1>] + b_o', '[[21, 22]]·[0.5, 1] + 0.71'),
        ('z^c̃<1>', 'W_c·[a<0>; x<1>] + b_c', '[[31, 32]]·[0.5, 1] + 0.81'),
        ('y_1', 'W_hy·a<1> + b_y', '[41]·0.900812 + 0.91'),
        ['W_f·[a<1>; x<2>] + b_f', 'W_u·[a<1>; x<2>] + b_u', 'W_o·[a<1>; x<2>] + b_o', 'W_c·[a<1>; x<2>] + b_c', 'W_hy·a<2> + b_y']),
    ('lstm', 'goodfellow'): (
        ('z^f^(1)', 'W_f·h^(0) + U_f·x^(1) + b_f', '[11]·0.5 + [1]·1 + 0.91'),
        ('z^g^(1)', 'W_g·h^(0) + U_g·x^(1) + b_g', '[31]·0.5 + [21]·1 + 1.01'),
        ('z^q^(1)', 'W_o·h^(0) + U_o·x^(1) + b_o', '[51]·0.5 + [41]·1 + 1.11'),
        ('z^s̃^(1)', 'W·h^(0) + U·x^(1) + b', '[71]·0.5 + [61]·1 + 1.21'),
        ('y_1', 'V·h^(1) + c', '[81]·0.905094 + 1.31'),
        ['W_f·h^(1) + U_f·x^(2) + b_f', 'W_g·h^(1) + U_g·x^(2) + b_g', 'W_o·h^(1) + U_o·x^(2) + b_o', 'W·h^(1) + U·x^(2) + b', 'V·h^(2) + c']),
    ('lstm', 'keras'): (
        ('z^f_0', 'x_0·kernel_f + h_{-1}·recurrent_kernel_f + bias_f', '1·[2] + 0.5·[12] + 0.32'),
        ('z^i_0', 'x_0·kernel_i + h_{-1}·recurrent_kernel_i + bias_i', '1·[1] + 0.5·[11] + 0.31'),
        ('z^o_0', 'x_0·kernel_o + h_{-1}·recurrent_kernel_o + bias_o', '1·[4] + 0.5·[14] + 0.34'),
        ('z^g_0', 'x_0·kernel_c + h_{-1}·recurrent_kernel_c + bias_c', '1·[3] + 0.5·[13] + 0.33'),
        ('y_0', 'h_0·dense_kernel + dense_bias', '0.904916·[21] + 0.41'),
        ['x_1·kernel_f + h_0·recurrent_kernel_f + bias_f', 'x_1·kernel_i + h_0·recurrent_kernel_i + bias_i', 'x_1·kernel_o + h_0·recurrent_kernel_o + bias_o', 'x_1·kernel_c + h_0·recurrent_kernel_c + bias_c', 'h_1·dense_kernel + dense_bias']),
    ('lstm', 'mit'): (
        ('z^f_0', 'W_fh·h_{-1} + W_fx·x_0 + b_f', '[1]·0.5 + [11]·1 + 0.91'),
        ('z^i_0', 'W_ih·h_{-1} + W_ix·x_0 + b_i', '[21]·0.5 + [31]·1 + 1.01'),
        ('z^o_0', 'W_oh·h_{-1} + W_ox·x_0 + b_o', '[41]·0.5 + [51]·1 + 1.11'),
        ('z^g_0', 'W_ch·h_{-1} + W_cx·x_0 + b_c', '[61]·0.5 + [71]·1 + 1.21'),
        ('y_0', 'W_hy·h_0 + b_y', '[81]·0.905148 + 1.31'),
        ['W_fh·h_0 + W_fx·x_1 + b_f', 'W_ih·h_0 + W_ix·x_1 + b_i', 'W_oh·h_0 + W_ox·x_1 + b_o', 'W_ch·h_0 + W_cx·x_1 + b_c', 'W_hy·h_1 + b_y']),
    ('lstm', 'pytorch'): (
        ('z^f_0', 'W_if·x_0 + b_if + W_hf·h_{-1} + b_hf', '[2]·1 + 0.32 + [12]·0.5 + 0.42'),
        ('z^i_0', 'W_ii·x_0 + b_ii + W_hi·h_{-1} + b_hi', '[1]·1 + 0.31 + [11]·0.5 + 0.41'),
        ('z^o_0', 'W_io·x_0 + b_io + W_ho·h_{-1} + b_ho', '[4]·1 + 0.34 + [14]·0.5 + 0.44'),
        ('z^g_0', 'W_ig·x_0 + b_ig + W_hg·h_{-1} + b_hg', '[3]·1 + 0.33 + [13]·0.5 + 0.43'),
        ('y_0', 'W_hy·h_0 + b_y', '[21]·0.904995 + 0.51'),
        ['W_if·x_1 + b_if + W_hf·h_0 + b_hf', 'W_ii·x_1 + b_ii + W_hi·h_0 + b_hi', 'W_io·x_1 + b_io + W_ho·h_0 + b_ho', 'W_ig·x_1 + b_ig + W_hg·h_0 + b_hg', 'W_hy·h_1 + b_y']),
    ('rnn', 'cs231n'): (
        ('z_0', 'x_0·Wx + h_{-1}·Wh + b', '1·[1] + 0.5·[11] + 0.31'),
        ('y_0', 'h_0·W_vocab + b_vocab', '0.999998·[21] + 0.41'),
        ['x_1·Wx + h_0·Wh + b', 'h_1·W_vocab + b_vocab']),
    ('rnn', 'd2l'): (
        ('z_1', 'X_1·W_xh + H_0·W_hh + b_h', '1·[1] + 0.5·[11] + 0.31'),
        ('y_1', 'H_1·W_hq + b_q', '0.999998·[21] + 0.41'),
        ['X_2·W_xh + H_1·W_hh + b_h', 'H_2·W_hq + b_q']),
    ('rnn', 'deeplearning_ai'): (
        ('z<1>', 'Waa·a<0> + Wax·x<1> + ba', '[11]·0.5 + [1]·1 + 0.31'),
        ('ŷ<1>', 'Wya·a<1> + by', '[21]·0.999998 + 0.41'),
        ['Waa·a<1> + Wax·x<2> + ba', 'Wya·a<2> + by']),
    ('rnn', 'goodfellow'): (
        ('a^(1)', 'W·h^(0) + U·x^(1) + b', '[11]·0.5 + [1]·1 + 0.31'),
        ('y_1', 'V·h^(1) + c', '[21]·0.999998 + 0.41'),
        ['W·h^(1) + U·x^(2) + b', 'V·h^(2) + c']),
    ('rnn', 'hinton'): (
        ('z_0', 'W_xh·x_0 + W_hh·h_{-1} + b_h', '[1]·1 + [11]·0.5 + 0.31'),
        ('y_0', 'W_hy·h_0 + b_y', '[21]·0.998899 + 0.41'),
        ['W_xh·x_1 + W_hh·h_0 + b_h', 'W_hy·h_1 + b_y']),
    ('rnn', 'karpathy'): (
        ('z_0', 'Wxh·x_0 + Whh·h_{-1} + bh', '[1]·1 + [11]·0.5 + 0.31'),
        ('y_0', 'Why·h_0 + by', '[21]·0.999998 + 0.41'),
        ['Wxh·x_1 + Whh·h_0 + bh', 'Why·h_1 + by']),
    ('rnn', 'keras'): (
        ('z_0', 'x_0·kernel + h_{-1}·recurrent_kernel + bias', '1·[1] + 0.5·[11] + 0.31'),
        ('y_0', 'h_0·dense_kernel + dense_bias', '0.999998·[21] + 0.41'),
        ['x_1·kernel + h_0·recurrent_kernel + bias', 'h_1·dense_kernel + dense_bias']),
    ('rnn', 'mit'): (
        ('z_0', 'W_ss·s_{-1} + W_sx·x_0 + b_s', '[11]·0.5 + [1]·1 + 0.21'),
        ['W_ss·s_0 + W_sx·x_1 + b_s']),
    ('rnn', 'pytorch'): (
        ('z_0', 'weight_ih·x_0 + weight_hh·h_{-1} + bias_ih + bias_hh', '[1]·1 + [11]·0.5 + 0.31 + 0.41'),
        ('y_0', 'W_hy·h_0 + b_y', '[21]·0.999999 + 0.51'),
        ['weight_ih·x_1 + weight_hh·h_0 + bias_ih + bias_hh', 'W_hy·h_1 + b_y']),

}
WRITTEN[("gru", "mit", "pytorch")] = (
    ("z^u_0", "W_uh·h_{-1} + W_ux·x_0 + b_u", "[1]·0.5 + [11]·1 + 0.71"),
    ("z^r_0", "W_rh·h_{-1} + W_rx·x_0 + b_r", "[21]·0.5 + [31]·1 + 0.81"),
    ("z^c_0", "W_cx·x_0 + b_c + r_0⊙(W_ch·h_{-1})", "[51]·1 + 0.91 + 1⊙([41]·0.5)"),
    ("y_0", "W_hy·h_0 + b_y", "[61]·0.500002 + 1.01"),
    ["W_uh·h_0 + W_ux·x_1 + b_u", "W_rh·h_0 + W_rx·x_1 + b_r", "W_cx·x_1 + b_c + r_1⊙(W_ch·h_0)",
     "W_hy·h_1 + b_y"])


@pytest.mark.parametrize("case", sorted(WRITTEN), ids="-".join)
def test_each_gate_is_written_with_the_course_keys_blocks_and_numbering(case):
    cell, notation = case[:2]
    doc = {"type": "forward" if cell == "rnn" else cell, "notation": notation,
           "inputs": [[1.0], [2.0]], "network": network(case)}
    if case[2:] == ("reset_before",):
        doc["network"]["reset_after"] = False
    elif case[2:] == ("pytorch",):
        doc["convention"] = "pytorch"
    *first_lines, second = WRITTEN[case]
    first = NOTATIONS[(cell, notation)].first
    steps = rnnquiz.solve(doc).to_json()["steps"]
    lines = [s for s in steps if "·" in s["equation"]]
    assert [(s["symbol"], s["equation"], s["working"]) for s in lines if s["t"] == first] \
        == first_lines
    assert [s["equation"] for s in lines if s["t"] == first + 1] == second


# The words a file may give, the default first (SPEC 1.1: tanh but for Hinton's logistic;
# nn.RNN's nonlinearity is tanh or relu; 1.3: the gates' and the candidate's activations;
# Goodfellow's LSTM passes its candidate through σ; Keras names them its own way).
HIDDEN = ("tanh", "logistic", "relu", "linear", "step", "hard_sigmoid")
OUTPUT = ("linear", "logistic", "tanh", "softmax")
GATED = {"gate_activation": ("logistic", "hard_sigmoid"),
         "candidate_activation": ("tanh", "logistic"), "output": OUTPUT}
VARIANT = {"relevance_gate": (False, True), "state_activation": ("tanh", "linear"),
           "recurrence": ("hidden", "cell")}
KERAS = {"recurrent_activation": ("logistic", "hard_sigmoid"), "activation": ("tanh", "logistic"),
         "output": OUTPUT}
WORDS = {
    **{(cell, n): GATED for (cell, n) in PUBLISHED if cell != "rnn"},
    **{("rnn", n): {"hidden": HIDDEN, "output": OUTPUT} for (cell, n) in PUBLISHED
       if cell == "rnn"},
    ("rnn", "hinton"): {"hidden": ("logistic", "tanh", "relu", "linear", "step", "hard_sigmoid"),
                       "output": OUTPUT},
    ("rnn", "pytorch"): {"hidden": ("tanh", "relu"), "output": OUTPUT},
    ("rnn", "hagan"): {"transfer": ("purelin", "tansig", "logsig")},
    # SPEC 1.15's LSTM variants, in the notations with a key per gate
    **{("lstm", n): {**GATED, **VARIANT} for n in ("mit", "deeplearning_ai", "d2l", "slp")},
    ("lstm", "goodfellow"): {**GATED, "candidate_activation": ("logistic", "tanh"), **VARIANT},
    ("gru", "goodfellow"): {**GATED, "candidate_activation": ("logistic", "tanh")},
    ("lstm", "keras"): KERAS,
    ("gru", "keras"): {**KERAS, "reset_after": (True, False)},
}


def test_every_notation_takes_its_course_words_default_first():
    assert {key: NOTATIONS[key].words for key in PUBLISHED} == WORDS
    assert NOTATIONS[("rnn", "keras")].word_names == {"activation": "hidden"}
    for cell in ("lstm", "gru"):
        assert NOTATIONS[(cell, "keras")].word_names == {
            "recurrent_activation": "gate_activation", "activation": "candidate_activation"}


# dE/dh_{t-1} carried back from z_t: W_hh (under the file's own name) on the column,
# or dE/dz_t W_hhᵀ on the row of the row-layout courses
CARRIED_BACK = {
    "cs231n": "dE/dz_1·Whᵀ", "d2l": "dE/dz_2·W_hhᵀ", "deeplearning_ai": "Waa·dE/dz<2>",
    "goodfellow": "W·dE/da^(2)", "hinton": "W_hh·dE/dz_1", "karpathy": "Whh·dE/dz_1",
    "keras": "dE/dz_1·recurrent_kernelᵀ", "mit": "W_ss·dE/dz_1",
    "pytorch": "weight_hh·dE/dz_1", "slp": "U·dE/dz_2", "hagan": "lw·dF/dn(2)",   # Hagan: F
}


@pytest.mark.parametrize("notation", sorted(CARRIED_BACK))
def test_the_state_gradient_is_carried_back_through_the_file_own_recurrent_key(notation):
    case = ("rnn", notation)
    net = network(case)
    for key in ("W_hy", "b_y", "Wya", "by", "W_hq", "b_q", "V", "c", "Why", "W_vocab",
                "b_vocab", "dense_kernel", "dense_bias"):
        if key != "c" or notation == "goodfellow":
            net.pop(key, None)
    first = NOTATIONS[case].first
    doc = {"type": "backprop", "notation": notation, "inputs": [[1.0], [2.0]], "network": net,
           "targets": {first: [0.2], first + 1: [0.4]}}
    if notation == "hinton":
        doc["network"].update({"W_hy": [[1.0]], "b_y": [0.0]})
    steps = rnnquiz.solve(doc).to_json()["steps"]
    back = [s["equation"].split(" + ")[-1] for s in steps
            if "carried back" in s.get("note", "")]
    assert back == [CARRIED_BACK[notation]]


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


@pytest.mark.parametrize("cell", ["lstm", "gru"])
def test_deeplearning_ai_cells_solve_a_batch_step_by_step_as_the_course_writes_them(cell):
    """Sequence Models, week 1 (lstm_cell_forward; the GRU of the lectures): the weights act
    on the concatenation [a<t-1>; x<t>], here for three examples at once (SPEC 1.10)."""
    rng = np.random.default_rng(5)
    N, T, n_x, n_a = 3, 2, 3, 2
    keys = ("W_f", "W_u", "W_o", "W_c") if cell == "lstm" else ("W_u", "W_r", "W_c")
    W = {k: rng.normal(0, 0.8, (n_a, n_a + n_x)) for k in keys}
    b = {"b" + k[1:]: rng.normal(0, 0.3, n_a) for k in keys}
    X = rng.normal(0, 1, (N, T, n_x))
    a, c = rng.normal(0, 0.5, (N, n_a)), rng.normal(0, 0.5, (N, n_a))
    net = {**{k: v.tolist() for k, v in {**W, **b}.items()}}
    net.update({"a_init": a.tolist(), "c_init": c.tolist()} if cell == "lstm"
               else {"c_init": c.tolist()})
    states = []
    for t in range(T):
        x = X[:, t]
        if cell == "lstm":                    # column vectors in the course: here one row each
            concat = np.hstack([a, x])
            ft, it, ot = (sigmoid(concat @ W[k].T + b["b" + k[1:]]) for k in ("W_f", "W_u", "W_o"))
            cct = np.tanh(concat @ W["W_c"].T + b["b_c"])
            c = ft * c + it * cct
            a = ot * np.tanh(c)
            states.append(a)
        else:
            concat = np.hstack([c, x])
            gu, gr = (sigmoid(concat @ W[k].T + b["b" + k[1:]]) for k in ("W_u", "W_r"))
            cct = np.tanh(np.hstack([gr * c, x]) @ W["W_c"].T + b["b_c"])
            c = gu * cct + (1 - gu) * c
            states.append(c)
    doc = {"type": cell, "notation": "deeplearning_ai", "batch": True, "inputs": X.tolist(),
           "network": net}
    expected = np.stack(states, axis=1)                  # (N, T, n_a)
    for steps in (True, False):
        np.testing.assert_allclose(rnnquiz.solve(doc, steps=steps).answer, expected,
                                   rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("cell, gate, letter, block", [
    ("lstm", "o", "o", 3), ("lstm", "g", "g", 2), ("gru", "z", "z", 1), ("gru", "n", "n", 2)])
def test_pytorch_working_of_a_batch_shows_each_gate_block_of_the_state_dict(cell, gate, letter,
                                                                            block):
    """nn.LSTM's weight_ih is (4H, D) stacked i, f, g, o; nn.GRU's (3H, D) r, z, n: the working
    of gate k shows rows kH..(k+1)H, however many examples the batch holds (3 here, H = 2)."""
    case = (cell, "pytorch")
    net = network(case, n_h=2)
    for key in ("h_init", "c_init"):
        if key in net:
            net[key] = [[0.5, -0.5]] * 3
    doc = {"type": cell, "notation": "pytorch", "batch": True,
           "inputs": [[[1.0]], [[2.0]], [[3.0]]], "network": net}
    # the examples are rows, as PyTorch writes it: x_t·W_ikᵀ (GRU pre-activations are a^k,
    # its gate z being a gate)
    pre = "a" if cell == "gru" else "z"
    line = next(s for s in rnnquiz.solve(doc).to_json()["steps"]
                if s["symbol"] == f"{pre}^{gate}_0")
    W_i = np.array(net["weight_ih"])[2 * block:2 * block + 2, 0]
    b_i = np.array(net["bias_ih"])[2 * block:2 * block + 2]
    W_h = np.array(net["weight_hh"])[2 * block:2 * block + 2]
    start = f"[1, 2, 3]·{[W_i.tolist()]} + {b_i.tolist()} + "
    assert line["working"].startswith(start.replace(".0,", ",").replace(".0]", "]"))
    assert str(W_h.T.astype(int).tolist()) in line["working"]


@pytest.mark.parametrize("notation, gate, letter, block", [
    ("cs231n", "o", "o", 2), ("cs231n", "g", "g", 3), ("keras", "o", "o", 3),
    ("keras", "g", "c", 2)])
def test_a_row_layout_batch_shows_each_gate_block_of_the_stacked_kernel(notation, gate, letter,
                                                                       block):
    """CS231n's lstm_step_forward: a = x Wx + prev_h Wh + b, (N, 4H), i, f, o, g = a[:, :H],
    a[:, H:2H], a[:, 2H:3H], a[:, 3H:]; Keras' kernel (D, 4H) stacks i, f, c, o. With three
    examples and H = 2 the working of gate k shows columns kH..(k+1)H."""
    case = ("lstm", notation)
    net = network(case, n_h=2)
    for key in ("h0", "c0", "h_init", "c_init"):
        if key in net:
            net[key] = [[0.5, -0.5]] * 3
    doc = {"type": "lstm", "notation": notation, "batch": True,
           "inputs": [[[1.0]], [[2.0]], [[3.0]]], "network": net}
    line = next(s for s in rnnquiz.solve(doc).to_json()["steps"] if s["symbol"] == f"z^{gate}_0")
    keys = ("Wx", "Wh", "b") if notation == "cs231n" else ("kernel", "recurrent_kernel", "bias")
    Wx, Wh, b = (np.array(net[k]) for k in keys)
    cols = slice(2 * block, 2 * block + 2)
    assert line["equation"].startswith(f"x_0·{keys[0]}_{letter}")
    assert line["working"] == (f"[1, 2, 3]·{Wx[:, cols].astype(int).tolist()} + "
                               f"[[0.5, -0.5], [0.5, -0.5], [0.5, -0.5]]·"
                               f"{Wh[:, cols].astype(int).tolist()} + {b[cols].tolist()}")


def keras_run(cell, reset_after, P, X, targets):
    """Keras' LSTM and GRU cells as keras/src/layers/rnn/{lstm,gru}.py compute them, in torch
    (rows: x kernel), with E = ½ Σ (h_t - target_t)² and autograd for dE/d(each weight)."""
    torch = pytest.importorskip("torch")
    T = {k: torch.tensor(v, requires_grad=True) for k, v in P.items()}
    kernel, rec, bias = T["kernel"], T["recurrent_kernel"], T["bias"]
    H = rec.shape[0]
    h = T["h_init"]
    c = T.get("c_init")
    E = 0.0
    for t, x in enumerate(torch.tensor(X)):
        if cell == "lstm":                          # i, f, c, o
            z = x @ kernel + h @ rec + bias
            i, f = torch.sigmoid(z[:H]), torch.sigmoid(z[H:2 * H])
            c = f * c + i * torch.tanh(z[2 * H:3 * H])
            h = torch.sigmoid(z[3 * H:]) * torch.tanh(c)
        elif reset_after:                           # z, r, h; bias (2, 3H)
            mx, mi = x @ kernel + bias[0], h @ rec + bias[1]
            z = torch.sigmoid(mx[:H] + mi[:H])
            r = torch.sigmoid(mx[H:2 * H] + mi[H:2 * H])
            hh = torch.tanh(mx[2 * H:] + r * mi[2 * H:])
            h = z * h + (1 - z) * hh
        else:                                       # Keras 2: the reset before the matrix
            mx = x @ kernel + bias
            z = torch.sigmoid(mx[:H] + h @ rec[:, :H])
            r = torch.sigmoid(mx[H:2 * H] + h @ rec[:, H:2 * H])
            hh = torch.tanh(mx[2 * H:] + (r * h) @ rec[:, 2 * H:])
            h = z * h + (1 - z) * hh
        if t in targets:
            E = E + 0.5 * ((h - torch.tensor(targets[t])) ** 2).sum()
    E.backward()
    return float(E.detach()), {k: v.grad.numpy() for k, v in T.items()}


@pytest.mark.parametrize("cell, reset_after", [("lstm", None), ("gru", True), ("gru", False)])
def test_keras_gradients_come_back_in_the_kernel_layouts(cell, reset_after):
    """dE/dkernel (D, 4H or 3H), dE/drecurrent_kernel (H, ...), dE/dbias ((2, 3H) with
    reset_after) against autograd of Keras' own equations."""
    rng = np.random.default_rng(8)
    D, H, G = 3, 2, 4 if cell == "lstm" else 3
    P = {"kernel": rng.normal(0, 0.6, (D, G * H)),
         "recurrent_kernel": rng.normal(0, 0.6, (H, G * H)),
         "bias": rng.normal(0, 0.4, (2, G * H) if reset_after else G * H),
         "h_init": rng.normal(0, 0.5, H)}
    if cell == "lstm":
        P["c_init"] = rng.normal(0, 0.5, H)
    X = rng.normal(0, 1, (4, D))
    targets = {0: rng.normal(0, 1, H), 3: rng.normal(0, 1, H)}
    E, grads = keras_run(cell, reset_after, P, X, targets)
    net = {k: v.tolist() for k, v in P.items()}
    if reset_after is not None:
        net["reset_after"] = reset_after
    doc = {"type": "backprop", "cell": cell, "notation": "keras", "inputs": X.tolist(),
           "network": net, "targets": {t: v.tolist() for t, v in targets.items()}}
    for steps in (True, False):
        r = rnnquiz.solve(doc, steps=steps)
        assert r.values["E"] == pytest.approx(E, rel=1e-12)
        for key, g in grads.items():
            np.testing.assert_allclose(np.array(r.values[f"dE/d{key}"]), g, rtol=1e-9,
                                       atol=1e-12, err_msg=key)


def test_hinton_output_feedback_is_written_with_w_yh_and_the_previous_output():
    """A Jordan network (Goodfellow fig. 10.4; SPEC 1.1): z_t = W_xh x_t + W_hh h_{t-1} +
    W_yh y_{t-1} + b_h, y_{-1} = y_init; h = σ(z) (Hinton's default), y = W_hy h + b_y:
    z_0 = 1 + 11·0.5 + 0.25·0.5 + 0.31 = 6.935, h_0 = σ(6.935) = 0.999028,
    y_0 = 21·0.999028 + 0.41 = 21.389584."""
    net = {**network(("rnn", "hinton")), "W_yh": [[0.25]], "y_init": [0.5]}
    doc = {"type": "forward", "notation": "hinton", "inputs": [[1.0], [2.0]], "network": net}
    lines = [(s["t"], s["symbol"], s["equation"], s["working"])
             for s in rnnquiz.solve(doc).to_json()["steps"] if s["symbol"].startswith("z")]
    assert lines == [
        (0, "z_0", "W_xh·x_0 + W_hh·h_{-1} + W_yh·y_init + b_h",
         "[1]·1 + [11]·0.5 + [0.25]·0.5 + 0.31"),
        (1, "z_1", "W_xh·x_1 + W_hh·h_0 + W_yh·y_0 + b_h",
         "[1]·2 + [11]·0.999028 + [0.25]·21.389584 + 0.31")]


def test_deeplearning_ai_gru_batch_writes_each_examples_concatenation():
    # [Γ_r<t>*c<t-1>; x<t>] and [c<t-1>; x<t>] are one row per example in a batch, (N, h + x),
    # each row that example's state and input side by side (numpy written here)
    rng = np.random.default_rng(3)
    h, x, N = 2, 3, 2
    net = {k: rng.normal(size=(h, h + x)).round(2).tolist() for k in ("W_u", "W_r", "W_c")}
    net |= {k: rng.normal(size=h).round(2).tolist() for k in ("b_u", "b_r", "b_c")}
    X = rng.normal(size=(N, 1, x)).round(2)
    c0 = np.array([[0.5, -0.25], [0.125, 1.0]])          # one initial state per example
    r = rnnquiz.solve({"type": "gru", "notation": "deeplearning_ai", "batch": True,
                       "network": {**net, "c_init": c0.tolist()}, "inputs": X.tolist()})
    steps = {s.symbol: s for s in r.steps}
    np.testing.assert_array_equal(steps["z^Γ_u<1>"].operands[1], np.hstack([c0, X[:, 0]]))
    g_r = np.asarray(steps["Γ_r<1>"].value, dtype=float)
    np.testing.assert_allclose(steps["z^c̃<1>"].operands[1], np.hstack([g_r * c0, X[:, 0]]))
