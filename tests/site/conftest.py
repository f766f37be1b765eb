"""Fixtures for the site tests: one strict build per test session, and a server."""

from __future__ import annotations

import functools
import gzip
import http.server
import io
import os
import shutil
import subprocess
import sys
import threading
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
MKDOCS = [sys.executable, "-m", "mkdocs"]
# Everything the build reads; copied whole when a test breaks something on purpose.
BOOK_PARTS = ["mkdocs.yml", "docs", "src", "includes", "hooks", "figures", "overrides",
              "benchmarks"]  # the performance chapter includes benchmarks/RESULTS.md


def mkdocs_build(config_dir: Path, site_dir: Path, *, notebooks: bool = True, **env_vars: str
                 ) -> subprocess.CompletedProcess:
    """``mkdocs build --strict`` as the README and CI run it; output captured.

    ``notebooks=False`` skips executing the notebooks, for tests about something else;
    keyword arguments are set in the build's environment.
    """
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", MPLBACKEND="Agg", RNN_BOOK_FRESH="1",
               RNN_BOOK_EXECUTE_NOTEBOOKS="true" if notebooks else "false", **env_vars)
    return subprocess.run(
        [*MKDOCS, "build", "--strict", "--config-file", str(config_dir / "mkdocs.yml"),
         "--site-dir", str(site_dir)],
        cwd=config_dir, env=env, capture_output=True, text=True, timeout=900,
    )


def notebook_page(built_site: Path, source: Path) -> Path:
    """The built page of a notebook: ``docs/notebooks/x.py`` is ``notebooks/x/``, its Korean
    edition ``docs/notebooks/x.ko.py`` is ``ko/notebooks/x/``."""
    stem, _, language = source.stem.partition(".")
    return built_site / language / "notebooks" / stem / "index.html"


def copy_book(target: Path) -> Path:
    target.mkdir(parents=True, exist_ok=True)
    for part in BOOK_PARTS:
        source = ROOT / part
        if source.is_dir():
            shutil.copytree(source, target / part,
                            ignore=shutil.ignore_patterns("__pycache__", ".ipynb_checkpoints"))
        elif source.exists():
            shutil.copy2(source, target / part)
    return target


@pytest.fixture(scope="session")
def build(tmp_path_factory):
    """The result of building the real book strictly (once per session)."""
    site_dir = tmp_path_factory.mktemp("site")
    result = mkdocs_build(ROOT, site_dir)
    result.site_dir = site_dir
    return result


@pytest.fixture(scope="session")
def built_site(build) -> Path:
    if build.returncode != 0:
        pytest.fail(f"mkdocs build --strict failed:\n{build.stdout}\n{build.stderr}")
    return build.site_dir


@functools.lru_cache(maxsize=None)
def _gzipped(file: Path) -> bytes:
    """A built file, compressed once per test session (MathJax's 2 MB bundle is
    asked for by every page every browser test visits)."""
    return gzip.compress(file.read_bytes(), compresslevel=6, mtime=0)


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    """Serves the site as a static host does (GitHub Pages, Netlify, nginx's
    ``gzip_static``): text files gzip-compressed when the browser accepts it, so
    that the weight tests measure the bytes a reader really downloads."""

    COMPRESSED = (".html", ".css", ".js", ".json", ".svg", ".xml", ".txt", ".ipynb")

    def log_message(self, *args):  # keep the test output readable
        pass

    def send_head(self):
        found = Path(self.translate_path(self.path))
        file = found / "index.html" if found.is_dir() else found
        if ((found.is_dir() and not self.path.split("?")[0].endswith("/"))  # the redirect
                or not file.is_file() or not file.name.endswith(self.COMPRESSED)
                or "gzip" not in self.headers.get("Accept-Encoding", "")):
            return super().send_head()
        body = _gzipped(file)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(file)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        return io.BytesIO(body)


@pytest.fixture(scope="session")
def site_url(built_site):
    """Serve the built site on 127.0.0.1 (a free port) for the browser tests."""
    handler = functools.partial(_QuietHandler, directory=str(built_site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()
