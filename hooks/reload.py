"""Fast live reload: ``make serve`` runs ``mkdocs serve --dirty``.

A dirty build renders again only the pages whose Markdown is newer than their
HTML (the reloads this gives are measured in scripts/measure_reload.py). A page also shows what it does not
contain: code included from ``src/`` (``--8<--``), the glossary appended to every
page, docstrings (``::: rnn_book.…``), a notebook's cached run, a figure (drawn
inline: its script and its latest drawing in the cache). Before each build
this hook removes the HTML of every page whose shown parts changed since this
``mkdocs serve`` rendered it (``hooks/_shown.py``: the included section of a
module, not the whole module; an API page's signatures and docstrings, not the
function bodies), so that page is rendered again too; in a site built by an
earlier command, a page one of whose sources is newer than its HTML. In a clean
build (``mkdocs build``) there is no HTML yet and the hook changes nothing.

API pages take seconds to render. When an edit of ``src/`` touches chapters as
well as API pages, the chapters are rendered first, the page reloads, and the
API pages follow in a second build that this hook triggers. So do the Korean
pages that a shared file changed (a module's section, a figure) when English
pages show it too: the English page reloads first (a Korean page's own edit is
rendered at once).

It also tells the other hooks whether the site is being served, makes
``mkdocs serve`` watch ``.cache/rnn-book/done/``, where ``hooks/_cache.py``
signals a result recomputed in the background, and keeps the theme's compiled
templates in memory from one build to the next (compiling them took a second).

Two costs of every rebuild are MkDocs' own, and cut here: it looks for changes
by walking the watched folders every half second (``on_serve`` asks the
operating system to tell instead: inotify on Linux; ``RNN_BOOK_WATCH=poll``
keeps MkDocs' polling, for folders the system cannot watch, such as some
network or container mounts), and it lists all 14,500 files of the theme to
find its 160 static ones (``on_config``: hidden folders, Material's icons, are
not listed; MkDocs skipped them anyway, after listing them).
"""

from __future__ import annotations

import os
import threading
import time
from pathlib import Path

import jinja2
from _cache import SERVING, SHOWN, TEMPLATES, done_dir, serving
from _shown import API, page_sources, shown
from mkdocs.plugins import event_priority

WATCH = "RNN_BOOK_WATCH"  # "poll": MkDocs' own way, a look every half second

def on_startup(command, dirty):
    os.environ[SERVING] = "1" if command == "serve" else "0"


class VisibleFilesLoader(jinja2.FileSystemLoader):
    """The theme's loader, listing no hidden file or folder. MkDocs lists every theme
    file at each build, then drops the hidden ones (``.icons/``: 14,350 of 14,500
    files in Material) to copy the rest to the site: a quarter of a second per
    rebuild. The same files are copied; templates load as before."""

    def list_templates(self) -> list[str]:
        found = set()
        for searchpath in self.searchpath:
            for folder, subfolders, names in os.walk(searchpath, followlinks=self.followlinks):
                subfolders[:] = [name for name in subfolders if not name.startswith(".")]
                relative = Path(folder).relative_to(searchpath)
                found.update((relative / name).as_posix() for name in names if not name.startswith("."))
        return sorted(found)


def _listing_visible_files(get_env):
    def get_env_listing_visible_files():
        env = get_env()
        env.loader = VisibleFilesLoader(env.loader.searchpath)
        return env
    get_env_listing_visible_files.lists_visible_files = True
    return get_env_listing_visible_files


def on_config(config):
    if not getattr(config.theme.get_env, "lists_visible_files", False):  # on_config runs once per edition
        config.theme.get_env = _listing_visible_files(config.theme.get_env)
    if serving():
        done = done_dir(config)
        done.mkdir(parents=True, exist_ok=True)
        if str(done) not in map(str, config.watch):
            config.watch.append(str(done))
    return config


def on_serve(server, config, builder):
    """The page updates itself in place (``hooks/livereload.js``), and saves are heard
    of by the operating system's notifications."""
    server._inject_js_into_html = _inject_client
    return _watch_by_notification(server)


LIVERELOAD = (Path(__file__).resolve().parent / "livereload.js").read_text(encoding="utf-8")


def _inject_client(content: bytes, epoch: int) -> bytes:
    """``hooks/livereload.js`` at the end of a served page, where MkDocs puts its own script."""
    end = content.rfind(b"</body>")
    end = len(content) if end < 0 else end
    script = f"<script data-livereload>{LIVERELOAD}\nrnnBookLiveReload({epoch}, {time.monotonic_ns() // 1000});</script>"
    return content[:end] + script.encode("utf-8") + content[end:]


def _watch_by_notification(server):
    """Watch by the operating system's notifications (inotify on Linux) instead of
    MkDocs' look at every watched file each half second: a save starts the rebuild at
    once (0.25 s sooner on average), and no core is kept busy looking."""
    from watchdog.observers import Observer
    from watchdog.observers.polling import PollingObserver

    if os.environ.get(WATCH, "").lower() == "poll" or Observer is PollingObserver:
        return server

    class ChangesObserver(Observer):
        """Tells of changes only: inotify also reports every file the build opens and reads."""

        def schedule(self, handler, path, *, recursive=False, event_filter=None, **options):
            return super().schedule(handler, path, recursive=recursive,
                                    event_filter=event_filter or _CHANGES, **options)

    polling, server.observer = server.observer, ChangesObserver()
    for path, count in list(server._watched_paths.items()):  # docs/ and mkdocs.yml, so far
        polling.unschedule(server._watch_refs.pop(path))
        del server._watched_paths[path]
        for _ in range(count):
            server.watch(path)
    return server


def _changes():
    from watchdog import events

    return [events.FileCreatedEvent, events.FileModifiedEvent, events.FileDeletedEvent,
            events.FileMovedEvent, events.FileClosedEvent, events.FileAttribEvent]


_CHANGES = _changes()


def on_env(env, config, files):
    env.bytecode_cache = TEMPLATES  # keyed by template name and source checksum
    return env


@event_priority(-110)  # after mkdocs-static-i18n (-100), which gives each edition's pages their paths
def on_files(files, config):
    """Remove the HTML of every page whose shown parts changed: MkDocs renders it again."""
    stale = []
    for file in files.documentation_pages():
        dest = Path(file.abs_dest_path)
        if not dest.is_file():
            continue  # rendered in this build
        if file.abs_dest_path in SHOWN:  # rendered earlier by this `mkdocs serve`
            if shown(file, config) != SHOWN[file.abs_dest_path]:
                stale.append(file)
        elif any(p.stat().st_mtime > dest.stat().st_mtime for p in page_sources(file, config)):
            stale.append(file)  # a site built before: all a file's time can tell
    api = [f for f in stale if f.src_uri.endswith(".md") and API.search(Path(f.abs_src_path).read_text(encoding="utf-8"))]
    later = api if len(api) < len(stale) else []
    key = config["config_file_path"]
    if not _translating(config):
        _DEFAULT_RENDERS[key] = len(stale) > len(later)
    elif _DEFAULT_RENDERS.pop(key, False):
        later = stale  # the English pages first: these follow, in the next build
    for file in stale:
        if file not in later:
            Path(file.abs_dest_path).unlink()
    if later:  # rebuilt by the next build, which on_post_build asks for
        _LATER[config["config_file_path"]] = True
    return files


_LATER: dict[str, bool] = {}
_DEFAULT_RENDERS: dict[str, bool] = {}  # the English build is rendering pages a shared file changed


def _translating(config) -> bool:
    """Whether this is the Korean edition's build (mkdocs-static-i18n runs it after the English one)."""
    plugin = config.plugins.get("i18n")
    return plugin is not None and plugin.current_language != plugin.default_language


def on_post_page(output, page, config):
    """What the page shows, as it is rendered (its figures and notebook run are done)."""
    if serving():
        SHOWN[page.file.abs_dest_path] = shown(page.file, config)
    return output


LATER = 1.0  # seconds: the browser asks for the page first (MkDocs serves nothing while it builds)


def on_post_build(config):
    if _LATER.pop(config["config_file_path"], False):
        done = done_dir(config)
        done.mkdir(parents=True, exist_ok=True)
        note = done / "later-pages"
        timer = threading.Timer(LATER, note.write_text, ("render the pages left for later",), {"encoding": "utf-8"})
        timer.daemon = True
        timer.start()
