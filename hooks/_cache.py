"""What the hooks share: a content-hashed cache for drawn figures and run notebooks.

An author's ``make serve`` redraws a figure or re-runs a notebook only when what it
depends on has changed; the results live in ``.cache/rnn-book/`` (git-ignored).
A result is keyed twice: by its *own* source (the figure script, the notebook) and
by its *dependencies* (``src/``, helper scripts). When only the dependencies
changed, ``mkdocs serve`` shows the previous result at once and recomputes in
the background, then rebuilds (the page reloads a second time); when the source
itself changed, the author is looking at it, so it is recomputed before the page.

``RNN_BOOK_FRESH=1`` (set by ``make test``, ``make build``, ``make pdf``, the
site tests and CI) bypasses the cache entirely: everything is computed anew, once
per ``mkdocs`` command (the English and the Korean build share each result).

Every result is computed in a worker process (``hooks/_pool.py``), never in the
MkDocs process: two run at once beside the build, a page waits only for its own,
and a worker never draws with a package module older than the file on disk.
"""

from __future__ import annotations

import hashlib
import logging
import os
import threading
from collections.abc import Callable, Iterable
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

import jinja2
from _pool import Pool

log = logging.getLogger("mkdocs.hooks.cache")

FRESH = "RNN_BOOK_FRESH"
SERVING = "RNN_BOOK_SERVING"  # set by on_startup(command="serve"): hook modules reload per build


def fresh() -> bool:
    return os.environ.get(FRESH, "").lower() not in ("", "0", "false", "no")


def serving() -> bool:
    return os.environ.get(SERVING) == "1"


def cache_root(config) -> Path:
    return Path(config["config_file_path"]).parent / ".cache" / "rnn-book"


def done_dir(config) -> Path:
    """Watched by ``mkdocs serve``: a background result landing here triggers a rebuild."""
    return cache_root(config) / "done"


def digest(paths: Iterable[Path], root: Path, extra: str = "") -> str:
    """Hash of the files' paths (relative to ``root``) and contents, in sorted order."""
    h = hashlib.sha256(extra.encode())
    for path in sorted(set(paths)):
        h.update(path.relative_to(root).as_posix().encode() + b"\0")
        h.update(_content_hash(path) + b"\0")
    return h.hexdigest()[:16]


_HASHED: dict[Path, tuple[tuple[int, int], bytes]] = {}


def _content_hash(path: Path) -> bytes:
    """A file's SHA-256, read again only when its time or size changed (a rebuild
    under ``mkdocs serve`` hashed the whole package for every figure: 0.1 s)."""
    stat = path.stat()
    key = (stat.st_mtime_ns, stat.st_size)
    if path not in _HASHED or _HASHED[path][0] != key:
        _HASHED[path] = (key, hashlib.sha256(path.read_bytes()).digest())
    return _HASHED[path][1]


def package_files(config_dir: Path) -> list[Path]:
    """Every source file of the ``rnn_book`` package."""
    return sorted((config_dir / "src").rglob("*.py"))


class ResultCache:
    """Text results in ``<root>/<kind>/<name>-<own>-<deps>.<suffix>``."""

    def __init__(self, config, kind: str, suffix: str):
        self.dir = cache_root(config) / kind
        self.done = done_dir(config)
        self.suffix = suffix

    def path(self, name: str, own: str, deps: str) -> Path:
        return self.dir / f"{name}-{own}-{deps}.{self.suffix}"

    def get(self, name: str, own: str, deps: str,
            compute: Callable[[Pool], Future]) -> tuple[Future, bool]:
        """The result (a Future of its text), and whether it is stale (being
        recomputed in the background). ``compute(pool)`` submits the job to ``pool``."""
        if fresh():  # computed anew, once per process: both languages' builds share it
            key = (str(self.dir), name, own, deps)
            if key not in _THIS_RUN:
                _THIS_RUN[key] = compute(foreground())
            return _THIS_RUN[key], False
        target = self.path(name, own, deps)
        if target.is_file():
            return _done(target.read_text(encoding="utf-8")), False
        older = sorted(self.dir.glob(f"{name}-{own}-*.{self.suffix}"), key=lambda p: p.stat().st_mtime)
        if serving() and older:
            _submit(target, lambda: compute(background()).result(), self.done)
            return _done(older[-1].read_text(encoding="utf-8")), True
        kept: Future = Future()  # resolved once the result is in the cache, where hooks/_shown.py looks

        def keep(future, target=target, name=name):
            if future.exception() is not None:
                kept.set_exception(future.exception())
                return
            try:
                _write(target, future.result())
                _prune(target, name, self.suffix)
            finally:
                kept.set_result(future.result())

        compute(foreground()).add_done_callback(keep)
        return kept, False


_THIS_RUN: dict[tuple[str, str, str, str], Future] = {}  # fresh results of this process (one mkdocs command)


def _done(text: str) -> Future:
    future: Future = Future()
    future.set_result(text)
    return future


_POOLS: dict[str, Pool] = {}


def foreground() -> Pool:
    """Workers for what a page needs now (under ``mkdocs serve`` they stay, warm)."""
    if "fore" not in _POOLS:
        _POOLS["fore"] = Pool(keep=serving())
    return _POOLS["fore"]


def background() -> Pool:
    """Workers for what ``mkdocs serve`` recomputes behind the author's edits, niced."""
    if "back" not in _POOLS:
        _POOLS["back"] = Pool(nice=10)
    return _POOLS["back"]


def _prune(keep: Path, name: str, suffix: str) -> None:
    """Drop every other result for ``name``: the cache holds one per figure or notebook."""
    for old in keep.parent.glob(f"{name}-*.{suffix}"):
        if old != keep:
            old.unlink(missing_ok=True)


def _write(target: Path, text: str) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_suffix(target.suffix + ".partial")
    partial.write_text(text, encoding="utf-8")
    partial.replace(target)  # atomic: a reader never sees half a result


# Threads that wait for the background workers (hooks/_pool.py), two results at a time.
_worker = ThreadPoolExecutor(max_workers=2, thread_name_prefix="rnn-book-cache")
_pending: set[Path] = set()
_written: set[Path] = set()  # results written since the last rebuild was asked for
_latest: dict[str, Path] = {}  # per figure or notebook: the result the newest edit needs
_lock = threading.Lock()


def _submit(target: Path, compute: Callable[[], str], done: Path) -> None:
    name, suffix = target.name.rsplit("-", 2)[0], target.suffix.lstrip(".")
    key = f"{target.parent}/{name}"
    with _lock:
        _latest[key] = target
        if target in _pending:
            return
        _pending.add(target)

    def job():
        try:
            if _latest.get(key) == target:  # else superseded by a later edit before it started
                log.info("Recomputing in the background: %s", target.name)
                text = compute()
                if _latest.get(key) == target:  # else superseded while it ran: not shown
                    _write(target, text)
                    _prune(target, name, suffix)
                    _written.add(target)
        except Exception as error:  # shown in the serve log; the stale result stays
            log.error("Background recomputation of %s failed: %s", target.name, error)
        finally:
            with _lock:
                _pending.discard(target)
                last = not _pending and _written
                if last:
                    _written.clear()
            if last:  # one rebuild (and one reload) once the queue is empty, if anything changed
                done.mkdir(parents=True, exist_ok=True)
                (done / "stamp").write_text(target.name, encoding="utf-8")

    _worker.submit(job)


class MemoryBytecodeCache(jinja2.BytecodeCache):
    """Compiled templates, kept from one build of ``mkdocs serve`` to the next."""

    def __init__(self):
        self.store: dict[str, bytes] = {}

    def load_bytecode(self, bucket):
        if bucket.key in self.store:
            bucket.bytecode_from_string(self.store[bucket.key])

    def dump_bytecode(self, bucket):
        self.store[bucket.key] = bucket.bytecode_to_string()


TEMPLATES = MemoryBytecodeCache()  # this module is imported once per process
SHOWN: dict[str, str] = {}  # a served page's HTML path -> what it showed when rendered (hooks/_shown.py)
