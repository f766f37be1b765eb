"""One LSTM step, drawn with the lecture's symbols.

The cell state runs along the top: c_{t-1} is multiplied by the forget gate
f_t, the input gate's share i_t * g_t is added, and c_t leaves to the right;
that line has no weight matrix on it. Below, h_{t-1} and x_t feed the four
gates; h_t = o_t * tanh(c_t) leaves to the right and up, towards y_t.
"""

import matplotlib.pyplot as plt
from _style import LARGE, NORMAL, SMALL, WIDTH, C
from matplotlib.patches import Circle, FancyArrowPatch, FancyBboxPatch

CELL = C["red"]  # the additive cell path
HID = C["blue"]  # the hidden state
GATE_FILL = {"sigma": C["yellow_tint"], "tanh": C["green_tint"]}
Y_CELL, Y_GATES, Y_HID = 4.0, 1.6, 0.0


def arrow(ax, points, colour, lw=1.8, head=True):
    """A polyline through ``points``, with an arrow head at the end."""
    for (x0, y0), (x1, y1) in zip(points[:-2], points[1:-1]):
        ax.plot([x0, x1], [y0, y1], color=colour, lw=lw, solid_capstyle="butt")
    ax.add_patch(FancyArrowPatch(points[-2], points[-1], arrowstyle="-|>" if head else "-",
                                 mutation_scale=13, color=colour, lw=lw, shrinkA=0, shrinkB=0))


def operator(ax, x, y, symbol, colour=C["ink"]):
    """A circle with an elementwise operator inside."""
    ax.add_patch(Circle((x, y), 0.27, facecolor=C["paper"], edgecolor=colour, lw=1.6, zorder=3))
    ax.text(x, y, symbol, ha="center", va="center", fontsize=NORMAL, zorder=4)


def gate(ax, x, name, fn):
    """A gate box: its nonlinearity, and the name of its output under it."""
    ax.add_patch(FancyBboxPatch((x - 0.48, Y_GATES - 0.32), 0.96, 0.64,
                                boxstyle="round,pad=0.02,rounding_size=0.1",
                                facecolor=GATE_FILL[fn], edgecolor=C["ink"], lw=1.2, zorder=3))
    ax.text(x, Y_GATES, r"$\sigma$" if fn == "sigma" else r"$\tanh$", ha="center",
            va="center", fontsize=SMALL, zorder=4)
    ax.text(x + 0.12, Y_GATES + 0.62, name, ha="left", va="center", fontsize=NORMAL)


def draw():
    fig, ax = plt.subplots(figsize=(WIDTH, 3.8))
    # the cell's body
    ax.add_patch(FancyBboxPatch((0.6, -0.55), 7.4, 5.2, boxstyle="round,pad=0.02,rounding_size=0.3",
                                facecolor=C["grey_tint"], edgecolor=C["faint"], lw=1.2, zorder=0))
    xf, xi, xg, xo = 1.8, 3.1, 4.2, 5.6  # the four gates
    xmul_f, xplus, xmul_i, xmul_o, xtanh = 1.8, 4.2, 4.2, 6.6, 6.6

    # the cell path along the top: c_{t-1} -> (x f_t) -> (+ i_t g_t) -> c_t
    arrow(ax, [(-0.3, Y_CELL), (xmul_f - 0.27, Y_CELL)], CELL, lw=2.6)
    arrow(ax, [(xmul_f + 0.27, Y_CELL), (xplus - 0.27, Y_CELL)], CELL, lw=2.6)
    arrow(ax, [(xplus + 0.27, Y_CELL), (8.9, Y_CELL)], CELL, lw=2.6)
    ax.text(-0.4, Y_CELL, r"$c_{t-1}$", ha="right", va="center", fontsize=LARGE, color=CELL)
    ax.text(9.0, Y_CELL, r"$c_t$", ha="left", va="center", fontsize=LARGE, color=CELL)
    operator(ax, xmul_f, Y_CELL, r"$\odot$", CELL)
    operator(ax, xplus, Y_CELL, r"$+$", CELL)
    ax.text((xmul_f + xplus) / 2, Y_CELL + 0.32, r"$f_t \odot c_{t-1}$", ha="center",
            fontsize=SMALL, color=CELL)
    ax.text(4.2, Y_CELL + 1.0, "the cell path: no weight matrix, no squashing", ha="center", fontsize=SMALL,
            color=CELL)

    # the input x_t and h_{t-1}: one bus that feeds every gate
    bus_y = Y_GATES - 1.0
    ax.text(-0.4, bus_y, r"$h_{t-1}$", ha="right", va="center", fontsize=LARGE, color=HID)
    ax.text(0.35, -1.35, r"$x_t$", ha="center", va="center", fontsize=LARGE)
    arrow(ax, [(-0.3, bus_y), (xo, bus_y)], C["muted"], head=False)
    arrow(ax, [(0.35, -1.1), (0.35, bus_y)], C["muted"], head=False)
    for x in (xf, xi, xg, xo):
        arrow(ax, [(x, bus_y), (x, Y_GATES - 0.32)], C["muted"], lw=1.4)
    ax.text(4.3, bus_y - 0.3, r"each gate: $W_{xh\_\ast} x_t + W_{hh\_\ast} h_{t-1} + b_{h\_\ast}$",
            ha="center", va="top", fontsize=SMALL, color=C["muted"])

    gate(ax, xf, r"$f_t$", "sigma")
    gate(ax, xi, r"$i_t$", "sigma")
    gate(ax, xg, r"$g_t$", "tanh")
    gate(ax, xo, r"$o_t$", "sigma")

    # f_t up to the first product; i_t and g_t meet in a product, then up to the sum
    arrow(ax, [(xf, Y_GATES + 0.32), (xmul_f, Y_CELL - 0.27)], C["ink"])
    y_ig = Y_GATES + 1.25
    operator(ax, xmul_i, y_ig, r"$\odot$")
    arrow(ax, [(xi, Y_GATES + 0.32), (xi, y_ig), (xmul_i - 0.27, y_ig)], C["ink"])
    arrow(ax, [(xg, Y_GATES + 0.32), (xmul_i, y_ig - 0.27)], C["ink"])
    arrow(ax, [(xmul_i, y_ig + 0.27), (xplus, Y_CELL - 0.27)], C["ink"])
    ax.text(xmul_i + 0.35, y_ig + 0.5, r"$i_t \odot g_t$", ha="left", fontsize=SMALL)

    # tanh(c_t), times o_t, is h_t
    y_tanh = Y_CELL - 1.15
    ax.add_patch(FancyBboxPatch((xtanh - 0.48, y_tanh - 0.27), 0.96, 0.54,
                                boxstyle="round,pad=0.02,rounding_size=0.1",
                                facecolor=GATE_FILL["tanh"], edgecolor=C["ink"], lw=1.2, zorder=3))
    ax.text(xtanh, y_tanh, r"$\tanh$", ha="center", va="center", fontsize=SMALL, zorder=4)
    arrow(ax, [(xtanh, Y_CELL), (xtanh, y_tanh + 0.27)], CELL, lw=1.6)
    operator(ax, xmul_o, Y_GATES, r"$\odot$", HID)
    arrow(ax, [(xtanh, y_tanh - 0.27), (xmul_o, Y_GATES + 0.27)], C["ink"])
    arrow(ax, [(xo + 0.48, Y_GATES), (xmul_o - 0.27, Y_GATES)], C["ink"])
    arrow(ax, [(xmul_o + 0.27, Y_GATES), (7.5, Y_GATES), (7.5, bus_y), (8.9, bus_y)], HID, lw=2.2)
    ax.text(9.0, bus_y, r"$h_t$", ha="left", va="center", fontsize=LARGE, color=HID)
    ax.text(9.0, bus_y - 0.45, "to $y_t$ and\nto step $t + 1$", ha="left", va="top", fontsize=SMALL,
            color=HID)

    ax.set_xlim(-1.3, 10.6)
    ax.set_ylim(-1.7, 5.4)
    ax.set_aspect("equal")
    ax.axis("off")
    return fig
