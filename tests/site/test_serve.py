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


def test_each_save_keeps_one_search_entry_per_section(tmp_path):
    """`make serve` (``--dirty``, both editions) after several saves: each edition's search index
    has the sections it had after the first build, once each, the edited page with its new text.
    (Material keeps the index from one dirty build to the next, mkdocs-static-i18n gathers every
    edition's entries again on top: without hooks/i18n.py's repair the index doubled on every
    save, and a reload took 17 s by the fifth.)"""
    from .conftest import copy_book

    book = copy_book(tmp_path / "book")
    port = free_port()
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", MPLBACKEND="Agg", RNN_BOOK_EXECUTE_NOTEBOOKS="false")
    env.pop("RNN_BOOK_FRESH", None)
    log = open(tmp_path / "serve.log", "w")  # noqa: SIM115  (closed in the finally below)
    server = subprocess.Popen(
        [sys.executable, "-m", "mkdocs", "serve", "--dirty", "--dev-addr", f"127.0.0.1:{port}"],
        cwd=book, env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}/{BASE_PATH}"
    indexes = {"en": url + "search/search_index.json", "ko": url + "ko/search/search_index.json"}
    try:
        _wait_for(lambda: urllib.request.urlopen(url, timeout=5).status == 200, "mkdocs serve did not answer", 600)
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
    finally:
        server.terminate()
        server.wait(timeout=30)
        log.close()
