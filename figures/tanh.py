"""tanh(x) and its derivative 1 - tanh(x)**2 (dotted), from the book's own functions.

The lecture borrowed this picture (figure 6-6 of a textbook) and showed it on
[-1, 1]; here it is drawn on [-4, 4] too, so that saturation is visible: where
|x| is large, tanh is flat and its derivative, the factor every backward step
multiplies by, is close to zero.
"""

import matplotlib.pyplot as plt
import numpy as np

from rnn_book.activations import tanh, tanh_grad


def draw():
    x = np.linspace(-4, 4, 801)
    h = tanh(x)
    dh_dx = tanh_grad(h)  # written from the output: 1 - h**2

    fig, ax = plt.subplots(figsize=(7, 3.6))
    ax.axvspan(-1, 1, color="0.93", zorder=0)
    ax.text(0, -1.12, "the lecture's range [-1, 1]", ha="center", va="top", fontsize=9, color="0.35")
    ax.axhline(0, color="0.6", lw=0.8)
    ax.axvline(0, color="0.6", lw=0.8)
    ax.plot(x, h, color="C0", lw=2, label=r"$\tanh(x)$")
    ax.plot(x, dh_dx, color="C3", lw=2, ls=":", label=r"$\frac{d}{dx}\tanh(x) = 1 - \tanh^2(x)$")
    for x0 in (-3.0, 3.0):
        slope = float(tanh_grad(tanh(x0)))
        ax.annotate(f"slope {slope:.3f}\n(saturated)", xy=(x0, slope), xytext=(x0, 0.45),
                    ha="center", fontsize=9, arrowprops={"arrowstyle": "->", "color": "0.3"})
    ax.set_xlim(-4, 4)
    ax.set_ylim(-1.3, 1.15)
    ax.set_xlabel("$x$")
    ax.set_yticks([-1, -0.5, 0, 0.5, 1])
    ax.legend(loc="upper left", frameon=False, fontsize=10)
    ax.spines[["top", "right"]].set_visible(False)
    fig.tight_layout()
    return fig
