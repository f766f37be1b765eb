"""Leave out of the site what no reader's browser asks for.

Material copies source maps (``*.map``, for debugging its minified scripts) and
the search's word splitters and stemmers for every language it supports
(``assets/javascripts/lunr/``: 0.9 MB). The book is in English, which the search
handles without any of them, so they are removed after the build. About 2.2 MB.
"""

from __future__ import annotations

from pathlib import Path


def on_post_build(config) -> None:
    site = Path(config["site_dir"])
    search = config["plugins"].get("material/search") or config["plugins"].get("search")
    if config["theme"]["language"] != "en" or (search and search.config.lang not in (None, ["en"])):
        return  # another language needs its lunr files
    for path in (site / "assets").rglob("*.map"):
        path.unlink()
    lunr = site / "assets" / "javascripts" / "lunr"
    for path in sorted(lunr.rglob("*"), reverse=True):
        path.unlink() if path.is_file() else path.rmdir()
    if lunr.is_dir():
        lunr.rmdir()
