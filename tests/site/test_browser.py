"""Open every page of the built site in a real browser, as a reader would.

Debian's ``chromium`` driven by Playwright (``pip install playwright`` brings the
driver only: never run ``playwright install``, which downloads a browser).
Screenshots of every page land in ``test-artifacts/screenshots/``.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlparse

import pytest

from .conftest import ROOT

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
SCREENSHOTS = ROOT / "test-artifacts" / "screenshots"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--no-first-run", "--disable-sync", "--disable-quic"]

if not Path(CHROMIUM).exists():
    pytest.skip("browser tests need Chromium: install Debian's `chromium` package "
                "(apt-get install chromium); .ci/run does", allow_module_level=True)

sync_api = pytest.importorskip("playwright.sync_api")


def site_pages(built_site: Path) -> list[str]:
    """Every page of the site, as paths relative to its root ('' is the home page)."""
    pages = []
    for html in sorted(built_site.rglob("index.html")):
        rel = html.parent.relative_to(built_site)
        if rel.parts and rel.parts[0] in ("assets", "search", "figures"):
            continue
        pages.append("" if str(rel) == "." else rel.as_posix() + "/")
    return pages


@pytest.fixture(scope="module")
def browser():
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield browser
        browser.close()


class Visit:
    """A page loaded with every request to another host blocked and counted."""

    def __init__(self, browser, url: str, *, color_scheme: str = "light"):
        self.foreign_requests: list[str] = []
        self.console_errors: list[str] = []
        self.responses = []  # every response, the page's and its workers'
        self.context = browser.new_context(viewport={"width": 1280, "height": 900},
                                           color_scheme=color_scheme)
        self.page = self.context.new_page()
        self.page.on("response", lambda response: self.responses.append(response))
        self.page.route("**/*", self._route)
        self.page.on("console", lambda m: m.type == "error" and self.console_errors.append(m.text))
        self.page.on("pageerror", lambda e: self.console_errors.append(str(e)))
        self.page.goto(url, wait_until="load")
        self.page.wait_for_function("() => window.MathJax && MathJax.startup && MathJax.startup.promise")
        self.page.evaluate("() => MathJax.startup.promise")
        # Notebook plots are <img> elements: load them all before a screenshot.
        self.page.evaluate("() => document.querySelectorAll('img').forEach(i => i.loading = 'eager')")
        self.page.wait_for_function("() => [...document.images].every(i => i.complete)")

    def _route(self, route):
        if urlparse(route.request.url).hostname == "127.0.0.1":
            route.continue_()
        else:
            self.foreign_requests.append(route.request.url)
            route.abort()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.context.close()


# Raw TeX left in the page, and equations whose glyphs did not draw.
MATH_REPORT = """() => {
  const raw = [];
  for (const el of document.querySelectorAll('.arithmatex')) {
    if (!el.querySelector('mjx-container')) raw.push(el.textContent.slice(0, 60));
  }
  for (const el of document.querySelectorAll('.jp-RenderedMarkdown, .md-sidebar--secondary .md-nav__link')) {
    const copy = el.cloneNode(true);
    copy.querySelectorAll('mjx-container, code, pre').forEach(n => n.remove());
    const m = copy.textContent.match(/\\$[^$]+\\$|\\\\\\(|\\\\\\[/);
    if (m) raw.push(m[0].slice(0, 60));
  }
  let blank = 0, equations = 0;
  for (const c of document.querySelectorAll('mjx-container')) {
    equations += 1;
    const svg = c.querySelector('svg');
    const drawn = c.querySelectorAll('path[d]:not([d=""]), use');
    const box = svg ? svg.getBoundingClientRect() : {width: 0};
    if (!svg || drawn.length === 0 || box.width === 0 || c.querySelector('[data-mml-node="merror"]')) blank += 1;
    // A glyph is a <path> with an outline, placed by a <use>: count the visible
    // characters whose outline is missing (spaces and invisible operators have none).
    const invisible = /-(20|A0|200[0-9AB]|206[0-4])$/;
    for (const use of c.querySelectorAll('use')) {
      const ref = use.getAttribute('xlink:href') || use.getAttribute('href') || '';
      const target = ref.startsWith('#') ? c.querySelector('[id="' + ref.slice(1) + '"]') : null;
      if (!target) blank += 1;
      else if (!target.getAttribute('d') && !invisible.test(target.id)) blank += 1;
    }
  }
  // Display equations wider than the text column hide their end behind a scrollbar.
  const cut = [...document.querySelectorAll('.md-content div.arithmatex')]
    .filter(d => d.scrollWidth > d.clientWidth + 2).map(d => d.textContent.slice(0, 60));
  return {raw, blank, equations, cut};
}"""

# Every code block in the content must carry a copy button.
COPY_REPORT = """() => {
  const blocks = [...document.querySelectorAll('.md-content pre')];
  const missing = blocks.filter(pre => {
    const box = pre.closest('.highlight, .jp-InputArea, .jp-Cell') || pre.parentElement;
    return !box.querySelector('button.md-code__button, button.md-clipboard, clipboard-copy');
  }).map(pre => pre.textContent.slice(0, 60));
  return {blocks: blocks.length, missing};
}"""


def test_every_page_in_chromium(browser, site_url, built_site):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    problems = []
    pages = site_pages(built_site)
    assert len(pages) >= 3
    for rel in pages:
        with Visit(browser, site_url + rel) as visit:
            math = visit.page.evaluate(MATH_REPORT)
            copy = visit.page.evaluate(COPY_REPORT)
            name = rel.strip("/").replace("/", "__") or "index"
            visit.page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)
            if visit.foreign_requests:
                problems.append(f"{rel}: requests to other hosts {visit.foreign_requests}")
            if visit.console_errors:
                problems.append(f"{rel}: console errors {visit.console_errors}")
            if math["raw"]:
                problems.append(f"{rel}: raw TeX left {math['raw']}")
            if math["cut"]:
                problems.append(f"{rel}: display equations wider than the page at 1280 px {math['cut']}")
            if math["blank"]:
                problems.append(f"{rel}: {math['blank']} blank glyphs in {math['equations']} equations")
            if copy["missing"]:
                problems.append(f"{rel}: code blocks without a copy button {copy['missing']}")
    assert not problems, "\n".join(problems)


def test_pages_with_math_typeset_it(browser, site_url):
    with Visit(browser, site_url + "notation/") as visit:
        math = visit.page.evaluate(MATH_REPORT)
    assert math["equations"] >= 10 and math["blank"] == 0 and not math["raw"]


def test_search_finds_a_known_word(browser, site_url):
    with Visit(browser, site_url) as visit:
        page = visit.page
        page.locator("label.md-search__icon, .md-search__input").first.click()
        page.locator("input.md-search__input").press_sequentially("broadcasting", delay=50)
        results = page.locator(".md-search-result__item")
        results.first.wait_for(timeout=20_000)
        assert results.count() >= 1
        assert "notation" in (page.locator(".md-search-result__link").first.get_attribute("href") or "")
        assert not visit.foreign_requests


def test_instant_navigation_typesets_the_next_page(browser, site_url):
    """Material swaps pages without reloading; MathJax must typeset the new one."""
    with Visit(browser, site_url) as visit:
        page = visit.page
        page.locator('a.md-nav__link[href$="notation/"]').first.click()
        page.wait_for_url("**/notation/")
        page.wait_for_function("() => document.querySelectorAll('.arithmatex mjx-container').length >= 10")
        math = page.evaluate(MATH_REPORT)
    assert not math["raw"] and math["blank"] == 0


def test_display_math_is_visible_on_a_phone(browser, site_url):
    """At 375 px wide every display equation still draws (SVG not squeezed to 0)."""
    with Visit(browser, site_url + "notation/") as visit:
        visit.page.set_viewport_size({"width": 375, "height": 800})
        widths = visit.page.evaluate(
            "() => [...document.querySelectorAll('div.arithmatex mjx-container svg')]"
            ".map(svg => svg.getBoundingClientRect().width)")
    assert widths and min(widths) > 20, widths


# What Material's copy button puts on the clipboard, per runnable block of a page:
# the [data-copy] text if the block has one (docs/javascripts/copy-sessions.js
# gives one to every pycon session), else the <code>'s innerText.
COPIED_BLOCKS = """() => [...document.querySelectorAll(
    '.md-content .highlight.language-python, .md-content .highlight.language-pycon')]
  // Not runnable on their own: titled excerpts of src/, API signatures, API source listings.
  .filter(block => !block.querySelector('.filename') && !block.matches('.doc-signature')
                   && !block.closest('.mkdocstrings-source'))
  .map(block => {
    const code = block.querySelector('pre > code');
    const kind = block.matches('.language-pycon') ? 'session' : 'script';
    // A session that shows a traceback demonstrates an error: the reader expects it.
    const raises = code.innerText.includes('Traceback (most recent call last)');
    const tagged = code.closest('[data-copy]');
    if (tagged) return {kind, raises, text: tagged.getAttribute('data-copy')};
    code.setAttribute('data-md-copying', '');
    const text = code.innerText;
    code.removeAttribute('data-md-copying');
    return {kind, raises, text};
  })"""

# Replays a page as a reader would: a `python` block is pasted into a file or a
# notebook cell (run whole); a session block is pasted at the classic `>>>`
# prompt, line by line, where a blank line ends a multi-line statement.
REPLAY = r"""
import code, importlib.util, json, re, sys
# A page introduces a block that needs an optional package with "with torch
# installed"; where that package is missing, the reader does not run the block.
OPTIONAL = ("torch",)
blocks = json.load(open(sys.argv[1], encoding="utf-8"))
namespace = {"__name__": "__main__"}
console = code.InteractiveConsole(namespace)
errors = []
console.showtraceback = lambda: errors.append(repr(sys.exc_info()[1]))
console.showsyntaxerror = lambda filename=None, **kw: errors.append(repr(sys.exc_info()[1]))
for number, block in enumerate(blocks, 1):
    needs = [m for m in OPTIONAL if re.search(rf"^(?:>>> )?(?:import|from) {m}\b", block["text"], re.M)]
    if any(importlib.util.find_spec(m) is None for m in needs):
        continue
    if block["kind"] == "script":
        try:
            exec(compile(block["text"], f"<block {number}>", "exec"), namespace)
        except Exception as error:
            errors.append(f"block {number}: {error!r}")
    else:
        for line in block["text"].split("\n") + [""]:
            console.push(line)
        if block["raises"]:
            errors.clear()
        errors[:] = [e if e.startswith("block") else f"block {number}: {e}" for e in errors]
    if errors:
        sys.exit("\n".join(errors))
"""


def test_copy_button_copies_code_without_prompts_or_output(browser, site_url):
    with Visit(browser, site_url + "notation/") as visit:
        visit.context.grant_permissions(["clipboard-read", "clipboard-write"])
        block = visit.page.locator(".highlight.language-pycon").first
        block.hover()
        block.locator("button.md-code__button, button.md-clipboard").first.click()
        copied = visit.page.evaluate("() => navigator.clipboard.readText()")
        expected = visit.page.evaluate(COPIED_BLOCKS)[0]["text"]
    assert copied.strip() == expected.strip()
    assert ">>>" not in copied and "(3, 2)" not in copied  # no prompt, no output
    assert "a_t = W_H @ h_prev + W_X @ x_t + b_h" in copied


def test_copied_code_of_every_page_runs_in_a_fresh_python(browser, site_url, built_site, tmp_path):
    """A reader who copies every runnable block of a page, in order, into a fresh
    Python gets no error: sessions at the classic prompt, scripts run whole."""
    replay = tmp_path / "replay.py"
    replay.write_text(REPLAY, encoding="utf-8")
    failures = []
    for rel in site_pages(built_site):
        if rel.startswith(("notebooks/", "ko/notebooks/")):
            continue  # notebook pages offer the .ipynb instead
        if rel.startswith("ko/"):
            continue  # a Korean page's code blocks are its English page's, byte for byte (test_translations.py)
        with Visit(browser, site_url + rel) as visit:
            blocks = visit.page.evaluate(COPIED_BLOCKS)
        if not blocks:
            continue
        copied = tmp_path / f"{rel.strip('/').replace('/', '__') or 'index'}.json"
        copied.write_text(json.dumps(blocks), encoding="utf-8")
        result = subprocess.run([sys.executable, str(replay), str(copied)], cwd=tmp_path,
                                capture_output=True, text=True, timeout=600,
                                env=dict(os.environ, MPLBACKEND="Agg"))
        if result.returncode != 0:
            failures.append(f"{rel}: {result.stderr.strip()[-600:]}")
    assert not failures, "\n".join(failures)


def test_the_blank_glyph_check_catches_a_glyph_without_outline(browser, site_url):
    """Erase one letter's outline, as a font that failed to load would: it is counted."""
    with Visit(browser, site_url + "notation/") as visit:
        assert visit.page.evaluate(MATH_REPORT)["blank"] == 0
        visit.page.evaluate("""() => document.querySelector(
            'mjx-container defs path[id*="-TEX-I-"]').setAttribute('d', '')""")
        assert visit.page.evaluate(MATH_REPORT)["blank"] >= 1
