"""Draw the book's figures at build time, from the book's own code.

Every ``figures/<name>.py`` defines ``draw() -> matplotlib.figure.Figure``.
At each build the figure is drawn in the book's one style
(``figures/_style.py``), in a worker process beside the build
(``hooks/_pool.py``), and added to the site as ``figures/<name>.svg``; a
chapter shows it with ``![what it shows](../figures/<name>.svg "caption")``
and no picture is ever committed or stale. ``mkdocs serve`` watches
``figures/`` and ``src/``, so editing either redraws it; a figure is redrawn only
when its script or what it depends on changed (see ``hooks/_cache.py``).

On the page the image becomes a numbered ``<figure>``: the SVG inline (its
alt text as the accessible name), the Markdown title as its caption. Every
colour the figure draws with is one of the style's roles and becomes a CSS
variable, so the same SVG follows the light and the dark scheme; a colour
outside the palette fails the build. Notebook plots, drawn as SVG in the same
style (the kernels read it from ``MATPLOTLIBRC``), get the same variables.
"""

from __future__ import annotations

import base64
import html
import importlib.util
import io
import os
import re
import sys
import tempfile
from concurrent.futures import Future
from pathlib import Path

import jupytext
import matplotlib
from _cache import ResultCache, digest, package_files

matplotlib.use("Agg")
import matplotlib.pyplot as plt
from mkdocs.plugins import event_priority
from mkdocs.structure.files import File

FIGURES = Path(__file__).resolve().parent.parent / "figures"
if str(FIGURES) not in sys.path:
    sys.path.insert(0, str(FIGURES))
import _style

PALETTE_CSS = "figures/palette.css"
_ROLE = {light.lower(): role.replace("_", "-") for role, (light, _) in _style.PALETTE.items()}
_COLOUR = re.compile(r"\b(fill|stroke):\s*(#[0-9a-fA-F]{6})\b")
_PROLOG = re.compile(r"^.*?(?=<svg\b)", re.DOTALL)
_METADATA = re.compile(r"<metadata>.*?</metadata>\s*", re.DOTALL)
_STYLE = re.compile(r"<style[^>]*>.*?</style>\s*", re.DOTALL)
_ID = re.compile(r'\bid="([^"]+)"')
_REF = re.compile(r'(xlink:href="#|href="#|url\(#)([^")]+)')
_FIGURE_IMG = re.compile(
    r'(?:<p>\s*)?<img\b(?P<attrs>[^>]*?\bsrc="(?:\.\./)*figures/(?P<name>[\w-]+)\.svg"[^>]*?)/?>(?:\s*</p>)?')
_ATTR = re.compile(r'(\w+)="([^"]*)"')
_CHAPTER = re.compile(r"^(\d+b?)\.")
_NOTEBOOK_PLOT = re.compile(r'<img\b[^>]*?src="data:image/svg\+xml;base64,([^"]+)"[^>]*>')
_SVGS: dict[str, Future] = {}  # figure name -> its SVG, being drawn since on_files
_FILES: dict[str, File] = {}  # figure name -> its file in the site


def figure_scripts(config_dir: Path) -> list[Path]:
    return sorted(p for p in (config_dir / "figures").glob("*.py") if not p.name.startswith("_"))


def themed(svg: str, *, strict: bool = True) -> str:
    """Every palette colour in ``svg`` as ``var(--fig-<role>, <light value>)``.

    ``strict``: a colour outside the palette raises (book figures); otherwise
    it is left as drawn (notebook plots).
    """
    unknown = set()

    def swap(match):
        prop, colour = match.group(1), match.group(2).lower()
        role = _ROLE.get(colour)
        if role is None:
            unknown.add(colour)
            return match.group(0)
        return f"{prop}: var(--fig-{role}, {colour})"

    out = _COLOUR.sub(swap, svg)
    if strict and unknown:
        raise ValueError(f"colours outside figures/_style.py's PALETTE: {sorted(unknown)}")
    return out


def render_svg(script: Path) -> str:
    """Run ``script``'s ``draw()`` in the book's style; the figure as themed SVG text."""
    spec = importlib.util.spec_from_file_location(f"rnn_book_figure_{script.stem}", script)
    module = importlib.util.module_from_spec(spec)
    with plt.rc_context(_style.rc()):
        spec.loader.exec_module(module)
        fig = module.draw()
        buffer = io.StringIO()
        fig.savefig(buffer, format="svg", bbox_inches="tight", transparent=True,
                    metadata={"Date": None, "Creator": None})
    plt.close(fig)
    try:
        return themed(buffer.getvalue())
    except ValueError as error:
        raise ValueError(f"figures/{script.name}: {error}") from None


def warm() -> None:
    """Draw a throwaway figure in the book's style: fonts, mathtext and the SVG writer
    are loaded in a worker before it forks a process per figure (0.25 s less each)."""
    with plt.rc_context(_style.rc()):
        fig, ax = plt.subplots(figsize=(2, 1))
        ax.plot([0, 1], [0, 1], label=r"$h_t = \tanh(a_t)$")
        ax.set_title("a title")
        ax.set_xlabel("$t$")
        ax.legend()
        fig.savefig(io.StringIO(), format="svg", bbox_inches="tight")
    plt.close(fig)


def inline(svg: str, prefix: str) -> str:
    """The SVG as an element for a page: no prolog, metadata or global style; ids prefixed."""
    svg = _STYLE.sub("", _METADATA.sub("", _PROLOG.sub("", svg)))
    svg = _ID.sub(lambda m: f'id="{prefix}-{m.group(1)}"', svg)
    return _REF.sub(lambda m: f"{m.group(1)}{prefix}-{m.group(2)}", svg)


FIGURE_WORD = {"en": "Figure", "ko": "그림"}  # the caption's label, in the language of the page


def figure_html(svg: str, name: str, alt: str, caption: str, label: str, word: str = "Figure") -> str:
    element = inline(svg, f"fig-{name}").replace(
        "<svg ", f'<svg role="img" aria-label="{html.escape(alt, quote=True)}" ', 1)
    return (f'<figure class="book-figure" id="figure-{name}">\n{element}\n'
            f'<figcaption><span class="book-figure__number">{word} {label}.</span> '
            f"{caption}</figcaption>\n</figure>")


def on_config(config):
    # Notebook kernels start later, from this process: they inherit the style.
    rc_dir = Path(tempfile.mkdtemp(prefix="rnn-book-mplrc-"))
    (rc_dir / "matplotlibrc").write_text(_style.matplotlibrc(), encoding="utf-8")
    os.environ["MATPLOTLIBRC"] = str(rc_dir / "matplotlibrc")
    # A kernel with MPLBACKEND set (the tests set Agg) would draw no plot at all;
    # without it, ipykernel picks the inline backend, as in Jupyter. This process
    # has chosen Agg above, explicitly.
    os.environ.pop("MPLBACKEND", None)
    if PALETTE_CSS not in config.extra_css:
        config.extra_css.append(PALETTE_CSS)
    return config


def dependencies(script: Path, config_dir: Path) -> list[Path]:
    """What a drawing depends on besides its script: the package, the ``_`` helpers
    (the style among them), sibling scripts and benchmark files it names, and this
    hook (how it saves)."""
    text = script.read_text(encoding="utf-8")
    named = [p for folder in ("figures", "benchmarks") for p in (config_dir / folder).glob("*.py")
             if p != script and re.search(rf"\b{re.escape(p.name)}\b", text)]
    helpers = [p for p in (config_dir / "figures").glob("_*.py")]
    return [*package_files(config_dir), *helpers, *named, Path(__file__)]


def first_use(name: str, files) -> int:
    """Where the first page that shows the figure comes in the build's order of pages."""
    for number, file in enumerate(files.documentation_pages()):
        if file.src_uri.endswith(".md") and f"figures/{name}.svg" in Path(file.abs_src_path).read_text(encoding="utf-8"):
            return number
    return len(files)


@event_priority(-110)  # after mkdocs-static-i18n (-100), which cannot take a generated file
def on_files(files, config):
    """Submit every figure to the workers (``hooks/_pool.py``); pages wait for theirs."""
    config_dir = Path(config["config_file_path"]).parent
    cache = ResultCache(config, "figures", "svg")
    _SVGS.clear()
    _FILES.clear()
    for script in sorted(figure_scripts(config_dir), key=lambda s: first_use(s.stem, files)):
        own = digest([script], config_dir)
        deps = digest(dependencies(script, config_dir), config_dir)
        _SVGS[script.stem], _stale = cache.get(
            script.stem, own, deps, lambda pool, script=script: pool.submit("figure", script, priority=1))
        _FILES[script.stem] = File.generated(config, f"figures/{script.stem}.svg", content="")
        files.append(_FILES[script.stem])
    files.append(File.generated(config, PALETTE_CSS, content=_style.css()))
    return files


def on_env(env, config, files):
    """Every page has been read: the figures' SVG files get their drawings (the
    MkDocs process writes them next)."""
    for name, file in _FILES.items():
        file.content_string = _SVGS[name].result()
    return env


def on_page_content(content: str, page, config, files) -> str:
    chapter = _CHAPTER.match(page.title or "")
    count = 0

    def replace(match):
        nonlocal count
        name = match.group("name")
        if name not in _SVGS:
            return match.group(0)
        attrs = {k: html.unescape(v) for k, v in _ATTR.findall(match.group("attrs"))}
        if not attrs.get("alt") or not attrs.get("title"):
            raise ValueError(f"{page.file.src_uri}: figure {name} needs alt text (what it shows) "
                             'and a title (its caption): ![alt](…/figures/name.svg "caption")')
        count += 1
        label = f"{chapter.group(1)}.{count}" if chapter else str(count)
        return figure_html(_SVGS[name].result(), name, attrs["alt"], html.escape(attrs["title"]), label,
                           FIGURE_WORD.get(config.theme["language"], "Figure"))

    return _FIGURE_IMG.sub(replace, content)


def notebook_plots(output: str, source: Path) -> str:
    """A notebook page's SVG plots inline, like the figures, named by their cells' ``alt``.

    nbconvert writes each plot as ``<img src="data:image/svg+xml;base64,…">``
    with no description; the plotting cell's metadata (``# %% alt="…"`` in the
    jupytext source) says what it shows, in the order the plots appear.
    """
    alts = [cell.metadata["alt"] for cell in jupytext.read(source).cells
            if cell.cell_type == "code" and "alt" in cell.metadata]
    plots = list(_NOTEBOOK_PLOT.finditer(output))
    if len(plots) != len(alts):
        raise ValueError(f"{source.name}: {len(plots)} plots but {len(alts)} cells with an "
                         'alt text (# %% alt="what the plot shows")')
    parts, end = [], 0
    for number, (match, alt) in enumerate(zip(plots, alts), 1):
        svg = themed(base64.b64decode(match.group(1)).decode("utf-8"), strict=False)
        svg = inline(svg, f"nb-plot-{number}").replace(
            "<svg ", f'<svg role="img" aria-label="{html.escape(alt, quote=True)}" ', 1)
        parts += [output[end:match.start()], svg]
        end = match.end()
    return "".join(parts) + output[end:]


def on_post_page(output: str, page, config) -> str:
    if not page.file.src_uri.startswith("notebooks/"):
        return output
    jupyter = config.plugins.get("mkdocs-jupyter")
    if jupyter is not None and not jupyter.config["execute"]:
        return output  # not run (RNN_BOOK_EXECUTE_NOTEBOOKS=false): no plots to describe
    return notebook_plots(output, Path(page.file.abs_src_path))
