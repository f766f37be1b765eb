"""`make serve --dirty` renders a page again when a file it shows changes (hooks/reload.py)."""

from __future__ import annotations

import importlib.util
from types import SimpleNamespace

from .conftest import ROOT


def load_reload_hook():
    import sys

    sys.path.insert(0, str(ROOT / "hooks"))  # the hooks import each other by name, as MkDocs loads them
    spec = importlib.util.spec_from_file_location("rnn_book_reload_hook", ROOT / "hooks" / "reload.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_a_page_depends_on_the_glossary_tooltips_appended_to_it():
    hook = load_reload_hook()
    config = {"config_file_path": str(ROOT / "mkdocs.yml"), "mdx_configs": {}}
    for page, own, other in (("rnn/02-forward.md", "abbreviations.md", "abbreviations.ko.md"),
                             ("rnn/02-forward.ko.md", "abbreviations.ko.md", "abbreviations.md")):
        file = SimpleNamespace(abs_src_path=str(ROOT / "docs" / page), src_uri=page)
        sources = hook.page_sources(file, config)
        assert ROOT / "includes" / own in sources
        assert ROOT / "includes" / other not in sources  # the other edition's tooltips
        assert ROOT / "src" / "rnn_book" / "rnn.py" in sources  # and the code it includes


def load_hook_module(name: str):
    import sys

    sys.path.insert(0, str(ROOT / "hooks"))
    spec = importlib.util.spec_from_file_location(f"rnn_book_{name}", ROOT / "hooks" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _book(tmp_path, chapter: str, module: str):
    (tmp_path / "docs").mkdir()
    (tmp_path / "src" / "rnn_book").mkdir(parents=True)
    (tmp_path / "includes").mkdir()
    (tmp_path / "docs" / "chapter.md").write_text(chapter, encoding="utf-8")
    (tmp_path / "src" / "rnn_book" / "cell.py").write_text(module, encoding="utf-8")
    config = {"config_file_path": str(tmp_path / "mkdocs.yml"), "mdx_configs": {}}
    file = SimpleNamespace(abs_src_path=str(tmp_path / "docs" / "chapter.md"), src_uri="chapter.md")
    return config, file


CELL = '''"""A cell."""


def step(x, scale=2):
    """One step."""
    # --8<-- [start:body]
    y = x * scale
    # --8<-- [end:body]
    return y


def other(x):
    """Another function."""
    return x + 1
'''


def _edit(tmp_path, old: str, new: str) -> None:
    import os
    import time

    module = tmp_path / "src" / "rnn_book" / "cell.py"
    module.write_text(module.read_text(encoding="utf-8").replace(old, new, 1), encoding="utf-8")
    later = time.time_ns() + 10**9  # a new modification time, however coarse the file system's clock
    os.utime(module, ns=(later, later))


def test_a_chapter_is_stale_when_its_section_changes_not_the_rest_of_the_module(tmp_path):
    shown = load_hook_module("_shown")
    config, file = _book(tmp_path, '```python\n--8<-- "src/rnn_book/cell.py:body"\n```\n', CELL)
    before = shown.shown(file, config)
    _edit(tmp_path, "return x + 1", "return x + 2")  # outside the section
    assert shown.shown(file, config) == before
    _edit(tmp_path, "y = x * scale", "y = x * scale  # scaled")  # inside it
    assert shown.shown(file, config) != before


def test_an_api_page_is_stale_when_signatures_or_docstrings_change_not_bodies(tmp_path):
    shown = load_hook_module("_shown")
    config, file = _book(tmp_path, "::: rnn_book.cell\n", CELL)
    before = shown.shown(file, config)
    _edit(tmp_path, "return x + 1", "return x + 2")  # a body
    _edit(tmp_path, "    return y\n", "    # a comment\n    return y\n")
    assert shown.shown(file, config) == before
    for old, new in [('"""Another function."""', '"""Another function, documented better."""'),
                     ("scale=2", "scale=3"), ("def other(x)", "def other(x, y=0)")]:
        _edit(tmp_path, old, new)
        after = shown.shown(file, config)
        assert after != before, new
        before = after


def test_the_theme_lists_the_same_static_files(tmp_path):
    """hooks/reload.py lists the theme without its hidden folders: MkDocs copies the same files."""
    import jinja2
    from mkdocs.config import load_config
    from mkdocs.structure.files import Files

    hook = load_reload_hook()
    config = load_config(str(ROOT / "mkdocs.yml"), site_dir=str(tmp_path / "site"))
    theirs, ours = Files([]), Files([])
    env = config.theme.get_env()
    assert type(env.loader) is jinja2.FileSystemLoader
    theirs.add_files_from_theme(env, config)
    hook.on_config(config)
    env = config.theme.get_env()
    assert isinstance(env.loader, hook.VisibleFilesLoader)
    ours.add_files_from_theme(env, config)
    assert sorted(f.src_uri for f in ours) == sorted(f.src_uri for f in theirs)
    assert len(theirs) > 30  # its scripts, style sheets, lunr languages


def test_serve_hears_of_a_save_at_once_and_not_of_reads(tmp_path):
    """`make serve` is told of a change by the system (inotify), not by looking every half
    second; the build reading files is no change."""
    import time

    from mkdocs.livereload import LiveReloadServer
    from watchdog.observers.polling import PollingObserver

    hook = load_reload_hook()
    watched = tmp_path / "docs"
    watched.mkdir()
    (watched / "page.md").write_text("old", encoding="utf-8")
    server = LiveReloadServer(builder=lambda: None, host="127.0.0.1", port=0, root=str(tmp_path))
    server.watch(str(watched))
    assert isinstance(server.observer, PollingObserver)
    server = hook.on_serve(server, config=None, builder=None)
    assert not isinstance(server.observer, PollingObserver)
    assert list(server._watched_paths) == [str(watched)]
    server.observer.start()
    try:
        time.sleep(0.3)
        (watched / "page.md").read_text(encoding="utf-8")
        time.sleep(0.3)
        assert not server._want_rebuild  # a read
        start = time.monotonic()
        (watched / "page.md").write_text("new", encoding="utf-8")
        while not server._want_rebuild and time.monotonic() - start < 5:
            time.sleep(0.01)
        assert server._want_rebuild
        assert time.monotonic() - start < 0.2
    finally:
        server.observer.stop()
        server.observer.join()
