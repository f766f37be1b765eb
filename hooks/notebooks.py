"""Offer every notebook page's ``.ipynb`` for download.

Notebooks are kept as jupytext percent-format scripts in ``docs/notebooks/``
(mkdocs-jupyter executes them at every build). For each one this hook writes
``<name>.ipynb`` next to the page, converted with jupytext, and puts a
download button beside the page's edit button. The icon is read from the
installed Material theme, not copied into the repository.
"""

from __future__ import annotations

from pathlib import Path

import jupytext
import material

NOTEBOOKS = "notebooks/"
ICON = Path(material.__file__).parent / "templates" / ".icons" / "material" / "download.svg"


def is_notebook(page) -> bool:
    return page.file.src_uri.startswith(NOTEBOOKS) and page.file.src_uri.endswith(".py")


def ipynb_name(page) -> str:
    return Path(page.file.src_uri).stem + ".ipynb"


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
