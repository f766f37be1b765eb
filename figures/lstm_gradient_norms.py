"""The LSTM's gradient ||dL/dc_t|| against the distance T - t from the loss.

The same inputs as figures/vanishing_exploding.py and an LSTM of the same
width, for four values of the forget-gate bias b_h_f (solid). Dashed: the part
of the gradient that travelled along the cell alone, dL/dc_T times the
product of the forget gates in between. Grey: the simple RNN at its default
initialisation, for comparison. Loss on the last step only.
"""

import matplotlib.pyplot as plt
import numpy as np
from _style import SMALL, WIDTH, C

from rnn_book import lstm, rnn
from rnn_book.gradient_flow import (
    lstm_cell_path_norms,
    lstm_state_gradient_norms,
    rnn_state_gradient_norms,
)

K, D, T, B = 8, 64, 60, 16


def draw():
    rng = np.random.default_rng(0)
    X = rng.standard_normal((T, K, B))  # (T, k, B)
    target = rng.integers(0, K, B)
    distance = np.arange(T + 1)
    fig, ax = plt.subplots(figsize=(WIDTH, 6.0))
    simple = rnn.init_params(K, D, rng=1)
    ax.semilogy(distance, rnn_state_gradient_norms(simple, X, target), color=C["faint"], lw=2.5,
                label=r"simple RNN (default init): $\Vert \partial L / \partial h_t \Vert$")
    colours = [C["purple"], C["blue"], C["green"], C["orange"]]
    for colour, bias in zip(colours, [0.0, 1.0, 3.0, 5.0]):
        params = lstm.init_params(K, D, rng=1, forget_bias=bias)
        _, cache = lstm.forward(params, X)
        mean_f = np.mean([step[3].mean() for step in cache.steps])
        _, dc_norms = lstm_state_gradient_norms(params, X, target)
        ax.semilogy(distance, dc_norms, color=colour, lw=2,
                    label=rf"LSTM, $b_{{h\_f}} = {bias:g}$ (mean $f_t$ = {mean_f:.2f})")
        ax.semilogy(distance, lstm_cell_path_norms(params, X, target), color=colour, lw=1.2,
                    ls="--")
    ax.plot([], [], color=C["muted"], lw=1.2, ls="--", label="dashed: along the cell alone")
    ax.set_xlabel(r"distance from the loss, $T - t$ (steps)")
    ax.set_ylabel(r"$\Vert \partial L / \partial c_t \Vert$  (log scale)")
    ax.set_xlim(0, T)
    ax.set_ylim(1e-20, 1e1)  # the cell path at bias 0 ends near 1e-18
    ax.legend(fontsize=SMALL, loc="upper center", bbox_to_anchor=(0.45, -0.14))
    fig.tight_layout()
    return fig
