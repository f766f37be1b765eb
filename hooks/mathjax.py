"""Serve MathJax 3 from the site itself.

The files come from the PyPI wheel ``django-static-mathjax`` (MathJax 3.2.2's
``es5/`` build; Django is not needed), pinned in ``requirements/dev.lock``.
Nothing third-party is committed: every build copies into ``site/assets/mathjax/``
only what the pages use (``RUNTIME``, about 3.5 MB of the wheel's 24): the
TeX-to-SVG bundle (which includes the menu and the assistive MathML that screen
readers read), the TeX extensions it loads when an equation needs one, and the
accessibility components with English speech rules, loaded only if a reader
turns on MathJax's explorer or speech in its menu.

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
RUNTIME = [
    "tex-svg.js",
    "input/tex/extensions/*.js",   # loaded by \require or autoload, as equations need them
    "a11y/*.js",                   # explorer, speech, complexity: on from the menu
    "sre/mathmaps/base.json",      # speech rules: the common part, English, Nemeth braille
    "sre/mathmaps/en.json",
    "sre/mathmaps/nemeth.json",
]
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
    for pattern in RUNTIME:
        files = sorted(source.glob(pattern))
        if not files:
            raise FileNotFoundError(f"MathJax file(s) {pattern} not found under {source}")
        for file in files:
            (target / file.relative_to(source)).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(file, target / file.relative_to(source))
