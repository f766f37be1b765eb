"""The home page links to the whole book as one PDF, ``rnn-book.pdf``.

``make pdf`` (``scripts/make_pdf.py``) writes it into ``site/`` next to the
home page; the publishing workflow runs it. The link is added here, not in
``docs/index.md``, because the PDF is made after the build and MkDocs would
report a link to a file it does not know.
"""

from __future__ import annotations

from pathlib import Path

import material

PDF = "rnn-book.pdf"
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
