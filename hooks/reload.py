"""Fast live reload: ``make serve`` runs ``mkdocs serve --dirty``.

A dirty build renders again only the pages whose Markdown is newer than their
HTML, which keeps a reload under two seconds. A page also shows what it does not
contain: code included from ``src/`` (``--8<--``), the glossary appended to every
page, docstrings (``::: rnn_book.…``), a notebook's cached run. Before each build
this hook removes the HTML of every page one of whose sources is newer than it,
so that page is rendered again too. In a clean build (``mkdocs build``) there is
no HTML yet and the hook changes nothing.

It also tells the other hooks whether the site is being served, and makes
``mkdocs serve`` watch ``.cache/rnn-book/done/``, where ``hooks/_cache.py``
signals a result recomputed in the background.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from _cache import SERVING, cache_root, done_dir, package_files, serving

_SNIPPET = re.compile(r"""--8<--\s+["']([^"':]+)""")
_API = re.compile(r"^:::\s+rnn_book\b", re.MULTILINE)


def on_startup(command, dirty):
    os.environ[SERVING] = "1" if command == "serve" else "0"


def on_config(config):
    if serving():
        done = done_dir(config)
        done.mkdir(parents=True, exist_ok=True)
        if str(done) not in map(str, config.watch):
            config.watch.append(str(done))
    return config


def page_sources(file, config) -> list[Path]:
    """Every file whose content the page shows, besides its own source."""
    config_dir = Path(config["config_file_path"]).parent
    src = Path(file.abs_src_path)
    snippets = config["mdx_configs"].get("pymdownx.snippets", {})
    if file.src_uri.endswith(".py"):  # a notebook page: its latest cached run
        return sorted((cache_root(config) / "notebooks").glob(f"{src.stem}-*.html"))
    text = src.read_text(encoding="utf-8")
    sources = [config_dir / name for name in _SNIPPET.findall(text)]
    sources += [config_dir / name for name in snippets.get("auto_append", [])]
    if _API.search(text):
        sources += package_files(config_dir)
    return [p for p in sources if p.is_file()]


def on_files(files, config):
    for file in files.documentation_pages():
        dest = Path(file.abs_dest_path)
        if not dest.is_file():
            continue
        built = dest.stat().st_mtime
        if any(p.stat().st_mtime > built for p in page_sources(file, config)):
            dest.unlink()
    return files
