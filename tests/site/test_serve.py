"""`mkdocs serve` (what `make serve` runs) serves every page, with math."""

from __future__ import annotations

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
