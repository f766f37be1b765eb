"""The book's one figure style: sizes, type and colours, chosen here once.

Every figure script, and every notebook plot at build time, draws with these
settings (``hooks/figures.py`` applies them). The numbers follow from the
page, not from taste:

- A figure is at most ``WIDTH`` inches wide. Its SVG is shown at its natural
  size (1 pt = 4/3 px) on a desktop and shrunk to the column on a phone: a
  6-inch figure (432 pt) drawn into a 343 px column keeps 0.79 px per pt, so
  ``SMALL`` = 12 pt type is 9.5 px there and 16 px on a desktop.
- Colours are named by role. Each role has a light value, used when drawing,
  and a dark value; the hook turns every drawn colour into a CSS variable
  (``--fig-<role>``) that takes the dark value in the dark scheme, so one
  SVG serves both. Every colour that draws a line or text has at least 3:1
  contrast against the page in both schemes (white, and Material's slate
  ``#1e2029``); tints are for areas only, under text in ``ink``.
"""

from __future__ import annotations

WIDTH = 6.0   # inches: the widest figure
SMALL = 12    # pt: the smallest text in any figure (ticks, notes, legends)
NORMAL = 13   # pt: axis labels, titles, labels inside diagrams
LARGE = 16    # pt: the symbols a diagram is about (x_t, h_t, y_t)

# role: (light scheme, dark scheme)
PALETTE = {
    # text and lines
    "ink": ("#1f1f1f", "#e3e5ec"),
    "muted": ("#555555", "#b0b3bd"),
    "faint": ("#808080", "#80838c"),   # still 3:1: faded arrows, reference lines
    # data series and the three weight matrices, distinct in both schemes
    "blue": ("#1f6fb4", "#6cb3f0"),
    "sky": ("#3b87c4", "#a6d4fa"),
    "red": ("#c8322e", "#f07a72"),
    "green": ("#2b8a3e", "#6cc984"),
    "purple": ("#7b4fb0", "#b89af0"),
    "orange": ("#b85c00", "#f0a050"),
    "wine": ("#8e1b4a", "#e79ac0"),
    # areas: the page itself, and pale tints under text
    "paper": ("#ffffff", "#1e2029"),
    "blue_tint": ("#e8f1fa", "#213449"),
    "red_tint": ("#fdecea", "#442628"),
    "green_tint": ("#eaf6ea", "#213d2b"),
    "yellow_tint": ("#fff4d1", "#3f3720"),
    "grey_tint": ("#f4f4f4", "#282b34"),
}
C = {role: light for role, (light, _) in PALETTE.items()}  # what a script draws with
SERIES = ["blue", "red", "green", "purple", "orange", "sky"]  # the colour cycle

RC = {
    "figure.figsize": (WIDTH, 3.6),
    "figure.facecolor": "none",
    "axes.facecolor": "none",
    "savefig.facecolor": "none",
    "savefig.transparent": True,
    "svg.fonttype": "path",          # text drawn as outlines: no font needed by the reader
    "svg.hashsalt": "rnn-book",      # reproducible ids
    "font.size": NORMAL,
    "axes.titlesize": NORMAL,
    "axes.labelsize": NORMAL,
    "xtick.labelsize": SMALL,
    "ytick.labelsize": SMALL,
    "legend.fontsize": SMALL,
    "legend.frameon": False,
    "figure.titlesize": NORMAL,
    "mathtext.fontset": "dejavusans",
    "text.color": C["ink"],
    "axes.labelcolor": C["ink"],
    "axes.edgecolor": C["ink"],
    "axes.titlecolor": C["ink"],
    "xtick.color": C["ink"],
    "ytick.color": C["ink"],
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.prop_cycle": None,  # set below, from SERIES
    "lines.linewidth": 2.0,
    "patch.edgecolor": C["ink"],
    "hatch.color": C["ink"],
    "grid.color": C["faint"],
}


def rc() -> dict:
    """The rcParams of the book's figures (a fresh dict: callers may update it)."""
    from cycler import cycler

    return {**RC, "axes.prop_cycle": cycler(color=[C[name] for name in SERIES])}


def use() -> None:
    """Apply the book's style to matplotlib's global settings."""
    import matplotlib as mpl

    mpl.rcParams.update(rc())


def matplotlibrc() -> str:
    """The same settings as a ``matplotlibrc`` file, for notebook kernels."""
    lines = []
    for key, value in rc().items():
        if key == "axes.prop_cycle":
            colours = ", ".join(repr(c.lstrip("#")) for c in value.by_key()["color"])
            value = f"cycler('color', [{colours}])"
        elif isinstance(value, tuple):
            value = ", ".join(str(v) for v in value)
        elif isinstance(value, str) and value.startswith("#"):
            value = value.lstrip("#")
        lines.append(f"{key}: {value}")
    return "\n".join(lines) + "\n"


def css() -> str:
    """CSS variables for the roles, light by default and dark in Material's slate scheme."""
    light = " ".join(f"--fig-{role.replace('_', '-')}: {pair[0]};" for role, pair in PALETTE.items())
    dark = " ".join(f"--fig-{role.replace('_', '-')}: {pair[1]};" for role, pair in PALETTE.items())
    return (f":root {{ {light} }}\n"
            f"[data-md-color-scheme=\"slate\"] {{ {dark} }}\n")


def _check_palette() -> None:
    lights = [light.lower() for light, _ in PALETTE.values()]
    if len(set(lights)) != len(lights):
        raise ValueError("two palette roles share a light colour: the dark mapping would be ambiguous")


_check_palette()
