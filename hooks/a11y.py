"""Small fixes to the theme's markup that the accessibility audit asked for.

Material's search box is a ``role="dialog"`` without a name, which screen readers
announce as an unnamed dialog (axe-core: aria-dialog-name, serious): it gets
``aria-label="Search"``.
"""

from __future__ import annotations

SEARCH_DIALOG = 'class="md-search" data-md-component="search" role="dialog"'


def on_post_page(output: str, page, config) -> str:
    return output.replace(SEARCH_DIALOG, SEARCH_DIALOG + ' aria-label="Search"', 1)
