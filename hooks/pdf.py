"""The home page links to the whole book as one PDF, ``rnn-book.pdf``.

``make pdf`` (``scripts/make_pdf.py``) writes it into ``site/`` next to the
home page; the publishing workflow runs it. The link is added here, not in
``docs/index.md``, because the PDF is made after the build and MkDocs would
report a link to a file it does not know.
"""

from __future__ import annotations

import logging
from pathlib import Path

import material

PDF = "rnn-book.pdf"


class _PrintSiteIsLast(logging.Filter):
    """mkdocs-print-site-plugin 2.9 warns that it is not the last plugin whenever
    hooks are given as a list (as MkDocs 1.6 keeps them): it counts the hooks only
    if they are a dict. It is the last entry of ``plugins:``; drop that one warning,
    which ``--strict`` would turn into a failed build."""

    def filter(self, record):
        return "'print-site' should be defined as the *last* plugin" not in record.getMessage()


_plugins_log = logging.getLogger("mkdocs.plugins")
if not any(isinstance(f, _PrintSiteIsLast) or type(f).__name__ == "_PrintSiteIsLast"
           for f in _plugins_log.filters):  # this module is loaded again for every serve build
    _plugins_log.addFilter(_PrintSiteIsLast())
ICON = Path(material.__file__).parent / "templates" / ".icons" / "material" / "file-pdf-box.svg"


def on_page_content(html: str, page, config, files) -> str:
    if not page.is_homepage:
        return html
    button = (f'<a href="{PDF}" download class="md-content__button md-icon" '
              f'title="The whole book as one PDF">{ICON.read_text(encoding="utf-8")}</a>')
    line = (f'<p class="rnn-book-pdf">To read offline or print: <a href="{PDF}">the whole book as '
            f'one PDF</a>, chapters and notebooks with a table of contents '
            f'(the API reference stays on the site).</p>')
    return button + html + line
