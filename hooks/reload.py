"""Fast live reload: ``make serve`` runs ``mkdocs serve --dirty``.

A dirty build renders again only the pages whose Markdown is newer than their
HTML, which keeps a reload under two seconds. A page also shows what it does not
contain: code included from ``src/`` (``--8<--``), the glossary appended to every
page, docstrings (``::: rnn_book.…``), a notebook's cached run, a figure (drawn
inline: its script and its latest drawing in the cache). Before each build
this hook removes the HTML of every page one of whose sources is newer than it,
so that page is rendered again too. In a clean build (``mkdocs build``) there is
no HTML yet and the hook changes nothing.

API pages take seconds to render. When an edit of ``src/`` touches chapters as
well as API pages, the chapters are rendered first, the page reloads, and the
API pages follow in a second build that this hook triggers.

It also tells the other hooks whether the site is being served, makes
``mkdocs serve`` watch ``.cache/rnn-book/done/``, where ``hooks/_cache.py``
signals a result recomputed in the background, and keeps the theme's compiled
templates in memory from one build to the next (compiling them took a second).
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from _cache import SERVING, TEMPLATES, cache_root, done_dir, serving

_SNIPPET = re.compile(r"""--8<--\s+["']([^"':]+)""")
_FIGURE = re.compile(r"figures/([\w-]+)\.svg")
_API = re.compile(r"^:::\s+(rnn_book[\w.]*)", re.MULTILINE)
_IMPORT = re.compile(r"^\s*from\s+(rnn_book[\w.]*)\s+import\s+([\w, ()]+)", re.MULTILINE)


def on_startup(command, dirty):
    os.environ[SERVING] = "1" if command == "serve" else "0"


def on_config(config):
    if serving():
        done = done_dir(config)
        done.mkdir(parents=True, exist_ok=True)
        if str(done) not in map(str, config.watch):
            config.watch.append(str(done))
    return config


def on_env(env, config, files):
    env.bytecode_cache = TEMPLATES  # keyed by template name and source checksum
    return env


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
    sources += (config_dir / "includes").glob("abbreviations*.md")  # appended by hooks/i18n.py
    for module in _API.findall(text):
        sources += module_files(module, config_dir)
    for name in set(_FIGURE.findall(text)):  # drawn inline: its script, its latest drawing
        sources.append(config_dir / "figures" / f"{name}.py")
        sources += (cache_root(config) / "figures").glob(f"{name}-*.svg")
    return [p for p in sources if p.is_file()]


def module_file(module: str, config_dir: Path) -> Path:
    base = config_dir / "src" / Path(*module.split("."))
    return base / "__init__.py" if base.is_dir() else base.with_suffix(".py")


def module_files(module: str, config_dir: Path) -> list[Path]:
    """A documented module's file and the package modules it imports from (its
    signatures and inherited members come from there)."""
    own = module_file(module, config_dir)
    if not own.is_file():
        return []
    found = [own]
    for source, names in _IMPORT.findall(own.read_text(encoding="utf-8")):
        found.append(module_file(source, config_dir))
        found += [module_file(f"{source}.{n.strip()}", config_dir)
                  for n in names.strip("()").split(",") if n.strip()]
    return found


def on_files(files, config):
    stale = []
    for file in files.documentation_pages():
        dest = Path(file.abs_dest_path)
        if dest.is_file() and any(p.stat().st_mtime > dest.stat().st_mtime
                                  for p in page_sources(file, config)):
            stale.append(file)
    api = [f for f in stale if _API.search(Path(f.abs_src_path).read_text(encoding="utf-8"))
           if f.src_uri.endswith(".md")]
    later = api if len(api) < len(stale) else []
    for file in stale:
        if file not in later:
            Path(file.abs_dest_path).unlink()
    if later:  # rebuilt by the next build, which on_post_build asks for
        _LATER[config["config_file_path"]] = True
    return files


_LATER: dict[str, bool] = {}


def on_post_build(config):
    if _LATER.pop(config["config_file_path"], False):
        done = done_dir(config)
        done.mkdir(parents=True, exist_ok=True)
        (done / "api-pages").write_text("render the API pages next", encoding="utf-8")
