"""tanh(a) and its derivative 1 - tanh(a)**2 (dotted), from the book's own functions.

Drawn on [-4, 4] so that saturation is visible: where |a| is large, tanh is
flat and its derivative, the factor every backward step multiplies by, is
close to zero. The variable is a, as in h_t = tanh(a_t) on the pages.
"""

import matplotlib.pyplot as plt
import numpy as np
from _style import SMALL, WIDTH, C

from rnn_book.activations import tanh, tanh_grad


def draw():
    a = np.linspace(-4, 4, 801)
    h = tanh(a)
    dh_da = tanh_grad(h)  # written from the output: 1 - h**2

    fig, ax = plt.subplots(figsize=(WIDTH, 3.6))
    ax.axhline(0, color=C["faint"], lw=0.8)
    ax.axvline(0, color=C["faint"], lw=0.8)
    ax.plot(a, h, color=C["blue"], lw=2, label=r"$h = \tanh(a)$")
    ax.plot(a, dh_da, color=C["red"], lw=2.2, ls=":",
            label=r"$\frac{dh}{da} = 1 - \tanh^2(a) = 1 - h^2$")
    for a0 in (-3.0, 3.0):
        slope = float(tanh_grad(tanh(a0)))
        ax.annotate(f"slope {slope:.3f}\n(saturated)", xy=(a0, slope),
                    xytext=(a0, 0.42), ha="center", fontsize=SMALL,
                    arrowprops={"arrowstyle": "->", "color": C["muted"]})
    ax.set_xlim(-4, 4)
    ax.set_ylim(-1.15, 1.15)
    ax.set_xlabel("$a$")
    ax.set_yticks([-1, -0.5, 0, 0.5, 1])
    ax.legend(loc="upper left")
    fig.tight_layout()
    return fig
