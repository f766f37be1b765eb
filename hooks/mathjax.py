"""Serve MathJax 3 from the site itself.

The files come from the PyPI wheel ``django-static-mathjax`` (MathJax 3.2.2's
``es5/`` build; Django is not needed), pinned in ``requirements/dev.lock``.
Nothing third-party is committed: every build copies them into
``site/assets/mathjax/``.

nbconvert's HTML template also writes a MathJax 2 loader into every notebook
page (``<script src="…">`` plus a ``text/x-mathjax-config`` block) and a
Mermaid loader that imports from a CDN. The site typesets notebooks with the
same MathJax 3 as every other page (``docs/javascripts/mathjax-config.js``)
and has no Mermaid diagrams, so both blocks are removed here.
"""

from __future__ import annotations

import re
import shutil
from importlib import resources
from pathlib import Path

TARGET = Path("assets") / "mathjax"
_NBCONVERT_MATHJAX = re.compile(
    r"<!-- Load mathjax -->.*?<!-- End of mathjax configuration -->", re.DOTALL
)
# nbconvert's loader for Mermaid diagrams, which imports from a CDN.
_NBCONVERT_MERMAID = re.compile(
    r'<script type="module">(?:(?!</script>).)*?mermaid(?:(?!</script>).)*?</script>', re.DOTALL
)


def mathjax_es5() -> Path:
    """Folder of MathJax's ``es5`` build inside the installed wheel."""
    root = Path(str(resources.files("mathjax"))) / "static" / "mathjax" / "es5"
    if not (root / "tex-svg.js").is_file():
        raise FileNotFoundError(
            f"MathJax's tex-svg.js not found under {root}: "
            "install django-static-mathjax (see requirements/dev.lock)"
        )
    return root


def on_post_page(output: str, page, config) -> str:
    return _NBCONVERT_MERMAID.sub("", _NBCONVERT_MATHJAX.sub("", output))


def on_post_build(config) -> None:
    source = mathjax_es5()
    target = Path(config["site_dir"]) / TARGET
    if (target / "tex-svg.js").is_file():  # mkdocs serve rebuilds: copy once
        return
    # `sre` is the speech engine, loaded only if a reader turns speech on
    # in MathJax's menu; the rest is what the SVG output can ask for.
    shutil.copytree(source, target, dirs_exist_ok=True)
