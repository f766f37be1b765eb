"""A cliff in the loss, and one gradient update from its wall with and without clipping.

A one-unit RNN, h_t = tanh(w h_{t-1} - 0.1), runs 30 steps on zero inputs from
h_0 = 0.5; its last state is classified by softmax(W_Y h_30) with W_Y = (4, -4),
target symbol 1 (a negative h_30). From w = 0.9 to 1.27 the state settles at
-0.5 to -0.8 and the loss is small (a narrow valley); for a strongly negative w
it flips sign every step and ends near +1 (a plateau near 8); above 1.27 it
settles near +0.8: the loss L_30 jumps, and on the jump dL/dw is huge.
Only w = W_H is trained, so the picture is one-dimensional.
"""

import matplotlib.pyplot as plt
import numpy as np
from _style import SMALL, WIDTH, C

from rnn_book import rnn
from rnn_book.gradient_flow import clip_by_global_norm, last_step_loss_and_grads
from rnn_book.losses import cross_entropy

T, LR, MAX_NORM, W0 = 30, 0.1, 1.0, 1.3


def cliff_params(w):
    """k = 1 (the inputs are zeros), d = 1, k_out = 2; W_H = w."""
    return rnn.RNNParams(W_X=np.zeros((1, 1)), W_H=np.array([[float(w)]]),
                         b_h=np.array([[-0.1]]), W_Y=np.array([[4.0], [-4.0]]),
                         b_y=np.zeros((2, 1)))


def cliff_loss(w):
    """L_30 alone, from the forward pass: the curve needs no gradient (half the work)."""
    Y, _ = rnn.forward(cliff_params(w), np.zeros((T, 1)), h0=[0.5])
    return cross_entropy(Y[-1:], np.array([1]))


def loss_and_grad(w):
    """L_30 and dL_30/dw."""
    loss, grads = last_step_loss_and_grads(cliff_params(w), np.zeros((T, 1)), 1, h0=[0.5])
    return loss, float(grads.W_H[0, 0])


def draw():
    loss0, g = loss_and_grad(W0)
    raw = W0 - LR * g
    clipped, _ = clip_by_global_norm({"W_H": np.array([g])}, MAX_NORM)
    gentle = W0 - LR * float(clipped["W_H"][0])
    w = np.linspace(min(raw, -1) - 0.5, 2.2, 1200)
    fig, ax = plt.subplots(figsize=(WIDTH, 4.8))
    ax.plot(w, [cliff_loss(v) for v in w], color=C["ink"], lw=1.8)
    ax.plot([W0], [loss0], "o", color=C["ink"], ms=7, zorder=5)
    ax.annotate(f"start: $w$ = {W0},\n$L$ = {loss0:.2f},\n" + rf"$\partial L / \partial w$ = {g:.0f}",
                xy=(W0, loss0), xytext=(W0 - 0.2, loss0 - 0.3), fontsize=SMALL, ha="right",
                va="top")
    for where, colour, text in [(raw, C["red"], "raw update"), (gentle, C["blue"], "clipped update")]:
        loss = loss_and_grad(where)[0]
        ax.plot([where], [loss], "o", color=colour, ms=7, zorder=5)
        ax.annotate("", xy=(where, loss + 0.15), xytext=(W0, loss0 + 0.15),
                    arrowprops={"arrowstyle": "-|>", "color": colour, "lw": 1.6,
                                "connectionstyle": "arc3,rad=-0.25"})
        ax.text(where if where < 0 else where - 1.1, loss - 0.6 if loss > 4 else loss + 0.7,
                f"{text}:\n$w$ = {where:.2f},{' ' if where < 0 else chr(10)}$L$ = {loss:.3f}", color=colour, fontsize=SMALL,
                ha="left" if where < 0 else "center", va="top" if loss > 4 else "bottom")
    ax.set_xlabel(r"$w = W_H$  (a single number: $d = 1$)")
    ax.set_ylabel(r"$L_{30}$")
    ax.set_ylim(-0.4, 9.2)
    fig.tight_layout()
    return fig
