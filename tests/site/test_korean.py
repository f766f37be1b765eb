"""The Korean edition (한국어판) as its readers meet it.

Every page but the API reference has a Korean page at the same path under ``ko/``,
in Korean (``lang="ko"``, Material's interface in Korean), with its notebooks run,
its figures captioned in Korean, a language selector that lands on the same page,
search that finds Korean words, and Hangul drawn with a real Korean font.
The translations' text itself is checked against the English pages by
``test_translations.py``; the browser tests of ``test_browser.py``, ``test_a11y.py``
and ``test_serve.py`` visit every Korean page as they visit every English one.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

from .conftest import ROOT, mkdocs_build, notebook_page
from .test_browser import Visit, browser, site_pages  # noqa: F401  (browser is a fixture)

HANGUL = re.compile(r"[\uac00-\ud7a3]")
OUTPUT = 'class="jp-OutputArea-child'


def korean_pages(built_site: Path) -> list[str]:
    return [rel for rel in site_pages(built_site) if rel.startswith("ko/")]


def test_every_page_but_the_api_reference_has_its_korean_page(built_site):
    english = [rel for rel in site_pages(built_site) if not rel.startswith(("ko/", "api/"))]
    missing = [rel for rel in english if not (built_site / "ko" / rel / "index.html").is_file()]
    assert len(english) >= 15 and not missing, f"no Korean page for {missing}"
    assert not [rel for rel in korean_pages(built_site) if rel.startswith("ko/api/") and rel != "ko/api/"], (
        "the API reference is built once, in English")


def test_an_author_can_build_the_english_edition_alone(tmp_path):
    """``RNN_BOOK_ONLY_LANGUAGE=en make serve`` (README): half the rebuild while writing."""
    result = mkdocs_build(ROOT, tmp_path / "site", notebooks=False, RNN_BOOK_ONLY_LANGUAGE="en")
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    assert (tmp_path / "site" / "rnn" / "02-forward" / "index.html").is_file()
    assert not (tmp_path / "site" / "ko").exists()


def test_korean_pages_are_korean_and_english_pages_english(built_site):
    problems = []
    for rel in site_pages(built_site):
        html = (built_site / rel / "index.html").read_text(encoding="utf-8")
        korean = rel.startswith("ko/")
        lang = re.search(r'<html lang="([^"]+)"', html).group(1)
        title = re.search(r"<h1[^>]*>(.*?)</h1>", html, re.DOTALL)
        if lang != ("ko" if korean else "en"):
            problems.append(f"{rel}: <html lang={lang!r}>")
        if korean and (not title or not HANGUL.search(title.group(1)) and "GRU" not in title.group(1)):
            problems.append(f"{rel}: its title is not in Korean")
        if korean and 'placeholder="검색"' not in html:
            problems.append(f"{rel}: Material's interface is not in Korean")
    assert not problems, "\n".join(problems)


def shows_executed_notebook(html: str) -> bool:
    """A notebook page as mkdocs-jupyter renders it: cells, and the outputs they printed."""
    return 'class="jp-Cell' in html and OUTPUT in html


@pytest.mark.parametrize("source", sorted((ROOT / "docs" / "notebooks").glob("*.py")), ids=lambda p: p.name)
def test_every_notebook_page_shows_its_outputs(built_site, source):
    """mkdocs-static-i18n drops mkdocs-jupyter's wrapper and copies a notebook raw,
    silently (hooks/i18n.py wraps it again): each language's page must be a run notebook."""
    page = notebook_page(built_site, source)
    assert page.is_file(), f"{source.name}: no page at {page.relative_to(built_site)}"
    assert shows_executed_notebook(page.read_text(encoding="utf-8")), (
        f"{page.relative_to(built_site)} is not an executed notebook")
    assert not list(built_site.rglob("*.py")), "a notebook source was copied into the site"


def test_the_notebook_check_catches_a_raw_copy():
    raw = (ROOT / "docs" / "notebooks" / "assignment.ko.py").read_text(encoding="utf-8")
    assert not shows_executed_notebook(raw)
    assert not shows_executed_notebook(f"<html><body><pre>{raw}</pre></body></html>")


def test_korean_figures_are_captioned_in_korean(built_site):
    figures = 0
    for rel in korean_pages(built_site):
        html = (built_site / rel / "index.html").read_text(encoding="utf-8")
        for label, caption in re.findall(
                r'<svg role="img" aria-label="([^"]*)".*?<figcaption><span class="book-figure__number">'
                r'([^<]*)</span>', html, re.DOTALL):
            figures += 1
            assert caption.startswith("그림 "), (rel, caption)
            assert HANGUL.search(label) and len(label) >= 20, (rel, label[:80])
    assert figures >= 10


# ---------------------------------------------------------------- in Chromium

SELECTOR = "() => Object.fromEntries([...document.querySelectorAll('.md-select__link[hreflang]')].map(a => [a.hreflang, a.href]))"


def test_the_language_selector_lands_on_the_same_page(browser, site_url):
    with Visit(browser, site_url + "lstm/05-why/") as visit:
        assert visit.page.evaluate(SELECTOR) == {"en": site_url + "lstm/05-why/", "ko": site_url + "ko/lstm/05-why/"}
        visit.page.locator('.md-select__link[hreflang="ko"]').first.evaluate("a => a.click()")
        visit.page.wait_for_url("**/ko/lstm/05-why/")
        assert visit.page.evaluate(SELECTOR)["en"] == site_url + "lstm/05-why/"
        # instant navigation swaps the page, not the header: the selector must follow
        visit.page.locator('a.md-nav__link[href$="notation/"]').first.click()
        visit.page.wait_for_url("**/ko/notation/")
        visit.page.wait_for_function("() => document.querySelector('.md-select__link[hreflang=en]').href.endsWith('/notation/')")
        assert visit.page.evaluate(SELECTOR) == {"en": site_url + "notation/", "ko": site_url + "ko/notation/"}
        missing = [r.url for r in visit.responses if r.status >= 400]
        assert not missing and not visit.console_errors, (missing, visit.console_errors)


def search(page, query: str) -> list[str]:
    page.locator("label.md-search__icon, .md-search__input").first.click()
    box = page.locator("input.md-search__input")
    box.fill("")
    box.press_sequentially(query, delay=50)
    results = page.locator(".md-search-result__item")
    results.first.wait_for(timeout=20_000)
    page.wait_for_timeout(500)  # the worker answers as the query grows: let the last answer land
    pages = []  # the result pages in order (Material lists a page's sections under it)
    for link in page.locator(".md-search-result__link").all():
        path = (link.get_attribute("href") or "").split("?")[0].split("#")[0]
        if path not in pages:
            pages.append(path)
    return pages


@pytest.mark.parametrize(("query", "expected"), [
    ("역전파", "ko/rnn/03-bptt/"),
    ("은닉 상태", "ko/rnn/02-forward/"),
    ("기울기 소실", "ko/lstm/05-why/"),
])
def test_search_finds_korean_words(browser, site_url, query, expected):
    with Visit(browser, site_url + "ko/") as visit:
        pages = search(visit.page, query)
        assert any(page.endswith(expected) for page in pages[:3]), (query, pages)
        assert all(page.startswith(site_url + "ko/") for page in pages), (
            f"the Korean edition searches its own pages (ko/search/search_index.json): {pages}")
        assert not visit.foreign_requests


def test_the_english_edition_searches_english_pages(browser, site_url):
    with Visit(browser, site_url) as visit:
        pages = search(visit.page, "gradient")
        assert pages and not [page for page in pages if "/ko/" in page], pages


def korean_font_families() -> set[str]:
    """Every installed font family that covers Korean, as fontconfig names them."""
    listed = subprocess.run(["fc-list", ":lang=ko", "family"], capture_output=True, text=True).stdout
    return {name.strip() for line in listed.splitlines() for name in line.split(",") if name.strip()}


def test_hangul_is_drawn_with_a_korean_font(browser, site_url):
    families = korean_font_families()
    assert families, "no font with Hangul is installed: install Debian's fonts-nanum (.ci/run does)"
    with Visit(browser, site_url + "ko/rnn/01-why-sequences/") as visit:
        cdp = visit.context.new_cdp_session(visit.page)
        cdp.send("DOM.enable")
        cdp.send("CSS.enable")
        root = cdp.send("DOM.getDocument")["root"]["nodeId"]
        for selector in ("h1", ".md-content h2", ".md-content p"):
            node = cdp.send("DOM.querySelector", {"nodeId": root, "selector": selector})["nodeId"]
            text = visit.page.locator(selector).first.text_content()
            fonts = cdp.send("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"]
            hangul = len(HANGUL.findall(text))
            korean = sum(f["glyphCount"] for f in fonts if f["familyName"] in families)
            assert hangul and korean >= hangul, (selector, text[:40], fonts)
