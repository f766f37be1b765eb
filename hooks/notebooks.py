"""Notebook pages: run only when needed, light, and downloadable.

Notebooks are kept as jupytext percent-format scripts in ``docs/notebooks/``;
mkdocs-jupyter converts them (executing them) into pages. This hook

* caches each page's notebook HTML by the notebook's content and by ``src/``
  (``hooks/_cache.py``): ``make serve`` re-runs a notebook only when it or the
  package changed, and with ``RNN_BOOK_FRESH=1`` (tests, CI, publishing) every
  notebook runs anew, in a worker process started before the first page is read
  (``hooks/_pool.py``). mkdocs-jupyter's own cache stays off: it ignores ``src/``;
* gives each plot the alt text of its cell (``# %% alt="…"`` in the jupytext
  source), where nbconvert writes "No description has been provided";
* keeps only the CSS the page uses out of the ~0.57 MB JupyterLab stylesheet that
  nbconvert inlines in every notebook page (``hooks/_notebook_css.py``);
* writes ``<name>.ipynb`` next to each page, converted with jupytext, and puts a
  download button beside the page's edit button. The icon is read from the
  installed Material theme, not copied into the repository.
"""

from __future__ import annotations

from pathlib import Path

import jupytext
import material
from _cache import ResultCache, digest, package_files
from _notebook_css import trim_styles
from bs4 import BeautifulSoup
from mkdocs_jupyter import convert

NOTEBOOKS = "notebooks/"
ICON = Path(material.__file__).parent / "templates" / ".icons" / "material" / "download.svg"
# Hook modules are loaded anew for every build of `mkdocs serve`: wrap the original once.
_NB2HTML = getattr(convert.nb2html, "__wrapped__", convert.nb2html)
STALE_NOTE = (
    '<div class="admonition note"><p class="admonition-title">Re-running</p>'
    "<p>These outputs are from before the last change to <code>src/</code>; "
    "the notebook is running again and the page will reload when it is done.</p></div>"
)


def with_alt_text(html: str, nb_path: str) -> str:
    """Each cell's images get the cell's ``alt`` metadata; a plot without one fails."""
    cells = jupytext.read(nb_path).cells
    soup = BeautifulSoup(html, "html.parser")
    shown = soup.select("div.jp-Cell[id]")  # mkdocs-jupyter wraps each code cell in a second, id-less one
    if len(shown) != len(cells):
        raise ValueError(f"{nb_path}: {len(shown)} cells on the page, {len(cells)} in the notebook")
    for cell, div in zip(cells, shown):
        for img in div.select("img"):
            if "alt" not in cell.metadata:
                raise ValueError(f'{nb_path}: a cell draws a picture but has no alt text: '
                                 f'write # %% alt="what it shows" above it')
            img["alt"] = cell.metadata["alt"]
    for code in soup.select("div.highlight-ipynb"):  # scrolls sideways: reachable by Tab
        code["tabindex"] = "0"
    return str(soup)


def is_notebook(page) -> bool:
    return page.file.src_uri.startswith(NOTEBOOKS) and page.file.src_uri.endswith(".py")


def ipynb_name(page) -> str:
    return Path(page.file.src_uri).stem + ".ipynb"


def compute(nb_path: str, options: dict) -> str:
    """The notebook's page: run (per ``options``), trimmed, its plots described.
    Called in a worker process (``hooks/_pool.py``)."""
    return with_alt_text(trim_styles(_NB2HTML(nb_path, **options)), nb_path)


# What mkdocs-jupyter 0.26 passes to convert.nb2html, read from its configuration
# (a notebook whose call differs is simply not started early).
_OPTIONS = ("execute", "kernel_name", "theme", "allow_errors", "show_input", "no_input", "no_prompt",
            "remove_tag_config", "highlight_extra_classes", "include_requirejs", "custom_mathjax_url")
_STARTED: dict[tuple[str, str], tuple] = {}  # (path, options) -> (Future of the page's HTML, stale)


def start(config, nb_path: str, options: dict):
    """The page's HTML as a Future (from the cache, or from a worker), and whether it is stale."""
    config_dir = Path(config["config_file_path"]).parent
    path = Path(nb_path)
    own = digest([path], path.parent, extra=repr(sorted(options.items())))
    deps = digest([*package_files(config_dir), Path(__file__), Path(__file__).with_name("_notebook_css.py")],
                  config_dir)
    return ResultCache(config, "notebooks", "html").get(
        path.stem, own, deps, lambda pool: pool.submit("notebook", nb_path, options, priority=0))


def on_config(config):
    def nb2html(nb_path, **options):
        key = (str(nb_path), repr(sorted(options.items())))
        future, stale = _STARTED.pop(key, None) or start(config, nb_path, options)
        html = future.result()
        return STALE_NOTE + html if stale else html

    nb2html.__wrapped__ = _NB2HTML
    convert.nb2html = nb2html
    return config


def on_pre_build(config):
    """Start every notebook before the first page is read: they run beside the build."""
    _STARTED.clear()
    plugin = config.plugins.get("mkdocs-jupyter")
    if plugin is None or plugin.config.get("execute_ignore"):
        return
    options = {name: plugin.config[name] for name in _OPTIONS}
    for path in sorted((Path(config["docs_dir"]) / NOTEBOOKS).glob("*.py")):
        _STARTED[(str(path), repr(sorted(options.items())))] = start(config, str(path), options)


def on_page_content(html: str, page, config, files) -> str:
    if not is_notebook(page):
        return html
    button = (
        f'<a href="{ipynb_name(page)}" download class="md-content__button md-icon" '
        f'title="Download this notebook (.ipynb)">{ICON.read_text(encoding="utf-8")}</a>'
    )
    return button + html


def on_post_page(output: str, page, config) -> str:
    if is_notebook(page):
        notebook = jupytext.read(page.file.abs_src_path)
        notebook.metadata["kernelspec"] = {
            "name": "python3", "display_name": "Python 3", "language": "python"}
        target = Path(page.file.abs_dest_path).parent / ipynb_name(page)
        target.parent.mkdir(parents=True, exist_ok=True)
        jupytext.write(notebook, target, fmt="ipynb")
    return output
