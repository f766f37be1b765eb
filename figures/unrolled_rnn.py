"""The forward propagation pipeline (순전파): the simple RNN folded, and unrolled over T steps.

x_t enters at the bottom through W_X, the hidden state flows left to right
through W_H, and y_t leaves at the top through W_Y and the softmax. Every
column uses the same three matrices: that is what the colours say.
"""

import matplotlib.pyplot as plt
from _style import LARGE, NORMAL, SMALL, WIDTH, C
from matplotlib.patches import FancyArrowPatch, FancyBboxPatch

# One colour per weight matrix, the same in every column.
COLOUR = {"W_X": C["blue"], "W_H": C["red"], "W_Y": C["green"]}
FILL = {"x": C["blue_tint"], "h": C["red_tint"], "y": C["green_tint"]}
ROW = {"x": 0.0, "h": 2.0, "y": 4.0}  # heights of inputs, hidden states, outputs
BOX_W, BOX_H = 1.0, 0.7


def box(ax, x, row, label, note=None):
    """A rounded box centred at (x, ROW[row]) with a math label (and a small note)."""
    y = ROW[row]
    ax.add_patch(FancyBboxPatch((x - BOX_W / 2, y - BOX_H / 2), BOX_W, BOX_H,
                                boxstyle="round,pad=0.02,rounding_size=0.12",
                                facecolor=FILL[row], edgecolor=C["ink"], linewidth=1.2))
    dy = 0.12 if note else 0.0
    ax.text(x, y + dy, label, ha="center", va="center", fontsize=LARGE)
    if note:
        ax.text(x, y - 0.2, note, ha="center", va="center", fontsize=SMALL, color=C["muted"])


def arrow(ax, start, end, colour, label=None, label_at=None, rad=0.0):
    """An arrow from start to end, with an optional label at label_at."""
    ax.add_patch(FancyArrowPatch(start, end, arrowstyle="-|>", mutation_scale=14,
                                 color=colour, linewidth=1.8,
                                 connectionstyle=f"arc3,rad={rad}", shrinkA=0, shrinkB=0))
    if label:
        ax.text(*label_at, label, ha="center", va="center", fontsize=NORMAL, color=colour)


def column(ax, x, t):
    """One time step: x_t -> h_t -> y_t, with W_X and W_Y on the vertical arrows."""
    box(ax, x, "x", rf"$x_{{{t}}}$")
    box(ax, x, "h", rf"$h_{{{t}}}$")
    box(ax, x, "y", rf"$y_{{{t}}}$")
    arrow(ax, (x, ROW["x"] + BOX_H / 2), (x, ROW["h"] - BOX_H / 2), COLOUR["W_X"],
          r"$W_X$", (x + 0.4, (ROW["x"] + ROW["h"]) / 2))
    arrow(ax, (x, ROW["h"] + BOX_H / 2), (x, ROW["y"] - BOX_H / 2), COLOUR["W_Y"],
          r"$W_Y$", (x + 0.4, (ROW["h"] + ROW["y"]) / 2 + 0.28))
    ax.text(x + 0.12, (ROW["h"] + ROW["y"]) / 2 - 0.25, "softmax", ha="left", va="center",
            fontsize=SMALL, color=COLOUR["W_Y"])


def hidden_arrow(ax, x0, x1):
    """h_{t-1} -> h_t through W_H, between two boxes of the hidden row."""
    y = ROW["h"]
    arrow(ax, (x0 + BOX_W / 2, y), (x1 - BOX_W / 2, y), COLOUR["W_H"],
          r"$W_H$", ((x0 + x1) / 2, y + 0.26))


def folded(ax, x):
    """The network as the equations write it: one cell whose output feeds itself."""
    column(ax, x, "t")
    y = ROW["h"]
    arrow(ax, (x + BOX_W / 2, y + 0.2), (x + BOX_W / 2, y - 0.2), COLOUR["W_H"],
          r"$W_H$", (x + 1.22, y), rad=-2.2)
    ax.text(x + 0.2, -0.8, "folded", ha="center", va="center", fontsize=NORMAL, style="italic")


def draw():
    fig, ax = plt.subplots(figsize=(WIDTH, 3.1))
    folded(ax, 0.0)
    ax.text(2.2, ROW["h"], "=", ha="center", va="center", fontsize=24, color=C["muted"])

    steps = [("1", 4.3), ("2", 6.4), ("T", 9.5)]
    h0_x = 2.95
    ax.text(h0_x, ROW["h"], r"$h_0$", ha="center", va="center", fontsize=LARGE)
    ax.text(h0_x, ROW["h"] - 0.5, "zeros", ha="center", va="center", fontsize=SMALL,
            color=C["muted"])
    arrow(ax, (h0_x + 0.3, ROW["h"]), (steps[0][1] - BOX_W / 2, ROW["h"]), COLOUR["W_H"],
          r"$W_H$", ((h0_x + 0.3 + steps[0][1] - BOX_W / 2) / 2, ROW["h"] + 0.26))
    for t, x in steps:
        column(ax, x, t)
    hidden_arrow(ax, steps[0][1], steps[1][1])
    # The gap between step 2 and step T: the same arrow, T - 2 more times.
    gap = (steps[1][1] + steps[2][1]) / 2
    arrow(ax, (steps[1][1] + BOX_W / 2, ROW["h"]), (gap - 0.3, ROW["h"]), COLOUR["W_H"],
          r"$W_H$", ((steps[1][1] + BOX_W / 2 + gap - 0.3) / 2, ROW["h"] + 0.26))
    ax.text(gap, ROW["h"], r"$\cdots$", ha="center", va="center", fontsize=LARGE)
    arrow(ax, (gap + 0.3, ROW["h"]), (steps[2][1] - BOX_W / 2, ROW["h"]), COLOUR["W_H"])
    for row in ("x", "y"):
        ax.text(gap, ROW[row], r"$\cdots$", ha="center", va="center", fontsize=LARGE)
    ax.text((steps[0][1] + steps[2][1]) / 2, -0.8, "unrolled: the same weights at every step",
            ha="center", va="center", fontsize=NORMAL, style="italic")

    ax.set_xlim(-0.75, 10.1)
    ax.set_ylim(-1.05, 4.45)
    ax.set_aspect("equal")
    ax.axis("off")
    return fig
