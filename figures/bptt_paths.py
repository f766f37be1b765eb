"""Backpropagation through time: the two paths into h_t, drawn on chapter 2's unrolled RNN.

The forward pass is faded grey. The backward pass is drawn in the colour of
the matrix it goes through: dL/dz_t = y_t - yhat_t comes down from each output
through W_Y^T, and W_H^T dL/da_{t+1} comes back from the next step. The two
meet at h_t and add; at the last step only the first arrives, and h_0 gets
only the second.
"""

import importlib.util
from pathlib import Path

import matplotlib.pyplot as plt
from _style import LARGE, NORMAL, SMALL, WIDTH, C
from matplotlib.patches import Circle, FancyArrowPatch

_spec = importlib.util.spec_from_file_location(
    "rnn_book_figure_unrolled_rnn", Path(__file__).with_name("unrolled_rnn.py"))
unrolled = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(unrolled)
ROW, BOX_W, BOX_H, COLOUR = unrolled.ROW, unrolled.BOX_W, unrolled.BOX_H, unrolled.COLOUR
FADED = C["faint"]


def line(ax, start, end, colour, width=1.8, rad=0.0):
    ax.add_patch(FancyArrowPatch(start, end, arrowstyle="-|>", mutation_scale=14,
                                 color=colour, linewidth=width,
                                 connectionstyle=f"arc3,rad={rad}",
                                 shrinkA=0, shrinkB=0))


def draw():
    fig, ax = plt.subplots(figsize=(WIDTH, 3.2))
    xs = {1: 2.4, 2: 6.0, 3: 9.6}
    h0_x = 0.0
    down = 0.28   # backward vertical arrows sit right of the forward ones
    back = -0.2   # backward horizontal arrows sit below the forward ones

    ax.text(h0_x, ROW["h"], r"$h_0$", ha="center", va="center", fontsize=LARGE)
    meet = {}  # where the two backward paths into h_t add: a "+" right of h_t
    for t, x in xs.items():
        unrolled.box(ax, x, "x", rf"$x_{t}$")
        unrolled.box(ax, x, "h", rf"$h_{t}$")
        unrolled.box(ax, x, "y", rf"$y_{t}$")
        # forward, faded
        for lo, hi in (("x", "h"), ("h", "y")):
            line(ax, (x - 0.2, ROW[lo] + BOX_H / 2), (x - 0.2, ROW[hi] - BOX_H / 2),
                 FADED, 1.2)
        meet[t] = (x + BOX_W / 2 + 0.45, ROW["h"] + back)
        ax.add_patch(Circle(meet[t], 0.22, facecolor=C["paper"], edgecolor=C["ink"],
                            lw=1.3, zorder=5))
        ax.text(*meet[t], "+", ha="center", va="center", fontsize=SMALL, zorder=6)
        # backward from the output: dL/dz_t through W_Y^T, down to the "+"
        line(ax, (x + down, ROW["y"] - BOX_H / 2), (meet[t][0], meet[t][1] + 0.22),
             COLOUR["W_Y"], 2.4)
        ax.text(x + 0.68, (ROW["h"] + ROW["y"]) / 2 + 0.45, r"$W_Y^\top$",
                ha="left", va="center", fontsize=NORMAL, color=COLOUR["W_Y"])
        ax.text(x + 0.68, (ROW["h"] + ROW["y"]) / 2 - 0.05,
                rf"$\partial L/\partial z_{t}$", ha="left", va="center",
                fontsize=SMALL, color=COLOUR["W_Y"])
        # the sum enters h_t: the total dL/dh_t
        line(ax, (meet[t][0] - 0.22, meet[t][1]), (x + BOX_W / 2, meet[t][1]),
             C["ink"], 2.0)

    # forward along the hidden row, faded; backward below it, through W_H^T
    chain = [(0, h0_x)] + list(xs.items())
    for (s, x0), (t, x1) in zip(chain, chain[1:]):
        start = x0 + (0.3 if s == 0 else BOX_W / 2)
        line(ax, (start, ROW["h"] + 0.12), (x1 - BOX_W / 2, ROW["h"] + 0.12), FADED, 1.2)
        end = meet[s][0] + 0.22 if s else start
        line(ax, (x1 - BOX_W / 2, ROW["h"] + back), (end, ROW["h"] + back),
             COLOUR["W_H"], 2.4)
        ax.text((end + x1 - BOX_W / 2) / 2 + 0.25, ROW["h"] + back - 0.6,
                rf"$W_H^\top \partial L/\partial a_{t}$", ha="center", va="center",
                fontsize=SMALL, color=COLOUR["W_H"])
    ax.text(meet[3][0] + 0.35, ROW["h"] + back, "nothing\nafter $T$",
            ha="left", va="center", fontsize=SMALL, color=C["muted"])
    ax.text(h0_x, ROW["h"] + 0.6, r"$\partial L/\partial h_0$", ha="center",
            va="center", fontsize=SMALL, color=C["ink"])

    ax.text((xs[1] + xs[3]) / 2, -1.0,
            r"$\dfrac{\partial L}{\partial h_t} = W_Y^\top \dfrac{\partial L}{\partial z_t}"
            r" + W_H^\top \dfrac{\partial L}{\partial a_{t+1}}$",
            ha="center", va="center", fontsize=NORMAL)
    ax.set_xlim(-0.6, 12.2)
    ax.set_ylim(-1.5, 4.45)
    ax.set_aspect("equal")
    ax.axis("off")
    return fig
