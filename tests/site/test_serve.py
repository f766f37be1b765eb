"""`mkdocs serve` (what `make serve` runs) serves every page, with math."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request

import pytest

from .conftest import ROOT
# Importing from test_browser also skips this module where Chromium is missing.
from .test_browser import Visit, browser, site_pages  # noqa: F401  (browser is a fixture)

BASE_PATH = "rnn-book/"  # from site_url in mkdocs.yml


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def served():
    port = free_port()
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", MPLBACKEND="Agg", RNN_BOOK_FRESH="1")
    server = subprocess.Popen(
        [sys.executable, "-m", "mkdocs", "serve", "--dev-addr", f"127.0.0.1:{port}", "--no-livereload"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}/{BASE_PATH}"
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url, timeout=5)
            break
        except OSError:
            if server.poll() is not None:
                pytest.fail("mkdocs serve exited")
            time.sleep(1)
    else:
        server.kill()
        pytest.fail("mkdocs serve did not answer within 300 s")
    yield url
    server.terminate()
    server.wait(timeout=30)


def test_serve_answers_every_page(served, built_site):
    for rel in site_pages(built_site):
        with urllib.request.urlopen(served + rel, timeout=30) as response:
            assert response.status == 200, rel
    with urllib.request.urlopen(served + "assets/mathjax/tex-svg.js", timeout=30) as response:
        assert response.status == 200


def test_served_page_typesets_math(served, browser):
    with Visit(browser, served + "notation/") as visit:
        count = visit.page.evaluate("() => document.querySelectorAll('.arithmatex mjx-container').length")
        assert count >= 10
        assert not visit.foreign_requests and not visit.console_errors


def _json(url: str):
    with urllib.request.urlopen(url, timeout=30) as response:
        return json.load(response)


def _wait_for(predicate, what: str, timeout: float = 120):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if predicate():
                return
        except OSError:
            pass
        time.sleep(0.2)
    pytest.fail(f"{what} within {timeout:.0f} s")


@pytest.fixture(scope="module")
def served_copy(tmp_path_factory):
    """`make serve` (``mkdocs serve --dirty``, both editions) of a copy of the book, which the
    tests edit; notebooks are not run."""
    from types import SimpleNamespace

    from .conftest import copy_book

    folder = tmp_path_factory.mktemp("served")
    book = copy_book(folder / "book")
    port = free_port()
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", MPLBACKEND="Agg", RNN_BOOK_EXECUTE_NOTEBOOKS="false")
    env.pop("RNN_BOOK_FRESH", None)
    log = open(folder / "serve.log", "w")  # noqa: SIM115  (closed below)
    server = subprocess.Popen(
        [sys.executable, "-m", "mkdocs", "serve", "--dirty", "--dev-addr", f"127.0.0.1:{port}"],
        cwd=book, env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}/{BASE_PATH}"
    try:
        _wait_for(lambda: urllib.request.urlopen(url, timeout=5).status == 200, "mkdocs serve did not answer", 600)
        yield SimpleNamespace(book=book, url=url)
    finally:
        server.terminate()
        server.wait(timeout=30)
        log.close()


def test_each_save_keeps_one_search_entry_per_section(served_copy):
    """After several saves each edition's search index has the sections it had after the first
    build, once each, the edited page with its new text, and every page is there. (Material
    keeps the index from one dirty build to the next, mkdocs-static-i18n gathers every edition's
    entries again on top: without hooks/i18n.py's repair the index doubled on every save, and
    a reload took 17 s by the fifth.)"""
    book, url = served_copy.book, served_copy.url
    indexes = {"en": url + "search/search_index.json", "ko": url + "ko/search/search_index.json"}
    first = {edition: _json(index)["docs"] for edition, index in indexes.items()}
    page = book / "docs" / "rnn" / "02-forward.md"
    original = page.read_text(encoding="utf-8")
    for save in range(3):
        marker = f"Save probe {save} {time.time_ns()}"
        time.sleep(1)
        page.write_text(original + f"\n{marker}.\n", encoding="utf-8")
        _wait_for(lambda marker=marker: marker in json.dumps(_json(indexes["en"])),
                  f"the search index did not show save {save}")
        for edition, index in indexes.items():
            docs = _json(index)["docs"]
            locations = [doc["location"] for doc in docs]
            assert len(locations) == len(set(locations)), f"{edition}: a section listed twice"
            assert sorted(locations) == sorted(doc["location"] for doc in first[edition]), edition
        found = [doc["location"] for doc in _json(indexes["en"])["docs"] if "Save probe" in doc["text"]]
        assert len(found) == 1, found  # the new text, not the earlier saves'
        for edition, docs in first.items():  # and every page is still there
            prefix = "ko/" if edition == "ko" else ""
            for location in {doc["location"].split("#")[0] for doc in docs}:
                assert urllib.request.urlopen(url + prefix + location, timeout=30).status == 200
    page.write_text(original, encoding="utf-8")


def _shows(page, marker: str) -> bool:
    try:
        return page.evaluate("m => document.readyState === 'complete' && document.body.innerText.includes(m)",
                             marker)
    except Exception as error:  # reloading: look again
        if "context was destroyed" in str(error) or "not defined" in str(error):
            return False
        raise


SEEN = """() => { const article = document.querySelector('article');
  return { text: article.innerText, equations: article.querySelectorAll('mjx-container').length,
           raw: article.querySelectorAll('.arithmatex:not(:has(mjx-container))').length,
           buttons: article.querySelectorAll('button').length, title: document.title }; }"""


def test_a_save_updates_the_page_in_place_as_a_reader_would_load_it(served_copy, browser):
    """hooks/livereload.js: after a chapter's save the open page shows the new text without
    reloading (a mark left in the page survives), every equation typeset and every button
    there, as the page loaded anew; after a style sheet's save the page reloads whole."""
    book, url = served_copy.book, served_copy.url
    with Visit(browser, url + "rnn/03-bptt/") as visit:
        page = visit.page
        said = []
        page.on("console", lambda message: said.append(message.text))
        page.evaluate("() => MathJax.startup.promise")
        page.evaluate("() => { window.notReloaded = true; }")
        chapter = book / "docs" / "rnn" / "03-bptt.md"
        original = chapter.read_text(encoding="utf-8")
        marker = f"In-place probe {time.time_ns()}"
        time.sleep(1)
        chapter.write_text(original.replace("\n## ", f"\n{marker}: $h_t = \\tanh(a_t)$.\n\n## ", 1),
                           encoding="utf-8")
        _wait_for(lambda: _shows(page, marker), f"the page did not show the edit ({said})", 60)
        page.evaluate("() => MathJax.startup.promise")
        assert page.evaluate("() => window.notReloaded === true"), f"the page was reloaded whole: {said}"
        with Visit(browser, url + "rnn/03-bptt/") as fresh:
            fresh.page.evaluate("() => MathJax.startup.promise")
            loaded = fresh.page.evaluate(SEEN)
        seen = page.evaluate(SEEN)
        assert seen["raw"] == 0
        assert seen == loaded
        style = book / "docs" / "stylesheets" / "book.css"
        style.write_text(style.read_text(encoding="utf-8") + "\n/* reload probe */\n", encoding="utf-8")
        page.wait_for_function("() => window.notReloaded === undefined", timeout=60_000)
        chapter.write_text(original, encoding="utf-8")
        assert not visit.foreign_requests and not visit.console_errors
