"""Draw the book's figures at build time, from the book's own code.

Every ``figures/<name>.py`` defines ``draw() -> matplotlib.figure.Figure``.
At each build the figure is drawn and added to the site as
``figures/<name>.svg``, so a chapter shows it with
``![…](../figures/<name>.svg)`` (or ``figures/<name>.svg`` from the top level)
and no picture is ever committed or stale. ``mkdocs serve`` watches
``figures/`` and ``src/``, so editing either redraws it; a figure is redrawn only
when its script or what it depends on changed (see ``hooks/_cache.py``).
"""

from __future__ import annotations

import importlib.util
import io
import re
from pathlib import Path

import matplotlib
from _cache import ResultCache, digest, package_files

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
from mkdocs.structure.files import File  # noqa: E402

# Reproducible SVGs: no date, fixed ids, text drawn as paths (no fonts needed).
plt.rcParams.update({"svg.hashsalt": "rnn-book", "svg.fonttype": "path"})


def figure_scripts(config_dir: Path) -> list[Path]:
    return sorted(p for p in (config_dir / "figures").glob("*.py") if not p.name.startswith("_"))


def render_svg(script: Path) -> str:
    """Run ``script``'s ``draw()`` and return the figure as SVG text."""
    spec = importlib.util.spec_from_file_location(f"rnn_book_figure_{script.stem}", script)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    fig = module.draw()
    buffer = io.StringIO()
    fig.savefig(buffer, format="svg", bbox_inches="tight", facecolor="white",
                metadata={"Date": None, "Creator": None})
    plt.close(fig)
    return buffer.getvalue()


def dependencies(script: Path, config_dir: Path) -> list[Path]:
    """What a drawing depends on besides its script: the package, the ``_`` helpers,
    sibling scripts and benchmark files it names, and this hook (how it saves)."""
    text = script.read_text(encoding="utf-8")
    named = [p for folder in ("figures", "benchmarks") for p in (config_dir / folder).glob("*.py")
             if p != script and re.search(rf"\b{re.escape(p.name)}\b", text)]
    helpers = [p for p in (config_dir / "figures").glob("_*.py")]
    return [*package_files(config_dir), *helpers, *named, Path(__file__)]


def on_files(files, config):
    config_dir = Path(config["config_file_path"]).parent
    cache = ResultCache(config, "figures", "svg")
    for script in figure_scripts(config_dir):
        own = digest([script], config_dir)
        deps = digest(dependencies(script, config_dir), config_dir)
        svg, _stale = cache.get(script.stem, own, deps, lambda script=script: render_svg(script))
        files.append(File.generated(config, f"figures/{script.stem}.svg", content=svg))
    return files
