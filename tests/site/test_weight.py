"""The site stays light: its size, each page's HTML, and what a reader downloads.

Limits are a little above what the book weighs now (measured when the test was
written and noted next to each), so that weight cannot creep back unnoticed:
the whole MathJax distribution (24 MB), JupyterLab's stylesheet in every
notebook page (0.57 MB each) and a 1.85 MB API page were all once here.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlparse

import pytest

from .test_browser import Visit, browser, site_pages  # noqa: F401  (browser is a fixture)

KB, MB = 1000, 1000 * 1000
# The site: 8.1 MB when this test was written, of which MathJax 3.8 MB (was 32.7 and
# 24.1); 10.3 MB once the GRU and deeper-networks chapters and the per-module API
# pages (stack, GRU) had joined it; 14.8 MB with the Korean edition (ko/: 4.2 MB of
# pages, and its own search index, 0.52 MB).
SITE_LIMIT = 16 * MB
PAGE_HTML_LIMIT = 400 * KB   # the limit; the largest page (chapter 5) is 387 kB, in Korean 391 kB
# A first visit to any page with an empty cache, as a static host serves it (text
# gzip-compressed, see conftest's server): HTML, CSS, JS, search index, figures.
# Measured 0.93-0.99 MB, of which MathJax's tex-svg.js is 0.68 and the index 0.18.
# The search index is fetched by every page at load: Material 9 starts its search
# worker on the first page and offers no setting to wait for the search box (its
# 0.69 MB are 0.18 MB gzipped, and cached for the next page). Each edition has its
# own index (hooks/i18n.py): one index of both would be 0.35 MB gzipped on every visit.
TRANSFER_LIMIT = 1.1 * MB
SEARCH_INDEX = "search/search_index.json"


def site_bytes(site: Path) -> int:
    return sum(p.stat().st_size for p in site.rglob("*") if p.is_file())


def test_site_size(built_site):
    size = site_bytes(built_site)
    mathjax = site_bytes(built_site / "assets" / "mathjax")
    assert size <= SITE_LIMIT, f"site is {size / MB:.1f} MB (MathJax {mathjax / MB:.1f} MB)"


def test_every_page_html_under_limit(built_site):
    heavy = {rel or "/": (built_site / rel / "index.html").stat().st_size
             for rel in site_pages(built_site)}
    assert len(heavy) >= 10
    over = {rel: f"{size / KB:.0f} kB" for rel, size in heavy.items() if size > PAGE_HTML_LIMIT}
    assert not over, over


def test_mathjax_ships_only_what_pages_load(built_site):
    mathjax = built_site / "assets" / "mathjax"
    assert (mathjax / "tex-svg.js").is_file()
    assert not (mathjax / "output" / "chtml").exists() and not (mathjax / "tex-chtml-full.js").exists()
    assert not (mathjax / "sre" / "mathmaps" / "de.json").exists()


@pytest.fixture(scope="module")
def page_transfers(browser, site_url, built_site):
    """Each page loaded in a fresh browser context (an empty cache): the body bytes
    of every response, by path, once MathJax has typeset it and its images are in."""
    measured = {}
    for rel in site_pages(built_site):
        with Visit(browser, site_url + rel) as visit:
            visit.page.wait_for_timeout(500)  # late requests, such as the search worker's
            measured[rel or "/"] = {
                urlparse(r.url).path: r.request.sizes()["responseBodySize"] for r in visit.responses}
    return measured


def test_every_page_transfer_under_limit(page_transfers):
    over = {}
    for rel, sizes in page_transfers.items():
        total = sum(sizes.values())
        if total > TRANSFER_LIMIT:
            biggest = sorted(sizes.items(), key=lambda kv: -kv[1])[:4]
            over[rel] = f"{total / MB:.2f} MB: " + ", ".join(f"{p} {s / KB:.0f} kB" for p, s in biggest)
    assert not over, "\n".join(f"{k}: {v}" for k, v in over.items())


def test_every_mathjax_file_a_page_asks_for_is_there(page_transfers, built_site):
    """hooks/mathjax.py copies only part of MathJax: no page may ask for a file it left out."""
    for rel, sizes in page_transfers.items():
        for path in sizes:
            if "/assets/mathjax/" in path:
                assert (built_site / "assets" / "mathjax" / path.split("/assets/mathjax/", 1)[1]).is_file(), (rel, path)
