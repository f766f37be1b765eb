"""The simple RNN's gradient ||dL/dh_t|| against the distance T - t from the loss.

Top: small inputs (tanh near its linear range), W_H scaled to spectral radius
rho: below 1 the gradient dies geometrically, above 1 it grows.
Bottom: rho = 2 fixed, larger inputs: tanh saturates, the factors 1 - h_t**2
shrink, and the same W_H that exploded now lets the gradient vanish.
Measured by rnn_book.gradient_flow, with the loss on the last step only.
"""

import matplotlib.pyplot as plt
import numpy as np
from _style import WIDTH, C

from rnn_book import rnn
from rnn_book.gradient_flow import rnn_state_gradient_norms, scale_spectral_radius

K, D, T, B = 8, 64, 60, 16


def measure(rho, input_scale):
    """Norms at distances 0..T, and the mean slope 1 - h_t**2 over units, steps and sequences."""
    rng = np.random.default_rng(0)
    X = rng.standard_normal((T, K, B))  # (T, k, B)
    target = rng.integers(0, K, B)  # the symbol each sequence should predict at step T
    params = rnn.init_params(K, D, rng=1)
    params.W_H[:] = scale_spectral_radius(params.W_H, rho)
    params.W_X[:] *= input_scale
    _, cache = rnn.forward(params, X)
    return rnn_state_gradient_norms(params, X, target), float((1 - cache.H**2).mean())


def draw():
    # one panel above the other: readable at phone width, short enough for a laptop screen
    fig, (left, right) = plt.subplots(2, 1, figsize=(WIDTH, 6.6))
    distance = np.arange(T + 1)
    colours = [C[name] for name in ("blue", "sky", "ink", "orange", "red", "wine")]
    for colour, rho in zip(colours, [0.5, 0.9, 1.0, 1.2, 1.5, 2.0]):
        norms, _ = measure(rho, 0.1)
        left.semilogy(distance, norms, color=colour, lw=2, label=rf"$\rho(W_H) = {rho}$")
    left.set_title("small inputs: tanh almost linear")
    for colour, scale in zip([C["red"], C["muted"], C["blue"]], [0.1, 1.0, 3.0]):
        norms, slope = measure(2.0, scale)
        right.semilogy(distance, norms, color=colour, lw=2,
                       label=rf"$W_X \times {scale}$: mean $1 - h_t^2$ = {slope:.2f}")
    right.set_title(r"$\rho(W_H) = 2$, larger inputs: tanh saturates")
    left.set_ylim(1e-22, 1e6)  # rho = 0.5 ends near 1e-19 at 60 steps
    right.set_ylim(1e-10, 1e6)
    left.legend(loc="lower left", ncol=2, columnspacing=1.0)
    right.legend(loc="lower left")
    for ax in (left, right):
        ax.set_ylabel(r"$\Vert \partial L / \partial h_t \Vert$ (log)")
        ax.set_xlabel(r"distance from the loss, $T - t$ (steps)")
        ax.set_xlim(0, T)
        ax.axhline(ax.get_lines()[0].get_ydata()[0], color=C["faint"], lw=0.8, ls=":")  # at T - t = 0
    fig.tight_layout(h_pad=2.0)
    return fig
