"""Leave out of the site what no reader's browser asks for.

Material copies source maps (``*.map``, for debugging its minified scripts) and
the search's word splitters and stemmers for every language it supports
(``assets/javascripts/lunr/``: 0.9 MB). English needs none of them; the Korean
edition's search needs three (``lunr.stemmer.support``, ``lunr.multi``,
``lunr.ko``), which stay. About 2.1 MB.
"""

from __future__ import annotations

from pathlib import Path


def needed(languages: list[str]) -> set[str]:
    """The lunr files Material's search worker loads for these languages."""
    others = [lang for lang in languages if lang != "en"]
    if not others:
        return set()
    return {"min/lunr.stemmer.support.min.js", "min/lunr.multi.min.js",
            *(f"min/lunr.{lang}.min.js" for lang in others)}


def on_post_build(config) -> None:
    site = Path(config["site_dir"])
    search = config["plugins"].get("material/search") or config["plugins"].get("search")
    languages = sorted({config["theme"]["language"], *((search and search.config.lang) or [])})
    for path in (site / "assets").rglob("*.map"):
        path.unlink()
    lunr = site / "assets" / "javascripts" / "lunr"
    keep = needed(languages)
    for path in sorted(lunr.rglob("*"), reverse=True):
        if path.is_file() and path.relative_to(lunr).as_posix() not in keep:
            path.unlink()
        elif path.is_dir() and not any(path.iterdir()):
            path.rmdir()
    if lunr.is_dir() and not any(lunr.iterdir()):
        lunr.rmdir()
